"""The domain records: a task as known on a date (its events and history are in
``tasks/history.py``).

Plain, immutable values with no database handle, so that reports, renderers and the
light rules can be pure functions of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any, TypeVar

from jsgj.values import Status


class Urgency(StrEnum):
    """交办 urgency (缓急程度)."""

    normal = "normal"
    urgent = "urgent"
    very_urgent = "very_urgent"

    @property
    def label(self) -> str:
        return URGENCY_LABELS[self]


URGENCY_LABELS = {Urgency.normal: "一般", Urgency.urgent: "急", Urgency.very_urgent: "特急"}


class Role(StrEnum):
    """The part a department plays in a task, or that a report plays in its history."""

    lead = "lead"
    co = "co"
    office = "office"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[str, str] = {Role.lead: "牵头", Role.co: "配合", Role.office: "督查督办"}


class EventKind(StrEnum):
    """Lifecycle events besides reports and definition revisions (table task_events)."""

    acknowledge = "acknowledge"  # 签收
    approve = "approve"  # 审核通过，销号
    reject = "return"  # 审核退回
    chase = "chase"  # 催办

    @property
    def label(self) -> str:
        return EVENT_LABELS[self]


EVENT_LABELS = {
    EventKind.acknowledge: "签收",
    EventKind.approve: "审核通过（销号）",
    EventKind.reject: "审核退回",
    EventKind.chase: "催办",
}


Record = TypeVar("Record")


def built(cls: type[Record], values: dict[str, Any]) -> Record:
    """An instance of the frozen dataclass ``cls`` (not slotted) holding ``values`` (as
    its ``__dict__``: the caller gives it up), which name every field and nothing else
    (a TypeError otherwise), without
    ``__init__``: a frozen dataclass's ``__init__`` stores each field through
    ``object.__setattr__`` (~0.2-0.4 us a field), and a listing builds a 26-field
    ``TaskState`` and a 37-field ``TaskLine`` per row (20,000 rows in a province).
    The instance stays frozen (``__setattr__`` still refuses) and equal to the one
    ``cls(**values)`` makes. The names are checked in full on a class's first use
    and by their number after it (each caller passes a dict literal: the same keys
    on every call)."""
    names = _FIELDS.get(cls)
    if names is None or len(values) != len(names):
        names = frozenset(f.name for f in fields(cls))  # type: ignore[arg-type]
        if values.keys() != names:
            raise TypeError(f"{cls.__name__}: fields {sorted(names ^ values.keys())}")
        _FIELDS[cls] = names
    obj: Record = _new(cls)
    _set(obj, "__dict__", values)  # the dict itself, not a copy: a caller's literal
    return obj


_new = object.__new__
_set = object.__setattr__


_FIELDS: dict[type, frozenset[str]] = {}


@dataclass(frozen=True)
class TaskState:
    """A task on a given date: its definition, where its lifecycle stands, and its
    progress as its lead (or the office) last reported it.

    ``status`` is the task's status: a report of 已完成 is a claim, so the task is
    ``pending_review`` (待审核) until the office approves (``done``, 已办结) or returns
    it (back to ``in_progress``, ``returned_reason`` set). Reports by co departments
    (配合) are contributions: counted in ``contribution_count``, never in ``status``,
    ``percent`` or ``last_report_date``."""

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
    urgency: Urgency = Urgency.normal
    source: str | None = None
    """Where the task comes from (领导批示, 会议纪要, ...)."""
    contribution_count: int = 0
    acknowledged_on: dt.date | None = None
    contact: str | None = None
    """The lead's contact person (联络员) and phone, as given at 签收."""
    claim_date: dt.date | None = None
    """The date of the claim of completion awaiting review, or approved."""
    returned_reason: str | None = None
    """Why the office returned the latest claim of completion (审核退回)."""
    original_due_date: dt.date | None = None
    """The due date the task was assigned with, when it has been changed since (延期)."""
    extension_reason: str | None = None
    chase_count: int = 0
    """How many times the office has chased (催办) this task."""

    @property
    def is_parent(self) -> bool:
        return bool(self.children)

    @property
    def departments(self) -> tuple[str, ...]:
        return (self.lead, *self.co)

    @property
    def extended(self) -> bool:
        return self.original_due_date is not None

    @property
    def closed(self) -> bool:
        """Takes no more reports: cancelled (撤销) or approved (销号)."""
        return self.cancelled or self.status is Status.done

    @property
    def started_on(self) -> dt.date:
        return self.start_date or self.created_on

    def to_json(self) -> dict[str, Any]:
        # Dates' text and the enums' value and label from one lookup each: 20,000
        # records a province's listing.
        iso = ISO
        urgency, urgency_label = URGENCY_JSON[self.urgency]
        status, status_label = STATUS_JSON[self.status]
        return {
            "id": self.id,
            "measure": self.measure,
            "parent": self.parent_id,
            "children": list(self.children),
            "title": self.title,
            "lead": self.lead,
            "co": list(self.co),
            "urgency": urgency,
            "urgency_label": urgency_label,
            "source": self.source,
            "start_date": iso[self.start_date],
            "due_date": iso[self.due_date],
            "original_due_date": iso[self.original_due_date],
            "extension_reason": self.extension_reason,
            "cancelled": self.cancelled,
            "created_on": iso[self.created_on],
            "acknowledged_on": iso[self.acknowledged_on],
            "contact": self.contact,
            "status": status,
            "status_label": status_label,
            "percent": self.percent,
            "claim_date": iso[self.claim_date],
            "returned_reason": self.returned_reason,
            "last_report_date": iso[self.last_report_date],
            "report_count": self.report_count,
            "contribution_count": self.contribution_count,
            "chase_count": self.chase_count,
        }


URGENCY_JSON = {u: (u.value, u.label) for u in Urgency}
STATUS_JSON = {s: (s.value, s.label) for s in Status}
"""Each urgency's and status's (value, label), looked up once: enum attributes are
descriptors (a province's listing reads them 40,000 times)."""


def from_date(d: dt.date | None) -> str | None:
    """``to_date``'s inverse: ISO text, None for no date."""
    return d.isoformat() if d else None


def to_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class _Memo(dict[Any, Any]):
    """``convert(key)`` for each key, computed once: a province's 20,000 tasks carry a
    few thousand distinct dates (a subscript, not a call, per date of a record)."""

    def __init__(self, convert: Any) -> None:
        super().__init__({None: None})
        self.convert = convert

    def __missing__(self, key: Any) -> Any:
        if len(self) > 100_000:  # a bound; dates of a listing number a few thousand
            self.clear()
            self[None] = None
        found = self[key] = self.convert(key)
        return found


ISO: dict[dt.date | None, str | None] = _Memo(from_date)
"""``from_date`` memoised: ``ISO[d]``."""
DATES: dict[str | None, dt.date | None] = _Memo(to_date)
"""``to_date`` memoised: ``DATES[text]``."""
