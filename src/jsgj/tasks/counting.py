"""The counting rule: one definition of every figure a view shows.

The unit is the task that takes reports of its own. A task shared out to the cities
(a fan-out parent) takes none: its city shares are counted, one each, and the parent,
shown as the province total line (全省合计), is not. Cancelled tasks (已撤销) are
counted apart and left out of every other figure. Only tasks the office approved
(已办结, 销号) are done; claims awaiting review are counted as 待审核, not done.
Overdue: past the due date and neither approved nor awaiting review.

Per department, 牵头 and 配合 apart: a city share is its city's (and its group's); a
department co-responsible for a task shared out to the cities counts it once, as
配合, on the parent (see ``roles.counting_role``).

Every view (tasks list, matrix, department sheet, weekly report, ledger, return forms,
JSON) takes its figures from ``tally`` over ``TaskLine``s, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from jsgj.status import Color
from jsgj.tasks.records import Role, TaskState
from jsgj.values import Status

COUNTING = (
    "任务数按可填报任务计：分解到各设区市的任务按市计，每市一项，不另计全省合计项；"
    "已撤销任务单列，不计入其他各项；经审核销号（已办结）的任务方计为完成，"
    "申请办结待审核的单列；逾期指超过截止日期且未办结、未申请办结。"
    "分部门统计时牵头、配合分列：分解到市的任务归属各市，省级配合单位按全省合计项计一次。"
)


def counts(task: TaskState) -> bool:
    """Whether ``task`` is a counting unit (cancelled or not): every task except a
    fan-out parent (one with city shares: ``TaskState.is_parent``, read here as its
    field, not through the property: twice a row of a province's listing)."""
    return not task.children


_SETTLED = (Status.done, Status.pending_review)
"""Approved or awaiting review: never overdue. (A tuple made once: on Python 3.11 an
enum class's attribute costs ~900 instructions, ``EnumType.__getattr__``'s hook.)"""


def is_overdue(task: TaskState, on: dt.date) -> bool:
    return (
        not task.cancelled
        and task.status not in _SETTLED
        and task.due_date is not None
        and task.due_date < on
    )


@dataclass(frozen=True, slots=True)
class Tally:
    """The figures of a set of tasks."""

    tasks: int = 0
    """Not cancelled."""
    done: int = 0
    """Approved (已办结, 销号)."""
    pending: int = 0
    """Claims awaiting review (待审核)."""
    overdue: int = 0
    overdue_days: int = 0
    """Summed over the overdue tasks."""
    red: int = 0
    yellow: int = 0
    blue: int = 0
    green: int = 0
    cancelled: int = 0
    percent_sum: int = 0

    @property
    def open(self) -> int:
        return self.tasks - self.done

    @property
    def mean_percent(self) -> int | None:
        return round(self.percent_sum / self.tasks) if self.tasks else None

    @property
    def done_percent(self) -> int | None:
        """办结率: approved tasks in percent of the tasks."""
        return round(100 * self.done / self.tasks) if self.tasks else None

    def count(self, color: Color) -> int:
        return {
            Color.red: self.red,
            Color.yellow: self.yellow,
            Color.blue: self.blue,
            Color.green: self.green,
            Color.pending: self.pending,
            Color.done: self.done,
            Color.cancelled: self.cancelled,
        }[color]

    def to_json(self) -> dict[str, Any]:
        return {
            "tasks": self.tasks,
            "done": self.done,
            "pending_review": self.pending,
            "overdue": self.overdue,
            "overdue_days": self.overdue_days,
            "red": self.red,
            "yellow": self.yellow,
            "blue": self.blue,
            "green": self.green,
            "cancelled": self.cancelled,
            "mean_percent": self.mean_percent,
            "done_percent": self.done_percent,
        }


class _Line:  # the fields of TaskLine that counting reads (a Protocol, spelt light)
    light: Color
    percent: int
    overdue_days: int


def tally(lines: Iterable[Any]) -> Tally:
    """The figures of ``lines`` (``TaskLine``s the caller chose: the counting units
    of a view, or a department's tasks in one role)."""
    n = done = pending = overdue = days = red = yellow = blue = green = cancelled = pct = 0
    for line in lines:
        color = line.light
        if color is Color.cancelled:
            cancelled += 1
            continue
        n += 1
        pct += line.percent
        if line.overdue_days > 0:
            overdue += 1
            days += line.overdue_days
        if color is Color.done:
            done += 1
        elif color is Color.pending:
            pending += 1
        elif color is Color.red:
            red += 1
        elif color is Color.yellow:
            yellow += 1
        elif color is Color.blue:
            blue += 1
        else:
            green += 1
    return Tally(n, done, pending, overdue, days, red, yellow, blue, green, cancelled, pct)


def counted(lines: Iterable[Any]) -> list[Any]:
    """The counting units among ``lines`` (every line but the province total lines)."""
    return [line for line in lines if line.counted]


def by_role(lines: Sequence[Any], roles: dict[str, Role]) -> tuple[list[Any], list[Any]]:
    """A department's lines as (牵头, 配合), from ``roles.roles_by_department``'s map
    for it."""
    lead = [line for line in lines if roles.get(line.id) is Role.lead]
    co = [line for line in lines if roles.get(line.id) is Role.co]
    return lead, co
