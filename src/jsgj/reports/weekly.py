"""The weekly report (周报) as plain data: what the Markdown, HTML and JSON renderers
print. Pure: ``jsgj.views.weekly_report`` reads the store and calls ``build_weekly``.

The week is the ISO week (Monday to Sunday) that contains the as-of date; its year
is the ISO year (2024-12-30 lies in 2025年第1周). Statuses and lights are computed
on the as-of date, from what was known on it (the event-log view) when --as-of is
given, else from the current view on today. Counting follows ``tasks.counting``:
reportable tasks (a city's share counts, a fan-out parent does not), cancelled
tasks apart. Every ordering is by the document (measures, departments) and task id,
so the same database and as-of date give the same report, byte for byte.

Each task's line is made once; the figures are taken from the lines grouped once (by
measure, by department and role), never by filtering every line for every row: a
province of 20,000 tasks and 47 departments is one pass, not a million.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from jsgj.catalog.catalog import Catalog
from jsgj.reports.common import worst
from jsgj.reports.weekly_data import (
    LIGHT_ORDER,
    STATUS_ORDER,
    ChaseGroup,
    Deadline,
    DepartmentRow,
    MeasureReports,
    MeasureRow,
    Obstacle,
    ReportItem,
    Summary,
    Week,
    WeeklyReport,
    rules_text,
)
from jsgj.status import Color, Thresholds
from jsgj.tasks.counting import COUNTING, by_role, counted, tally
from jsgj.tasks.line import TaskLine, listing_order, task_line
from jsgj.tasks.records import EventKind, Report, Role, TaskEvent, TaskState
from jsgj.tasks.roles import roles_by_department, short
from jsgj.values import Status

__all__ = [
    "LIGHT_ORDER",
    "STATUS_ORDER",
    "ChaseGroup",
    "Deadline",
    "DepartmentRow",
    "MeasureReports",
    "MeasureRow",
    "Obstacle",
    "ReportItem",
    "Summary",
    "Week",
    "WeeklyReport",
    "blocked_spell",
    "build_weekly",
    "rules_text",
]


def blocked_spell(reports: Sequence[Report]) -> tuple[Report, Report] | None:
    """(the report that began the current 受阻 spell, the latest report) from a task's
    reports by its lead, or None when the latest is not 受阻. Corrected reports and
    contributions are left out."""
    mine = sorted(
        (r for r in reports if r.role is not Role.co and r.corrected_by is None),
        key=lambda r: (r.report_date, r.id),
    )
    if not mine or mine[-1].status is not Status.blocked:
        return None
    first = mine[-1]
    for r in reversed(mine):
        if r.status is not Status.blocked:
            break
        first = r
    return first, mine[-1]


def _mean(values: Sequence[int]) -> int | None:
    return round(sum(values) / len(values)) if values else None


def _statuses(lines: Iterable[TaskLine], state_of: Mapping[str, TaskState]) -> dict[Status, int]:
    """How many of ``lines`` are in each status (in ``STATUS_ORDER``)."""
    found = Counter(state_of[x.id].status for x in lines)
    return {s: found[s] for s in STATUS_ORDER}


def build_weekly(
    catalog: Catalog,
    states: Sequence[TaskState],
    reports: Sequence[Report],
    on: dt.date,
    thresholds: Thresholds,
    events: Sequence[TaskEvent] = (),
    histories: Mapping[str, Sequence[Report]] | None = None,
) -> WeeklyReport:
    """Assemble the report from task states and this week's reports (pure).
    ``events``: this week's lifecycle events (for the tasks approved this week);
    ``histories``: the reports of the blocked tasks (for why and since when)."""
    week = Week.containing(on)
    ordered = listing_order(states)
    lines = {t.id: task_line(catalog, t, on, thresholds) for t in ordered}
    units = counted(lines.values())
    live_units = [x for x in units if x.light is not Color.cancelled]
    whole = tally(units)
    open_lines = [x for x in live_units if x.light is not Color.done]

    week_reports = [r for r in reports if week.start <= r.report_date <= week.end]
    reported_ids = {r.task_id for r in week_reports if r.role.value != "co"}

    # --- summary ---
    state_of = {t.id: t for t in ordered}
    statuses = _statuses(live_units, state_of)
    summary = Summary(
        tasks=whole.tasks,
        cancelled=whole.cancelled,
        fanned_out=sum(1 for t in ordered if t.is_parent and not t.cancelled),
        city_tasks=sum(1 for x in live_units if x.parent_id),
        statuses=statuses,
        lights={c: whole.count(c) for c in LIGHT_ORDER[:6]},
        overdue=whole.overdue,
        reports=sum(1 for r in week_reports if r.corrected_by is None),
        reported_tasks=sum(1 for x in open_lines if x.id in reported_ids),
        open_tasks=len(open_lines),
        done_percent=whole.done_percent,
        mean_percent=whole.mean_percent,
    )

    # --- per measure ---
    units_of: dict[int, list[TaskLine]] = {}
    for x in units:
        units_of.setdefault(x.measure, []).append(x)
    measure_rows = []
    for m in catalog.measures:
        mine = units_of.get(m.number, [])
        live = [x for x in mine if x.light is not Color.cancelled]
        mt = tally(mine)
        lead = catalog.department(catalog.lead_id(m))
        measure_rows.append(
            MeasureRow(
                number=m.number,
                label=m.label,
                title=m.title,
                lead=lead.short,
                lead_name=lead.name,
                tasks=mt.tasks,
                done=mt.done,
                mean_percent=mt.mean_percent,
                light=worst(x.light for x in live),
                statuses=_statuses(live, state_of),
                red=mt.red,
                yellow=mt.yellow,
                blue=mt.blue,
                pending=mt.pending,
            )
        )

    # --- reported this week, by measure ---
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
                reporter=short(catalog, r.reporter),
                status_label=r.status_label,
                percent=r.percent,
                note=r.note,
                evidence=r.evidence,
                corrects=r.corrects,
                role_label=r.role.label,
            )
        )
    measure_reports = tuple(
        MeasureReports(m.number, m.label, m.title, tuple(by_measure[m.number]))
        for m in catalog.measures
        if m.number in by_measure
    )

    # --- the chase list ---
    chase = _chase(catalog, live_units, state_of, reported_ids, week)

    # --- deadlines ---
    days = thresholds.due_soon_days
    horizon = on + dt.timedelta(days=days)
    deadlines = []
    for t in ordered:
        line = lines[t.id]
        if t.cancelled or line.light in (Color.done, Color.pending) or t.due_date is None:
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
                if c in lines and lines[c].light not in (Color.done, Color.pending, Color.cancelled)
            )
        deadlines.append(Deadline(line, open_cities))
    deadlines.sort(key=lambda d: (d.task.due_date or on, d.task.measure))

    # --- per department ---
    departments = _departments(catalog, ordered, lines, reported_ids)

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
        pending=tuple(x for x in live_units if x.light is Color.pending),
        returned=tuple(x for x in live_units if x.returned_reason),
        extended=tuple(
            x for x in live_units if x.extended and x.light not in (Color.done, Color.pending)
        ),
        approved=_approved(live_units, events, week),
        obstacles=_obstacles(live_units, histories or {}, on),
        overdue=tuple(
            sorted((x for x in live_units if x.overdue_days > 0), key=lambda x: -x.overdue_days)
        ),
    )


def _approved(
    units: Sequence[TaskLine], events: Sequence[TaskEvent], week: Week
) -> tuple[TaskLine, ...]:
    ids = {
        e.task_id
        for e in events
        if e.kind is EventKind.approve and week.start <= e.event_date <= week.end
    }
    return tuple(x for x in units if x.id in ids and x.light is Color.done)


def _obstacles(
    units: Sequence[TaskLine], histories: Mapping[str, Sequence[Report]], on: dt.date
) -> tuple[Obstacle, ...]:
    out = []
    for x in units:
        if x.status != Status.blocked.value:
            continue
        spell = blocked_spell(histories.get(x.id, ()))
        if spell is None:
            out.append(Obstacle(x, "受阻", "—"))
            continue
        first, last = spell
        out.append(
            Obstacle(
                x,
                "受阻",
                first.note,
                since=first.report_date,
                days=(on - first.report_date).days,
                latest=last.note if last.id != first.id and last.note != first.note else None,
            )
        )
    out += [Obstacle(x, "退回", x.returned_reason or "—") for x in units if x.returned_reason]
    return tuple(out)


def _chase(
    catalog: Catalog,
    units: Sequence[TaskLine],
    state_of: dict[str, TaskState],
    reported_ids: set[str],
    week: Week,
) -> tuple[ChaseGroup, ...]:
    """The bodies that must act: each red or yellow task at its lead (a city share at
    its city), and each open task its lead did not report on this week."""
    flagged: dict[str, list[TaskLine]] = {}
    silent: dict[str, list[TaskLine]] = {}
    for line in units:
        if line.light in (Color.red, Color.yellow):
            flagged.setdefault(line.lead, []).append(line)
        started = state_of[line.id].started_on
        if (
            line.light not in (Color.done, Color.pending)
            and started < week.start
            and line.id not in reported_ids
        ):
            silent.setdefault(line.lead, []).append(line)
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
    ordered: Sequence[TaskState],
    lines: dict[str, TaskLine],
    reported_ids: set[str],
) -> tuple[DepartmentRow, ...]:
    """Per department, 牵头 and 配合 apart (``counting.by_role``): the row's headline
    figures are its own tasks as lead; ``co_tally`` its tasks as co."""
    rows = []
    every_role = roles_by_department(catalog, ordered)
    for d in catalog.named():
        candidates = [d, *(catalog.department(m) for m in d.members)]
        for c in candidates:
            roles = every_role.get(c.id, {})
            # The department's own lines, in listing order (``roles`` is in it).
            lead_lines, co_lines = by_role([lines[tid] for tid in roles], roles)
            is_city = c is not d
            if is_city and not (lead_lines or co_lines):
                continue
            led, co = catalog.measures_of(c.id)
            if not is_city and not (led or co or lead_lines or co_lines):
                continue
            lt, ct = tally(lead_lines), tally(co_lines)
            open_ = [
                x for x in lead_lines if x.light not in (Color.done, Color.pending, Color.cancelled)
            ]
            rows.append(
                DepartmentRow(
                    id=c.id,
                    name=c.name,
                    short=c.short,
                    city=is_city,
                    led=lt.tasks,
                    co=ct.tasks,
                    done=lt.done,
                    red=lt.red,
                    yellow=lt.yellow,
                    overdue=lt.overdue,
                    open=len(open_),
                    reported=sum(1 for x in open_ if x.id in reported_ids),
                    mean_percent=lt.mean_percent,
                    lead=lt,
                    co_tally=ct,
                )
            )
    return tuple(rows)
