"""Tasks that count alike, counted once (``Group``): the views that only count (the
matrix, the weekly report's summary, measures and departments) add up groups rather
than walking every task.

A group is the tasks of one measure with the same lead, the same co departments, the
same place in a family (a city's share, a fan-out parent or a task on its own) and,
for the weekly report, whether its lead reported this week: everything that decides
whose a task is (``roles.roles_by_department``) and how it counts. Its ``tally`` is
``counting.tally`` of its tasks, its ``statuses`` how many of its tasks that are not
cancelled are in each status. ``groups_of`` makes them from task lines (the rule);
``store.aggregates.task_groups`` has SQLite make the same groups from the current
view, held to ``groups_of`` by ``tests/test_aggregates.py``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, fields
from operator import attrgetter

from jsgj.reports.common import worst
from jsgj.status import Color
from jsgj.tasks.counting import Tally, tally
from jsgj.tasks.line import TaskLine
from jsgj.values import Status

STATUS_ORDER = (
    Status.done,
    Status.pending_review,
    Status.in_progress,
    Status.not_started,
    Status.blocked,
)

_LIVE_COLORS = (Color.red, Color.yellow, Color.blue, Color.green, Color.pending, Color.done)


@dataclass(frozen=True, slots=True)
class Group:
    """Tasks that count alike (see the module). ``id`` names the group for
    ``roles.roles_by_department``, which reads a group as it reads a task."""

    id: str
    measure: int
    lead: str
    co: tuple[str, ...]
    city: bool
    """A city's share of a task shared out (``parent_id`` set)."""
    is_parent: bool
    """A fan-out parent (the province total line): not a counting unit."""
    reported: bool
    """Its lead (or the office) reported on it this week (the weekly report)."""
    tally: Tally
    statuses: tuple[int, ...]
    """Tasks not cancelled in each status of ``STATUS_ORDER``."""

    @property
    def parent_id(self) -> str | None:
        """Set (to the group's id) for city shares: what ``roles_by_department`` asks."""
        return self.id if self.city else None

    @property
    def counted(self) -> bool:
        """Counting units: every task but a fan-out parent (``counting.counts``)."""
        return not self.is_parent


def group_key(
    measure: int, lead: str, co: tuple[str, ...], city: bool, is_parent: bool, reported: bool
) -> str:
    """A group's id: its key as text (the same from Python and from SQL)."""
    return f"{measure}|{lead}|{','.join(co)}|{int(city)}{int(is_parent)}{int(reported)}"


def groups_of(lines: Iterable[TaskLine], reported: Collection[str] = ()) -> list[Group]:
    """The groups of ``lines`` (every task of a view), ``reported`` the ids of the
    tasks reported on this week, ordered by key."""
    members: dict[tuple[int, str, tuple[str, ...], bool, bool, bool], list[TaskLine]] = {}
    for x in lines:
        key = (x.measure, x.lead, x.co, x.parent_id is not None, not x.counted, x.id in reported)
        members.setdefault(key, []).append(x)
    out = []
    for key in sorted(members):
        mine = members[key]
        found = [x.status for x in mine if x.light is not Color.cancelled]
        out.append(
            Group(
                group_key(*key),
                *key,
                tally=tally(mine),
                statuses=tuple(found.count(s.value) for s in STATUS_ORDER),
            )
        )
    return out


def plus(tallies: Iterable[Tally]) -> Tally:
    """The tally of the union of disjoint sets of tasks, from their tallies."""
    found = tallies if isinstance(tallies, list | tuple) else list(tallies)
    if len(found) < 2:
        return found[0] if found else _NONE
    # Each field summed in C (a weekly report adds up a province's groups ~90 times).
    return Tally(*map(sum, zip(*map(_FIGURES, found), strict=True)))


_FIGURES = attrgetter(*(f.name for f in fields(Tally)))
"""A tally's figures in field order, as one tuple."""


_NONE = Tally()


def live(t: Tally) -> Tally:
    """``t`` without its cancelled tasks (a view that leaves them out)."""
    return plus([t, Tally(cancelled=-t.cancelled)]) if t.cancelled else t


def statuses(groups: Iterable[Group]) -> dict[Status, int]:
    sums = map(sum, zip(*(g.statuses for g in groups), strict=True))
    return dict(zip(STATUS_ORDER, sums, strict=False)) or dict.fromkeys(STATUS_ORDER, 0)


def light_of(t: Tally) -> Color | None:
    """The worst light of the tasks ``t`` counts, leaving out the cancelled (None when
    there are none)."""
    if not t.tasks:
        return None
    present = (t.red, t.yellow, t.blue, t.green, t.pending, t.done)
    return worst(c for c, n in zip(_LIVE_COLORS, present, strict=True) if n)


def moving(t: Tally) -> int:
    """Tasks neither done nor awaiting review, nor cancelled."""
    return t.red + t.yellow + t.blue + t.green


def counted_groups(groups: Sequence[Group]) -> list[Group]:
    return [g for g in groups if g.counted]
