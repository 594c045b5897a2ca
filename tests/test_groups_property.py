"""The groups SQLite counts (``store.aggregates.task_groups``: each task's light in
SQL, added up per group) are the groups of the Python rule (``task_line`` then
``reports.groups.groups_of``) on any derived table: Hypothesis draws tasks with any
status, percent, dates (start, due, last report, acknowledgement, around the day of
the view), cancellation, city shares, co departments, thresholds and reported set."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from types import SimpleNamespace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jsgj.reports.groups import groups_of
from jsgj.status import Thresholds
from jsgj.store.aggregates import task_groups
from jsgj.store.queries import current_sql, families, tagged_states
from jsgj.tasks.line import task_line
from jsgj.values import Status
from report_helpers import fresh_catalog

CATALOG = fresh_catalog()
DEPARTMENTS = [d.id for d in CATALOG.departments][:6]
ON = dt.date(2025, 6, 15)

TASKS_TABLE = """
CREATE TABLE tasks (
    id TEXT PRIMARY KEY, measure INTEGER NOT NULL, seq INTEGER NOT NULL,
    parent_id TEXT, created_on TEXT NOT NULL, title TEXT NOT NULL, lead TEXT NOT NULL,
    co TEXT NOT NULL DEFAULT '[]', start_date TEXT, due_date TEXT,
    cancelled INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL DEFAULT 'not_started',
    percent INTEGER NOT NULL DEFAULT 0, last_report_id INTEGER, last_report_date TEXT,
    report_count INTEGER NOT NULL DEFAULT 0, urgency TEXT NOT NULL DEFAULT 'normal',
    source TEXT, contribution_count INTEGER NOT NULL DEFAULT 0, acknowledged_on TEXT,
    contact TEXT, claim_date TEXT, returned_reason TEXT, original_due_date TEXT,
    extension_reason TEXT, chase_count INTEGER NOT NULL DEFAULT 0
)
"""


def days_around(span: int) -> st.SearchStrategy[dt.date]:
    return st.integers(-span, span).map(lambda n: ON + dt.timedelta(days=n))


def maybe(s: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | s


task = st.fixed_dictionaries(
    {
        "measure": st.integers(1, 3),
        "city": st.booleans(),
        "lead": st.sampled_from(DEPARTMENTS),
        "co": st.lists(st.sampled_from(DEPARTMENTS), max_size=2, unique=True),
        "created_on": days_around(400),
        "start_date": maybe(days_around(400)),
        "due_date": maybe(days_around(400)),
        "cancelled": st.booleans(),
        "status": st.sampled_from([s.value for s in Status]),
        "percent": st.integers(0, 100),
        "last_report_date": maybe(days_around(120)),
        "acknowledged_on": maybe(days_around(60)),
    }
)


def derived_table(tasks: list[dict[str, Any]]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute(TASKS_TABLE)
    for seq, t in enumerate(tasks, 1):
        iso = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in t.items()}
        conn.execute(
            """INSERT INTO tasks (id, measure, seq, parent_id, created_on, title, lead, co,
                   start_date, due_date, cancelled, status, percent, last_report_date,
                   acknowledged_on)
               VALUES (?, ?, ?, ?, ?, '任务', ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                f"{t['measure']}-{seq}",
                t["measure"],
                seq,
                # a city's share whose fan-out parent is not in the table: the parent's
                # own row is the aggregate of its shares, which random rows are not
                f"{t['measure']}-0" if t["city"] else None,
                iso["created_on"],
                t["lead"],
                json.dumps(t["co"]),
                iso["start_date"],
                iso["due_date"],
                int(t["cancelled"]),
                t["status"],
                t["percent"],
                iso["last_report_date"],
                iso["acknowledged_on"],
            ],
        )
    return conn


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tasks=st.lists(task, min_size=1, max_size=25),
    on=days_around(30),
    pace=st.integers(0, 30),
    soon=st.integers(0, 30),
    stalled=st.integers(1, 60),
    ack=st.integers(0, 10),
    every=st.integers(1, 4),
)
def test_sql_groups_are_the_rule_s_groups(
    tasks: list[dict[str, Any]],
    on: dt.date,
    pace: int,
    soon: int,
    stalled: int,
    ack: int,
    every: int,
) -> None:
    thresholds = Thresholds(
        pace_margin=pace, due_soon_days=soon, stalled_days=stalled, ack_days=ack
    )
    conn = derived_table(tasks)
    states = [s for s, _ in families(tagged_states(conn.execute(current_sql())))]
    lines = [task_line(CATALOG, s, on, thresholds) for s in states]
    reported = {x.id for x in lines[::every]}
    store: Any = SimpleNamespace(db=SimpleNamespace(conn=conn))
    assert task_groups(store, on, thresholds, reported) == groups_of(lines, reported)
