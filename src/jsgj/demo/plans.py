"""The demo's plans as data: data/demo/plans.yaml and data/demo/indicators.yaml.

Both files are read with the project's safe YAML loader (no tags, no aliases; every
error with file:line:column) and validated twice: against the classes below (schema,
``S001``) and against each other and the catalogue (checks.py, codes ``X0nn``).
A malformed plan is one ``InvalidDataError`` before anything is written.

plans.yaml, in short (its header says more)::

    calendar: {start, as_of, seed, holiday: {first, last}, office_clerk}
    texts:    {fillers, city_fillers, blocked_fillers, resolved, claim_evidence, contacts}
    city_abbr: {city id: abbreviation used in document numbers}
    plans:
      - measure: 1                 # one task of a measure (its id: measure-n, by order)
        title: ...
        due: 2025-06-20
        lead: cities               # optional: a department id; default the measure's lead
        co: [education]            # optional
        assigned / start / pace / cadence / done_on / last_report / acknowledged
        milestones:                # what reports say as the percent passes each `at`
          - {at: 5, note: ..., evidence: ...}
        events:                    # dated happenings, each with a `kind` (below)
          - {kind: edit, date: 2025-04-22, due: 2025-08-31, reason: ...}
        twists:                    # fan-out only: how single cities depart from the plan
          suzhou: {pace, done_on, last_report, acknowledged, events}

Event kinds (``Event`` below; their replay through the store is ``build.REPLAY``):

* ``blocked`` and ``mistake`` shape the stream of reports (``schedule.py``);
* ``edit`` and ``cancel`` are replayed as revisions of the task.

Adding a kind: a frozen dataclass here with ``kind: Literal["name"]`` and ``date``, its
name in the ``Event`` union, and a row in ``build.REPLAY`` (a handler of a few lines that
calls the store). tests/test_demo_data.py fails if the union and the table disagree.
"""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from annotated_types import Ge, Gt, Le, MinLen
from pydantic import Field

from jsgj.catalog.loader import Loaded, validate_schema
from jsgj.catalog.models import STRICT_CONFIG, NonEmpty
from jsgj.errors import InvalidDataError, Problem
from jsgj.paths import demo_dir
from jsgj.values import Status

PLANS_FILE = "plans.yaml"
INDICATORS_FILE = "indicators.yaml"

Percent = Annotated[int, Ge(0), Le(100)]

# Placeholders a fan-out plan's texts may use: the city's name, its abbreviation in
# document numbers, and a random document number.
CITY_FIELDS = frozenset({"city", "c", "n"})


# --- plans.yaml ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Milestone:
    """The first report at ``at`` percent or more says ``note`` (and cites ``evidence``)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    at: Percent
    note: NonEmpty
    evidence: NonEmpty | None = None


@dataclass(frozen=True, slots=True)
class Blocked:
    """Reports from ``date`` (until ``until``, if lifted) say 受阻 and why."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    kind: Literal["blocked"]
    date: dt.date
    note: NonEmpty
    until: dt.date | None = None
    resolved: NonEmpty | None = None
    """The note of the first report after the block; default ``texts.resolved``."""


@dataclass(frozen=True, slots=True)
class Mistake:
    """The report on ``date`` is wrong; a correction recorded on ``corrected`` replaces it."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    kind: Literal["mistake"]
    date: dt.date
    percent: Percent
    note: NonEmpty
    corrected: dt.date
    fix_note: NonEmpty
    status: Status = Status.in_progress
    right: Percent | None = None
    """The percent the correction reports (default: what the plan says for that day)."""
    returned: NonEmpty | None = None
    """A wrong 已完成 is a claim of completion: the reason the office returns it with."""


@dataclass(frozen=True, slots=True)
class Edit:
    """The office changes the due date on ``date``, with its reason."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    kind: Literal["edit"]
    date: dt.date
    due: dt.date
    reason: NonEmpty


@dataclass(frozen=True, slots=True)
class Cancel:
    """The office cancels (撤销) the task on ``date``; nobody reports after it."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    kind: Literal["cancel"]
    date: dt.date
    reason: NonEmpty


@dataclass(frozen=True, slots=True)
class Contribution:
    """A co department (配合) reports what it did on ``date``: a contribution, kept in
    the task's history, which leaves the lead's status and percent as they are."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    kind: Literal["contribution"]
    date: dt.date
    by: NonEmpty
    note: NonEmpty
    percent: int = Field(default=0, ge=0, le=99)


Event = Annotated[Blocked | Mistake | Edit | Cancel | Contribution, Field(discriminator="kind")]
SINGLE_KINDS = ("blocked", "mistake", "cancel")
"""Kinds a task has at most one of: the schedule follows one block, one mistake."""


@dataclass(frozen=True, slots=True)
class Twist:
    """How one city's share departs from its fan-out's plan (unset: as the plan says)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    pace: Annotated[float, Gt(0)] | None = None
    done_on: dt.date | None = None
    last_report: dt.date | None = None
    acknowledged: bool | None = None
    events: tuple[Event, ...] = ()


@dataclass(frozen=True, slots=True)
class Plan:
    """One task: what is assigned, and how its reports run up to the demo's as-of date."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    measure: Annotated[int, Ge(1)]
    title: NonEmpty
    due: dt.date
    milestones: Annotated[tuple[Milestone, ...], MinLen(1)]
    lead: NonEmpty | None = None
    """None: the measure's lead; a group such as 'cities': one share per member."""
    co: tuple[NonEmpty, ...] = ()
    assigned: dt.date | None = None
    """The day the office assigns it; default ``calendar.start``."""
    start: dt.date | None = None
    pace: Annotated[float, Gt(0)] = 1.0
    """Share of the expected pace (序时进度) the reports follow."""
    cadence: Literal[7, 14] = 7
    done_on: dt.date | None = None
    last_report: dt.date | None = None
    """The last report: the task goes silent (stalled) after it."""
    acknowledged: bool = True
    """False: its lead never acknowledges (签收) it."""
    events: tuple[Event, ...] = ()
    twists: dict[str, Twist] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Holiday:
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    first: dt.date
    last: dt.date


@dataclass(frozen=True, slots=True)
class Calendar:
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    start: dt.date
    """The first working day: the office breaks the measures down into tasks."""
    as_of: dt.date
    """The demo's "today": every event happens by then."""
    seed: int
    holiday: Holiday
    """春节: nobody reports."""
    office_clerk: NonEmpty
    """The OS user recorded for the office's events."""


@dataclass(frozen=True, slots=True)
class Texts:
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    fillers: Annotated[tuple[NonEmpty, ...], MinLen(1)]
    city_fillers: Annotated[tuple[NonEmpty, ...], MinLen(1)]
    blocked_fillers: Annotated[tuple[NonEmpty, ...], MinLen(1)]
    resolved: NonEmpty
    claim_evidence: NonEmpty
    """The evidence of a claim of completion (已完成) whose milestone names none."""
    contacts: Annotated[tuple[NonEmpty, ...], MinLen(1)]
    """The contact persons (联络员) named at 签收, in turn."""


@dataclass(frozen=True, slots=True)
class PlansFile:
    """data/demo/plans.yaml."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    calendar: Calendar
    texts: Texts
    city_abbr: dict[str, NonEmpty]
    plans: Annotated[tuple[Plan, ...], MinLen(1)]


# --- indicators.yaml ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Series:
    """One indicator's year-end values per region ('province' or a city id)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    indicator: NonEmpty
    source: NonEmpty
    """Where the figure is published; may use {year} and {where}."""
    values: dict[str, tuple[float, ...]]


@dataclass(frozen=True, slots=True)
class DemoIndicatorsFile:
    """data/demo/indicators.yaml."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    years: Annotated[tuple[int, ...], MinLen(1)]
    published: dt.date
    """When the first year's figures are recorded; each later year a year later."""
    province: NonEmpty
    """The province's name in a source."""
    series: tuple[Series, ...]


# --- the loaded demo -------------------------------------------------------------------


@dataclass(frozen=True)
class Demo:
    """Both files, validated against their schema, with the position of every node."""

    plans_file: Loaded[PlansFile]
    indicators_file: Loaded[DemoIndicatorsFile]

    @property
    def calendar(self) -> Calendar:
        return self.plans_file.data.calendar

    @property
    def texts(self) -> Texts:
        return self.plans_file.data.texts

    @property
    def plans(self) -> tuple[Plan, ...]:
        return self.plans_file.data.plans

    @property
    def indicators(self) -> DemoIndicatorsFile:
        return self.indicators_file.data

    def assigned(self, plan: Plan) -> dt.date:
        return plan.assigned or self.calendar.start

    @cached_property
    def task_ids(self) -> tuple[str, ...]:
        """The id each plan's task gets: numbered per measure in the order of assignment."""
        seen: dict[int, int] = {}
        ids = [""] * len(self.plans)
        order = sorted(range(len(self.plans)), key=lambda i: (self.assigned(self.plans[i]), i))
        for i in order:
            p = self.plans[i]
            seen[p.measure] = seen.get(p.measure, 0) + 1
            ids[i] = f"{p.measure}-{seen[p.measure]}"
        return tuple(ids)


def load_demo(directory: Path | None = None) -> Demo:
    """Read and schema-validate both files (InvalidDataError with file:line:col)."""
    directory = directory or demo_dir()
    problems: list[Problem] = []
    plans: Loaded[PlansFile] | None = None
    indicators: Loaded[DemoIndicatorsFile] | None = None
    try:
        plans = validate_schema(directory / PLANS_FILE, PlansFile)
    except InvalidDataError as e:
        problems += e.problems
    try:
        indicators = validate_schema(directory / INDICATORS_FILE, DemoIndicatorsFile)
    except InvalidDataError as e:
        problems += e.problems
    if problems:
        raise InvalidDataError(problems)
    assert plans is not None and indicators is not None
    return Demo(plans, indicators)


# --- for the checks (checks.py) and the schedule -------------------------------------------


def fields_of(text: str) -> set[str]:
    """The {placeholders} of a text; '{' alone counts as a broken one."""
    try:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
    except ValueError:
        return {"{"}
