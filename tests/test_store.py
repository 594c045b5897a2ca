"""The SQLite file: migrations from every earlier schema, refusing foreign and newer
files untouched, WAL, append-only event tables, all-or-nothing writes."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from conftest import Invoke
from jsgj import paths
from jsgj.catalog.catalog import Catalog
from jsgj.catalog.load import load_catalog
from jsgj.errors import StoreError
from jsgj.store.admin import check_database
from jsgj.store.db import Store
from jsgj.store.functions import register_functions
from jsgj.store.migrations import migration_names, migration_set
from jsgj.store.queries import task_states
from jsgj.store.tasks import record_progress
from jsgj.values import Status, frozen_today

EVENT_TABLES = ("task_revisions", "progress_reports")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(paths.measures_path(), paths.departments_path())


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def user_tables(db: Database) -> list[str]:
    return [
        t for t in db.table_names() if t != "_sqlite_migrations" and not t.startswith("sqlite_")
    ]


# Sample rows valid right after each migration, in that migration's own schema. A new
# migration must add its seed here, so that "data intact" keeps covering every version.
SEEDS: dict[str, list[str]] = {
    "m001_create_tasks": [
        """INSERT INTO tasks (id, measure, seq, parent_id, created_on, title, lead, co,
               start_date, due_date, cancelled, status, percent, last_report_id,
               last_report_date, report_count)
           VALUES ('7-1', 7, 1, NULL, '2025-01-06', '全面推行企业新型学徒制', 'hrss',
               '["trade_unions"]', '2025-01-06', '2025-12-31', 0, 'in_progress', 30, 1,
               '2025-01-10', 1)""",
        """INSERT INTO task_departments VALUES ('7-1', 'hrss', 'lead'),
               ('7-1', 'trade_unions', 'co')""",
        """INSERT INTO task_revisions (task_id, kind, recorded_at, recorded_on,
               effective_date, actor, os_user, reason, changes, title, lead, co, start_date,
               due_date, cancelled)
           VALUES ('7-1', 'create', '2025-01-06T09:00:00.000000+00:00', '2025-01-06',
               '2025-01-06', 'office', 'clerk', NULL, '{}', '全面推行企业新型学徒制', 'hrss',
               '["trade_unions"]', '2025-01-06', '2025-12-31', 0)""",
        """INSERT INTO progress_reports (id, task_id, recorded_at, recorded_on, report_date,
               reporter, os_user, status, percent, note, evidence, corrects, source)
           VALUES (1, '7-1', '2025-01-10T09:00:00.000000+00:00', '2025-01-10', '2025-01-10',
               'hrss', 'clerk', 'in_progress', 30, '分解下达培训任务', '苏人社发〔2025〕5号',
               NULL, 'cli')""",
    ],
    "m002_create_indicator_observations": [
        """INSERT INTO indicator_observations (indicator, region, observed_on, value, source,
               recorded_at, recorded_on, os_user)
           VALUES ('skilled_share_of_employed', 'province', '2024-12-31', 29.6, '统计公报',
               '2025-01-06T09:00:00+00:00', '2025-01-06', 'clerk')""",
    ],
    "m003_add_report_date_index": [
        """INSERT INTO progress_reports (id, task_id, recorded_at, recorded_on, report_date,
               reporter, os_user, status, percent, note, evidence, corrects, source)
           VALUES (2, '7-1', '2025-01-17T09:00:00.000000+00:00', '2025-01-17', '2025-01-17',
               'hrss', 'clerk', 'in_progress', 40, '完成首批学徒签约', NULL, NULL, 'cli')""",
    ],
    "m004_add_task_lifecycle": [
        """INSERT INTO progress_reports (id, task_id, recorded_at, recorded_on, report_date,
               reporter, os_user, status, percent, note, evidence, corrects, source, role)
           VALUES (3, '7-1', '2025-01-18T09:00:00.000000+00:00', '2025-01-18', '2025-01-18',
               'trade_unions', 'clerk', 'in_progress', 5, '工会配合宣传', NULL, NULL, 'cli',
               'co')""",
        """INSERT INTO task_events (task_id, kind, event_date, recorded_at, recorded_on, actor,
               os_user, contact_name, contact_phone)
           VALUES ('7-1', 'acknowledge', '2025-01-07', '2025-01-07T09:00:00.000000+00:00',
               '2025-01-07', 'hrss', 'clerk', '王晓明', '025-83790000')""",
    ],
    "m005_chain_events": [  # chained by the trigger, in the same statement
        """INSERT INTO progress_reports (id, task_id, recorded_at, recorded_on, report_date,
               reporter, os_user, status, percent, note, evidence, corrects, source)
           VALUES (4, '7-1', '2025-01-13T09:00:00.000000+00:00', '2025-01-13', '2025-01-13',
               'hrss', 'clerk', 'in_progress', 35, '第二批学徒签约', NULL, NULL, 'cli')""",
    ],
    "m006_create_tracked_document": [
        """INSERT INTO indicator_observations (indicator, region, observed_on, value, source,
               recorded_at, recorded_on, os_user)
           VALUES ('skilled_share_of_employed', 'province', '2025-06-30', 30.1, '统计快报',
               '2025-07-06T09:00:00+00:00', '2025-07-06', 'clerk')""",
    ],
    "m007_create_search_index": [
        """INSERT INTO task_revisions (task_id, kind, recorded_at, recorded_on,
               effective_date, actor, os_user, reason, changes, title, lead, co, start_date,
               due_date, cancelled)
           VALUES ('7-1', 'edit', '2025-01-20T09:00:00.000000+00:00', '2025-01-20',
               '2025-01-20', 'office', 'clerk', '协调培训用地后调整', '{}',
               '全面推行企业新型学徒制', 'hrss', '["trade_unions"]', '2025-01-06',
               '2025-12-31', 0)""",
    ],
    "m008_chase_count": [  # a 催办 recorded after the column exists
        """INSERT INTO task_events (task_id, kind, event_date, recorded_at, recorded_on, actor,
               os_user, method, note)
           VALUES ('7-1', 'chase', '2025-01-25', '2025-01-25T09:00:00.000000+00:00',
               '2025-01-25', 'office', 'clerk', '电话', '请按时报送')""",
    ],
}
DERIVED = ("tasks", "task_departments")
"""Recomputed from the events by m004 (and any later migration that changes the rules):
compared through ``db check`` rather than row for row."""


def test_every_migration_has_a_seed() -> None:
    missing = [name for name in migration_names() if name not in SEEDS]
    assert not missing, f"add sample rows for {missing} to SEEDS"


def test_an_empty_file_reaches_the_current_schema(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with Store.open(path, catalog) as store:
        assert store.schema_version() == len(migration_names())
        assert {"tasks", "task_departments", *EVENT_TABLES} <= set(store.db.table_names())
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_missing_file_is_created_with_its_directory(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "new" / "dir" / "jsgj.db"
    with Store.open(path, catalog) as store:
        assert store.schema_version() == len(migration_names())
    assert path.is_file()


def test_open_without_create_refuses_a_missing_file(tmp_path: Path, catalog: Catalog) -> None:
    with pytest.raises(StoreError, match="no such database"):
        Store.open(tmp_path / "nope.db", catalog, create=False)
    assert not (tmp_path / "nope.db").exists()


@pytest.mark.parametrize("stop", range(len(migration_names())))
def test_every_earlier_schema_reaches_the_current_one_with_data_intact(
    tmp_path: Path, catalog: Catalog, stop: int
) -> None:
    names = migration_names()
    path = tmp_path / f"v{stop}.db"
    db = Database(path)
    register_functions(db.conn)  # what Store.open does: the search index's triggers call it
    migration_set().apply(db, stop_before=names[stop])
    assert [m.name for m in migration_set().applied(db)] == names[:stop]
    for name in names[:stop]:
        for sql in SEEDS[name]:
            db.execute(sql)
    db.conn.commit()
    before = {
        t: sorted(map(tuple, db.execute(f"SELECT * FROM [{t}]")), key=repr) for t in user_tables(db)
    }
    columns = {t: [c.name for c in db[t].columns] for t in before}
    db.close()

    with Store.open(path, catalog) as store:
        assert store.schema_version() == len(names)
        for table, rows in before.items():
            if table in DERIVED and stop <= names.index("m004_add_task_lifecycle"):
                continue
            if table == "tracked_document":  # bound to the catalogue by Store.open
                continue
            cols = ", ".join(f"[{c}]" for c in columns[table])
            after = sorted(map(tuple, store.db.execute(f"SELECT {cols} FROM [{table}]")), key=repr)
            assert after == rows, table
        rederived = stop <= names.index("m004_add_task_lifecycle")
        if rederived:  # m004 derived the tables afresh from the events: they agree
            assert check_database(store) == []
        if stop >= 1:  # the seeded task is usable: listed, and takes a new report
            states = task_states(store)
            # the lead's latest report: 30% (m001's seed) or 40% (m003's); the co
            # department's 5% (m004's) is a contribution and changes nothing
            # (the seeds write events without the derived rows; only m004 rederives them)
            expected = 40 if rederived and stop > names.index("m003_add_report_date_index") else 30
            assert [(s.id, s.percent) for s in states] == [("7-1", expected)]
            with frozen_today(dt.date(2025, 1, 17)):
                record_progress(
                    store, "7-1", status=Status.in_progress, percent=40, note="第二周", by="hrss"
                )
            assert task_states(store)[0].percent == 40


def test_reopening_a_current_file_changes_nothing(db_path: Path, catalog: Catalog) -> None:
    Store.open(db_path, catalog).close()
    before = fingerprint(db_path)
    Store.open(db_path, catalog).close()
    assert fingerprint(db_path) == before


def test_a_newer_database_is_refused_untouched(
    db_path: Path, catalog: Catalog, jsgj: Invoke
) -> None:
    with Store.open(db_path, catalog) as store:
        store.db.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('jsgj', 'm999_from_the_future', '2030-01-01')"
        )
    before = fingerprint(db_path)
    known = len(migration_names())
    with pytest.raises(StoreError, match="written by a newer jsgj") as caught:
        Store.open(db_path, catalog)
    assert caught.value.exit_code == 1
    assert f"schema {known + 1}, this version knows {known}" in str(caught.value)
    result = jsgj("tasks", "list")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"jsgj: error: {db_path}: the database was written by a newer jsgj "
        f"(schema {known + 1}, this version knows {known}); upgrade jsgj"
    ]
    assert fingerprint(db_path) == before


@pytest.mark.parametrize(
    "content",
    [b"hello, this is a spreadsheet, not a database\n" * 20, bytes(range(256)) * 8],
    ids=["text", "binary"],
)
def test_a_file_that_is_not_sqlite_is_refused_untouched(
    db_path: Path, jsgj: Invoke, content: bytes
) -> None:
    db_path.write_bytes(content)
    result = jsgj("db", "info")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"jsgj: error: {db_path}: not a jsgj database (file is not a database)"
    ]
    assert db_path.read_bytes() == content
    assert sorted(p.name for p in db_path.parent.iterdir() if p.name.startswith("jsgj.db")) == [
        "jsgj.db"
    ]


def test_another_programs_sqlite_file_is_refused_untouched(db_path: Path, jsgj: Invoke) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE people (name TEXT)")
    conn.execute("INSERT INTO people VALUES ('张三')")
    conn.commit()
    conn.close()
    before = fingerprint(db_path)
    result = jsgj("assign", "7", "--title", "x")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"jsgj: error: {db_path}: not a jsgj database (it holds people)"
    ]
    assert fingerprint(db_path) == before  # not even switched to WAL


def test_a_directory_is_refused(tmp_path: Path, catalog: Catalog) -> None:
    with pytest.raises(StoreError, match="is a directory"):
        Store.open(tmp_path, catalog)


@pytest.mark.parametrize("table", EVENT_TABLES)
@pytest.mark.parametrize("statement", ["UPDATE {t} SET os_user = 'x'", "DELETE FROM {t}"])
def test_event_tables_are_append_only(
    db_path: Path, catalog: Catalog, table: str, statement: str
) -> None:
    from jsgj.store.tasks import assign

    with Store.open(db_path, catalog) as store:
        assign(store, 7, "全面推行企业新型学徒制")
        record_progress(store, "7-1", status=Status.in_progress, percent=10, note="启动")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            store.write(lambda: store.db.execute(statement.format(t=table)))
        assert store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 1
        assert store.db.execute(f"SELECT os_user FROM {table}").fetchone()[0] == "tester"


def test_a_write_is_all_or_nothing(db_path: Path, catalog: Catalog) -> None:
    from jsgj.store.tasks import assign

    with Store.open(db_path, catalog) as store:
        assign(store, 7, "全面推行企业新型学徒制")

        def half() -> None:
            store.db.execute("INSERT INTO task_departments VALUES ('7-1', 'sasac', 'co')")
            raise RuntimeError("crash half-way")

        with pytest.raises(RuntimeError):
            store.write(half)
        rows = store.query("SELECT department_id FROM task_departments ORDER BY 1")
        assert [r["department_id"] for r in rows] == ["hrss"]


def test_a_busy_database_is_retried_then_refused(
    db_path: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jsgj.store.db as dbmod

    monkeypatch.setattr(dbmod.time, "sleep", lambda _s: None)
    calls: list[int] = []

    def busy() -> None:
        calls.append(1)
        raise sqlite3.OperationalError("database is locked")

    with Store.open(db_path, catalog) as store:
        with pytest.raises(StoreError, match="another process held the database's write lock"):
            store.write(busy)
    assert len(calls) == dbmod.WRITE_ATTEMPTS

    attempts: list[int] = []

    def flaky() -> str:
        attempts.append(1)
        if len(attempts) < 3:
            raise sqlite3.OperationalError("database is locked")
        return "done"

    with Store.open(db_path, catalog) as store:
        assert store.write(flaky) == "done"
