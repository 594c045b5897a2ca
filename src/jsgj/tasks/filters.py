"""What ``tasks list`` filters by, with the same rules every other view counts by:
a department's tasks are those ``roles.counting_role`` gives it, overdue is
``counting.is_overdue``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from jsgj.catalog.catalog import Catalog
from jsgj.errors import UsageError
from jsgj.i18n import _
from jsgj.tasks.counting import is_overdue
from jsgj.tasks.records import TaskState
from jsgj.tasks.roles import counting_role
from jsgj.values import CANCELLED_LABEL, Status

CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class TaskFilter:
    measure: int | None = None
    department: str | None = None
    status: Status | str | None = None
    """A task status, or CANCELLED."""
    overdue: bool = False


def parse_list_status(text: str) -> Status | str:
    """A task status as listings name them (English id or Chinese label), or 已撤销."""
    value = text.strip()
    if value in (CANCELLED, CANCELLED_LABEL):
        return CANCELLED
    for status in Status:
        if value in (status.value, status.label, status.report_label):
            return status
    choices = "、".join(f"{s.label} ({s.value})" for s in Status)
    raise UsageError(
        _("--status: unknown status {text!r}; use one of {choices}").format(
            text=text, choices=f"{choices}、{CANCELLED_LABEL} ({CANCELLED})"
        )
    )


def filter_tasks(
    catalog: Catalog, states: Iterable[TaskState], f: TaskFilter, on: dt.date
) -> list[TaskState]:
    """The tasks ``f`` selects, in the given order. With --overdue only counting units
    (a province total line is never overdue in a count; its late cities are)."""
    return list(iter_filter(catalog, states, f, on))


def iter_filter(
    catalog: Catalog, states: Iterable[TaskState], f: TaskFilter, on: dt.date
) -> Iterator[TaskState]:
    """``filter_tasks`` one task at a time."""
    for s in states:
        if f.measure is not None and s.measure != f.measure:
            continue
        if f.department is not None and counting_role(catalog, s, f.department) is None:
            continue
        if f.status == CANCELLED and not s.cancelled:
            continue
        if isinstance(f.status, Status) and (s.status is not f.status or s.cancelled):
            continue
        if f.overdue and (s.is_parent or not is_overdue(s, on)):
            continue
        yield s
