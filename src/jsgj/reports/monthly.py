"""The monthly 通报: each department's month, as 牵头 and as 配合 apart, a 考核 score
by the weights of data/scoring.yaml, a ranking, and the named 表扬 and 通报 lists.
Pure: built from task states and the month's reports and events, which
``jsgj.views.monthly_report`` loads.

Definitions (the figures of the month, all from ``tasks.counting``):
- tasks, 办结 (销号) rate, overdue tasks and days: the counting units the department
  holds in that role, as they stand at the end of the month (``tally``);
- the weeks of a month are the ISO weeks whose Thursday falls in it (each week in one
  month); a task is open in a week when it had started by the week's end and was not
  closed (approved or cancelled) before the week began;
- counted to a day (``Month.cut``: ``--as-of`` within the month, by default its last
  day): the states on that day, the weeks begun by then; cut at the month's end, its
  last week counts in full;
- 按时报送率: of the (task, week) pairs open in the month, the share with a report that
  week from the lead (or the office) — as 配合, with a contribution from the department;
- returned: claims of completion the office returned (审核退回) in the month;
- named: tasks whose 催办 count reached 通报点名 by the end of the month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from jsgj.catalog.catalog import Catalog
from jsgj.catalog.scoring import ScoringFile
from jsgj.errors import UsageError
from jsgj.i18n import _
from jsgj.reports.weekly import Week
from jsgj.status import CHASE_LEVELS, Thresholds
from jsgj.tasks.counting import COUNTING, Tally, by_role, counted, tally
from jsgj.tasks.history import Report, TaskEvent
from jsgj.tasks.line import TaskLine, listing_order, task_line
from jsgj.tasks.records import EventKind, Role, TaskState
from jsgj.tasks.roles import counted_for, roles_by_department
from jsgj.tasks.when import When

NAMED = CHASE_LEVELS[-1]


@dataclass(frozen=True, slots=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """'2025-06' -> Month(2025, 6); ValueError otherwise."""
        year, _, month = text.strip().partition("-")
        if len(year) != 4 or not month or not (1 <= int(month) <= 12):
            raise ValueError(text)
        return cls(int(year), int(month))

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def end(self) -> dt.date:
        following = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    def weeks(self, until: dt.date | None = None) -> tuple[Week, ...]:
        """The ISO weeks whose Thursday falls in the month (those begun by ``until``)."""
        first = Week.containing(self.start)
        out = []
        day = first.start
        last = self.end if until is None else min(self.end, until)
        while day <= last:
            thursday = day + dt.timedelta(days=3)
            if self.start <= thursday <= self.end:
                out.append(Week.containing(day))
            day += dt.timedelta(days=7)
        return tuple(out)

    def cut(self, when: When) -> dt.date:
        """The day the month is counted to: ``--as-of``, which must fall in the month;
        else the day of ``--known-on`` when it falls in the month; else its last day."""
        if when.as_of is not None:
            if not self.start <= when.as_of <= self.end:
                raise UsageError(
                    _("--as-of {day} is not in {month}: give a day of the month").format(
                        day=when.as_of, month=self
                    )
                )
            return when.as_of
        if when.known_on is not None and self.start <= when.on <= self.end:
            return when.on
        return self.end

    def span(self, on: dt.date) -> tuple[dt.date, dt.date]:
        """The dates whose reports and events count when the month is cut on ``on``:
        from its first week's start (or its first day) to ``on``; cut at its end, to the
        end of its last week."""
        weeks = self.weeks(on)
        start = min(weeks[0].start, self.start) if weeks else self.start
        if on < self.end:
            return start, on
        return start, max(weeks[-1].end, self.end) if weeks else self.end

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"


@dataclass(frozen=True, slots=True)
class RoleFigures:
    """A department's month in one role."""

    tally: Tally
    weeks_open: int
    weeks_reported: int
    returned: int
    named: int

    @property
    def on_time_rate(self) -> int | None:
        """按时报送率, percent."""
        return round(100 * self.weeks_reported / self.weeks_open) if self.weeks_open else None

    def points(self, s: ScoringFile) -> float:
        """Σ weight × figure; nothing when the role holds no task."""
        if not self.tally.tasks:
            return 0.0
        w = s.weights
        return (
            w.done_rate * (self.tally.done_percent or 0)
            + w.on_time_rate * (self.on_time_rate or 0)
            + w.overdue * self.tally.overdue
            + w.overdue_days * self.tally.overdue_days
            + w.returned * self.returned
            + w.named * self.named
        )

    def to_json(self) -> dict[str, Any]:
        return {
            **self.tally.to_json(),
            "weeks_open": self.weeks_open,
            "weeks_reported": self.weeks_reported,
            "on_time_rate": self.on_time_rate,
            "returned": self.returned,
            "named": self.named,
        }


@dataclass(frozen=True, slots=True)
class DepartmentMonth:
    id: str
    name: str
    short: str
    lead: RoleFigures
    co: RoleFigures
    score: float
    rank: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "id": self.id,
            "name": self.name,
            "score": self.score,
            "lead": self.lead.to_json(),
            "co": self.co.to_json(),
        }


@dataclass(frozen=True, slots=True)
class MonthlyReport:
    document: str
    month: Month
    as_of: dt.date
    scoring_source: str
    scoring: ScoringFile
    departments: tuple[DepartmentMonth, ...]
    """Ranked: score high to low, then the document's order."""
    praised: tuple[DepartmentMonth, ...]
    criticised: tuple[tuple[DepartmentMonth, str], ...]
    """Each with why it is named."""
    weeks: tuple[Week, ...] = ()
    """The month's reporting weeks begun by ``as_of``."""
    counting: str = COUNTING
    computed_at: str = ""
    """The moment the data was read (UTC): given back as ``--known-on`` with the same
    ``--month`` and ``--as-of``, it reproduces the report."""

    @property
    def title(self) -> str:
        return f"{self.document}落实情况{self.month.label}通报"


def week_opens(
    units: Iterable[TaskState], closed_before: dict[Week, set[str]], weeks: Sequence[Week]
) -> dict[str, list[Week]]:
    """Task id -> the weeks of the month it was open in (see the module's definition)."""
    out: dict[str, list[Week]] = {}
    for t in units:
        for w in weeks:
            if t.started_on <= w.end and t.id not in closed_before[w]:
                out.setdefault(t.id, []).append(w)
    return out


def build_monthly(
    catalog: Catalog,
    month: Month,
    states: Sequence[TaskState],
    closed_before: dict[Week, set[str]],
    reports: Sequence[Report],
    events: Sequence[TaskEvent],
    thresholds: Thresholds,
    scoring: ScoringFile,
    scoring_source: str = "data/scoring.yaml",
    on: dt.date | None = None,
) -> MonthlyReport:
    """``states``: the tasks on ``on`` (by default the end of the month);
    ``closed_before``: for each week of the month begun by then, the tasks approved or
    cancelled before it began; ``reports`` and ``events``: those dated in
    ``month.span(on)``."""
    on = on or month.end
    weeks = month.weeks(on)
    ordered = listing_order(states)
    lines = {t.id: task_line(catalog, t, on, thresholds) for t in ordered}
    units = counted(lines.values())
    open_in = week_opens((t for t in ordered if lines[t.id].counted), closed_before, weeks)
    lead_reported: set[tuple[str, Week]] = set()
    co_reported: set[tuple[str, str, Week]] = set()
    for r in reports:
        w = Week.containing(r.report_date)
        if r.role is Role.co:
            co_reported.add((r.task_id, r.reporter, w))
        else:
            lead_reported.add((r.task_id, w))
    returned: dict[str, int] = {}
    for e in events:
        if e.kind is EventKind.reject and month.start <= e.event_date <= on:
            returned[e.task_id] = returned.get(e.task_id, 0) + 1
    every_role = roles_by_department(catalog, ordered)

    def figures(did: str, mine: list[TaskLine], role: Role) -> RoleFigures:
        live = [x for x in mine if x.status != "cancelled"]
        holders = counted_for(catalog, did)
        pairs = [(x.id, w) for x in live for w in open_in.get(x.id, [])]
        if role is Role.lead:
            hit = sum(1 for p in pairs if p in lead_reported)
        else:
            hit = sum(1 for tid, w in pairs if any((tid, h, w) in co_reported for h in holders))
        return RoleFigures(
            tally=tally(mine),
            weeks_open=len(pairs),
            weeks_reported=hit,
            returned=sum(returned.get(x.id, 0) for x in live),
            named=sum(1 for x in live if x.chase_level == NAMED),
        )

    rows: list[DepartmentMonth] = []
    for d in catalog.named():
        bodies = [catalog.department(m) for m in d.members] if d.members else [d]
        for c in bodies:
            lead_lines, co_lines = by_role(units, every_role.get(c.id, {}))
            if not (lead_lines or co_lines):
                continue
            lead = figures(c.id, lead_lines, Role.lead)
            co = figures(c.id, co_lines, Role.co)
            score = scoring.base + scoring.lead * lead.points(scoring)
            score += scoring.co * co.points(scoring)
            rows.append(DepartmentMonth(c.id, c.name, c.short, lead, co, round(score, 1)))
    order = {r.id: i for i, r in enumerate(rows)}
    ranked = sorted(rows, key=lambda r: (-r.score, order[r.id]))
    final: list[DepartmentMonth] = []
    for i, dm in enumerate(ranked):
        same = final and final[-1].score == dm.score
        final.append(_ranked(dm, final[-1].rank if same else i + 1))
    praise = scoring.praise
    praised = tuple(
        r
        for r in final
        if r.score >= praise.min_score and r.lead.tally.overdue <= praise.max_overdue
    )
    criticised = tuple((r, why) for r in final if (why := _why(r, scoring)))
    return MonthlyReport(
        document=catalog.document.number,
        month=month,
        as_of=on,
        scoring_source=scoring_source,
        scoring=scoring,
        departments=tuple(final),
        praised=praised,
        criticised=criticised,
        weeks=weeks,
    )


def _ranked(r: DepartmentMonth, rank: int) -> DepartmentMonth:
    from dataclasses import replace

    return replace(r, rank=rank)


def _why(r: DepartmentMonth, s: ScoringFile) -> str:
    """Why a department is named in the 通报 list; empty when it is not."""
    why = []
    if r.score < s.criticise.below_score:
        why.append(f"考核得分{r.score:g}分，低于{s.criticise.below_score:g}分")
    if r.lead.tally.overdue >= s.criticise.min_overdue:
        why.append(f"牵头任务逾期{r.lead.tally.overdue}项")
    named = r.lead.named + r.co.named
    if named:
        why.append(f"{named}项任务经{NAMED}")
    return "；".join(why)


def monthly_record(r: MonthlyReport) -> dict[str, Any]:
    """The report as JSON: the same content as the other formats."""
    return {
        "title": r.title,
        "document": r.document,
        "month": str(r.month),
        "as_of": r.as_of.isoformat(),
        "computed_at": r.computed_at or None,
        "weeks": [w.to_json() for w in r.weeks],
        "scoring": r.scoring_source,
        "departments": [d.to_json() for d in r.departments],
        "praised": [d.id for d in r.praised],
        "criticised": [{"id": d.id, "why": why} for d, why in r.criticised],
    }
