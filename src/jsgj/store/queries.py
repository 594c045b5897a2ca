"""Reading: task states (now, or as known on a past date) and task histories.

``as_of`` is a knowledge date: the view shows the events recorded on or before it,
so a report or correction entered later does not change what a past week showed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from jsgj.catalog.catalog import Catalog
from jsgj.store.db import Store
from jsgj.store.records import Report, Revision, TaskState, to_date
from jsgj.store.tasks import aggregate_status, task_row
from jsgj.values import Status

_CURRENT_SQL = """
SELECT id, measure, seq, parent_id, created_on, title, lead, co, start_date, due_date,
       cancelled, status, percent, last_report_date, report_count
FROM tasks {family_where} ORDER BY measure, seq, parent_id IS NOT NULL, rowid
"""

# The definition from the latest revision recorded by :d, the latest valid report
# (one no correction recorded by :d replaces) and the number of valid reports.
# One pass over the covering index progress_reports_task (task_id, recorded_on,
# report_date, id) groups the valid reports by task, in index order, with no table
# reads and no sort; the latest is the greatest report_date, then id (a report_date is
# always 10 characters, so the text key sorts as the pair). Only the winners' rows are
# read. The corrections recorded by :d are a short list (the `+` keeps the planner on
# the partial index progress_reports_corrects rather than progress_reports_recorded).
_AS_OF_SQL = """
WITH rev AS (
    SELECT task_id, MAX(id) AS id FROM task_revisions
    WHERE recorded_on <= :d {family_and} GROUP BY task_id
),
valid AS (
    SELECT p.task_id, COUNT(*) AS report_count,
           MAX(p.report_date || printf('%012d', p.id)) AS latest
    FROM progress_reports p
    WHERE p.recorded_on <= :d AND p.report_date <= :d {family_and_p}
      AND p.id NOT IN (
          SELECT c.corrects FROM progress_reports c
          WHERE c.corrects IS NOT NULL AND +c.recorded_on <= :d
      )
    GROUP BY p.task_id
)
SELECT t.id, t.measure, t.seq, t.parent_id, t.created_on, r.title, r.lead, r.co,
       r.start_date, r.due_date, r.cancelled,
       COALESCE(l.status, 'not_started') AS status, COALESCE(l.percent, 0) AS percent,
       l.report_date AS last_report_date, COALESCE(k.report_count, 0) AS report_count
FROM rev JOIN task_revisions r ON r.id = rev.id
JOIN tasks t ON t.id = rev.task_id
LEFT JOIN valid k ON k.task_id = t.id
LEFT JOIN progress_reports l ON l.id = CAST(substr(k.latest, 11) AS INTEGER)
ORDER BY t.measure, t.seq, t.parent_id IS NOT NULL, t.rowid
"""


def _states(store: Store, sql: str, params: dict[str, str] | None = None) -> list[TaskState]:
    """The rows of ``sql`` (the columns of _CURRENT_SQL, in its order) as TaskStates.

    Plain tuples rather than dicts, and each distinct co list, date and status parsed
    once: a province's 20,000 tasks share a few hundred of each."""
    cos: dict[str, tuple[str, ...]] = {}
    days: dict[str | None, dt.date | None] = {None: None}
    statuses = {s.value: s for s in Status}

    def day(text: str | None) -> dt.date | None:
        try:
            return days[text]
        except KeyError:
            found = days[text] = to_date(text)
            return found

    out = []
    for (
        task_id, measure, seq, parent_id, created_on, title, lead, co, start_date, due_date,
        cancelled, status, percent, last_report_date, report_count,
    ) in store.db.conn.execute(sql, params or {}):  # fmt: skip
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
            )
        )
    return out


def _with_children(states: list[TaskState], recompute: bool) -> list[TaskState]:
    """Attach children to fan-out parents; on an as-of view, derive the parent's
    progress from its cities' as the store does for the current view."""
    kids: dict[str, list[TaskState]] = defaultdict(list)
    for s in states:
        if s.parent_id:
            kids[s.parent_id].append(s)
    out = []
    for s in states:
        children = kids.get(s.id)
        if children:
            s = replace(s, children=tuple(c.id for c in children))
            live = [c for c in children if not c.cancelled]
            if recompute and live:
                dates = [c.last_report_date for c in live if c.last_report_date]
                s = replace(
                    s,
                    status=aggregate_status([c.status for c in live]),
                    percent=round(sum(c.percent for c in live) / len(live)),
                    last_report_date=max(dates) if dates else None,
                    report_count=sum(c.report_count for c in live),
                )
        out.append(s)
    return out


_FAMILY = "task_id IN (SELECT id FROM tasks WHERE id = :f OR parent_id = :f)"


def task_states(
    store: Store, as_of: dt.date | None = None, *, family: str | None = None
) -> list[TaskState]:
    """Every task known on ``as_of`` (all tasks now when None), in measure order.
    ``family``: only that task and its city shares (what one task's view needs),
    read through the indexes rather than over every task."""
    params = {"f": family} if family else {}
    if as_of is None:
        sql = _CURRENT_SQL.format(family_where="WHERE id = :f OR parent_id = :f" if family else "")
        return _with_children(_states(store, sql, params), recompute=False)
    sql = _AS_OF_SQL.format(
        family_and=f"AND {_FAMILY}" if family else "",
        family_and_p=f"AND p.{_FAMILY}" if family else "",
    )
    return _with_children(_states(store, sql, {"d": as_of.isoformat(), **params}), recompute=True)


@dataclass(frozen=True, slots=True)
class TaskFilter:
    measure: int | None = None
    department: str | None = None
    status: Status | None = None
    overdue: bool = False
    include_cancelled: bool = True


def matches_department(catalog: Catalog, task: TaskState, department_id: str) -> bool:
    """A department matches tasks it leads or co-owns; a city also through its group,
    and a group through any of its cities' tasks."""
    responsible = set(task.departments)
    if department_id in responsible:
        return True
    group = catalog.group_of(department_id)
    if group is not None and group.id in responsible:
        return True
    members = catalog.department(department_id).members
    return bool(members and responsible.intersection(members))


def is_overdue(task: TaskState, on: dt.date) -> bool:
    return (
        not task.cancelled
        and task.status is not Status.done
        and task.due_date is not None
        and task.due_date < on
    )


def filter_tasks(
    catalog: Catalog, states: Iterable[TaskState], f: TaskFilter, on: dt.date
) -> list[TaskState]:
    out = []
    for s in states:
        if f.measure is not None and s.measure != f.measure:
            continue
        if f.department is not None and not matches_department(catalog, s, f.department):
            continue
        if f.status is not None and (s.status is not f.status or s.cancelled):
            continue
        if f.overdue and not is_overdue(s, on):
            continue
        if not f.include_cancelled and s.cancelled:
            continue
        out.append(s)
    return out


@dataclass(frozen=True, slots=True)
class TaskHistory:
    task: TaskState
    revisions: tuple[Revision, ...]
    reports: tuple[Report, ...]

    def timeline(self) -> list[Revision | Report]:
        """All events by recording order."""
        events: list[Revision | Report] = [*self.revisions, *self.reports]
        return sorted(
            events, key=lambda e: (e.recorded_at, 0 if isinstance(e, Revision) else 1, e.id)
        )


def task_history(store: Store, task_id: str, as_of: dt.date | None = None) -> TaskHistory:
    tid = task_row(store, task_id)["id"]
    states = task_states(store, as_of, family=tid)
    matching = [s for s in states if s.id == tid]
    if not matching:
        from jsgj.errors import NotFoundError

        raise NotFoundError(f"task {tid} did not exist yet on {as_of}")
    d = (as_of or dt.date.max).isoformat()
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
            "SELECT * FROM task_revisions WHERE task_id = ? AND recorded_on <= ? ORDER BY id",
            [tid, d],
        )
    )
    rows = store.query(
        "SELECT * FROM progress_reports WHERE task_id = ? AND recorded_on <= ? ORDER BY id",
        [tid, d],
    )
    corrected_by = {r["corrects"]: r["id"] for r in rows if r["corrects"] is not None}
    reports = tuple(_report(r, corrected_by.get(r["id"])) for r in rows)
    return TaskHistory(matching[0], revisions, reports)


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
    )


def reports_between(
    store: Store, start: dt.date, end: dt.date, as_of: dt.date | None = None
) -> list[Report]:
    """Reports whose report date falls in [start, end], as known on ``as_of``."""
    d = (as_of or dt.date.max).isoformat()
    rows = store.query(
        """SELECT p.*, (SELECT c.id FROM progress_reports c
                        WHERE c.corrects = p.id AND c.recorded_on <= :d) AS corrected_by
           FROM progress_reports p
           WHERE p.report_date BETWEEN :s AND :e AND p.recorded_on <= :d
           ORDER BY p.report_date, p.id""",
        {"s": start.isoformat(), "e": end.isoformat(), "d": d},
    )
    return [_report(r, r["corrected_by"]) for r in rows]


def counts(store: Store) -> dict[str, int]:
    out = {}
    for table in ("tasks", "task_revisions", "progress_reports"):
        out[table] = store.db.execute(f"SELECT COUNT(*) FROM [{table}]").fetchone()[0]
    return out


def department_ids(states: Sequence[TaskState]) -> set[str]:
    return {d for s in states for d in s.departments}
