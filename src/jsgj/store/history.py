"""Reading the event logs: one task's history, the reports and lifecycle events dated
in a range, and the size of each log. Each read keeps only what ``when`` knew
(``jsgj.tasks.when``); a task's state itself is ``store.queries``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from jsgj.store.db import Store
from jsgj.store.queries import as_when, task_state
from jsgj.tasks.history import Report, Revision, TaskEvent, TaskHistory
from jsgj.tasks.records import DATES, EventKind, Role, built
from jsgj.tasks.when import When
from jsgj.values import Status


def task_history(store: Store, task_id: str, when: When | dt.date | None = None) -> TaskHistory:
    when = as_when(when)
    task = task_state(store, task_id, when)
    params = {"t": task.id, **when.params()}
    kt = "AND recorded_at <= :kt" if when.by_timestamp else ""
    revisions = tuple(
        Revision(
            id=r["id"],
            task_id=r["task_id"],
            kind=r["kind"],
            recorded_at=r["recorded_at"],
            recorded_on=dt.date.fromisoformat(r["recorded_on"]),
            effective_date=dt.date.fromisoformat(r["effective_date"]),
            actor=r["actor"],
            os_user=r["os_user"],
            reason=r["reason"],
            changes=json.loads(r["changes"]),
        )
        for r in store.query(
            f"""SELECT * FROM task_revisions WHERE task_id = :t AND recorded_on <= :kd {kt}
                AND (effective_date <= :d OR kind = 'create') ORDER BY id""",
            params,
        )
    )
    rows = store.db.conn.execute(
        f"""SELECT {REPORT_COLUMNS} FROM progress_reports WHERE task_id = :t
            AND recorded_on <= :kd {kt} AND report_date <= :d ORDER BY id""",
        params,
    ).fetchall()
    corrected_by = {r[_CORRECTS]: r[0] for r in rows if r[_CORRECTS] is not None}
    reports = tuple(_report(r, corrected_by.get(r[0])) for r in rows)
    events = tuple(
        _event(r)
        for r in store.query(
            f"""SELECT * FROM task_events WHERE task_id = :t AND recorded_on <= :kd {kt}
                AND event_date <= :d ORDER BY id""",
            params,
        )
    )
    return TaskHistory(task, revisions, reports, events)


REPORT_COLUMNS = (
    "id, task_id, recorded_at, recorded_on, report_date, reporter, os_user, status, "
    "percent, note, evidence, corrects, role"
)
"""The columns a Report holds (not the import's source and fingerprint), in the order
``_report`` reads a row: tuples, not dicts keyed by name (a week's reports of a
province are ~1,700; issue 15)."""
_CORRECTS = REPORT_COLUMNS.split(", ").index("corrects")
P_COLUMNS = ", ".join(f"p.{c}" for c in REPORT_COLUMNS.split(", "))
"""``REPORT_COLUMNS`` of the table aliased ``p``."""
_STATUS = {s.value: s for s in Status}
_ROLE = {r.value: r for r in Role}
"""The enums by value: a subscript, where calling the enum costs ~1 us (a task's
history holds hundreds of reports; issue 15)."""


def _report(row: Sequence[Any], corrected_by: int | None) -> Report:
    """A report from a row of ``REPORT_COLUMNS``."""
    (
        report_id, task_id, recorded_at, recorded_on, report_date, reporter, os_user,
        status, percent, note, evidence, corrects, role,
    ) = row  # fmt: skip
    return built(
        Report,
        {
            "id": report_id,
            "task_id": task_id,
            "recorded_at": recorded_at,
            "recorded_on": DATES[recorded_on],
            "report_date": DATES[report_date],
            "reporter": reporter,
            "os_user": os_user,
            "status": _STATUS[status],
            "percent": percent,
            "note": note,
            "evidence": evidence,
            "corrects": corrects,
            "corrected_by": corrected_by,
            "role": _ROLE[role],
        },
    )


def _event(r: dict[str, Any]) -> TaskEvent:
    return TaskEvent(
        id=r["id"],
        task_id=r["task_id"],
        kind=EventKind(r["kind"]),
        event_date=dt.date.fromisoformat(r["event_date"]),
        recorded_at=r["recorded_at"],
        recorded_on=dt.date.fromisoformat(r["recorded_on"]),
        actor=r["actor"],
        os_user=r["os_user"],
        note=r["note"],
        report_id=r["report_id"],
        percent=r["percent"],
        contact_name=r["contact_name"],
        contact_phone=r["contact_phone"],
        method=r["method"],
    )


def reports_between(
    store: Store, start: dt.date, end: dt.date, when: When | dt.date | None = None
) -> list[Report]:
    """Reports whose report date falls in [start, end], as known on ``when``."""
    when = as_when(when)
    kt = "AND p.recorded_at <= :kt" if when.by_timestamp else ""
    kt_c = "AND c.recorded_at <= :kt" if when.by_timestamp else ""
    rows = store.db.conn.execute(
        f"""SELECT {P_COLUMNS}, (SELECT c.id FROM progress_reports c
                         WHERE c.corrects = p.id AND c.recorded_on <= :kd {kt_c}) AS corrected_by
            FROM progress_reports p
            WHERE p.report_date BETWEEN :s AND :e AND p.recorded_on <= :kd {kt}
            ORDER BY p.report_date, p.id""",
        {"s": start.isoformat(), "e": end.isoformat(), **when.params()},
    )
    return [_report(r[:-1], r[-1]) for r in rows]


def events_between(
    store: Store, start: dt.date, end: dt.date, when: When | None = None
) -> list[TaskEvent]:
    """Lifecycle events dated in [start, end], as known on ``when``."""
    when = when or When()
    kt = "AND recorded_at <= :kt" if when.by_timestamp else ""
    return [
        _event(r)
        for r in store.query(
            f"""SELECT * FROM task_events WHERE event_date BETWEEN :s AND :e
                AND recorded_on <= :kd {kt} ORDER BY event_date, id""",
            {"s": start.isoformat(), "e": end.isoformat(), **when.params()},
        )
    ]


def counts(store: Store) -> dict[str, int]:
    out = {}
    for table in ("tasks", "task_revisions", "progress_reports", "task_events"):
        out[table] = store.db.execute(f"SELECT COUNT(*) FROM [{table}]").fetchone()[0]
    return out
