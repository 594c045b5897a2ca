"""The connection a ``Store`` holds: plain ``sqlite3``, with the few conveniences the
store package uses (``execute``, ``query``, savepoints). Rows are inserted by
jsgj.store.events, the one route.

sqlite-utils (with click, pluggy and dateutil: about 100 ms of imports) is imported
only where migrations run (jsgj.store.migrations); reads and writes go through this
(issue 15, start-up). The connection is in autocommit mode (``isolation_level=None``):
a statement outside a transaction takes effect at once, as sqlite-utils' ``execute``
made it do, and a write transaction is the explicit ``BEGIN IMMEDIATE`` of
``Store.write``."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


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
