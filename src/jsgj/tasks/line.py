"""The task line: one task as every view shows it (status, percent, light and its
reason, lifecycle marks), computed once here for the listings, the matrix, the weekly
report, the ledger, the return forms and JSON."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from jsgj.catalog.catalog import Catalog
from jsgj.status import (
    COLOR_LABELS,
    Color,
    Thresholds,
    chase_level,
    days_since_report,
    expected_percent,
    judge,
)
from jsgj.tasks.counting import counts, is_overdue
from jsgj.tasks.records import ISO, STATUS_JSON, URGENCY_JSON, Role, TaskState, built
from jsgj.tasks.roles import name, short
from jsgj.values import CANCELLED_LABEL


@dataclass(frozen=True)
class TaskLine:
    """One task as the listings print it. ``level`` is 'task' for a task on its own,
    'total' for a fan-out parent (the province total line) and 'city' for a city's
    share. ``role``: the role of the department a view is for, when it is for one."""

    id: str
    measure: int
    parent_id: str | None
    title: str
    level: str
    lead: str
    lead_name: str
    lead_short: str
    co: tuple[str, ...]
    co_short: tuple[str, ...]
    urgency: str
    urgency_label: str
    start_date: dt.date | None
    due_date: dt.date | None
    original_due_date: dt.date | None
    extension_reason: str | None
    status: str
    status_label: str
    percent: int
    expected_percent: int | None
    last_report_date: dt.date | None
    days_since_report: int
    contribution_count: int
    acknowledged_on: dt.date | None
    contact: str | None
    claim_date: dt.date | None
    returned_reason: str | None
    light: Color
    reason: str
    overdue_days: int
    counted: bool
    """Counts in every total (see ``jsgj.tasks.counting``)."""
    role: Role | None = None
    chase_count: int = 0
    """How many times the office has chased (催办) the task."""
    chase_level: str | None = None
    """The escalation reached: 一次催办, 二次催办 or 通报点名 (data/lights.yaml)."""

    @property
    def chase_label(self) -> str:
        """E.g. 二次催办（已催办2次）, or empty when never chased."""
        if not self.chase_count:
            return ""
        level = self.chase_level or "催办"
        return f"{level}（已催办{self.chase_count}次）"

    @property
    def light_label(self) -> str:
        return self.light.label

    @property
    def label(self) -> str:
        """The task's name in a listing (``task_label``)."""
        return task_label(self.title, self.level, self.lead_short)

    @property
    def extended(self) -> bool:
        return self.original_due_date is not None

    @property
    def notes(self) -> str:
        """The light's reason with what else a leader must see on the line: an
        extension (已延期) and a returned claim (退回), each said once."""
        parts = [self.reason]
        if self.extended:
            parts.append(f"已延期（原定{self.original_due_date}）")
        if self.returned_reason:
            parts.append(f"办结申请被退回：{self.returned_reason}")
        if self.chase_count:
            parts.append(self.chase_label)
        return "；".join(parts)

    def to_json(self) -> dict[str, Any]:
        # Dates' text and the enums' values from one lookup each (20,000 records a
        # listing).
        iso = ISO
        light, light_label = LIGHT_JSON[self.light]
        return {
            "id": self.id,
            "measure": self.measure,
            "parent": self.parent_id,
            "title": self.title,
            "level": self.level,
            "lead": self.lead,
            "lead_name": self.lead_name,
            "co": list(self.co),
            "co_short": list(self.co_short),
            "urgency": self.urgency,
            "urgency_label": self.urgency_label,
            "start_date": iso[self.start_date],
            "due_date": iso[self.due_date],
            "original_due_date": iso[self.original_due_date],
            "extension_reason": self.extension_reason,
            "status": self.status,
            "status_label": self.status_label,
            "percent": self.percent,
            "expected_percent": self.expected_percent,
            "last_report_date": iso[self.last_report_date],
            "days_since_report": self.days_since_report,
            "contribution_count": self.contribution_count,
            "acknowledged_on": iso[self.acknowledged_on],
            "contact": self.contact,
            "claim_date": iso[self.claim_date],
            "returned_reason": self.returned_reason,
            "light": light,
            "light_label": light_label,
            "reason": self.reason,
            "overdue_days": self.overdue_days,
            "counted": self.counted,
            "role": ROLE_JSON[self.role],
            "chase_count": self.chase_count,
            "chase_level": self.chase_level,
        }


def task_label(title: str, level: str, lead_short: str) -> str:
    """A task's name in a listing: a city's share is named by its city, a fan-out
    parent as the province total (``level`` as ``TaskLine.level``)."""
    if level == "city":
        return f"{title}（{lead_short}）"
    if level == "total":
        return f"{title}（全省合计）"
    return title


LIGHT_JSON = {c: (c.value, COLOR_LABELS[c]) for c in Color}
ROLE_JSON: dict[Role | None, str | None] = {None: None, **{r: r.value for r in Role}}


class Judged(NamedTuple):
    """What a task line adds to its task on a date (the light and its reason, the
    pace, the names and labels), computed once by ``judged``: the task line holds it
    with the task's fields, and a listing's JSON record (``reports.tasks``) writes it
    beside them without building the line."""

    level: str
    lead_name: str
    lead_short: str
    co_short: tuple[str, ...]
    urgency: str
    urgency_label: str
    status: str
    status_label: str
    expected_percent: int | None
    days_since_report: int
    light: Color
    reason: str
    overdue_days: int
    counted: bool
    chase_level: str | None


def judged(catalog: Catalog, task: TaskState, on: dt.date, thresholds: Thresholds) -> Judged:
    due = task.due_date
    expected = expected_percent(task, on)
    silent = days_since_report(task, on)
    color, reason = judge(task, on, thresholds, expected, silent)
    names = _NAMES[1] if _NAMES[0] is catalog else _names(catalog)
    lead = names.get(task.lead) or _name(names, catalog, task.lead)
    co_short = names.get(task.co)
    if co_short is None:
        co_short = names[task.co] = tuple(short(catalog, d) for d in task.co)
    urgency, urgency_label = URGENCY_JSON[task.urgency]
    if task.cancelled:
        status, label = "cancelled", CANCELLED_LABEL
    else:
        status, label = STATUS_JSON[task.status]
    # The tuple made directly (``Judged._make``'s way): the named tuple's own
    # ``__new__`` is a Python function of 15 arguments.
    return _judged_tuple(
        Judged,
        (
            "total" if task.children else ("city" if task.parent_id else "task"),
            lead[0],
            lead[1],
            co_short,
            urgency,
            urgency_label,
            status,
            label,
            expected,
            silent,
            color,
            reason,
            (on - due).days if due is not None and is_overdue(task, on) else 0,
            counts(task),
            chase_level(task.chase_count, thresholds),
        ),
    )


_judged_tuple = tuple.__new__


def task_line(
    catalog: Catalog,
    task: TaskState,
    on: dt.date,
    thresholds: Thresholds,
    role: Role | None = None,
) -> TaskLine:
    j = judged(catalog, task, on, thresholds)
    return built(
        TaskLine,
        {
            "id": task.id,
            "measure": task.measure,
            "parent_id": task.parent_id,
            "title": task.title,
            "level": j.level,
            "lead": task.lead,
            "lead_name": j.lead_name,
            "lead_short": j.lead_short,
            "co": task.co,
            "co_short": j.co_short,
            "urgency": j.urgency,
            "urgency_label": j.urgency_label,
            "start_date": task.start_date,
            "due_date": task.due_date,
            "original_due_date": task.original_due_date,
            "extension_reason": task.extension_reason,
            "status": j.status,
            "status_label": j.status_label,
            "percent": task.percent,
            "expected_percent": j.expected_percent,
            "last_report_date": task.last_report_date,
            "days_since_report": j.days_since_report,
            "contribution_count": task.contribution_count,
            "acknowledged_on": task.acknowledged_on,
            "contact": task.contact,
            "claim_date": task.claim_date,
            "returned_reason": task.returned_reason,
            "light": j.light,
            "reason": j.reason,
            "overdue_days": j.overdue_days,
            "counted": j.counted,
            "role": role,
            "chase_count": task.chase_count,
            "chase_level": j.chase_level,
        },
    )


_NAMES: list[Any] = [None, {}]
"""The last catalogue's department names (id -> (name, short)) and co lists' short
names: a province's 20,000 task lines name the same few dozen departments."""


def _names(catalog: Catalog) -> dict[Any, Any]:
    if _NAMES[0] is not catalog:
        _NAMES[0], _NAMES[1] = catalog, {}
    found: dict[Any, Any] = _NAMES[1]
    return found


def _name(names: dict[Any, Any], catalog: Catalog, department: str) -> tuple[str, str]:
    found = names[department] = (name(catalog, department), short(catalog, department))
    return found


def listing_order(states: Sequence[TaskState]) -> list[TaskState]:
    """Measure order with each fan-out parent directly above its city tasks (the store
    already returns this order; kept explicit so views never depend on SQL)."""
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
