"""The connection a ``Store`` holds: plain ``sqlite3``, with the few conveniences the
store package uses (``execute``, ``query``, ``table(name).insert(row)``, savepoints).

sqlite-utils (with click, pluggy and dateutil: about 100 ms of imports) is imported
only where migrations run (jsgj.store.migrations); reads and writes go through this
(issue 15, start-up). The connection is in autocommit mode (``isolation_level=None``):
a statement outside a transaction takes effect at once, as sqlite-utils' ``execute``
made it do, and a write transaction is the explicit ``BEGIN IMMEDIATE`` of
``Store.write``."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def sql_value(value: object) -> object:
    """A Python value as stored: lists, tuples and dicts as JSON (UTF-8, not escaped),
    dates and times in ISO form; as sqlite-utils' ``insert`` stored them."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, default=repr, ensure_ascii=False)
    if isinstance(value, (dt.time, dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return value


# Plain classes, not dataclasses: these two are made per insert and defined at every
# start-up, where a dataclass costs half a millisecond to define.


class Inserted:
    """What an insert did: the new row's rowid."""

    __slots__ = ("last_rowid",)

    def __init__(self, last_rowid: int | None) -> None:
        self.last_rowid = last_rowid


class Table:
    """One table, for inserting a row by column name."""

    __slots__ = ("connection", "name")

    def __init__(self, connection: Connection, name: str) -> None:
        self.connection = connection
        self.name = name

    def insert(self, row: dict[str, Any]) -> Inserted:
        columns = ", ".join(f"[{c}]" for c in row)
        marks = ", ".join("?" for _ in row)
        cursor = self.connection.execute(
            f"INSERT INTO [{self.name}] ({columns}) VALUES ({marks})",
            [sql_value(v) for v in row.values()],
        )
        return Inserted(cursor.lastrowid)

    def exists(self) -> bool:
        return self.connection.table_exists(self.name)


class Connection:
    """A ``sqlite3`` connection in autocommit mode."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        conn.isolation_level = None
        self.conn = conn

    def execute(self, sql: str, params: Any = None) -> sqlite3.Cursor:
        if params is None:
            return self.conn.execute(sql)
        return self.conn.execute(sql, params)

    def query(self, sql: str, params: Any = None) -> Iterator[dict[str, Any]]:
        """The rows as dicts, keyed by column name."""
        cursor = self.execute(sql, params)
        keys = [d[0] for d in cursor.description or ()]
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    def table(self, name: str) -> Table:
        return Table(self, name)

    def __getitem__(self, name: str) -> Table:
        return Table(self, name)

    def table_exists(self, name: str) -> bool:
        found = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]
        ).fetchone()
        return found is not None

    def table_names(self) -> list[str]:
        return [
            r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]

    @contextmanager
    def atomic(self) -> Iterator[Connection]:
        """A savepoint inside the current transaction (a transaction when none is open):
        the block's writes, or none of them."""
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN")
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
            return
        self.conn.execute("SAVEPOINT jsgj_atomic")
        try:
            yield self
        except BaseException:
            # A RAISE(ROLLBACK) trigger may already have ended the transaction.
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK TO SAVEPOINT jsgj_atomic")
                self.conn.execute("RELEASE SAVEPOINT jsgj_atomic")
            raise
        self.conn.execute("RELEASE SAVEPOINT jsgj_atomic")

    def close(self) -> None:
        self.conn.close()
