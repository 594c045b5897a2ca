"""What the matrix and the weekly report share: how tasks are counted, a department's
role in a task, the worst light, and one task as a plain listing line.

Counting rule (one rule for every total in every report): the unit is the
*reportable task* (可填报任务) — a task that takes progress reports of its own. A task
shared out to the cities (a fan-out parent, ``TaskState.children`` non-empty) takes
no reports itself; its thirteen city tasks do, so those are counted and the parent is
not. Cancelled tasks (已撤销) are counted apart and left out of task totals, done
counts, mean percents and worst lights. The parent still appears in listings as the
province total line (全省合计), above its cities' own lines, never in a count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from jsgj.catalog.catalog import OFFICE_ID, OFFICE_NAME, Catalog
from jsgj.catalog.models import Department
from jsgj.status import Color, Thresholds, days_since_report, expected_percent, light
from jsgj.store.records import TaskState
from jsgj.values import CANCELLED_LABEL

ROLE_LABELS = {"lead": "牵头", "co": "配合"}
COUNTING = (
    "任务数按可填报任务计：分解到各设区市的任务按市计，每市一项，"
    "不另计全省合计项；已撤销任务单列，不计入任务数、完成数、平均进度和灯。"
)
ROLE_MARKS = {"lead": "牵", "co": "配"}


def reportable(states: Iterable[TaskState]) -> list[TaskState]:
    """The tasks that count: every task except fan-out parents."""
    return [s for s in states if not s.is_parent]


def live(states: Iterable[TaskState]) -> list[TaskState]:
    return [s for s in states if not s.cancelled]


def role_in_task(catalog: Catalog, task: TaskState, department_id: str) -> str | None:
    """'lead', 'co' or None: a city acts through its group (各设区市人民政府) and the
    group through its cities."""
    group = catalog.group_of(department_id)
    members = set(catalog.department(department_id).members)

    def holds(did: str) -> bool:
        return did == department_id or (group is not None and did == group.id) or did in members

    if holds(task.lead):
        return "lead"
    if any(holds(d) for d in task.co):
        return "co"
    return None


def roles_by_department(catalog: Catalog, tasks: Iterable[TaskState]) -> dict[str, dict[str, str]]:
    """``role_in_task`` for every department at once: department id -> {task id: role},
    tasks in the given order. One pass over the tasks (a report over 20,000 tasks and
    47 departments would otherwise make a million ``role_in_task`` calls)."""
    holders: dict[str, tuple[str, ...]] = {}

    def held_by(did: str) -> tuple[str, ...]:
        # The departments ``role_in_task`` finds in ``did``: itself, its cities (for a
        # group) and its group (for a city).
        found = holders.get(did)
        if found is None:
            group = catalog.group_of(did)
            try:
                members = catalog.department(did).members
            except KeyError:  # a department no longer in the data files
                members = ()
            found = (did, *members, *((group.id,) if group else ()))
            holders[did] = found
        return found

    out: dict[str, dict[str, str]] = {}
    for t in tasks:
        for did in (t.lead, *t.co):
            role = "lead" if did == t.lead else "co"
            for holder in held_by(did):
                out.setdefault(holder, {}).setdefault(t.id, role)
    return out


def worst(colors: Iterable[Color]) -> Color | None:
    """The light that needs action first (red before yellow before green ...)."""
    return min(colors, key=lambda c: c.rank, default=None)


def abbreviation(department: Department, limit: int = 4) -> str:
    """A label of at most ``limit`` characters for narrow tables: the usual short form
    (first alias) when it fits, else the first alias that fits, else the short form."""
    if len(department.short) <= limit:
        return department.short
    for alias in department.aliases:
        if len(alias) <= limit:
            return alias
    return department.short


def department_name(catalog: Catalog, department_id: str) -> str:
    return OFFICE_NAME if department_id == OFFICE_ID else catalog.department(department_id).name


def department_short(catalog: Catalog, department_id: str) -> str:
    return OFFICE_NAME if department_id == OFFICE_ID else catalog.department(department_id).short


@dataclass(frozen=True, slots=True)
class TaskLine:
    """One task as the listings print it. ``level`` is 'task' for a task on its own,
    'total' for a fan-out parent (the province total line) and 'city' for a city's
    share."""

    id: str
    measure: int
    title: str
    level: str
    lead: str
    lead_name: str
    lead_short: str
    co_short: tuple[str, ...]
    start_date: dt.date | None
    due_date: dt.date | None
    status: str
    status_label: str
    percent: int
    expected_percent: int | None
    last_report_date: dt.date | None
    days_since_report: int
    light: Color
    reason: str
    overdue_days: int

    @property
    def light_label(self) -> str:
        return self.light.label

    @property
    def label(self) -> str:
        """The task's name in a listing: a city's share is named by its city."""
        if self.level == "city":
            return f"{self.title}（{self.lead_short}）"
        if self.level == "total":
            return f"{self.title}（全省合计）"
        return self.title

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "measure": self.measure,
            "title": self.title,
            "level": self.level,
            "lead": self.lead,
            "lead_name": self.lead_name,
            "co": list(self.co_short),
            "start_date": _iso(self.start_date),
            "due_date": _iso(self.due_date),
            "status": self.status,
            "status_label": self.status_label,
            "percent": self.percent,
            "expected_percent": self.expected_percent,
            "last_report_date": _iso(self.last_report_date),
            "days_since_report": self.days_since_report,
            "light": self.light.value,
            "light_label": self.light.label,
            "reason": self.reason,
            "overdue_days": self.overdue_days,
        }


def task_line(catalog: Catalog, task: TaskState, on: dt.date, thresholds: Thresholds) -> TaskLine:
    lt = light(task, on, thresholds)
    overdue = 0
    if lt.color is Color.red and task.due_date is not None and task.due_date < on:
        overdue = (on - task.due_date).days
    return TaskLine(
        id=task.id,
        measure=task.measure,
        title=task.title,
        level="total" if task.is_parent else ("city" if task.parent_id else "task"),
        lead=task.lead,
        lead_name=department_name(catalog, task.lead),
        lead_short=department_short(catalog, task.lead),
        co_short=tuple(department_short(catalog, d) for d in task.co),
        start_date=task.start_date,
        due_date=task.due_date,
        status="cancelled" if task.cancelled else task.status.value,
        status_label=CANCELLED_LABEL if task.cancelled else task.status.label,
        percent=task.percent,
        expected_percent=expected_percent(task, on),
        last_report_date=task.last_report_date,
        days_since_report=days_since_report(task, on),
        light=lt.color,
        reason=lt.reason,
        overdue_days=overdue,
    )


def listing_order(states: Sequence[TaskState]) -> list[TaskState]:
    """Measure order with each fan-out parent directly above its city tasks (the store
    already returns this order; kept explicit so reports never depend on SQL)."""
    by_id = {s.id: s for s in states}
    out: list[TaskState] = []
    seen: set[str] = set()
    for s in states:
        if s.id in seen or (s.parent_id and s.parent_id in by_id):
            continue
        out.append(s)
        seen.add(s.id)
        for child in s.children:
            if child in by_id and child not in seen:
                out.append(by_id[child])
                seen.add(child)
    for s in states:  # a child whose parent is filtered out
        if s.id not in seen:
            out.append(s)
            seen.add(s.id)
    return out


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None
