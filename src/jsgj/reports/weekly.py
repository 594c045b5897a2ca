"""The weekly report (周报) as plain data: what the Markdown, HTML and JSON renderers
print. Pure: ``jsgj.views.weekly_report`` reads the store and calls ``build_weekly``.

The week is the ISO week (Monday to Sunday) that contains the as-of date; its year
is the ISO year (2024-12-30 lies in 2025年第1周). Statuses and lights are computed
on the as-of date, from what was known on it (the event-log view) when --as-of is
given, else from the current view on today. Counting follows ``tasks.counting``:
reportable tasks (a city's share counts, a fan-out parent does not), cancelled
tasks apart. Every ordering is by the document (measures, departments) and task id,
so the same database and as-of date give the same report, byte for byte.

The figures are added up from groups of tasks that count alike (``reports.groups``:
from every task's line here, from SQLite for the current view), never by filtering
every line for every row; task lines are needed only for the tasks the report shows
a line of (``weekly_of``): the tasks it only names (the chase list's unreported ones,
those of the week's report lines) are ``TaskName``s, so that the current view builds
no line for a closed task, nor for the thousands of open ones it names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from jsgj.catalog.catalog import Catalog
from jsgj.reports.groups import (
    STATUS_ORDER,
    Group,
    counted_groups,
    groups_of,
    light_of,
    moving,
    plus,
    statuses,
)
from jsgj.reports.weekly_chase import by_lead, chase_groups, names, unreported_of
from jsgj.reports.weekly_data import (
    LIGHT_ORDER,
    ChaseGroup,
    Deadline,
    DepartmentRow,
    MeasureReports,
    MeasureRow,
    Obstacle,
    ReportItem,
    Summary,
    TaskName,
    Week,
    WeeklyReport,
    rules_text,
)
from jsgj.status import Color, Thresholds
from jsgj.tasks.counting import COUNTING, by_role
from jsgj.tasks.history import Report, TaskEvent
from jsgj.tasks.line import TaskLine, listing_order, task_line
from jsgj.tasks.records import EventKind, Role, TaskState
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
    "TaskName",
    "Week",
    "WeeklyReport",
    "blocked_spell",
    "build_weekly",
    "chase_of",
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


def week_reports(reports: Iterable[Report], week: Week) -> list[Report]:
    return [r for r in reports if week.start <= r.report_date <= week.end]


def reported_ids(reports: Iterable[Report], week: Week) -> set[str]:
    """The tasks their lead (or the office) reported on in ``week``."""
    return {r.task_id for r in week_reports(reports, week) if r.role is not Role.co}


def listed_ids(reports: Iterable[Report], events: Iterable[TaskEvent], week: Week) -> set[str]:
    """Tasks the report names whatever their light: those of the week's valid reports
    (``report_ids``) and those approved this week (``approved_ids``; every other task
    it lists is open or returned)."""
    return report_ids(reports, week) | approved_ids(events, week)


def report_ids(reports: Iterable[Report], week: Week) -> set[str]:
    """The tasks of the week's valid reports (its report lines name them)."""
    return {r.task_id for r in week_reports(reports, week) if r.corrected_by is None}


def build_weekly(
    catalog: Catalog,
    states: Sequence[TaskState],
    reports: Sequence[Report],
    on: dt.date,
    thresholds: Thresholds,
    events: Sequence[TaskEvent] = (),
    histories: Mapping[str, Sequence[Report]] | None = None,
) -> WeeklyReport:
    """Assemble the report from every task's state and this week's reports (pure).
    ``events``: this week's lifecycle events (for the tasks approved this week);
    ``histories``: the reports of the blocked tasks (for why and since when)."""
    ordered = listing_order(states)
    lines = {t.id: task_line(catalog, t, on, thresholds) for t in ordered}
    groups = groups_of(lines.values(), reported_ids(reports, Week.containing(on)))
    return weekly_of(
        catalog, on, thresholds, groups, ordered, reports,
        lines=lines, events=events, histories=histories,
    )  # fmt: skip


def weekly_of(
    catalog: Catalog,
    on: dt.date,
    thresholds: Thresholds,
    groups: Sequence[Group],
    listed: Sequence[TaskState],
    reports: Sequence[Report],
    *,
    lines: Mapping[str, TaskLine] | None = None,
    events: Sequence[TaskEvent] = (),
    histories: Mapping[str, Sequence[Report]] | None = None,
    unreported: Mapping[str, Sequence[TaskName]] | None = None,
    named: Mapping[str, TaskName] | None = None,
) -> WeeklyReport:
    """The report from its counts (``groups``: every task, ``reports.groups``) and
    the tasks it may list (``listed``, in listing order), with their lines when
    already made. ``unreported``: the chase list's tasks not reported this week, by
    lead department, in listing order (``weekly_chase.unreported_of``); ``named``:
    the tasks of the week's report lines (``report_ids``), by id. With both,
    ``listed`` need hold only the tasks the report shows a line of: at least each
    red or yellow counting unit, each task not cancelled that awaits review, was
    returned, was extended and is not done, or is due within the deadline horizon,
    the tasks of ``approved_ids``, and each fan-out parent due within the horizon
    with all its city shares. Without them it must hold every task not done and not
    cancelled and the tasks of ``listed_ids`` as well (they are found among them)."""
    week = Week.containing(on)
    if lines is None:
        lines = {t.id: task_line(catalog, t, on, thresholds) for t in listed}
    units = [lines[t.id] for t in listed if lines[t.id].counted]
    live_units = [x for x in units if x.light is not Color.cancelled]
    counting = counted_groups(groups)
    whole = plus(g.tally for g in counting)
    this_week = week_reports(reports, week)
    reported = reported_ids(reports, week)

    # --- summary ---
    state_of = {t.id: t for t in listed}
    summary = Summary(
        tasks=whole.tasks,
        cancelled=whole.cancelled,
        fanned_out=plus(g.tally for g in groups if g.is_parent).tasks,
        city_tasks=plus(g.tally for g in counting if g.city).tasks,
        statuses=statuses(counting),
        lights={c: whole.count(c) for c in LIGHT_ORDER[:6]},
        overdue=whole.overdue,
        reports=sum(1 for r in this_week if r.corrected_by is None),
        reported_tasks=sum(g.tally.tasks - g.tally.done for g in counting if g.reported),
        open_tasks=whole.tasks - whole.done,
        done_percent=whole.done_percent,
        mean_percent=whole.mean_percent,
    )

    # --- per measure ---
    groups_of_measure: dict[int, list[Group]] = {}
    for g in counting:
        groups_of_measure.setdefault(g.measure, []).append(g)
    measure_rows = []
    for m in catalog.measures:
        mine = groups_of_measure.get(m.number, [])
        mt = plus(g.tally for g in mine)
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
                light=light_of(mt),
                statuses=statuses(mine),
                red=mt.red,
                yellow=mt.yellow,
                blue=mt.blue,
                pending=mt.pending,
            )
        )

    # --- reported this week, by measure ---
    by_measure: dict[int, list[ReportItem]] = {}
    for r in this_week:
        if r.corrected_by is not None:
            continue
        name: TaskLine | TaskName | None = lines.get(r.task_id)
        if name is None and named is not None:
            name = named.get(r.task_id)
        if name is None:
            continue
        by_measure.setdefault(name.measure, []).append(
            ReportItem(
                id=r.id,
                date=r.report_date,
                task_id=r.task_id,
                task_label=name.label,
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
    if unreported is None:
        unreported = names(by_lead(unreported_of(live_units, state_of, reported, week)))
    silent: Mapping[str, Sequence[TaskName]] = unreported

    # --- deadlines ---
    days = thresholds.due_soon_days
    horizon = on + dt.timedelta(days=days)
    deadlines = []
    for t in listed:
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
        chase=chase_groups(catalog, live_units, silent),
        deadline_days=days,
        deadlines=tuple(deadlines),
        departments=_departments(catalog, groups),
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


def chase_of(
    catalog: Catalog,
    states: Sequence[TaskState],
    reports: Sequence[Report],
    on: dt.date,
    thresholds: Thresholds,
) -> tuple[ChaseGroup[TaskLine], ...]:
    """The chase list as the weekly report of ``on`` has it (``reports``: at least
    that week's), with the lines of the tasks not reported (a 催办通知单 shows them)."""
    week = Week.containing(on)
    lines = (task_line(catalog, t, on, thresholds) for t in listing_order(states))
    units = [x for x in lines if x.counted and x.light is not Color.cancelled]
    state_of = {t.id: t for t in states}
    silent = by_lead(unreported_of(units, state_of, reported_ids(reports, week), week))
    return chase_groups(catalog, units, silent)


def approved_ids(events: Iterable[TaskEvent], week: Week) -> set[str]:
    """The tasks the office approved (销号) in ``week``."""
    return {
        e.task_id
        for e in events
        if e.kind is EventKind.approve and week.start <= e.event_date <= week.end
    }


def _approved(
    units: Sequence[TaskLine], events: Sequence[TaskEvent], week: Week
) -> tuple[TaskLine, ...]:
    ids = approved_ids(events, week)
    return tuple(x for x in units if x.id in ids and x.light is Color.done)


def _obstacles(
    units: Sequence[TaskLine], histories: Mapping[str, Sequence[Report]], on: dt.date
) -> tuple[Obstacle, ...]:
    out = []
    blocked = Status.blocked.value  # an enum's value is a property: read once, not per task
    for x in units:
        if x.status != blocked:
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


def _departments(catalog: Catalog, groups: Sequence[Group]) -> tuple[DepartmentRow, ...]:
    """Per department, 牵头 and 配合 apart (``counting.by_role``, on groups of tasks):
    the row's headline figures are its own tasks as lead; ``co_tally`` its tasks as
    co."""
    rows = []
    every_role = roles_by_department(catalog, groups)
    group_of = {g.id: g for g in groups}
    for d in catalog.named():
        candidates = [d, *(catalog.department(m) for m in d.members)]
        for c in candidates:
            roles = every_role.get(c.id, {})
            lead_groups, co_groups = by_role([group_of[gid] for gid in roles], roles)
            is_city = c is not d
            if is_city and not roles:
                continue
            led, co = catalog.measures_of(c.id)
            if not is_city and not (led or co or roles):
                continue
            lt, ct = plus(g.tally for g in lead_groups), plus(g.tally for g in co_groups)
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
                    open=moving(lt),
                    reported=sum(moving(g.tally) for g in lead_groups if g.reported),
                    mean_percent=lt.mean_percent,
                    lead=lt,
                    co_tally=ct,
                )
            )
    return tuple(rows)
