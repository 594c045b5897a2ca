"""Replay the demo's plans through the store: the only module of the demo that writes.

Every write goes through the store's own functions (``assign``, ``record_progress``,
``edit_task``, ``cancel_task``, ``record_observation``), each inside
``values.frozen_today(day)`` so that it carries the date a clerk would have recorded it;
they are imported here and nowhere else in the package. Events run in (day, rank, order
of the plans) order; ``REPLAY`` is the table of event kinds (see plans.py).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jsgj.catalog.catalog import OFFICE_ID
from jsgj.demo.checks import load_checked
from jsgj.demo.plans import Cancel, Demo, Edit, Event, Plan
from jsgj.demo.schedule import ReportSpec, schedule
from jsgj.errors import JsgjError
from jsgj.i18n import _
from jsgj.store.db import Store
from jsgj.store.tasks import Actor, assign, cancel_task, edit_task, record_progress
from jsgj.values import frozen_today

if TYPE_CHECKING:
    from jsgj.catalog.indicators import IndicatorsFile

# The order of a day's events: assignments first, then edits, reports, cancellations.
RANK_ASSIGN, RANK_EDIT, RANK_REPORT, RANK_CANCEL = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class Replay:
    """What the store records for an event of one kind, on the event's date."""

    rank: int
    run: Callable[[Store, Actor, str, Any], None]
    """(store, the office's actor, the task's id, the event)."""


def _edit(store: Store, office: Actor, task_id: str, e: Edit) -> None:
    edit_task(store, task_id, reason=e.reason, due=e.due, actor=office)


def _cancel(store: Store, office: Actor, task_id: str, e: Cancel) -> None:
    cancel_task(store, task_id, reason=e.reason, actor=office)


REPLAY: dict[str, Replay | None] = {
    "edit": Replay(RANK_EDIT, _edit),
    "cancel": Replay(RANK_CANCEL, _cancel),
    # These shape the task's reports (schedule.py); they record nothing of their own.
    "blocked": None,
    "mistake": None,
}
"""Event kind -> its replay. A plan's events apply to its task (a fan-out parent: the
store passes them on to its cities); a twist's events to that city's share."""


@dataclass(order=True)
class _Event:
    day: date
    rank: int
    seq: int
    run: Callable[[], None] = field(compare=False)


def build_demo(store: Store, directory: Path | None = None) -> Demo:
    """Fill an empty database with the demo's half year of tasks and reports, and return
    the plans it followed. ``directory`` holds plans.yaml and indicators.yaml (default:
    data/demo/)."""
    if store.query("SELECT 1 FROM tasks LIMIT 1"):
        raise JsgjError(
            _("{path}: the demo needs an empty database; it already holds tasks").format(
                path=store.path
            )
        )
    from jsgj.catalog.indicators import load_indicators
    from jsgj.paths import indicators_path

    catalog = store.catalog
    indicators = load_indicators(indicators_path())
    demo = load_checked(catalog, indicators, directory)
    rng = random.Random(demo.calendar.seed)
    office = Actor(OFFICE_ID, demo.calendar.office_clerk)
    events: list[_Event] = []
    report_ids: dict[tuple[str, date], int] = {}

    def add(day: date, rank: int, run: Callable[[], None]) -> None:
        events.append(_Event(day, rank, len(events), run))

    def assign_event(plan: Plan, expected: str) -> Callable[[], None]:
        def run() -> None:
            ids = assign(
                store,
                plan.measure,
                plan.title,
                lead=plan.lead,
                co=plan.co,
                due=plan.due,
                start=plan.start,
                actor=office,
                on=demo.assigned(plan),
            )
            if ids[0] != expected:
                raise JsgjError(
                    _("demo: expected task {expected}, got {got}").format(
                        expected=expected, got=ids[0]
                    )
                )

        return run

    def report_event(r: ReportSpec) -> Callable[[], None]:
        def run() -> None:
            corrects = report_ids[(r.task, r.corrects_date)] if r.corrects_date else None
            report_ids[(r.task, r.date)] = record_progress(
                store,
                r.task,
                status=r.status,
                note=r.note,
                percent=r.percent,
                report_date=r.date,
                by=r.by,
                evidence=r.evidence,
                corrects=corrects,
                actor_user=f"{r.by}.lly",  # 联络员: the department's liaison
            )

        return run

    def replay(task_id: str, event: Event) -> None:
        kind = REPLAY[event.kind]
        if kind is not None:
            add(event.date, kind.rank, lambda: kind.run(store, office, task_id, event))

    for plan, task_id in zip(demo.plans, demo.task_ids, strict=True):
        add(demo.assigned(plan), RANK_ASSIGN, assign_event(plan, task_id))
        for event in plan.events:
            replay(task_id, event)
        measure = catalog.measure(plan.measure)
        lead = plan.lead or catalog.lead_id(measure)
        members = catalog.department(lead).members
        shares: list[tuple[str, str | None, str | None]] = [
            (f"{task_id}.{m}", m, catalog.department(m).short) for m in members
        ] or [(task_id, None, None)]
        for share_id, city, name in shares:
            twist = plan.twists.get(city) if city else None
            for event in twist.events if twist else ():
                replay(share_id, event)
            for spec in schedule(
                demo, plan, share_id, city or lead, rng, city=city, city_name=name, twist=twist
            ):
                add(spec.recorded, RANK_REPORT, report_event(spec))

    for due in sorted(events):
        with frozen_today(due.day):
            due.run()
    _record_indicators(store, demo, indicators)
    return demo


def _record_indicators(store: Store, demo: Demo, indicators: IndicatorsFile) -> None:
    """Each year's figures are recorded when they are published (``published``, then a
    year later for each following year)."""
    from jsgj.store.indicators import PROVINCE, record_observation

    data = demo.indicators
    for index, year in enumerate(data.years):
        published = data.published.replace(year=data.published.year + index)
        with frozen_today(published):
            for series in data.series:
                indicator = indicators.get(series.indicator)
                for region, values in series.values.items():
                    where = (
                        data.province
                        if region == PROVINCE
                        else store.catalog.department(region).short
                    )
                    record_observation(
                        store,
                        indicator,
                        float(values[index]),
                        observed_on=date(year, 12, 31),
                        region=region,
                        source=series.source.format(year=year, where=where),
                    )


def demo_summary(store: Store) -> dict[str, int]:
    """What the built database holds, counted in it, for the one line ``jsgj demo`` prints."""
    row = store.query(
        """SELECT
             (SELECT COUNT(*) FROM tasks WHERE parent_id IS NULL) AS tasks,
             (SELECT COUNT(*) FROM tasks WHERE parent_id IS NOT NULL) AS city_shares,
             (SELECT COUNT(*) FROM progress_reports) AS reports,
             (SELECT COUNT(*) FROM progress_reports WHERE corrects IS NOT NULL) AS corrections,
             (SELECT COUNT(*) FROM task_revisions r JOIN tasks t ON t.id = r.task_id
               WHERE r.kind = 'edit' AND t.parent_id IS NULL) AS edits,
             (SELECT COUNT(*) FROM tasks WHERE cancelled AND parent_id IS NULL) AS cancelled,
             (SELECT COUNT(*) FROM indicator_observations) AS figures"""
    )[0]
    return {k: int(v) for k, v in row.items()}
