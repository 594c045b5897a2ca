"""Reading: task states (now, or on a date by what was known when) and histories.

Two time axes (see ``jsgj.tasks.when``): ``as_of`` picks the state on a date by the
dates reports and events are about; ``known_on`` keeps only what had been recorded by
then. The current view reads the derived ``tasks`` table; any other reads the event
logs through ``STATE_SQL``, the one derivation of a task's state from its events,
which ``store.derived`` also uses to refresh the derived table and ``db check`` to
prove it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jsgj.store.db import Store
from jsgj.tasks.aggregate import with_children
from jsgj.tasks.ids import not_found, parse_task_id
from jsgj.tasks.records import (
    EventKind,
    Report,
    Revision,
    Role,
    TaskEvent,
    TaskHistory,
    TaskState,
    Urgency,
    to_date,
)
from jsgj.tasks.when import When
from jsgj.values import Status

if TYPE_CHECKING:
    from jsgj.tasks.filters import TaskFilter

COLUMNS = (
    "id", "measure", "seq", "parent_id", "created_on", "title", "lead", "co", "start_date",
    "due_date", "cancelled", "urgency", "source", "status", "percent", "last_report_id",
    "last_report_date", "report_count", "contribution_count", "acknowledged_on", "contact",
    "claim_date", "returned_reason", "original_due_date", "extension_reason", "chase_count",
)  # fmt: skip
"""The derived columns of a task, in the order every state query returns them."""

_CURRENT_SQL = f"""
SELECT {", ".join(COLUMNS)} FROM tasks {{where}}
ORDER BY measure, seq, parent_id IS NOT NULL, rowid
"""

# The definition: the latest revision dated by :d (else the first: a task entered
# late but started earlier), and the first revision for the original due date.
# The progress: the valid reports (no correction known replaces them) dated by :d,
# grouped by task in one pass over the index progress_reports_task (task_id,
# report_date, recorded_on, role); the latest lead or office report is the greatest
# report_date, then id (a report_date is always 10 characters). A latest report of
# 已完成 is a claim: the latest review of it decides (approve: done; return: back in
# progress at the percent the office gave), else it awaits review.
STATE_SQL = """
WITH rev AS (
    SELECT task_id, COALESCE(MAX(CASE WHEN effective_date <= :d THEN id END), MIN(id)) AS id,
           MIN(id) AS first_id
    FROM task_revisions
    WHERE recorded_on <= :kd {kt} {family}
    GROUP BY task_id
),
valid AS (
    SELECT p.task_id, SUM(p.role != 'co') AS report_count,
           SUM(p.role = 'co') AS contribution_count,
           MAX(CASE WHEN p.role != 'co' THEN p.report_date || printf('%012d', p.id) END)
               AS latest
    FROM progress_reports p
    WHERE p.report_date <= :d AND p.recorded_on <= :kd {kt_p} {family_p}
      AND p.id NOT IN (
          SELECT c.corrects FROM progress_reports c
          WHERE c.corrects IS NOT NULL AND +c.recorded_on <= :kd {kt_c} {family_c}
      )
    GROUP BY p.task_id
)
SELECT t.id, t.measure, t.seq, t.parent_id, t.created_on, r.title, r.lead, r.co,
       r.start_date, r.due_date, r.cancelled, r.urgency, r.source,
       CASE WHEN l.status = 'done' THEN CASE v.kind WHEN 'approve' THEN 'done'
            WHEN 'return' THEN 'in_progress' ELSE 'pending_review' END
            ELSE COALESCE(l.status, 'not_started') END AS status,
       CASE WHEN l.status = 'done' AND v.kind = 'return' THEN v.percent
            ELSE COALESCE(l.percent, 0) END AS percent,
       l.id AS last_report_id, l.report_date AS last_report_date,
       COALESCE(k.report_count, 0) AS report_count,
       COALESCE(k.contribution_count, 0) AS contribution_count,
       a.event_date AS acknowledged_on,
       CASE WHEN a.id IS NOT NULL THEN trim(COALESCE(a.contact_name, '') || ' ' ||
            COALESCE(a.contact_phone, '')) END AS contact,
       CASE WHEN l.status = 'done' AND v.kind IS NOT 'return' THEN l.report_date END
           AS claim_date,
       CASE WHEN l.status = 'done' AND v.kind = 'return' THEN v.note END AS returned_reason,
       CASE WHEN f.due_date IS NOT NULL AND f.due_date IS NOT r.due_date THEN f.due_date END
           AS original_due_date,
       CASE WHEN f.due_date IS NOT NULL AND f.due_date IS NOT r.due_date THEN (
           SELECT x.reason FROM task_revisions x
           WHERE x.task_id = t.id AND x.id <= r.id AND x.kind = 'edit'
             AND json_extract(x.changes, '$.due_date') IS NOT NULL
           ORDER BY x.id DESC LIMIT 1) END AS extension_reason,
       (SELECT COUNT(*) FROM task_events e
        WHERE e.task_id = t.id AND e.kind = 'chase'
          AND e.event_date <= :d AND e.recorded_on <= :kd {kt_e}) AS chase_count
FROM rev
JOIN task_revisions r ON r.id = rev.id
JOIN task_revisions f ON f.id = rev.first_id
JOIN tasks t ON t.id = rev.task_id
LEFT JOIN valid k ON k.task_id = t.id
LEFT JOIN progress_reports l ON l.id = CAST(substr(k.latest, 11) AS INTEGER)
LEFT JOIN task_events v ON v.id = (
    SELECT MAX(e.id) FROM task_events e
    WHERE e.report_id = l.id AND e.kind IN ('approve', 'return')
      AND e.event_date <= :d AND e.recorded_on <= :kd {kt_e})
LEFT JOIN task_events a ON a.id = (
    SELECT MAX(e.id) FROM task_events e
    WHERE e.task_id = t.id AND e.kind = 'acknowledge'
      AND e.event_date <= :d AND e.recorded_on <= :kd {kt_e})
WHERE min(COALESCE(r.start_date, t.created_on), t.created_on) <= :d
ORDER BY t.measure, t.seq, t.parent_id IS NOT NULL, t.rowid
"""


def as_when(when: When | dt.date | None) -> When:
    """A view's time axes; a plain date means the view as it was seen on that date
    (both axes on it: what a report printed that day showed)."""
    if when is None:
        return When()
    if isinstance(when, When):
        return when
    return When(as_of=when, known_on=when)


_FAMILY = "task_id IN (SELECT id FROM tasks WHERE id IN ({ids}) OR parent_id IN ({ids}))"


def state_sql(*, by_timestamp: bool = False, families: str | None = None) -> str:
    """``STATE_SQL`` for a view. ``families``: an SQL expression listing task ids
    (e.g. ``:f`` or ``SELECT value FROM json_each(:ids)``): only those tasks and
    their city shares, read through the indexes."""
    fam = _FAMILY.format(ids=families) if families else ""
    return STATE_SQL.format(
        kt="AND recorded_at <= :kt" if by_timestamp else "",
        kt_p="AND p.recorded_at <= :kt" if by_timestamp else "",
        kt_c="AND c.recorded_at <= :kt" if by_timestamp else "",
        kt_e="AND e.recorded_at <= :kt" if by_timestamp else "",
        family=f"AND {fam}" if fam else "",
        family_p=f"AND p.{fam}" if fam else "",
        # A correction replaces a report of its own task: a family's list of them is
        # read through the family's reports, not through every correction ever made.
        family_c=f"AND c.{fam}" if fam else "",
    )


def rows_to_states(rows: Iterable[tuple[Any, ...]]) -> list[TaskState]:
    """Rows of ``COLUMNS`` as TaskStates (children not yet attached). Each distinct
    co list, date and status is parsed once: a province's 20,000 tasks share a few
    hundred of each."""
    cos: dict[str, tuple[str, ...]] = {}
    days: dict[str | None, dt.date | None] = {None: None}
    statuses = {s.value: s for s in Status}
    urgencies = {u.value: u for u in Urgency}

    def day(text: str | None) -> dt.date | None:
        try:
            return days[text]
        except KeyError:
            found = days[text] = to_date(text)
            return found

    out = []
    for (
        task_id, measure, seq, parent_id, created_on, title, lead, co, start_date, due_date,
        cancelled, urgency, source, status, percent, _last_id, last_report_date,
        report_count, contribution_count, acknowledged_on, contact, claim_date,
        returned_reason, original_due_date, extension_reason, chase_count,
    ) in rows:  # fmt: skip
        co_ids = cos.get(co)
        if co_ids is None:
            co_ids = cos[co] = tuple(json.loads(co))
        created = day(created_on)
        assert created is not None
        out.append(
            TaskState(
                id=task_id,
                measure=measure,
                seq=seq,
                parent_id=parent_id,
                title=title,
                lead=lead,
                co=co_ids,
                start_date=day(start_date),
                due_date=day(due_date),
                cancelled=bool(cancelled),
                created_on=created,
                status=statuses.get(status) or Status(status),
                percent=percent,
                last_report_date=day(last_report_date),
                report_count=report_count,
                urgency=urgencies.get(urgency) or Urgency(urgency),
                source=source,
                contribution_count=contribution_count,
                acknowledged_on=day(acknowledged_on),
                contact=contact or None,
                claim_date=day(claim_date),
                returned_reason=returned_reason,
                original_due_date=day(original_due_date),
                extension_reason=extension_reason,
                chase_count=chase_count,
            )
        )
    return out


def task_states(
    store: Store, when: When | dt.date | None = None, *, family: str | None = None
) -> list[TaskState]:
    """Every task on ``when`` (the current view when None), in measure order, each
    fan-out parent with its cities' progress. ``family``: only that task and its city
    shares (what one task's view needs)."""
    when = as_when(when)
    conn = store.db.conn
    if when.current:
        where = "WHERE id = :f OR parent_id = :f" if family else ""
        rows = conn.execute(_CURRENT_SQL.format(where=where), {"f": family} if family else {})
    else:
        sql = state_sql(by_timestamp=when.by_timestamp, families=":f" if family else None)
        params: dict[str, str] = when.params()
        if family:
            params["f"] = family
        rows = conn.execute(sql, params)
    return with_children(rows_to_states(rows))


def task_id_of(store: Store, text: str) -> str:
    """The stored id of an existing task, or a clear error."""
    tid = parse_task_id(store.catalog, text)
    if store.db.execute("SELECT 1 FROM tasks WHERE id = ?", [tid]).fetchone() is None:
        raise not_found(store.catalog, text, tid)
    return tid


def task_state(store: Store, text: str, when: When | dt.date | None = None) -> TaskState:
    """One task (with its children, for a fan-out parent) on ``when``."""
    from jsgj.errors import NotFoundError
    from jsgj.i18n import _

    tid = task_id_of(store, text)
    when = as_when(when)
    found = [s for s in task_states(store, when, family=tid) if s.id == tid]
    if not found:
        raise NotFoundError(
            _("task {task} did not exist yet on {day}").format(task=tid, day=when.on)
        )
    return found[0]


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
    rows = store.query(
        f"""SELECT * FROM progress_reports WHERE task_id = :t AND recorded_on <= :kd {kt}
            AND report_date <= :d ORDER BY id""",
        params,
    )
    corrected_by = {r["corrects"]: r["id"] for r in rows if r["corrects"] is not None}
    reports = tuple(_report(r, corrected_by.get(r["id"])) for r in rows)
    events = tuple(
        _event(r)
        for r in store.query(
            f"""SELECT * FROM task_events WHERE task_id = :t AND recorded_on <= :kd {kt}
                AND event_date <= :d ORDER BY id""",
            params,
        )
    )
    return TaskHistory(task, revisions, reports, events)


def _report(r: dict[str, Any], corrected_by: int | None) -> Report:
    return Report(
        id=r["id"],
        task_id=r["task_id"],
        recorded_at=r["recorded_at"],
        recorded_on=dt.date.fromisoformat(r["recorded_on"]),
        report_date=dt.date.fromisoformat(r["report_date"]),
        reporter=r["reporter"],
        os_user=r["os_user"],
        status=Status(r["status"]),
        percent=r["percent"],
        note=r["note"],
        evidence=r["evidence"],
        corrects=r["corrects"],
        corrected_by=corrected_by,
        role=Role(r["role"]),
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
    rows = store.query(
        f"""SELECT p.*, (SELECT c.id FROM progress_reports c
                         WHERE c.corrects = p.id AND c.recorded_on <= :kd {kt_c}) AS corrected_by
            FROM progress_reports p
            WHERE p.report_date BETWEEN :s AND :e AND p.recorded_on <= :kd {kt}
            ORDER BY p.report_date, p.id""",
        {"s": start.isoformat(), "e": end.isoformat(), **when.params()},
    )
    return [_report(r, r["corrected_by"]) for r in rows]


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


@dataclass(frozen=True, slots=True)
class Contact:
    """A department's contact person (联络员), as its latest 签收 named them."""

    department: str
    contact_name: str
    contact_phone: str | None
    acknowledged_on: dt.date
    tasks: tuple[str, ...]
    """The tasks it acknowledged, in task order."""

    def to_json(self) -> dict[str, Any]:
        return {
            "department": self.department,
            "contact_name": self.contact_name,
            "contact_phone": self.contact_phone,
            "acknowledged_on": self.acknowledged_on.isoformat(),
            "tasks": list(self.tasks),
        }


def contacts(store: Store) -> list[Contact]:
    """Each department's latest contact, with every task it acknowledged."""
    rows = store.db.conn.execute(
        """SELECT actor, contact_name, contact_phone, event_date, task_id FROM task_events
           WHERE kind = 'acknowledge' AND contact_name IS NOT NULL ORDER BY id"""
    ).fetchall()
    latest: dict[str, tuple[str, str | None, str]] = {}
    tasks: dict[str, list[str]] = {}
    for actor, contact, phone, day, task_id in rows:
        latest[actor] = (contact, phone, day)
        if task_id not in tasks.setdefault(actor, []):
            tasks[actor].append(task_id)
    return [
        Contact(actor, c, p, dt.date.fromisoformat(d), tuple(tasks[actor]))
        for actor, (c, p, d) in sorted(latest.items())
    ]


# --- tasks list filters in SQL (the current view) ---------------------------------

_COUNTED_BY = """
id IN (SELECT d.task_id FROM task_departments d JOIN tasks c ON c.id = d.task_id
       WHERE d.department_id IN (SELECT value FROM json_each(:mine)) AND (
           d.role = 'co' AND c.parent_id IS NULL
           OR d.role = 'lead' AND (c.parent_id IS NOT NULL
               OR NOT EXISTS (SELECT 1 FROM tasks k WHERE k.parent_id = c.id))))"""
"""``roles.counting_role`` over ``task_departments``: a city share is its lead's (the
city and, through it, its group); a task not shared out is its lead's and its co
departments'; a task shared out to the cities is its co departments' only."""


def filtered_task_states(store: Store, f: TaskFilter, on: dt.date) -> list[TaskState]:
    """The current view's tasks that ``tasks.filters.filter_tasks`` would select, chosen
    by SQL through the indexes (task_departments, tasks_measure_seq), each fan-out parent
    with its shares attached. tests/test_filters_sql.py proves the two agree."""
    from jsgj.tasks.filters import CANCELLED
    from jsgj.tasks.roles import counted_for

    where: list[str] = []
    params: dict[str, Any] = {}
    if f.measure is not None:
        where.append("measure = :measure")
        params["measure"] = f.measure
    if f.department is not None:
        where.append(_COUNTED_BY)
        params["mine"] = json.dumps(sorted(counted_for(store.catalog, f.department)))
    if f.status == CANCELLED:
        where.append("cancelled = 1")
    elif isinstance(f.status, Status):
        where.append("status = :status AND cancelled = 0")
        params["status"] = f.status.value
    if f.overdue:
        where.append(
            "cancelled = 0 AND status NOT IN ('done', 'pending_review') AND due_date < :on"
            " AND (parent_id IS NOT NULL OR NOT EXISTS"
            " (SELECT 1 FROM tasks k WHERE k.parent_id = tasks.id))"
        )
        params["on"] = on.isoformat()
    conn = store.db.conn
    chosen = [
        r[0]
        for r in conn.execute(f"SELECT id FROM tasks WHERE {' AND '.join(where) or '1'}", params)
    ]
    sql = _CURRENT_SQL.format(
        where="WHERE id IN (SELECT value FROM json_each(:ids))"
        " OR parent_id IN (SELECT value FROM json_each(:ids))"
    )
    rows = conn.execute(sql, {"ids": json.dumps(chosen)})
    keep = set(chosen)
    return [s for s in with_children(rows_to_states(rows)) if s.id in keep]
