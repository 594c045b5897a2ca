"""Each view's data, loaded from the store in one place: the time axes (``When``) are
parsed once by the command and passed here; the reports, renderers and light rules stay
pure (they import nothing from ``jsgj.store``), so every command that shows a view shows
the same figures for the same ``When``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from jsgj.catalog.indicators import IndicatorsFile
    from jsgj.catalog.scoring import ScoringFile
    from jsgj.reports.matrix import Matrix
    from jsgj.reports.monthly import Month, MonthlyReport
    from jsgj.reports.weekly import WeeklyReport
    from jsgj.status import Thresholds
    from jsgj.store.db import Store
    from jsgj.tasks.history import Report
    from jsgj.tasks.records import TaskState
    from jsgj.tasks.when import When


def weekly_report(
    store: Store,
    when: When,
    thresholds: Thresholds,
    indicators: IndicatorsFile | None = None,
) -> WeeklyReport:
    """The weekly report for the ISO week of ``when.on``: task states and that week's
    reports on both time axes, the indicators, and the moment it was computed (the
    ``--known-on`` timestamp when one was given, so that it reproduces itself)."""
    from jsgj.reports.indicators import summarise
    from jsgj.reports.weekly import Week, build_weekly, reported_ids, weekly_of
    from jsgj.store.history import events_between, reports_between
    from jsgj.store.indicators import series
    from jsgj.store.weekly import blocked_spells
    from jsgj.tasks.when import stamp
    from jsgj.values import Status, now

    on = when.on
    week = Week.containing(on)
    reports = reports_between(store, week.start, week.end, when)
    events = events_between(store, week.start, week.end, when)

    def spells(states: Sequence[TaskState]) -> dict[str, tuple[Report, ...]]:
        blocked = (
            s.id
            for s in states
            if s.status is Status.blocked and not s.is_parent and not s.cancelled
        )
        return blocked_spells(store, blocked, when)

    if when.current:
        # Counted in SQL (``store.aggregates``); task lines only for the tasks it
        # shows a line of, the others it lists only named.
        from jsgj.reports.weekly import approved_ids, report_ids
        from jsgj.store.aggregates import flagged_groups
        from jsgj.store.weekly import listed_states, named

        reported = reported_ids(reports, week)
        groups, flagged = flagged_groups(store, on, thresholds, reported)
        horizon = on + dt.timedelta(days=thresholds.due_soon_days)
        listed = listed_states(store, on, horizon, approved_ids(events, week), flagged)
        silent, names = named(store, week.start, reported, report_ids(reports, week))
        built = weekly_of(
            store.catalog, on, thresholds, groups, listed, reports,
            events=events, histories=spells(listed), unreported=silent, named=names,
        )  # fmt: skip
    else:
        from jsgj.store.queries import task_states

        states = task_states(store, when)
        built = build_weekly(store.catalog, states, reports, on, thresholds, events, spells(states))
    moment = when.known_on if isinstance(when.known_on, dt.datetime) else now()
    report = replace(built, computed_at=stamp(moment))
    if indicators is None:
        return report
    summaries = tuple(
        summarise(store.catalog, ind, series(store, ind.id, when), on)
        for ind in indicators.indicators
    )
    return replace(report, indicators=summaries)


def matrix(
    store: Store,
    when: When,
    thresholds: Thresholds,
    *,
    measures: Sequence[int] | None = None,
    sort: str = "document",
    with_tasks: bool = False,
) -> Matrix:
    """The responsibility matrix on ``when``. The current view only counts, so it is
    counted by SQLite from the derived table in groups of tasks that count alike
    (``store.aggregates.task_groups``: no task line built); any other view from the
    task states on its date."""
    from jsgj.reports.matrix import build_matrix, matrix_of
    from jsgj.tasks.roles import roles_by_department

    if when.current:
        from jsgj.store.aggregates import task_groups

        groups = task_groups(store, when.on, thresholds)
        roles = roles_by_department(store.catalog, groups)
        return matrix_of(
            store.catalog, groups, roles, when.on, measures=measures, sort=sort,
            with_tasks=with_tasks,
        )  # fmt: skip
    from jsgj.store.queries import task_states

    states = task_states(store, when)
    return build_matrix(
        store.catalog, states, when.on, thresholds, measures=measures, sort=sort,
        with_tasks=with_tasks,
    )  # fmt: skip


def monthly_report(
    store: Store,
    month: Month,
    when: When,
    thresholds: Thresholds,
    scoring: ScoringFile,
    scoring_source: str = "data/scoring.yaml",
) -> MonthlyReport:
    """The monthly 通报, counted to ``month.cut(when)`` (by default the month's last
    day): task states on that day, which tasks were closed before each of its weeks, and
    the reports and events dated in ``month.span``, all as recorded by ``when.known_on``
    (by now when not given); it prints the moment it was computed, so that the same
    ``--as-of`` with that moment as ``--known-on`` reproduces it."""
    from jsgj.reports.monthly import build_monthly
    from jsgj.store.history import events_between, reports_between
    from jsgj.store.queries import task_states
    from jsgj.tasks.when import When, stamp
    from jsgj.values import now

    on = month.cut(when)
    known = when.known_on
    states = task_states(store, When(as_of=on, known_on=known))
    closed_before = {
        w: {
            s.id
            for s in task_states(store, When(as_of=w.start - dt.timedelta(days=1), known_on=known))
            if s.closed
        }
        for w in month.weeks(on)
    }
    start, end = month.span(on)
    recorded = When(known_on=known)
    reports = reports_between(store, start, end, recorded)
    events = events_between(store, start, end, recorded)
    report = build_monthly(
        store.catalog, month, states, closed_before, reports, events, thresholds, scoring,
        scoring_source, on,
    )  # fmt: skip
    moment = known if isinstance(known, dt.datetime) else now()
    return replace(report, computed_at=stamp(moment))
