"""From a plan to the reports one task receives up to the demo's as-of date (pure: no
database; ``build.py`` replays them through the store).

A department reports on its own weekday, weekly or fortnightly (``cadence``), now and
then a week late or not at all; its percent follows the expected pace (序时进度) times
``pace``, with the note of the milestone it has reached. The dated events of
``plans.py`` bend that stream: ``blocked`` turns reports into 受阻 ones until lifted,
``mistake`` adds a wrong report and its correction days later, ``edit`` moves the end
the pace aims at, ``cancel`` and ``done_on``/``last_report`` end it. Every random
choice comes from the one seeded ``random.Random``, in a fixed order: the same files
give the same reports.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import TypeVar

from jsgj.demo.plans import Blocked, Cancel, Demo, Edit, Mistake, Plan, Twist
from jsgj.values import Status

E = TypeVar("E", Blocked, Mistake, Cancel)


@dataclass(frozen=True, slots=True)
class ReportSpec:
    task: str
    date: dt.date
    recorded: dt.date
    status: Status
    percent: int
    note: str
    evidence: str | None
    by: str
    corrects_date: dt.date | None = None
    """For a correction: the date of the report it replaces."""


def working_day_after(day: dt.date) -> dt.date:
    nxt = day + dt.timedelta(days=1)
    while nxt.weekday() >= 5:
        nxt += dt.timedelta(days=1)
    return nxt


def _pct(start: dt.date, end: dt.date, day: dt.date, pace: float, rng: random.Random) -> int:
    span = max(1, (end - start).days)
    raw = pace * (day - start).days / span * 100 * rng.uniform(0.93, 1.07)
    return int(min(95, max(5, round(raw / 5) * 5)))


def first_event(kind: type[E], plan: Plan, twist: Twist | None) -> E | None:
    """A city's own event of that kind, else its plan's."""
    for e in (*(twist.events if twist else ()), *plan.events):
        if isinstance(e, kind):
            return e
    return None


def schedule(
    demo: Demo,
    plan: Plan,
    task_id: str,
    reporter: str,
    rng: random.Random,
    *,
    city: str | None = None,
    city_name: str | None = None,
    twist: Twist | None = None,
) -> list[ReportSpec]:
    """The reports one task (or one city's share of it) receives, in date order."""
    cal, texts = demo.calendar, demo.texts

    def fill(text: str) -> str:
        if city is None:
            return text
        abbr = demo.plans_file.data.city_abbr[city]
        return text.format(city=city_name, c=abbr, n=rng.randint(8, 96))

    twist = twist or Twist()
    pace = twist.pace if twist.pace is not None else plan.pace
    if city is not None and twist.pace is None and twist.done_on is None:
        pace = round(rng.uniform(0.85, 1.2), 2)
    done_on = twist.done_on or plan.done_on
    last = twist.last_report or plan.last_report
    blocked = first_event(Blocked, plan, twist)
    mistake = first_event(Mistake, plan, twist)
    cancel = first_event(Cancel, plan, twist)
    edits = sorted((e for e in (*plan.events, *twist.events) if isinstance(e, Edit)), key=_date)
    assigned = demo.assigned(plan)
    start = plan.start or assigned
    end = done_on or (edits[-1].due if edits else plan.due)
    stop = min(d for d in (done_on, last, cal.as_of, cancel.date if cancel else None) if d)
    forced = {
        d
        for d in (
            done_on,
            last,
            mistake and mistake.date,
            blocked and blocked.date,
            blocked and blocked.until,
        )
        if d
    }
    weekday = rng.randint(1, 4)  # the day of the week this department usually reports
    phase = rng.randint(0, 1)
    out: list[ReportSpec] = []
    percent, step_note, was_blocked = 0, "", False
    monday = cal.start - dt.timedelta(days=cal.start.weekday())
    week = 0
    while monday <= stop:
        in_week = sorted(d for d in forced if monday <= d < monday + dt.timedelta(days=7))
        day = in_week[0] if in_week else monday + dt.timedelta(days=weekday)
        week += 1
        monday += dt.timedelta(days=7)
        if not in_week:
            if plan.cadence == 14 and week % 2 == phase:
                continue
            if plan.cadence == 7 and rng.random() < 0.08:  # a missed week
                continue
        if day < max(start, assigned) or day > stop:
            continue
        if cal.holiday.first <= day <= cal.holiday.last:
            continue
        recorded = day
        if rng.random() < 0.15:
            recorded = min(working_day_after(day), cal.as_of)
        evidence: str | None = None
        is_blocked = bool(
            blocked and blocked.date <= day and (blocked.until is None or day < blocked.until)
        )
        if done_on is not None and day == done_on:
            status, percent = Status.done, 100
            final = plan.milestones[-1]
            note = fill(final.note)
            evidence = fill(final.evidence) if final.evidence else None
        elif is_blocked and blocked is not None:
            status = Status.blocked
            note = blocked.note if not was_blocked else rng.choice(texts.blocked_fillers)
        else:
            status = Status.in_progress
            percent = max(percent, _pct(start, end, day, pace, rng))
            if mistake is not None and day == mistake.date and mistake.right is not None:
                percent = mistake.right
            if done_on is not None:
                percent = min(percent, 95)
            step = [s for s in plan.milestones if s.at <= percent and s.at < 100][-1]
            if was_blocked and blocked is not None:
                note = blocked.resolved or texts.resolved
            elif step.note != step_note:
                note = fill(step.note)
                evidence = fill(step.evidence) if step.evidence else None
                step_note = step.note
            elif city is not None:
                note = rng.choice(texts.city_fillers).format(city=city_name)
            else:
                note = rng.choice(texts.fillers)
        was_blocked = is_blocked
        spec = ReportSpec(task_id, day, recorded, status, percent, note, evidence, reporter)
        if mistake is not None and day == mistake.date:
            wrong = ReportSpec(
                task_id,
                day,
                recorded,
                mistake.status,
                mistake.percent,
                fill(mistake.note),
                None,
                reporter,
            )
            fix = ReportSpec(
                task_id,
                day,
                mistake.corrected,
                spec.status,
                spec.percent,
                fill(mistake.fix_note),
                spec.evidence,
                reporter,
                corrects_date=day,
            )
            out += [wrong, fix]
        else:
            out.append(spec)
    return out


def _date(e: Edit) -> dt.date:
    return e.date
