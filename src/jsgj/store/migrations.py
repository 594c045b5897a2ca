"""The versioned SQLite schema, as sqlite-utils ``Migrations``.

Rules: a migration that has landed is never edited; a change is a new ``m00N_verb_noun``
function appended at the end. Each runs in a transaction with its record in
``_sqlite_migrations`` (sqlite-utils does that), so a failed migration leaves the
file as it was.

Design: ``task_revisions`` and ``progress_reports`` are append-only event logs
(triggers refuse UPDATE and DELETE). ``tasks`` and ``task_departments`` are derived
from them in the same transaction as each event, for fast current-state queries;
``--as-of`` queries read the event logs directly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Migrations

Database = Any  # sqlite_utils.Database; the package ships without type hints

SET_NAME = "jsgj"
"""The sqlite-utils migration set: the ``migration_set`` of jsgj's records."""
MIGRATIONS_TABLE = "_sqlite_migrations"
"""Where sqlite-utils records applied migrations (``Migrations.migrations_table``)."""

# The steps in order. They are registered with sqlite-utils only when a migration is
# applied (``migration_set``): opening an up-to-date database reads the applied names
# with plain sqlite3 and never imports sqlite-utils (issue 15, start-up).
_STEPS: list[Callable[[Database], None]] = []


def _step(fn: Callable[[Database], None]) -> Callable[[Database], None]:
    _STEPS.append(fn)
    return fn


def _run(db: Database, script: str) -> None:
    # Statement by statement: sqlite3's executescript() would COMMIT the migration's
    # transaction first, and a failure half-way would leave half a schema.
    for statement in script.split(";\n"):
        if statement.strip():
            db.execute(statement)


def _append_only(db: Database, table: str) -> None:
    for action in ("UPDATE", "DELETE"):
        db.execute(
            f"""CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table}
            BEGIN SELECT RAISE(ABORT, '{table} is append-only: record a new event instead'); END"""
        )


@_step
def m001_create_tasks(db: Database) -> None:
    _run(
        db,
        """
        CREATE TABLE tasks (
            id TEXT PRIMARY KEY,            -- '7-3', or '1-2.nanjing' for a city's share
            measure INTEGER NOT NULL,
            seq INTEGER NOT NULL,           -- the 3 of '7-3'
            parent_id TEXT REFERENCES tasks(id),
            created_on TEXT NOT NULL,
            -- derived: the latest revision
            title TEXT NOT NULL,
            lead TEXT NOT NULL,
            co TEXT NOT NULL DEFAULT '[]',  -- JSON array of department ids
            start_date TEXT,
            due_date TEXT,
            cancelled INTEGER NOT NULL DEFAULT 0,
            -- derived: the latest valid progress report
            status TEXT NOT NULL DEFAULT 'not_started',
            percent INTEGER NOT NULL DEFAULT 0,
            last_report_id INTEGER,
            last_report_date TEXT,
            report_count INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX tasks_measure_seq ON tasks(measure, seq);
        CREATE INDEX tasks_parent ON tasks(parent_id);

        CREATE TABLE task_departments (  -- derived: who is responsible, for filtering
            task_id TEXT NOT NULL REFERENCES tasks(id),
            department_id TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('lead', 'co')),
            PRIMARY KEY (task_id, department_id)
        ) WITHOUT ROWID;
        CREATE INDEX task_departments_department ON task_departments(department_id, task_id);

        CREATE TABLE task_revisions (    -- events: create, edit, cancel
            id INTEGER PRIMARY KEY,
            task_id TEXT NOT NULL REFERENCES tasks(id),
            kind TEXT NOT NULL CHECK (kind IN ('create', 'edit', 'cancel')),
            recorded_at TEXT NOT NULL,   -- UTC timestamp
            recorded_on TEXT NOT NULL,   -- local date of recording: what --as-of compares
            effective_date TEXT NOT NULL,
            actor TEXT NOT NULL,         -- department id or 'office'
            os_user TEXT NOT NULL,
            reason TEXT,
            changes TEXT NOT NULL DEFAULT '{}',  -- JSON {field: [before, after]}
            -- the task's whole definition after this event
            title TEXT NOT NULL,
            lead TEXT NOT NULL,
            co TEXT NOT NULL,
            start_date TEXT,
            due_date TEXT,
            cancelled INTEGER NOT NULL
        );
        CREATE INDEX task_revisions_task ON task_revisions(task_id, recorded_on, id);

        CREATE TABLE progress_reports (  -- events: what departments report
            id INTEGER PRIMARY KEY,
            task_id TEXT NOT NULL REFERENCES tasks(id),
            recorded_at TEXT NOT NULL,
            recorded_on TEXT NOT NULL,
            report_date TEXT NOT NULL,   -- the date the report is about
            reporter TEXT NOT NULL,      -- department id or 'office'
            os_user TEXT NOT NULL,
            status TEXT NOT NULL
                CHECK (status IN ('not_started', 'in_progress', 'done', 'blocked')),
            percent INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
            note TEXT NOT NULL,
            evidence TEXT,
            corrects INTEGER REFERENCES progress_reports(id),
            source TEXT,                 -- 'cli', or the imported file and row
            fingerprint TEXT             -- set by imports: the same row is never recorded twice
        );
        CREATE INDEX progress_reports_task ON progress_reports(task_id, recorded_on, report_date);
        CREATE INDEX progress_reports_corrects ON progress_reports(corrects)
            WHERE corrects IS NOT NULL;
        CREATE INDEX progress_reports_recorded ON progress_reports(recorded_on);
        CREATE UNIQUE INDEX progress_reports_fingerprint ON progress_reports(fingerprint)
            WHERE fingerprint IS NOT NULL;
        """,
    )
    _append_only(db, "task_revisions")
    _append_only(db, "progress_reports")


@_step
def m002_create_indicator_observations(db: Database) -> None:
    _run(
        db,
        """
        CREATE TABLE indicator_observations (  -- events: one measured value each
            id INTEGER PRIMARY KEY,
            indicator TEXT NOT NULL,
            region TEXT NOT NULL,          -- 'province', or a city government's id
            observed_on TEXT NOT NULL,     -- the date the value is for
            value REAL NOT NULL,
            source TEXT NOT NULL,          -- where the figure comes from
            recorded_at TEXT NOT NULL,
            recorded_on TEXT NOT NULL,
            os_user TEXT NOT NULL
        );
        CREATE INDEX indicator_observations_series
            ON indicator_observations(indicator, region, observed_on)
        """,
    )
    _append_only(db, "indicator_observations")


@_step
def m003_add_report_date_index(db: Database) -> None:
    # The weekly report reads one week of reports (reports_between: report_date BETWEEN
    # the week's Monday and Sunday, in report_date, id order). Without this index that
    # is a scan of every report ever made; with it, a range search already in order.
    db.execute("CREATE INDEX progress_reports_report_date ON progress_reports(report_date)")


@_step
def m004_add_task_lifecycle(db: Database) -> None:
    """Roles and the 督办 lifecycle (签收, 申请办结, 审核销号).

    * ``progress_reports.role``: 'lead' and 'office' reports set a task's progress; a
      'co' report is a contribution (配合). Existing reports get the role their
      reporter had: the office, the task's lead, else co.
    * ``task_events``: 签收 (acknowledge, with the contact), 审核 (approve / return a
      claim, naming the report), 催办 (chase). Append-only.
    * Existing reports of 已完成 by a lead or the office count as approved: each gets an
      'approve' event recorded when the report was, by the office, saying so.
    * ``task_revisions`` carries the task's urgency (缓急) and source (来源).
    * ``tasks`` gains the derived lifecycle columns; all are recomputed from the events.
    """
    _run(
        db,
        """
        ALTER TABLE progress_reports ADD COLUMN role TEXT NOT NULL DEFAULT 'lead'
            CHECK (role IN ('lead', 'co', 'office'));
        DROP TRIGGER progress_reports_no_update;
        UPDATE progress_reports SET role = CASE
            WHEN reporter = 'office' THEN 'office'
            WHEN reporter = (SELECT t.lead FROM tasks t WHERE t.id = progress_reports.task_id)
                THEN 'lead'
            ELSE 'co' END;
        DROP INDEX progress_reports_task;
        CREATE INDEX progress_reports_task
            ON progress_reports(task_id, report_date, recorded_on, role);
        ALTER TABLE task_revisions ADD COLUMN urgency TEXT NOT NULL DEFAULT 'normal'
            CHECK (urgency IN ('normal', 'urgent', 'very_urgent'));
        ALTER TABLE task_revisions ADD COLUMN source TEXT;
        CREATE TABLE task_events (
            id INTEGER PRIMARY KEY,
            task_id TEXT NOT NULL REFERENCES tasks(id),
            kind TEXT NOT NULL CHECK (kind IN ('acknowledge', 'approve', 'return', 'chase')),
            event_date TEXT NOT NULL,    -- the date the step is about
            recorded_at TEXT NOT NULL,
            recorded_on TEXT NOT NULL,
            actor TEXT NOT NULL,         -- department id or 'office'
            os_user TEXT NOT NULL,
            note TEXT,                   -- a return's reason, a chase's note
            report_id INTEGER REFERENCES progress_reports(id),  -- the claim reviewed
            percent INTEGER CHECK (percent BETWEEN 0 AND 100),   -- a return: back to
            contact_name TEXT,           -- 签收: the contact person (联络员)
            contact_phone TEXT,
            method TEXT,                 -- 催办: 电话, 书面, 系统
            source TEXT,
            fingerprint TEXT
        );
        CREATE INDEX task_events_task ON task_events(task_id, kind, event_date);
        CREATE INDEX task_events_report ON task_events(report_id) WHERE report_id IS NOT NULL;
        CREATE UNIQUE INDEX task_events_fingerprint ON task_events(fingerprint)
            WHERE fingerprint IS NOT NULL;
        INSERT INTO task_events (task_id, kind, event_date, recorded_at, recorded_on, actor,
                                 os_user, note, report_id)
            SELECT task_id, 'approve', report_date, recorded_at, recorded_on, 'office',
                   'jsgj-upgrade', '升级前报告的“已完成”视为已审核销号', id
            FROM progress_reports WHERE status = 'done' AND role != 'co' ORDER BY id;
        ALTER TABLE tasks ADD COLUMN urgency TEXT NOT NULL DEFAULT 'normal';
        ALTER TABLE tasks ADD COLUMN source TEXT;
        ALTER TABLE tasks ADD COLUMN contribution_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE tasks ADD COLUMN acknowledged_on TEXT;
        ALTER TABLE tasks ADD COLUMN contact TEXT;
        ALTER TABLE tasks ADD COLUMN claim_date TEXT;
        ALTER TABLE tasks ADD COLUMN returned_reason TEXT;
        ALTER TABLE tasks ADD COLUMN original_due_date TEXT;
        ALTER TABLE tasks ADD COLUMN extension_reason TEXT
        """,
    )
    db.execute(
        """CREATE TRIGGER progress_reports_no_update BEFORE UPDATE ON progress_reports
        BEGIN SELECT RAISE(ABORT, 'progress_reports is append-only: record a new event instead');
        END"""
    )
    _append_only(db, "task_events")
    from jsgj.store.derived import refresh_all

    refresh_all(db.conn)


@_step
def m005_chain_events(db: Database) -> None:
    # A hash chain over every append-only event table (jsgj.store.chain): the events
    # already recorded are chained first, then triggers chain each new one and refuse
    # REPLACE. Inserting an event now needs the SQL function jsgj_sha256 on the connection.
    from jsgj.store.chain import create_chain

    create_chain(db)


@_step
def m006_create_tracked_document(db: Database) -> None:
    # Which document the database tracks: its number and a hash of its measures'
    # numbering. Filled by Store.open from the catalogue in the same transaction (the
    # migration cannot see the catalogue); another document's measures file is refused.
    _run(
        db,
        """
        CREATE TABLE tracked_document (
            id INTEGER PRIMARY KEY CHECK (id = 1),  -- one row
            number TEXT NOT NULL,           -- e.g. 苏政办发〔2024〕37号
            measures INTEGER NOT NULL,      -- how many measures
            numbering TEXT NOT NULL,        -- sha256 of the measure and section numbers
            bound_at TEXT NOT NULL          -- UTC timestamp
        )
        """,
    )
    _append_only(db, "tracked_document")


@_step
def m007_create_search_index(db: Database) -> None:
    # Full-text search (jsgj search): task titles and edit/cancel reasons, progress notes
    # and evidence, 签收/审核/催办 notes, each indexed by a trigger as it is recorded (see
    # store/search.py).
    from jsgj.store.search import create_index, source_named

    create_index(db, source_named("task_revisions"))
    create_index(db, source_named("progress_reports"))
    create_index(db, source_named("task_events"))


@_step
def m008_chase_count(db: Database) -> None:
    # 催办 as an act: each task's derived count of chases (task_events kind 'chase'),
    # which escalates 一次催办 -> 二次催办 -> 通报点名 (data/lights.yaml chase_escalation).
    # No command recorded chases before this one, so every count starts at 0.
    _run(db, "ALTER TABLE tasks ADD COLUMN chase_count INTEGER NOT NULL DEFAULT 0")


def migration_names() -> list[str]:
    """Every migration this version of jsgj knows, in order."""
    return [fn.__name__ for fn in _STEPS]


_SET: list[Migrations] = []


def migration_set() -> Migrations:
    """The steps as a sqlite-utils ``Migrations`` set (imports sqlite-utils)."""
    if not _SET:
        from sqlite_utils import Migrations

        found = Migrations(SET_NAME)
        assert found.migrations_table == MIGRATIONS_TABLE
        for fn in _STEPS:
            found()(fn)
        _SET.append(found)
    return _SET[0]
