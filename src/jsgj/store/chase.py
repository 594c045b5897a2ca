"""催办 as an act: the office chases a department about its tasks, one ``chase``
event per task (table task_events: method, note, actor the office), checked inside
the write transaction against the tasks as they stand then. Which tasks a department
is chased about is the weekly report's chase list (``reports.weekly``), the one rule:
its red and yellow tasks and its open tasks with no report this week."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from jsgj.catalog.catalog import OFFICE_ID
from jsgj.errors import JsgjError, UsageError
from jsgj.i18n import _
from jsgj.store.db import Store
from jsgj.store.events import Actor
from jsgj.store.history import reports_between
from jsgj.store.queries import task_id_of, task_states
from jsgj.store.tasks import _event, _event_date
from jsgj.tasks.records import EventKind
from jsgj.tasks.roles import counting_role, name
from jsgj.tasks.rules import raise_first, text_problem
from jsgj.tasks.when import When

if TYPE_CHECKING:
    from jsgj.reports.weekly import ChaseGroup
    from jsgj.status import Thresholds
    from jsgj.tasks.line import TaskLine

METHODS = ("电话", "书面", "系统")
"""How a department is chased: by phone, in writing (a 催办通知单), or in the system."""


def chase_group(
    store: Store, department: str, thresholds: Thresholds, on: dt.date | None = None
) -> ChaseGroup[TaskLine] | None:
    """The department's group in the chase list on ``on`` (today when None): its red
    and yellow tasks and its open tasks not reported that week; None when it has none."""
    from jsgj.reports.weekly import Week, chase_of

    when = When(as_of=on) if on else When()
    day = when.on
    week = Week.containing(day)
    states = task_states(store, when)
    reports = reports_between(store, week.start, week.end, when)
    chase = chase_of(store.catalog, states, reports, day, thresholds)
    return next((g for g in chase if g.department_id == department), None)


def chase(
    store: Store,
    department: str,
    *,
    method: str,
    thresholds: Thresholds,
    tasks: Sequence[str] = (),
    note: str | None = None,
    day: dt.date | None = None,
    actor_user: str = "",
) -> list[tuple[str, int]]:
    """Record one 催办 per task: the ``tasks`` named (each one the department answers
    for, still open), or else every task of its chase list. Returns (task id, event id)
    pairs in order."""
    catalog = store.catalog
    dept = catalog.resolve(department).id
    if method not in METHODS:
        raise UsageError(
            _("--method {method}: use one of {choices}").format(
                method=method, choices=", ".join(METHODS)
            )
        )
    problem = text_problem("note", note, required=False)
    raise_first([problem] if problem else [], {"note": "--note"})
    named = [task_id_of(store, t) for t in tasks]
    when = _event_date(day)

    def run() -> list[tuple[str, int]]:
        # Inside the write transaction: the tasks as they stand now. Named tasks are
        # read each with its family only; the chase list is the weekly report's.
        ids: list[str]
        if named:
            ids = list(dict.fromkeys(named))
            for tid in ids:
                family = task_states(store, When(as_of=when), family=tid)
                task = next((s for s in family if s.id == tid), None)
                if task is None or counting_role(catalog, task, dept) is None:
                    raise JsgjError(
                        _("{dept} does not answer for task {task}; it cannot be chased for it")
                        .format(dept=name(catalog, dept), task=tid)
                    )  # fmt: skip
                if task.closed:
                    raise JsgjError(
                        _("task {task} is closed (cancelled or approved); nothing to chase")
                        .format(task=tid)
                    )  # fmt: skip
        else:
            # Today's list is the weekly report's as printed today (the current view,
            # from the derived rows); a --date's, the view as of that day.
            group = chase_group(store, dept, thresholds, when if day else None)
            lines = (*group.tasks, *group.unreported) if group else ()
            ids = list(dict.fromkeys(t.id for t in lines))
            if not ids:
                raise JsgjError(
                    _(
                        "{dept} has no red, yellow or unreported tasks to chase on {day}; "
                        "name tasks with --tasks"
                    ).format(dept=name(catalog, dept), day=when)
                )
        actor = Actor(OFFICE_ID, actor_user)
        text = (note or "").strip() or None
        return [
            (tid, _event(store, tid, EventKind.chase, actor, when, method=method, note=text))
            for tid in ids
        ]

    return store.write(run)
