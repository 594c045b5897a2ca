"""The weekly report's data (周报): the records ``reports.weekly.build_weekly`` fills
and the renderers read (Markdown, HTML, docx, terminal, JSON). Plain frozen data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from jsgj.reports.indicators import IndicatorSummary
from jsgj.status import Color, Thresholds
from jsgj.tasks.counting import Tally
from jsgj.tasks.line import TaskLine
from jsgj.values import Status

LIGHT_ORDER = (
    Color.red,
    Color.yellow,
    Color.blue,
    Color.green,
    Color.pending,
    Color.done,
    Color.cancelled,
)


@dataclass(frozen=True, slots=True)
class Week:
    year: int
    number: int
    start: dt.date
    end: dt.date

    @classmethod
    def containing(cls, day: dt.date) -> Week:
        year, number, weekday = day.isocalendar()
        start = day - dt.timedelta(days=weekday - 1)
        return cls(year, number, start, start + dt.timedelta(days=6))

    def _day(self, d: dt.date) -> str:
        prefix = f"{d.year}年" if d.year != self.year or self.start.year != self.end.year else ""
        return f"{prefix}{d.month}月{d.day}日"

    @property
    def label(self) -> str:
        """2025年第26周（6月23日至6月29日）."""
        return f"{self.year}年第{self.number}周（{self._day(self.start)}至{self._day(self.end)}）"

    def to_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "week": self.number,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "label": self.label,
        }


@dataclass(frozen=True, slots=True)
class Summary:
    tasks: int
    """Reportable tasks, not cancelled."""
    cancelled: int
    fanned_out: int
    """Tasks shared out to the cities (their city tasks are in ``tasks``)."""
    city_tasks: int
    statuses: dict[Status, int]
    lights: dict[Color, int]
    """Red, yellow, blue, green, pending, done; cancelled is ``cancelled``."""
    overdue: int
    reports: int
    """Valid progress reports dated this week."""
    reported_tasks: int
    """Open tasks with a report this week."""
    open_tasks: int
    done_percent: int | None
    mean_percent: int | None


@dataclass(frozen=True, slots=True)
class MeasureRow:
    number: int
    label: str
    title: str
    lead: str
    lead_name: str
    tasks: int
    done: int
    mean_percent: int | None
    light: Color | None
    statuses: dict[Status, int]
    red: int
    yellow: int
    blue: int = 0
    pending: int = 0


@dataclass(frozen=True, slots=True)
class ReportItem:
    id: int
    date: dt.date
    task_id: str
    task_label: str
    reporter: str
    status_label: str
    percent: int
    note: str
    evidence: str | None
    corrects: int | None
    role_label: str = "牵头"


@dataclass(frozen=True, slots=True)
class MeasureReports:
    number: int
    label: str
    title: str
    items: tuple[ReportItem, ...]


@dataclass(frozen=True, slots=True)
class TaskName:
    """A task as a list names it, without its line: its id, measure and
    ``TaskLine.label`` (the weekly report's tasks not reported this week, and those
    of the week's report lines: it names them, no more)."""

    id: str
    measure: int
    label: str


U = TypeVar("U", TaskLine, TaskName)


@dataclass(frozen=True, slots=True)
class ChaseGroup(Generic[U]):
    """One department to chase (催办): its red and yellow tasks with reasons, and its
    open tasks with no report this week. A task is chased at its lead department.
    The weekly report names the unreported tasks (``TaskName``); a 催办通知单 shows
    their lines (``TaskLine``)."""

    department_id: str
    name: str
    overdue: int
    red: int
    yellow: int
    tasks: tuple[TaskLine, ...]
    """Red and yellow tasks: red first, then by measure and id."""
    unreported: tuple[U, ...]
    """Open tasks its lead did not report on this week, in listing order."""


@dataclass(frozen=True, slots=True)
class Obstacle:
    """存在问题和需协调事项: a blocked task with its reason as its lead reported it
    (the note of the report that first said 受阻, and the latest one when it differs),
    or a claim of completion the office returned, with the office's reason."""

    task: TaskLine
    kind: str
    """'受阻' or '退回'."""
    reason: str
    since: dt.date | None = None
    """Blocked: the date of the report that first said 受阻 (this spell)."""
    days: int | None = None
    """Blocked: days since then."""
    latest: str | None = None
    """Blocked: the latest report's note, when it says something else."""

    def to_json(self) -> dict[str, Any]:
        return {
            "task": self.task.id,
            "title": self.task.label,
            "lead": self.task.lead,
            "kind": self.kind,
            "reason": self.reason,
            "since": self.since.isoformat() if self.since else None,
            "days": self.days,
            "latest": self.latest,
        }


@dataclass(frozen=True, slots=True)
class Deadline:
    task: TaskLine
    open_cities: int | None
    """For a fan-out task: how many cities have not finished."""


@dataclass(frozen=True, slots=True)
class DepartmentRow:
    id: str
    name: str
    short: str
    city: bool
    """A city listed under 各设区市人民政府."""
    led: int
    co: int
    done: int
    red: int
    yellow: int
    overdue: int
    open: int
    reported: int
    """Open tasks with a report this week."""
    mean_percent: int | None
    lead: Tally = Tally()
    """Its tasks as 牵头 (the figures above are these)."""
    co_tally: Tally = Tally()
    """Its tasks as 配合."""


@dataclass(frozen=True, slots=True)
class WeeklyReport:
    document: str
    document_title: str
    issuer: str
    as_of: dt.date
    week: Week
    thresholds: Thresholds
    rules: str
    counting: str
    summary: Summary
    measures: tuple[MeasureRow, ...]
    reports: tuple[MeasureReports, ...]
    chase: tuple[ChaseGroup[TaskName], ...]
    deadline_days: int
    deadlines: tuple[Deadline, ...]
    departments: tuple[DepartmentRow, ...]
    pending: tuple[TaskLine, ...] = ()
    """Claims of completion awaiting the office's review (待审核)."""
    returned: tuple[TaskLine, ...] = ()
    """Claims the office returned, with its reason, not since claimed again or done."""
    extended: tuple[TaskLine, ...] = ()
    """Open tasks whose due date was changed (已延期), with the original date."""
    approved: tuple[TaskLine, ...] = ()
    """Tasks the office approved (销号) this week."""
    obstacles: tuple[Obstacle, ...] = ()
    """存在问题和需协调事项: blocked tasks, then returned claims."""
    overdue: tuple[TaskLine, ...] = ()
    """Open tasks past their due date, most days overdue first."""
    indicators: tuple[IndicatorSummary, ...] = ()
    """The document's indicators with their series and status (section 七)."""
    computed_at: str = ""
    """The moment the report was computed (UTC): given back as ``--known-on``, with the
    same ``--as-of``, it reproduces the report byte for byte."""

    @property
    def title(self) -> str:
        return f"{self.document}落实情况周报"


def rules_text(t: Thresholds) -> str:
    return (
        "红灯：逾期未办结，或推进受阻。"
        f"黄灯：进度落后序时进度超过{t.pace_margin}个百分点，或牵头单位{t.stalled_days}天"
        f"未报送进展，或交办{t.ack_days}天未签收。"
        f"蓝灯：{t.due_soon_days}天内到期且按序时推进。绿灯：按序时进度推进。"
        "已完成须经审核销号（已办结）；申请办结待审核的单列。"
    )
