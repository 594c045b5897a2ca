"""Opening the SQLite file: WAL, busy timeout, migrations, and write transactions."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from jsgj.catalog.catalog import Catalog
from jsgj.errors import StoreError
from jsgj.store.migrations import migration_names, migrations

T = TypeVar("T")

BUSY_TIMEOUT_SECONDS = 10.0
# After the busy timeout, a whole write transaction is retried this many times
# (a WAL reader that must upgrade to a writer can fail at once, whatever the timeout).
WRITE_ATTEMPTS = 8


def _is_busy(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


def _open_error(path: Path, error: sqlite3.DatabaseError) -> StoreError:
    if _is_busy(error):
        return StoreError(f"{path}: the database stayed busy (another jsgj is writing); try again")
    return StoreError(f"{path}: not a jsgj database ({error})")


class Store:
    """One open jsgj database. All SQL lives in the store package."""

    def __init__(self, path: Path, db: Database, catalog: Catalog) -> None:
        self.path = path
        self.db = db
        self.catalog = catalog

    @classmethod
    def open(cls, path: Path, catalog: Catalog, *, create: bool = True) -> Store:
        """Open ``path``, creating it and applying pending migrations as needed."""
        if not path.exists():
            if not create:
                raise StoreError(f"{path}: no such database")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise StoreError(f"{path}: cannot create the directory ({e.strerror})") from e
        elif path.is_dir():
            raise StoreError(f"{path}: is a directory, not a database file")
        try:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS)
            db = Database(conn, execute_plugins=False)
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.DatabaseError as e:
            raise _open_error(path, e) from e
        store = cls(path, db, catalog)
        try:
            try:
                # Read-only checks first: a file that is not ours, or is newer, is refused
                # untouched (switching it to WAL would already rewrite its header).
                pending = store._pending()
                store._use_wal()
            except sqlite3.DatabaseError as e:
                raise _open_error(path, e) from e
            if pending:
                store.write(lambda: migrations.apply(store.db))
        except BaseException:
            store.close()
            raise
        return store

    def _pending(self) -> bool:
        """Whether migrations are pending; refuses a foreign or newer database."""
        known = migration_names()
        applied = [m.name for m in migrations.applied(self.db)]
        unknown = [name for name in applied if name not in known]
        if unknown:
            raise StoreError(
                f"{self.path}: the database was written by a newer jsgj "
                f"(schema {len(applied)}, this version knows {len(known)}); upgrade jsgj"
            )
        if applied:
            return len(applied) < len(known)
        # No jsgj migration yet: an empty file (or one holding only the migrations
        # table, schema version 0) is ours to set up; anything else is another
        # program's database.
        foreign = [
            t
            for t in self.db.table_names()
            if t != migrations.migrations_table and not t.startswith("sqlite_")
        ]
        if foreign:
            raise StoreError(
                f"{self.path}: not a jsgj database (it holds {', '.join(foreign[:3])})"
            )
        return True

    def _use_wal(self) -> None:
        if self.db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            self.db.execute("PRAGMA journal_mode=WAL")

    def write(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` in one transaction (``BEGIN IMMEDIATE``; a savepoint when already in
        one): all of its writes or none.

        If another process holds the write lock beyond the busy timeout, the whole
        transaction is retried a few times, then refused with a clear message."""
        for attempt in range(WRITE_ATTEMPTS):
            try:
                return self._transaction(fn)
            except sqlite3.OperationalError as e:
                if not _is_busy(e):
                    raise
                if attempt == WRITE_ATTEMPTS - 1:
                    raise StoreError(
                        f"{self.path}: the database stayed busy (another jsgj is writing); "
                        "nothing was recorded, try again"
                    ) from e
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def _transaction(self, fn: Callable[[], T]) -> T:
        conn = self.db.conn
        if conn.in_transaction:  # inside another write: a savepoint
            with self.db.atomic():
                return fn()
        # IMMEDIATE: take the write lock first, waiting (busy timeout) while another
        # process writes. A deferred BEGIN reads first and upgrades to a writer later,
        # and in WAL mode that upgrade fails at once, whatever the timeout, when another
        # process committed in between (SQLITE_BUSY_SNAPSHOT): with eight clerks at
        # once, every retry could meet that.
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = fn()
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return result

    @contextmanager
    def snapshot(self) -> Iterator[Store]:
        """Hold one read transaction for the block: every query in it sees the same
        committed state (WAL: writers go on meanwhile, unblocked). An export reads
        tasks, reports and sources in separate queries; without this, a report recorded
        between them makes a task's count disagree with its listed reports."""
        conn = self.db.conn
        if conn.in_transaction:  # already inside one: that is the snapshot
            yield self
            return
        conn.execute("BEGIN")
        try:
            # A deferred BEGIN takes its snapshot at the first read: take it now.
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            yield self
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")

    def insert(self, table: str, row: dict[str, Any]) -> int:
        """Insert one row and return its rowid."""
        rowid = self.db.table(table).insert(row).last_rowid
        assert rowid is not None
        return int(rowid)

    def schema_version(self) -> int:
        return len(migrations.applied(self.db))

    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        return [dict(row) for row in self.db.query(sql, params)]

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
