"""Replay the demo's plans through the store: the only module of the demo that writes.

Every write goes through the store's own functions (``assign``, ``acknowledge``,
``record_progress``, ``review``, ``edit_task``, ``cancel_task``, ``record_observation``),
each inside ``values.frozen_today(day)`` so that it carries the date a clerk would have
recorded it; they are imported here and nowhere else in the package. Events run in (day,
rank, order of the plans) order; ``REPLAY`` is the table of the plans' event kinds (see
plans.py).

Besides what the plans say, the task lifecycle follows two rules for every task:

* 签收: each task (each city's share of a shared-out one) is acknowledged the working day
  after it is assigned, naming a contact in turn from ``texts.contacts`` (unless its plan
  says ``acknowledged: false``);
* 审核: each claim of completion (a 已完成 report, with ``texts.claim_evidence`` when its
  milestone cites none) is approved three working days after it is recorded, if that is
  by as_of; a mistaken one (a ``mistake`` with status done) is returned with its
  ``returned`` reason instead, at the latest when its correction is recorded.
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
from jsgj.demo.plans import Cancel, Contribution, Demo, Edit, Event, Mistake, Plan
from jsgj.demo.schedule import ReportSpec, first_event, schedule, working_day_after
from jsgj.errors import JsgjError
from jsgj.i18n import _
from jsgj.store.db import Store
from jsgj.store.revisions import cancel_task, edit_task
from jsgj.store.tasks import (
    Actor,
    acknowledge,
    assign,
    record_progress,
    review,
)
from jsgj.values import Status, frozen_today

if TYPE_CHECKING:
    from jsgj.catalog.indicators import IndicatorsFile

# The order of a day's events: assignments; edits, 签收 and returned claims; reports;
# cancellations and approved claims.
RANK_ASSIGN, RANK_BEFORE, RANK_REPORT, RANK_AFTER = 0, 1, 2, 3
REVIEW_AFTER = 3
"""Working days from a claim of completion to the office's review."""


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


def _contribution(store: Store, office: Actor, task_id: str, e: Contribution) -> None:
    record_progress(
        store,
        task_id,
        status=Status.in_progress,
        note=e.note,
        percent=e.percent,
        report_date=e.date,
        by=e.by,
        actor_user=f"{e.by}.lly",
    )


REPLAY: dict[str, Replay | None] = {
    "edit": Replay(RANK_BEFORE, _edit),
    "cancel": Replay(RANK_AFTER, _cancel),
    "contribution": Replay(RANK_REPORT, _contribution),
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
                evidence=r.evidence or (claim_evidence if r.status is Status.done else None),
                corrects=corrects,
                actor_user=f"{r.by}.lly",  # 联络员: the department's liaison
            )

        return run

    def ack_event(task_id: str, by: str, index: int) -> Callable[[], None]:
        def run() -> None:
            contact = demo.texts.contacts[index % len(demo.texts.contacts)]
            phone = f"025-{83790000 + index * 37:08d}"
            acknowledge(store, task_id, by=by, contact=contact, phone=phone, actor_user=f"{by}.lly")

        return run

    def review_event(task_id: str, returned: str | None) -> Callable[[], None]:
        def run() -> None:
            review(
                store,
                task_id,
                approve=returned is None,
                reason=returned,
                actor_user=demo.calendar.office_clerk,
            )

        return run

    def replay(task_id: str, event: Event) -> None:
        kind = REPLAY[event.kind]
        if kind is not None:
            add(event.date, kind.rank, lambda: kind.run(store, office, task_id, event))

    claim_evidence = demo.texts.claim_evidence
    specs: list[ReportSpec] = []
    returns: dict[str, str] = {}  # share -> the reason its mistaken claim is returned with
    acks = 0
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
            reporter = city or lead
            if twist is None or twist.acknowledged is None:
                acknowledged = plan.acknowledged
            else:
                acknowledged = twist.acknowledged
            if acknowledged:
                after = working_day_after(demo.assigned(plan))
                add(after, RANK_BEFORE, ack_event(share_id, reporter, acks))
                acks += 1
            mistake = first_event(Mistake, plan, twist)
            if mistake is not None and mistake.returned is not None:
                returns[share_id] = mistake.returned
            for spec in schedule(
                demo, plan, share_id, reporter, rng, city=city, city_name=name, twist=twist
            ):
                add(spec.recorded, RANK_REPORT, report_event(spec))
                specs.append(spec)

    # 审核, after every plan's events (their order on a day is the order they are added).
    corrected = {(s.task, s.corrects_date) for s in specs if s.corrects_date}
    for spec in specs:
        if spec.status is not Status.done:
            continue
        day = spec.recorded
        for _i in range(REVIEW_AFTER):
            day = working_day_after(day)
        if (spec.task, spec.date) in corrected:
            fix = min(
                s.recorded for s in specs if s.task == spec.task and s.corrects_date == spec.date
            )
            add(min(day, fix), RANK_BEFORE, review_event(spec.task, returns.get(spec.task, "")))
        elif day <= demo.calendar.as_of:
            add(day, RANK_AFTER, review_event(spec.task, None))

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
