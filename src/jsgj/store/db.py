"""Opening the SQLite file: WAL, busy timeout, migrations, and write transactions.

Opening never guesses: a missing file is created only when asked (``create``), a file
that is not jsgj's (whatever it holds) or is newer is refused untouched, and a file
bound to another document is refused (jsgj.store.document). A file whose directory
cannot be written is opened read-only, so readers still read it."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

from jsgj.errors import StoreError
from jsgj.i18n import _
from jsgj.store.connection import Connection
from jsgj.store.document import check_binding, record_binding
from jsgj.store.failures import busy, diagnose, is_busy
from jsgj.store.functions import register_functions
from jsgj.store.migrations import MIGRATIONS_TABLE, SET_NAME, migration_names

if TYPE_CHECKING:
    from jsgj.catalog.catalog import Catalog

T = TypeVar("T")

BUSY_TIMEOUT_SECONDS = 10.0
"""How long one statement waits for a lock another process holds."""
LOCK_WAIT_SECONDS = 30.0
"""How long a write waits for the write lock, in all, before it is refused."""
LOCK_POLL_SECONDS = 0.5
WAIT_NOTICE_SECONDS = 2.0
"""After this long waiting for the write lock, ``on_wait`` is told (a line on stderr)."""
# A whole write transaction is retried this many times when SQLite reports busy inside
# it (a lock that BEGIN IMMEDIATE already holds should rule this out; it is cheap).
WRITE_ATTEMPTS = 8

OnWait = Callable[[float], None]


def _wal_pending(path: Path) -> bool:
    """Whether a -wal file holds pages not yet in the database file."""
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except OSError:
        return False


def _open_error(path: Path, error: sqlite3.Error, read_only: bool = False) -> StoreError:
    if is_busy(error):
        return busy(path, BUSY_TIMEOUT_SECONDS)
    if read_only and _wal_pending(path):
        return StoreError(
            _(
                "{path}: its -wal file holds changes not yet in the database, and they "
                "cannot be read without writing beside it; open it once where it can be "
                "written (or copy the .db, -wal and -shm files elsewhere)"
            ).format(path=path)
        )
    known = diagnose(path, error)
    if known is not None:
        return known
    return StoreError(_("{path}: not a jsgj database ({error})").format(path=path, error=error))


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    if not read_only:
        return sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS)
    # Read-only: the directory cannot take the -wal and -shm files. immutable=1 (no
    # locking, no -shm) is right only when there is no -wal whose pages must be read.
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    if not _wal_pending(path):
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS)


class Store:
    """One open jsgj database. All SQL lives in the store package."""

    def __init__(
        self, path: Path, db: Connection, catalog: Catalog, *, on_wait: OnWait | None = None
    ) -> None:
        self.path = path
        self.db = db
        self.catalog = catalog
        self.read_only = False
        self.on_wait = on_wait

    @classmethod
    def open(
        cls, path: Path, catalog: Catalog, *, create: bool = True, on_wait: OnWait | None = None
    ) -> Store:
        """Open ``path``, applying pending migrations; a missing file is created (with
        its directory) only when ``create``. ``on_wait`` is told how long a write has
        waited for the lock, once that passes two seconds."""
        if path.is_dir():
            raise StoreError(_("{path}: is a directory, not a database file").format(path=path))
        if not path.exists():
            if not create:
                raise StoreError(
                    _(
                        "{path}: no such database (give --db PATH or set JSGJ_DB; "
                        "`jsgj db init` creates one)"
                    ).format(path=path)
                )
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise diagnose(path, e) or StoreError(
                    _("{path}: cannot create the directory ({error})").format(
                        path=path, error=e.strerror
                    )
                ) from e
        read_only = path.exists() and not _writable(path)
        try:
            return cls._open(path, catalog, read_only, on_wait)
        except StoreError as e:
            # A reader on a full disk (no room for the -shm file) or on a file system
            # that refuses writes: read-only still reads.
            cause = e.__cause__
            if create or read_only or not isinstance(cause, sqlite3.Error):
                raise
            if is_busy(cause) or diagnose(path, cause) is None:
                raise
            return cls._open(path, catalog, True, on_wait)

    @classmethod
    def _open(cls, path: Path, catalog: Catalog, read_only: bool, on_wait: OnWait | None) -> Store:
        try:
            conn = _connect(path, read_only)
            register_functions(conn)  # the event tables' triggers call them
            db = Connection(conn)
            # (sqlite-utils, which opened it before, turned recursive triggers on.)
            db.execute("PRAGMA recursive_triggers=ON")
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error as e:
            raise _open_error(path, e, read_only) from e
        store = cls(path, db, catalog, on_wait=on_wait)
        store.read_only = read_only
        try:
            try:
                # Read-only checks first: a file that is not ours, is newer, or tracks
                # another document is refused untouched (switching it to WAL would
                # already rewrite its header).
                pending = store._pending()
                unbound = check_binding(db, path, catalog)
                if read_only and pending:
                    raise StoreError(
                        _(
                            "{path}: the database needs upgrading to this jsgj's schema, "
                            "but it cannot be written here; open it once where it can"
                        ).format(path=path)
                    )
                if not read_only:
                    store._use_wal()
            except sqlite3.Error as e:
                raise _open_error(path, e, read_only) from e
            if not read_only and (pending or unbound):
                store.write(lambda: store._migrate())
        except BaseException:
            store.close()
            raise
        return store

    def _migrate(self) -> None:
        # The only place sqlite-utils is imported: its ``Migrations`` applies them.
        from sqlite_utils import Database

        from jsgj.store.migrations import migration_set

        migration_set().apply(Database(self.db.conn, execute_plugins=False))
        record_binding(self.db, self.catalog)

    def _applied(self) -> list[str]:
        """The names of the migrations applied to the file, in order (plain sqlite3)."""
        if not self.db.table_exists(MIGRATIONS_TABLE):
            return []
        return [
            r[0]
            for r in self.db.execute(
                f"SELECT name FROM [{MIGRATIONS_TABLE}] WHERE migration_set = ? ORDER BY rowid",
                [SET_NAME],
            )
        ]

    def _pending(self) -> bool:
        """Whether migrations are pending; refuses a foreign or newer database."""
        self._refuse_foreign()
        known = migration_names()
        applied = self._applied()
        unknown = [name for name in applied if name not in known]
        if unknown:
            raise StoreError(
                _(
                    "{path}: the database was written by a newer jsgj "
                    "(schema {schema}, this version knows {known}); upgrade jsgj"
                ).format(path=self.path, schema=len(applied), known=len(known))
            )
        return len(applied) < len(known)

    def _refuse_foreign(self) -> None:
        """A file is ours when it holds jsgj's migration records, or nothing at all (an
        empty file, or only an empty migrations table): anything else, tables, views,
        triggers or another program's migration records, is another program's."""
        table = MIGRATIONS_TABLE
        objects = [
            name
            for (name,) in self.db.execute(
                "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                "AND tbl_name != ? ORDER BY type = 'table' DESC, name",
                [table],
            )
        ]
        sets: list[str] = []
        if self.db.table_exists(table):
            try:
                sets = [
                    r[0] for r in self.db.execute(f"SELECT DISTINCT migration_set FROM [{table}]")
                ]
            except sqlite3.OperationalError:  # a table of that name, not sqlite-utils'
                sets = ["?"]
        if SET_NAME in sets:
            return
        held = objects[:3] or ([f"{table} ({', '.join(map(str, sets))})"] if sets else [])
        if held:
            raise StoreError(
                _("{path}: not a jsgj database (it holds {held})").format(
                    path=self.path, held=", ".join(held)
                )
            )

    def _use_wal(self) -> None:
        if self.db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            self.db.execute("PRAGMA journal_mode=WAL")

    def write(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` in one transaction (``BEGIN IMMEDIATE``; a savepoint when already in
        one): all of its writes or none.

        While another process holds the write lock, waits up to LOCK_WAIT_SECONDS (and
        says so through ``on_wait`` after two seconds), then refuses with a clear
        message. A full disk, a read-only directory or a file-size limit is told as such."""
        started = time.monotonic()
        for attempt in range(WRITE_ATTEMPTS):
            try:
                return self._transaction(fn, started)
            except sqlite3.Error as e:
                if not is_busy(e):
                    known = diagnose(self.path, e)
                    if known is None:
                        raise
                    raise known from e
                if attempt == WRITE_ATTEMPTS - 1:
                    raise busy(self.path, time.monotonic() - started) from e
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def _begin(self, started: float) -> None:
        """BEGIN IMMEDIATE, waiting for the write lock in short slices so that a long
        wait can be reported while it lasts."""
        conn = self.db.conn
        told = 0.0
        try:
            while True:
                waited = time.monotonic() - started
                left = LOCK_WAIT_SECONDS - waited
                conn.execute(
                    f"PRAGMA busy_timeout = {int(max(min(LOCK_POLL_SECONDS, left), 0) * 1000)}"
                )
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as e:
                    waited = time.monotonic() - started
                    if not is_busy(e):
                        raise
                    if waited >= LOCK_WAIT_SECONDS:
                        raise busy(self.path, waited) from e
                    if self.on_wait is not None and waited >= WAIT_NOTICE_SECONDS + told:
                        self.on_wait(waited)
                        told = waited - WAIT_NOTICE_SECONDS + 10.0
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")

    def _transaction(self, fn: Callable[[], T], started: float) -> T:
        conn = self.db.conn
        if conn.in_transaction:  # inside another write: a savepoint
            with self.db.atomic():
                return fn()
        # IMMEDIATE: take the write lock first, waiting while another process writes. A
        # deferred BEGIN reads first and upgrades to a writer later, and in WAL mode
        # that upgrade fails at once, whatever the timeout, when another process
        # committed in between (SQLITE_BUSY_SNAPSHOT): with eight clerks at once, every
        # retry could meet that.
        self._begin(started)
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

    def schema_version(self) -> int:
        return len(self._applied())

    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        return [dict(row) for row in self.db.query(sql, params)]

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
