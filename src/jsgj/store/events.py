"""Appending one event row: who records it (:class:`Actor`), when (``stamp``), and the
plain-SQL insert every write path uses (``append``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jsgj.catalog.catalog import OFFICE_ID
from jsgj.store.db import Store
from jsgj.values import now, os_user, today


@dataclass(frozen=True, slots=True)
class Actor:
    """Who records an event: a department id or the office, and the OS user."""

    department: str = OFFICE_ID
    user: str = ""

    @property
    def os_user(self) -> str:
        return self.user or os_user()


def append(store: Store, table: str, row: dict[str, Any]) -> int:
    """Insert one row (names from this package's code, values bound) and return its
    rowid: the write paths' one insert, in plain SQL."""
    sql = f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})"
    rowid = store.db.conn.execute(sql, list(row.values())).lastrowid
    assert rowid is not None
    return rowid


def stamp() -> tuple[str, str]:
    """(recorded_at UTC timestamp, recorded_on local date)."""
    return now().isoformat(timespec="microseconds"), today().isoformat()
