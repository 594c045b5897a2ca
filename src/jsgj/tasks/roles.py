"""Who is responsible for a task, and in which role.

Three questions, each answered here once:

* may a department lead or co-own a task under a measure (``check_eligible``);
* in which role does a report count (``reporter_role``): the lead's and the office's
  reports set the task's progress, a co department's is a contribution (配合);
* whose is a task when counting (``counting_role``): a city share belongs to its
  city; a department co-responsible for a task shared out to the cities counts it
  once, on the parent, not once per city.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from jsgj.catalog.catalog import OFFICE_ID, OFFICE_NAME, Catalog, normalise_name
from jsgj.catalog.models import Measure
from jsgj.errors import JsgjError, UsageError
from jsgj.i18n import _
from jsgj.tasks.records import Role, TaskState

OFFICE_NAMES = (OFFICE_ID, OFFICE_NAME, "督查督办处", "督查室")
"""What a clerk may type for the office."""


def is_office(text: str | None) -> bool:
    return text is not None and normalise_name(text) in {normalise_name(n) for n in OFFICE_NAMES}


def resolve_actor(catalog: Catalog, text: str | None) -> str:
    """A department id, or OFFICE_ID for the office (also when ``text`` is None)."""
    if text is None or is_office(text):
        return OFFICE_ID
    return catalog.resolve(text).id


def names(catalog: Catalog, ids: Iterable[str]) -> str:
    return "、".join(name(catalog, i) for i in ids)


def name(catalog: Catalog, department_id: str) -> str:
    if department_id == OFFICE_ID:
        return OFFICE_NAME
    return catalog.department(department_id).name


def short(catalog: Catalog, department_id: str) -> str:
    if department_id == OFFICE_ID:
        return OFFICE_NAME
    return catalog.department(department_id).short


# --- assignment ----------------------------------------------------------------


def check_eligible(catalog: Catalog, measure: Measure, department_id: str, role: Role) -> None:
    """The department may take ``role`` on a task under ``measure``: the document
    names it for the measure (a city through its group)."""
    allowed = catalog.eligible_ids(measure)
    if department_id in allowed:
        return
    cities = len(allowed) > len(catalog.department_ids(measure))
    listed = "、".join(f"{name(catalog, i)}({i})" for i in catalog.department_ids(measure))
    raise JsgjError(
        _(
            "{name} is not responsible for measure {measure}, so it cannot be the task's "
            "{role}; allowed: {allowed}"
        ).format(
            name=name(catalog, department_id),
            measure=measure.number,
            role=_("lead") if role is Role.lead else _("co-responsible department"),
            allowed=listed + (_(", or one of the city governments") if cities else ""),
        )
    )


def resolve_co(catalog: Catalog, measure: Measure, lead: str, co: Sequence[str]) -> list[str]:
    """The co departments as ids: each eligible, none the lead, none twice."""
    out: list[str] = []
    for text in co:
        did = catalog.resolve(text).id
        check_eligible(catalog, measure, did, Role.co)
        if did == lead or did in catalog.department(lead).members:
            raise UsageError(
                _("{name} is already the lead; it cannot also be co").format(
                    name=name(catalog, did)
                )
            )
        if did in out:
            raise UsageError(_("--co names {name} twice").format(name=name(catalog, did)))
        out.append(did)
    return out


# --- reports ---------------------------------------------------------------------


def _holders(catalog: Catalog, department_id: str) -> set[str]:
    """A department and, for a group (各设区市人民政府), its member cities."""
    try:
        return {department_id, *catalog.department(department_id).members}
    except KeyError:  # a department no longer in the data files
        return {department_id}


def reporter_role(catalog: Catalog, task: TaskState, reporter: str) -> Role | None:
    """The role in which ``reporter`` reports on ``task``; None: it may not."""
    if reporter == OFFICE_ID:
        return Role.office
    if reporter in _holders(catalog, task.lead):
        return Role.lead
    if any(reporter in _holders(catalog, d) for d in task.co):
        return Role.co
    return None


# --- counting ----------------------------------------------------------------------


def counting_role(catalog: Catalog, task: TaskState, department_id: str) -> Role | None:
    """Whose the task is when per-department figures are counted.

    A city share (``parent_id`` set) is its city's alone (and its group's, through
    the city). A task shared out to the cities counts for its co departments, once;
    its lead (the group) counts the cities' shares instead. Otherwise the lead and
    the co departments, a city also through its group and a group through its cities."""
    return role_among(counted_for(catalog, department_id), task)


def role_among(mine: set[str], task: TaskState) -> Role | None:
    """``counting_role`` for the departments ``mine`` (``counted_for``'s): a listing
    for one department works them out once, not once a task."""
    if task.parent_id is not None:
        return _LEAD if task.lead in mine else None
    if task.lead in mine and not task.is_parent:
        return _LEAD
    if not mine.isdisjoint(task.co):
        return _CO
    return None


_LEAD, _CO = Role.lead, Role.co
"""As globals: on Python 3.11 an enum class's attribute costs ~900 instructions
(``EnumType.__getattr__``'s hook), and a department's listing asks once a task."""


def counted_for(catalog: Catalog, department_id: str) -> set[str]:
    """The departments whose tasks count for ``department_id``: itself, its group (for
    a city) and its member cities (for a group)."""
    mine = _holders(catalog, department_id)
    group = catalog.group_of(department_id)
    if group:
        mine.add(group.id)
    return mine


class Held(Protocol):
    """What ``roles_by_department`` reads of a task (a ``TaskState``, or the
    ``reports.groups.Group`` counting a group of tasks alike)."""

    @property
    def id(self) -> str: ...
    @property
    def parent_id(self) -> str | None: ...
    @property
    def is_parent(self) -> bool: ...
    @property
    def lead(self) -> str: ...
    @property
    def co(self) -> tuple[str, ...]: ...


def roles_by_department(catalog: Catalog, tasks: Iterable[Held]) -> dict[str, dict[str, Role]]:
    """``counting_role`` for every department at once: department id -> {task id:
    role}, in the given task order. One pass over the tasks (a province's 20,000 tasks
    times 47 departments would otherwise be a million calls)."""
    holders: dict[str, tuple[str, ...]] = {}

    def held_by(did: str) -> tuple[str, ...]:
        found = holders.get(did)
        if found is None:
            found = holders[did] = tuple(sorted(counted_for(catalog, did)))
        return found

    out: dict[str, dict[str, Role]] = {}
    for t in tasks:
        pairs: list[tuple[str, Role]] = []
        if t.parent_id is not None or not t.is_parent:
            pairs.append((t.lead, Role.lead))
        if t.parent_id is None:
            pairs.extend((d, Role.co) for d in t.co)
        for did, role in pairs:
            for holder in held_by(did):
                out.setdefault(holder, {}).setdefault(t.id, role)
    return out
