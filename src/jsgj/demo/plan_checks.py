"""The checks of data/demo/plans.yaml beyond its schema: each plan against the
catalogue (X001), its dates against the calendar and one another (X002), its milestones
(X003), the {placeholders} of its texts (X004), single events (X005) and twists (X006).

The dates are most of it: a plan's events become reports on a weekly schedule
(demo/schedule.py), so every date it forces must fall in the task's reporting days,
outside the holiday and in a week of its own; otherwise the build would quietly drop
or move it. The entry points are in jsgj.demo.checks."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

from jsgj.demo.plans import (
    CITY_FIELDS,
    SINGLE_KINDS,
    Blocked,
    Cancel,
    Demo,
    Edit,
    Mistake,
    Plan,
    Twist,
    fields_of,
)
from jsgj.errors import NotFoundError, Problem
from jsgj.i18n import _
from jsgj.values import Status

if TYPE_CHECKING:
    from jsgj.catalog.catalog import Catalog

Key = tuple[str | int, ...]
"""Where in a YAML file a problem is: the keys and indexes down to its node."""
NO_FIELDS: frozenset[str] = frozenset()


def placeholders(text: str, allowed: frozenset[str]) -> str:
    """The message for a text that names a {placeholder} it may not: the build fills
    only the names it knows, so any other would show as written."""
    if not allowed:
        return _("{text}: no {{placeholders}} here (the text is used as written)").format(
            text=repr(text)
        )
    names = ", ".join("{" + f + "}" for f in sorted(allowed))
    return _("{text}: only {names} may be used here").format(text=repr(text), names=names)


def _template(demo: Demo, key: Key, text: str | None, allowed: frozenset[str]) -> Iterator[Problem]:
    if text is not None and not fields_of(text) <= allowed:
        yield demo.plans_file.problem("X004", placeholders(text, allowed), *key)


def check_texts(demo: Demo) -> Iterator[Problem]:
    loaded, cal, texts = demo.plans_file, demo.calendar, demo.texts
    if cal.as_of < cal.start:
        yield loaded.problem(
            "X002", _("calendar.as_of is before calendar.start"), "calendar", "as_of"
        )
    if cal.holiday.last < cal.holiday.first:
        yield loaded.problem("X002", _("the holiday ends before it begins"), "calendar", "holiday")
    city = frozenset({"city"})
    for name, allowed in (("fillers", NO_FIELDS), ("blocked_fillers", NO_FIELDS)):
        for j, text in enumerate(getattr(texts, name)):
            yield from _template(demo, ("texts", name, j), text, allowed)
    for j, text in enumerate(texts.city_fillers):
        yield from _template(demo, ("texts", "city_fillers", j), text, city)
    yield from _template(demo, ("texts", "resolved"), texts.resolved, NO_FIELDS)
    yield from _template(demo, ("texts", "claim_evidence"), texts.claim_evidence, NO_FIELDS)


def check_plan(demo: Demo, catalog: Catalog, i: int, plan: Plan) -> Iterator[Problem]:
    loaded = demo.plans_file
    at: Key = ("plans", i)
    try:
        measure = catalog.measure(plan.measure)
    except NotFoundError as e:
        yield loaded.problem("X001", str(e), *at, "measure")
        return
    eligible = catalog.eligible_ids(measure)
    lead = plan.lead or catalog.lead_id(measure)
    for key, did in [(("lead",), lead), *((("co", j), d) for j, d in enumerate(plan.co))]:
        if did not in eligible:
            yield loaded.problem(
                "X001",
                _(
                    "{department} is not a department of measure {measure} (it may be: {eligible})"
                ).format(department=repr(did), measure=plan.measure, eligible=", ".join(eligible)),
                *at,
                *key,
            )
            return
    members = catalog.department(lead).members
    missing = [c for c in members if c not in loaded.data.city_abbr]
    if missing:
        yield loaded.problem(
            "X004",
            _("city_abbr has no abbreviation for {cities}").format(cities=", ".join(missing)),
            *at,
            "lead",
        )
    for city in plan.twists:
        if city not in members:
            yield loaded.problem(
                "X006",
                (
                    _("twists.{city}: the lead {lead} has no member {city}")
                    if members
                    else _("twists.{city}: only a task shared out to cities has twists")
                ).format(city=city, lead=repr(lead)),
                *at,
                "twists",
                city,
            )
    # A fan-out's milestones and mistakes are written per city ({city}, {c}, {n}).
    allowed = CITY_FIELDS if members else NO_FIELDS
    yield from _check_milestones(demo, at, plan, allowed)
    yield from _check_events(demo, at, plan, None, allowed)
    for city, twist in plan.twists.items():
        yield from _check_events(demo, (*at, "twists", city), plan, twist, allowed)


def _check_milestones(
    demo: Demo, at: Key, plan: Plan, allowed: frozenset[str]
) -> Iterator[Problem]:
    loaded = demo.plans_file
    steps = plan.milestones
    if steps[0].at > 5:
        yield loaded.problem(
            "X003",
            _("the first milestone must be 5% at most: reports start at 5%"),
            *at,
            "milestones",
            0,
            "at",
        )
    for j in range(1, len(steps)):
        if steps[j].at <= steps[j - 1].at:
            yield loaded.problem(
                "X003",
                _("milestones must rise: each `at` above the one before"),
                *at,
                "milestones",
                j,
            )
    if (plan.done_on or any(t.done_on for t in plan.twists.values())) and steps[-1].at != 100:
        yield loaded.problem(
            "X003",
            _("a task that is done (done_on) needs a last milestone at 100: its final report"),
            *at,
            "milestones",
            len(steps) - 1,
        )
    for j, m in enumerate(steps):
        yield from _template(demo, (*at, "milestones", j, "note"), m.note, allowed)
        yield from _template(demo, (*at, "milestones", j, "evidence"), m.evidence, allowed)


def _check_events(
    demo: Demo, at: Key, plan: Plan, twist: Twist | None, allowed: frozenset[str]
) -> Iterator[Problem]:
    """The dates and texts of a plan (``twist`` None) or of one city's twist."""
    loaded, cal = demo.plans_file, demo.calendar
    own = twist or plan
    assigned = demo.assigned(plan)
    begin = plan.start or assigned
    done_on = (twist and twist.done_on) or plan.done_on
    last = (twist and twist.last_report) or plan.last_report
    cancels = [
        e.date for e in (*(twist.events if twist else ()), *plan.events) if e.kind == "cancel"
    ]
    stop = min(d for d in (done_on, last, cal.as_of, *cancels[:1]) if d)

    def problem(message: str, *key: str | int) -> Problem:
        return loaded.problem("X002", message, *at, *key)

    def outside(day: dt.date, first: dt.date, last: dt.date) -> str | None:
        if first <= day <= last:
            return None
        return _("{day} lies outside {first} .. {last}").format(day=day, first=first, last=last)

    if twist is None:
        if not cal.start <= assigned <= cal.as_of:
            yield problem(
                _("assigned {day} lies outside the demo ({first} .. {last})").format(
                    day=assigned, first=cal.start, last=cal.as_of
                ),
                "assigned",
            )
        if plan.start and plan.start < assigned:
            yield problem(
                _("start {start} is before the task is assigned ({day})").format(
                    start=plan.start, day=assigned
                ),
                "start",
            )
        if plan.due < begin:
            yield problem(
                _("due {due} is before the task starts ({start})").format(
                    due=plan.due, start=begin
                ),
                "due",
            )
    # Report days the schedule must hit: one report a week, so one such day per week.
    forced: list[tuple[dt.date, Key]] = []
    for name in ("done_on", "last_report"):
        day = getattr(own, name)
        if day is not None:
            forced.append((day, (name,)))
            why = outside(day, begin, cal.as_of)
            if why:
                yield problem(
                    _("{field}: {why} (the task's reports run from its start to as_of)").format(
                        field=name, why=why
                    ),
                    name,
                )
    counts = Counter(e.kind for e in own.events)
    for k, e in enumerate(own.events):
        key: Key = ("events", k)
        if e.kind in SINGLE_KINDS and counts[e.kind] > 1:
            yield loaded.problem(
                "X005",
                _("a task has at most one {kind} event").format(kind=repr(e.kind)),
                *at,
                *key,
                "kind",
            )
        if isinstance(e, (Edit, Cancel)):
            why = outside(e.date, assigned, cal.as_of)
            if why:
                yield problem(
                    _("{kind}: {why} (from assignment to as_of)").format(kind=e.kind, why=why),
                    *key,
                    "date",
                )
            yield from _template(demo, (*at, *key, "reason"), e.reason, NO_FIELDS)
        if isinstance(e, Edit) and e.due < begin:
            yield problem(
                _("edit: the new due date {due} is before the task starts").format(due=e.due),
                *key,
                "due",
            )
        if isinstance(e, (Blocked, Mistake)):
            forced.append((e.date, (*key, "date")))
            why = outside(e.date, begin, stop)
            if why:
                yield problem(
                    _("{kind}: {why} (the days the task reports)").format(kind=e.kind, why=why),
                    *key,
                    "date",
                )
        if isinstance(e, Blocked):
            if e.until is not None:
                forced.append((e.until, (*key, "until")))
                if not e.date < e.until <= cal.as_of:
                    yield problem(
                        _("blocked: until {until} must lie after {date}, by as_of").format(
                            until=e.until, date=e.date
                        ),
                        *key,
                        "until",
                    )
            yield from _template(demo, (*at, *key, "note"), e.note, NO_FIELDS)
            yield from _template(demo, (*at, *key, "resolved"), e.resolved, NO_FIELDS)
        if isinstance(e, Mistake):
            if not e.date <= e.corrected <= cal.as_of:
                yield problem(
                    _("mistake: corrected {corrected} must lie from {date} to as_of").format(
                        corrected=e.corrected, date=e.date
                    ),
                    *key,
                    "corrected",
                )
            if e.right is not None and e.right < plan.milestones[0].at:
                yield problem(_("mistake: right is below the first milestone"), *key, "right")
            if (e.status is Status.done) != (e.returned is not None):
                yield loaded.problem(
                    "X003",
                    _(
                        "mistake: a wrong 已完成 (status: done) is a claim the office returns: "
                        "it needs `returned` (the reason), and only it may have one"
                    ),
                    *at,
                    *key,
                )
            if e.date == done_on:
                yield problem(_("mistake: not on the day the task is done"), *key, "date")
            yield from _template(demo, (*at, *key, "note"), e.note, allowed)
            yield from _template(demo, (*at, *key, "fix_note"), e.fix_note, allowed)
            yield from _template(demo, (*at, *key, "returned"), e.returned, NO_FIELDS)
    weeks: dict[dt.date, dt.date] = {}
    for day, key in sorted(forced):
        if cal.holiday.first <= day <= cal.holiday.last:
            yield problem(
                _("{day} falls in the holiday: nobody reports then").format(day=day), *key
            )
        monday = day - dt.timedelta(days=day.weekday())
        if monday in weeks and weeks[monday] != day:
            yield problem(
                _(
                    "{day} is in the same week as {other}: a task reports once a week, "
                    "so only the earlier would happen"
                ).format(day=day, other=weeks[monday]),
                *key,
            )
        weeks.setdefault(monday, day)
