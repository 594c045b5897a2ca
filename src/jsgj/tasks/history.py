"""What happened to a task: its revisions, reports and lifecycle events, and its whole
history (``tasks show``, the weekly report's blocked spells, the monthly 通报, the
ledger).

Apart from ``records.py`` (a task as known on a date) because a write, a listing and the
matrix never build one: on Python 3.11 defining a frozen dataclass costs about 5 M
instructions (its generated methods are compiled one by one), and these four are not
worth that to a command that does not show a history (issue 15, start-up). Nothing
compares them (the tests held that with an ``__eq__`` that failed): ``eq=False`` spares
their ``__eq__`` and ``__hash__`` (identity, as for any object).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from jsgj.tasks.records import EventKind, Role, TaskState
from jsgj.values import Status


@dataclass(frozen=True, slots=True, eq=False)
class Revision:
    """A create, edit or cancel event."""

    id: int
    task_id: str
    kind: str
    recorded_at: str
    recorded_on: dt.date
    effective_date: dt.date
    actor: str
    os_user: str
    reason: str | None
    changes: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "event": "revision",
            "id": self.id,
            "task": self.task_id,
            "kind": self.kind,
            "recorded_at": self.recorded_at,
            "recorded_on": self.recorded_on.isoformat(),
            "date": self.effective_date.isoformat(),
            "by": self.actor,
            "os_user": self.os_user,
            "reason": self.reason,
            "changes": self.changes,
        }


@dataclass(frozen=True, eq=False)
class Report:
    """A progress report (进展填报). ``role`` says whether it sets the task's progress
    (lead, office) or is a co department's contribution (co). Not slotted: the store
    builds a history's hundreds with ``records.built``, without ``__init__``."""

    id: int
    task_id: str
    recorded_at: str
    recorded_on: dt.date
    report_date: dt.date
    reporter: str
    os_user: str
    status: Status
    percent: int
    note: str
    evidence: str | None
    corrects: int | None
    corrected_by: int | None = None
    """Set when a later report (known at the as-of date) corrects this one."""
    role: Role = Role.lead

    @property
    def is_claim(self) -> bool:
        """A report of 已完成 by the lead or office: a claim of completion (申请办结)."""
        return self.status is Status.done and self.role is not Role.co

    @property
    def status_label(self) -> str:
        return "申请办结" if self.is_claim else self.status.report_label

    def to_json(self) -> dict[str, Any]:
        return {
            "event": "report",
            "id": self.id,
            "task": self.task_id,
            "recorded_at": self.recorded_at,
            "recorded_on": self.recorded_on.isoformat(),
            "date": self.report_date.isoformat(),
            "by": self.reporter,
            "role": self.role.value,
            "role_label": self.role.label,
            "os_user": self.os_user,
            "status": self.status.value,
            "status_label": self.status_label,
            "percent": self.percent,
            "note": self.note,
            "evidence": self.evidence,
            "corrects": self.corrects,
            "corrected_by": self.corrected_by,
        }


@dataclass(frozen=True, slots=True, eq=False)
class TaskEvent:
    """签收, 审核 (approve/return) or 催办: one row of task_events."""

    id: int
    task_id: str
    kind: EventKind
    event_date: dt.date
    recorded_at: str
    recorded_on: dt.date
    actor: str
    os_user: str
    note: str | None = None
    report_id: int | None = None
    percent: int | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    method: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "event": self.kind.value,
            "event_label": self.kind.label,
            "id": self.id,
            "task": self.task_id,
            "date": self.event_date.isoformat(),
            "recorded_at": self.recorded_at,
            "recorded_on": self.recorded_on.isoformat(),
            "by": self.actor,
            "os_user": self.os_user,
            "note": self.note,
            "report": self.report_id,
            "percent": self.percent,
            "contact_name": self.contact_name,
            "contact_phone": self.contact_phone,
            "method": self.method,
        }


Event = Revision | Report | TaskEvent


@dataclass(frozen=True, slots=True, eq=False)
class TaskHistory:
    task: TaskState
    revisions: tuple[Revision, ...]
    reports: tuple[Report, ...]
    events: tuple[TaskEvent, ...] = ()

    def timeline(self) -> list[Event]:
        """All events by recording order."""
        order = {Revision: 0, Report: 1, TaskEvent: 2}
        items: list[Event] = [*self.revisions, *self.reports, *self.events]
        return sorted(items, key=lambda e: (e.recorded_at, order[type(e)], e.id))
