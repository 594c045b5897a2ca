"""The chase list (催办清单) of the weekly report and of a 催办通知单: the bodies that
must act, each red or yellow task at its lead (a city share at its city), and each
open task its lead did not report on this week (``unreported_of``, the rule;
``store.weekly.unreported`` transcribes it for the current view, held to it by
``tests/test_aggregates.py``). Pure."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

from jsgj.catalog.catalog import Catalog
from jsgj.reports.weekly_data import ChaseGroup, TaskName, U, Week
from jsgj.status import Color
from jsgj.tasks.line import TaskLine
from jsgj.tasks.records import TaskState


def unreported_of(
    units: Iterable[TaskLine],
    state_of: Mapping[str, TaskState],
    reported: Collection[str],
    week: Week,
) -> list[TaskLine]:
    """Of ``units`` (counting units, not cancelled, in listing order), those the chase
    list names as not reported: neither done nor awaiting review, started before the
    week, and not reported on by their lead (or the office) in it."""
    return [
        x
        for x in units
        if x.light not in (Color.done, Color.pending)
        and state_of[x.id].started_on < week.start
        and x.id not in reported
    ]


def by_lead(lines: Iterable[TaskLine]) -> dict[str, list[TaskLine]]:
    out: dict[str, list[TaskLine]] = {}
    for x in lines:
        out.setdefault(x.lead, []).append(x)
    return out


def names(silent: Mapping[str, Sequence[TaskLine]]) -> dict[str, list[TaskName]]:
    """The tasks as the weekly report names them."""
    return {d: [TaskName(x.id, x.measure, x.label) for x in xs] for d, xs in silent.items()}


def chase_groups(
    catalog: Catalog, units: Iterable[TaskLine], silent: Mapping[str, Sequence[U]]
) -> tuple[ChaseGroup[U], ...]:
    """The groups to chase: the red and yellow tasks of ``units`` (counting units, not
    cancelled, in listing order) at their lead, and ``silent``, the tasks not reported
    this week by lead department (``unreported_of``); the most overdue first."""
    red: dict[str, list[TaskLine]] = {}
    yellow: dict[str, list[TaskLine]] = {}
    overdue: dict[str, int] = {}
    for line in units:
        light = line.light
        if light is Color.red:
            red.setdefault(line.lead, []).append(line)
            if line.overdue_days > 0:
                overdue[line.lead] = overdue.get(line.lead, 0) + 1
        elif light is Color.yellow:
            yellow.setdefault(line.lead, []).append(line)
    order = {d.id: i for i, d in enumerate(catalog.departments)}
    groups: list[ChaseGroup[U]] = []
    for did in set(red) | set(yellow) | set(silent):
        reds: list[TaskLine] = red.get(did, [])
        yellows: list[TaskLine] = yellow.get(did, [])
        groups.append(
            ChaseGroup(
                department_id=did,
                name=catalog.department(did).name,
                overdue=overdue.get(did, 0),  # only a red task is overdue
                red=len(reds),
                yellow=len(yellows),
                tasks=(*reds, *yellows),  # red first, each in listing order
                unreported=tuple(silent.get(did, ())),
            )
        )
    groups.sort(
        key=lambda g: (-g.overdue, -g.red, -g.yellow, -len(g.unreported), order[g.department_id])
    )
    return tuple(groups)
