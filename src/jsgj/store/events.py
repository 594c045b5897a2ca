"""Appending rows to the event log: who records one (:class:`Actor`), when (``stamp``),
and the one route every writer inserts by (``append`` for a row, ``append_many`` for a
set of rows).

Why one route: the event tables are append-only and hash-chained, and their rows are
indexed for search, all by triggers (jsgj.store.chain, jsgj.store.search) that fire on
the INSERT itself, so whatever the route the chain and the index stay whole. What one
route keeps is the rest: values bound as they are (no per-value conversion, which the
import's 10,000-row batches would pay for), table and column names only from this
package's code, and one place to look when the write-cost tests count a write's SQLite
steps. A second helper (sqlite-utils' ``table().insert``, ``Store.insert``) had grown
beside this one; both are gone."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from jsgj.catalog.catalog import OFFICE_ID
from jsgj.store.db import Store
from jsgj.values import now, os_user, today


class Actor(NamedTuple):
    """Who records an event: a department id or the office, and the OS user. (A named
    tuple: every write defines it, and a frozen dataclass costs ~5 M instructions.)"""

    department: str = OFFICE_ID
    user: str = ""

    @property
    def os_user(self) -> str:
        return self.user or os_user()


def _insert_sql(table: str, columns: Iterable[str], conflict: str = "") -> str:
    names = list(columns)
    sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    return f"{sql} ON CONFLICT {conflict}" if conflict else sql


def append(store: Store, table: str, row: dict[str, Any]) -> int:
    """Insert one row and return its rowid. ``row``: column names (from this package's
    code) to values, bound as given (text, numbers, None; a list is the caller's to
    turn into JSON)."""
    rowid = store.db.conn.execute(_insert_sql(table, row), list(row.values())).lastrowid
    assert rowid is not None
    return rowid


def append_many(
    store: Store,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    conflict: str = "",
) -> int:
    """Insert ``rows`` (tuples in the order of ``columns``) with one ``executemany``
    and return how many were inserted. ``conflict``: an ``ON CONFLICT`` target and
    action (``"(fingerprint) WHERE fingerprint IS NOT NULL DO NOTHING"``), so rows a
    unique index already holds are skipped, not refused."""
    return store.db.conn.executemany(_insert_sql(table, columns, conflict), rows).rowcount


def stamp() -> tuple[str, str]:
    """(recorded_at UTC timestamp, recorded_on local date)."""
    return now().isoformat(timespec="microseconds"), today().isoformat()
