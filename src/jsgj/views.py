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
    from jsgj.catalog.indicators import IndicatorsFile
    from jsgj.catalog.scoring import ScoringFile
    from jsgj.reports.monthly import Month, MonthlyReport
    from jsgj.reports.weekly import WeeklyReport
    from jsgj.status import Thresholds
    from jsgj.store.db import Store
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
    from jsgj.reports.weekly import Week, build_weekly
    from jsgj.store.history import events_between, reports_between, task_history
    from jsgj.store.indicators import series
    from jsgj.store.queries import task_states
    from jsgj.tasks.when import stamp
    from jsgj.values import Status, now

    on = when.on
    week = Week.containing(on)
    states = task_states(store, when)
    reports = reports_between(store, week.start, week.end, when)
    events = events_between(store, week.start, week.end, when)
    histories = {
        s.id: task_history(store, s.id, when).reports
        for s in states
        if s.status is Status.blocked and not s.is_parent and not s.cancelled
    }
    moment = when.known_on if isinstance(when.known_on, dt.datetime) else now()
    built = build_weekly(store.catalog, states, reports, on, thresholds, events, histories)
    report = replace(built, computed_at=stamp(moment))
    if indicators is None:
        return report
    summaries = tuple(
        summarise(store.catalog, ind, series(store, ind.id, when), on)
        for ind in indicators.indicators
    )
    return replace(report, indicators=summaries)


def monthly_report(
    store: Store,
    month: Month,
    thresholds: Thresholds,
    scoring: ScoringFile,
    scoring_source: str = "data/scoring.yaml",
) -> MonthlyReport:
    """The monthly 通报: task states at the end of the month, which tasks were closed
    before each of its weeks, and the reports and events dated in its weeks (as
    recorded now)."""
    from jsgj.reports.monthly import build_monthly
    from jsgj.store.history import events_between, reports_between
    from jsgj.store.queries import task_states
    from jsgj.tasks.when import When

    weeks = month.weeks()
    states = task_states(store, When(as_of=month.end))
    closed_before = {
        w: {
            s.id for s in task_states(store, When(as_of=w.start - dt.timedelta(days=1))) if s.closed
        }
        for w in weeks
    }
    start = min(weeks[0].start, month.start)
    end = max(weeks[-1].end, month.end)
    reports = reports_between(store, start, end, When())
    events = events_between(store, start, end, When())
    return build_monthly(
        store.catalog, month, states, closed_before, reports, events, thresholds, scoring,
        scoring_source,
    )  # fmt: skip
