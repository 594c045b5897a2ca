"""What the store returns: plain, immutable records (no SQL, no database handle)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from jsgj.values import Status


@dataclass(frozen=True, slots=True)
class TaskState:
    """A task as known on a given date: its definition and its latest valid report."""

    id: str
    measure: int
    seq: int
    parent_id: str | None
    title: str
    lead: str
    co: tuple[str, ...]
    start_date: dt.date | None
    due_date: dt.date | None
    cancelled: bool
    created_on: dt.date
    status: Status
    percent: int
    last_report_date: dt.date | None
    report_count: int
    children: tuple[str, ...] = ()
    """For a city fan-out parent: the ids of its city tasks."""

    @property
    def is_parent(self) -> bool:
        return bool(self.children)

    @property
    def departments(self) -> tuple[str, ...]:
        return (self.lead, *self.co)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "measure": self.measure,
            "parent": self.parent_id,
            "children": list(self.children),
            "title": self.title,
            "lead": self.lead,
            "co": list(self.co),
            "start_date": _iso(self.start_date),
            "due_date": _iso(self.due_date),
            "cancelled": self.cancelled,
            "created_on": self.created_on.isoformat(),
            "status": self.status.value,
            "status_label": self.status.label,
            "percent": self.percent,
            "last_report_date": _iso(self.last_report_date),
            "report_count": self.report_count,
        }


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Report:
    """A progress report (进展填报)."""

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

    def to_json(self) -> dict[str, Any]:
        return {
            "event": "report",
            "id": self.id,
            "task": self.task_id,
            "recorded_at": self.recorded_at,
            "recorded_on": self.recorded_on.isoformat(),
            "date": self.report_date.isoformat(),
            "by": self.reporter,
            "os_user": self.os_user,
            "status": self.status.value,
            "status_label": self.status.label,
            "percent": self.percent,
            "note": self.note,
            "evidence": self.evidence,
            "corrects": self.corrects,
            "corrected_by": self.corrected_by,
        }


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def to_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
