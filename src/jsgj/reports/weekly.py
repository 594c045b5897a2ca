"""The weekly report (周报) as plain data: what the Markdown, HTML and JSON renderers
print. Pure except ``weekly_report``, which reads the store.

The week is the ISO week (Monday to Sunday) that contains the as-of date; its year
is the ISO year (2024-12-30 lies in 2025年第1周). Statuses and lights are computed
on the as-of date, from what was known on it (the event-log view) when --as-of is
given, else from the current view on today. Counting follows ``reports.common``:
reportable tasks (a city's share counts, a fan-out parent does not), cancelled
tasks apart. Every ordering is by the document (measures, departments) and task id,
so the same database and as-of date give the same report, byte for byte.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jsgj.catalog.catalog import Catalog
from jsgj.catalog.indicators import IndicatorsFile
from jsgj.reports.common import (
    COUNTING,
    TaskLine,
    department_short,
    listing_order,
    live,
    reportable,
    roles_by_department,
    task_line,
    worst,
)
from jsgj.reports.indicators import IndicatorSummary, summary_record
from jsgj.status import Color, Thresholds
from jsgj.store.records import Report, TaskState
from jsgj.values import Status

if TYPE_CHECKING:
    from jsgj.store.db import Store

STATUS_ORDER = (Status.done, Status.in_progress, Status.not_started, Status.blocked)
LIGHT_ORDER = (Color.red, Color.yellow, Color.green, Color.done, Color.cancelled)


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
    """Red, yellow, green, done; cancelled is ``cancelled``."""
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


@dataclass(frozen=True, slots=True)
class MeasureReports:
    number: int
    label: str
    title: str
    items: tuple[ReportItem, ...]


@dataclass(frozen=True, slots=True)
class ChaseGroup:
    """One department to chase (催办): its red and yellow tasks with reasons, and its
    open tasks with no report this week. A task is chased at its lead department."""

    department_id: str
    name: str
    overdue: int
    red: int
    yellow: int
    tasks: tuple[TaskLine, ...]
    """Red and yellow tasks: red first, then by measure and id."""
    unreported: tuple[TaskLine, ...]


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
    chase: tuple[ChaseGroup, ...]
    deadline_days: int
    deadlines: tuple[Deadline, ...]
    departments: tuple[DepartmentRow, ...]
    indicators: tuple[IndicatorSummary, ...] = ()
    """The document's indicators with their series and status (section 七)."""

    @property
    def title(self) -> str:
        return f"{self.document}落实情况周报"


def rules_text(t: Thresholds) -> str:
    return (
        f"红灯：逾期未完成，或报告受阻。黄灯：进度落后序时进度超过{t.pace_margin}个百分点，"
        f"或{t.due_soon_days}天内到期未完成，或{t.stalled_days}天未报送进展。"
        "绿灯：按序时进度推进。"
    )


def _mean(values: Sequence[int]) -> int | None:
    return round(sum(values) / len(values)) if values else None


def build_weekly(
    catalog: Catalog,
    states: Sequence[TaskState],
    reports: Sequence[Report],
    on: dt.date,
    thresholds: Thresholds,
) -> WeeklyReport:
    """Assemble the report from task states and this week's reports (pure)."""
    week = Week.containing(on)
    ordered = listing_order(states)
    lines = {t.id: task_line(catalog, t, on, thresholds) for t in ordered}
    counted = live(reportable(ordered))
    cancelled = [t for t in reportable(ordered) if t.cancelled]
    open_tasks = [t for t in counted if lines[t.id].light is not Color.done]

    week_reports = [r for r in reports if week.start <= r.report_date <= week.end]
    reported_ids = {r.task_id for r in week_reports}

    # --- summary ---
    statuses = {s: sum(1 for t in counted if t.status is s) for s in STATUS_ORDER}
    lights = {c: sum(1 for t in counted if lines[t.id].light is c) for c in LIGHT_ORDER[:4]}
    done = lights[Color.done]
    summary = Summary(
        tasks=len(counted),
        cancelled=len(cancelled),
        fanned_out=sum(1 for t in ordered if t.is_parent and not t.cancelled),
        city_tasks=sum(1 for t in counted if t.parent_id),
        statuses=statuses,
        lights=lights,
        overdue=sum(1 for t in counted if lines[t.id].overdue_days > 0),
        reports=sum(1 for r in week_reports if r.corrected_by is None),
        reported_tasks=sum(1 for t in open_tasks if t.id in reported_ids),
        open_tasks=len(open_tasks),
        done_percent=round(100 * done / len(counted)) if counted else None,
        mean_percent=_mean([t.percent for t in counted]),
    )

    # --- per measure ---
    measure_rows = []
    for m in catalog.measures:
        mine = [t for t in counted if t.measure == m.number]
        colors = [lines[t.id].light for t in mine]
        lead = catalog.department(catalog.lead_id(m))
        measure_rows.append(
            MeasureRow(
                number=m.number,
                label=m.label,
                title=m.title,
                lead=lead.short,
                lead_name=lead.name,
                tasks=len(mine),
                done=colors.count(Color.done),
                mean_percent=_mean([t.percent for t in mine]),
                light=worst(colors),
                statuses={s: sum(1 for t in mine if t.status is s) for s in STATUS_ORDER},
                red=colors.count(Color.red),
                yellow=colors.count(Color.yellow),
            )
        )

    # --- reported this week, by measure ---
    state_of = {t.id: t for t in ordered}
    by_measure: dict[int, list[ReportItem]] = {}
    for r in week_reports:
        if r.corrected_by is not None or r.task_id not in state_of:
            continue
        task = state_of[r.task_id]
        by_measure.setdefault(task.measure, []).append(
            ReportItem(
                id=r.id,
                date=r.report_date,
                task_id=r.task_id,
                task_label=lines[r.task_id].label,
                reporter=department_short(catalog, r.reporter),
                status_label=r.status.label,
                percent=r.percent,
                note=r.note,
                evidence=r.evidence,
                corrects=r.corrects,
            )
        )
    measure_reports = tuple(
        MeasureReports(m.number, m.label, m.title, tuple(by_measure[m.number]))
        for m in catalog.measures
        if m.number in by_measure
    )

    # --- the chase list ---
    chase = _chase(catalog, counted, lines, reported_ids, week)

    # --- deadlines ---
    days = thresholds.due_soon_days
    horizon = on + dt.timedelta(days=days)
    deadlines = []
    for t in ordered:
        line = lines[t.id]
        if t.cancelled or line.light is Color.done or t.due_date is None:
            continue
        if not on <= t.due_date <= horizon:
            continue
        parent = state_of.get(t.parent_id) if t.parent_id else None
        if parent is not None and parent.due_date == t.due_date:
            continue  # listed once, on the province total line
        open_cities = None
        if t.is_parent:
            open_cities = sum(
                1
                for c in t.children
                if c in lines and lines[c].light not in (Color.done, Color.cancelled)
            )
        deadlines.append(Deadline(line, open_cities))
    deadlines.sort(key=lambda d: (d.task.due_date or on, d.task.measure))

    # --- per department ---
    departments = _departments(catalog, counted, lines, reported_ids)

    return WeeklyReport(
        document=catalog.document.number,
        document_title=catalog.document.title,
        issuer=catalog.document.issuer,
        as_of=on,
        week=week,
        thresholds=thresholds,
        rules=rules_text(thresholds),
        counting=COUNTING,
        summary=summary,
        measures=tuple(measure_rows),
        reports=measure_reports,
        chase=chase,
        deadline_days=days,
        deadlines=tuple(deadlines),
        departments=departments,
    )


def _chase(
    catalog: Catalog,
    counted: Sequence[TaskState],
    lines: dict[str, TaskLine],
    reported_ids: set[str],
    week: Week,
) -> tuple[ChaseGroup, ...]:
    flagged: dict[str, list[TaskLine]] = {}
    silent: dict[str, list[TaskLine]] = {}
    for t in counted:
        line = lines[t.id]
        if line.light in (Color.red, Color.yellow):
            flagged.setdefault(t.lead, []).append(line)
        started = t.start_date or t.created_on
        if line.light is not Color.done and started < week.start and t.id not in reported_ids:
            silent.setdefault(t.lead, []).append(line)
    order = {d.id: i for i, d in enumerate(catalog.departments)}
    groups = []
    for did in set(flagged) | set(silent):
        tasks = sorted(flagged.get(did, []), key=lambda x: x.light.rank)  # stable: red first
        groups.append(
            ChaseGroup(
                department_id=did,
                name=catalog.department(did).name,
                overdue=sum(1 for x in tasks if x.overdue_days > 0),
                red=sum(1 for x in tasks if x.light is Color.red),
                yellow=sum(1 for x in tasks if x.light is Color.yellow),
                tasks=tuple(tasks),
                unreported=tuple(silent.get(did, [])),
            )
        )
    groups.sort(
        key=lambda g: (-g.overdue, -g.red, -g.yellow, -len(g.unreported), order[g.department_id])
    )
    return tuple(groups)


def _departments(
    catalog: Catalog,
    counted: Sequence[TaskState],
    lines: dict[str, TaskLine],
    reported_ids: set[str],
) -> tuple[DepartmentRow, ...]:
    rows = []
    named = catalog.named()
    by_id = {t.id: t for t in counted}
    every_role = roles_by_department(catalog, counted)
    for d in named:
        candidates = [d]
        candidates += [catalog.department(m) for m in d.members]
        for c in candidates:
            roles = every_role.get(c.id, {})
            mine = [by_id[tid] for tid in roles]
            is_city = c is not d
            if is_city and not mine:
                continue
            led, co = catalog.measures_of(c.id)
            if not is_city and not (led or co or mine):
                continue
            colors = [lines[t.id].light for t in mine]
            open_ = [t for t in mine if lines[t.id].light is not Color.done]
            rows.append(
                DepartmentRow(
                    id=c.id,
                    name=c.name,
                    short=c.short,
                    city=is_city,
                    led=sum(1 for t in mine if roles[t.id] == "lead"),
                    co=sum(1 for t in mine if roles[t.id] == "co"),
                    done=colors.count(Color.done),
                    red=colors.count(Color.red),
                    yellow=colors.count(Color.yellow),
                    overdue=sum(1 for t in mine if lines[t.id].overdue_days > 0),
                    open=len(open_),
                    reported=sum(1 for t in open_ if t.id in reported_ids),
                    mean_percent=_mean([t.percent for t in mine]),
                )
            )
    return tuple(rows)


def weekly_report(
    store: Store,
    as_of: dt.date | None,
    thresholds: Thresholds,
    indicators: IndicatorsFile | None = None,
) -> WeeklyReport:
    """Read the store and build the report: the event-log view as known on ``as_of``
    when given, else the current view on today."""
    from dataclasses import replace

    from jsgj.reports.indicators import summarise
    from jsgj.store.indicators import series
    from jsgj.store.queries import reports_between, task_states
    from jsgj.values import today

    on = as_of or today()
    week = Week.containing(on)
    states = task_states(store, as_of)
    reports = reports_between(store, week.start, week.end, as_of)
    report = build_weekly(store.catalog, states, reports, on, thresholds)
    if indicators is None:
        return report
    summaries = tuple(
        summarise(store.catalog, ind, series(store, ind.id, as_of), on)
        for ind in indicators.indicators
    )
    return replace(report, indicators=summaries)


# --- JSON ----------------------------------------------------------------------------


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _light(c: Color | None) -> str | None:
    return c.value if c else None


def weekly_record(report: WeeklyReport) -> dict[str, Any]:
    """The report as JSON: the same content as the Markdown and HTML."""
    s = report.summary
    return {
        "title": report.title,
        "document": report.document,
        "document_title": report.document_title,
        "as_of": report.as_of.isoformat(),
        "week": report.week.to_json(),
        "rules": report.rules,
        "thresholds": {
            "pace_margin": report.thresholds.pace_margin,
            "due_soon_days": report.thresholds.due_soon_days,
            "stalled_days": report.thresholds.stalled_days,
        },
        "counting": report.counting,
        "summary": {
            "tasks": s.tasks,
            "cancelled": s.cancelled,
            "fanned_out": s.fanned_out,
            "city_tasks": s.city_tasks,
            "statuses": {st.value: n for st, n in s.statuses.items()},
            "lights": {c.value: n for c, n in s.lights.items()},
            "overdue": s.overdue,
            "reports_this_week": s.reports,
            "open_tasks": s.open_tasks,
            "open_tasks_reported_this_week": s.reported_tasks,
            "done_percent": s.done_percent,
            "mean_percent": s.mean_percent,
        },
        "measures": [
            {
                "number": m.number,
                "label": m.label,
                "title": m.title,
                "lead": m.lead_name,
                "tasks": m.tasks,
                "done": m.done,
                "mean_percent": m.mean_percent,
                "light": _light(m.light),
                "statuses": {st.value: n for st, n in m.statuses.items()},
                "red": m.red,
                "yellow": m.yellow,
            }
            for m in report.measures
        ],
        "reports": [
            {
                "measure": g.number,
                "title": g.title,
                "items": [
                    {
                        "id": i.id,
                        "date": i.date.isoformat(),
                        "task": i.task_id,
                        "task_label": i.task_label,
                        "by": i.reporter,
                        "status": i.status_label,
                        "percent": i.percent,
                        "note": i.note,
                        "evidence": i.evidence,
                        "corrects": i.corrects,
                    }
                    for i in g.items
                ],
            }
            for g in report.reports
        ],
        "chase": [
            {
                "department": g.department_id,
                "name": g.name,
                "overdue": g.overdue,
                "red": g.red,
                "yellow": g.yellow,
                "tasks": [t.to_json() for t in g.tasks],
                "unreported": [t.id for t in g.unreported],
            }
            for g in report.chase
        ],
        "deadline_days": report.deadline_days,
        "deadlines": [{**d.task.to_json(), "open_cities": d.open_cities} for d in report.deadlines],
        "departments": [
            {
                "id": d.id,
                "name": d.name,
                "city": d.city,
                "led": d.led,
                "co": d.co,
                "done": d.done,
                "red": d.red,
                "yellow": d.yellow,
                "overdue": d.overdue,
                "open": d.open,
                "reported_this_week": d.reported,
                "mean_percent": d.mean_percent,
            }
            for d in report.departments
        ],
        "indicators": [summary_record(i) for i in report.indicators],
    }
