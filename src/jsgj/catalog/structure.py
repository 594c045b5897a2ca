"""The checks every command relies on, within and between the two catalogue files:
the measures' numbering and sections (M*), the departments' ids, names and groups (D*),
and the measures' references to departments. Each yields Problems with an error code;
``structure_problems`` runs them all (cheap: cached with the catalogue)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from jsgj.catalog.catalog import normalise_name
from jsgj.catalog.loader import Loaded
from jsgj.catalog.models import DepartmentsFile, MeasuresFile
from jsgj.errors import Problem
from jsgj.i18n import _

CHINESE_NUMERALS = "一二三四五六七八九十"
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


def chinese_numeral(n: int) -> str:
    """1..99 as written in the document's labels: 十, 十一, 二十, ..."""
    if n < 1 or n > 99:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CHINESE_NUMERALS[tens - 1] + "十")
    return head + (CHINESE_NUMERALS[ones - 1] if ones else "")


def measure_label(n: int) -> str:
    return f"（{chinese_numeral(n)}）"


# --- measures file on its own --------------------------------------------------


def check_numbering(m: Loaded[MeasuresFile]) -> Iterator[Problem]:
    """M001 duplicate number, M002 gap in 1..N, M004 label does not match number."""
    seen: dict[int, int] = {}
    for i, measure in enumerate(m.data.measures):
        if measure.number in seen:
            yield m.problem(
                "M001",
                _("measure number {n} is used twice (also measures[{other}])").format(
                    n=measure.number, other=seen[measure.number]
                ),
                "measures",
                i,
                "number",
            )
        else:
            seen[measure.number] = i
        if measure.label != measure_label(measure.number):
            yield m.problem(
                "M004",
                _("label {label!r} does not match number {n} (expected {expected!r})").format(
                    label=measure.label, n=measure.number, expected=measure_label(measure.number)
                ),
                "measures",
                i,
                "label",
            )
    top = max(seen, default=0)
    for n in range(1, top + 1):
        if n not in seen:
            yield m.problem(
                "M002",
                _("measure {n} is missing (numbers must run 1..{top})").format(n=n, top=top),
                *gap(m, n),
            )


def gap(m: Loaded[MeasuresFile], n: int) -> tuple[str | int, ...]:
    """Where a missing measure ``n`` belongs: at the measure that follows it, if any."""
    after = [(x.number, i) for i, x in enumerate(m.data.measures) if x.number > n]
    return ("measures", min(after)[1]) if after else ("measures",)


def check_sections(m: Loaded[MeasuresFile]) -> Iterator[Problem]:
    """M003 a measure's section is not declared; M005 section numbers repeat or skip."""
    declared = [s.number for s in m.data.sections]
    counts = Counter(declared)
    first: dict[int, int] = {}
    for i, number in enumerate(declared):
        if number in first:
            # Point at each repeat (not at the first declaration, which is fine on its own).
            yield m.problem(
                "M005",
                _("section {n} is declared {times} times (first as sections[{first}])").format(
                    n=number, times=counts[number], first=first[number]
                ),
                "sections",
                i,
                "number",
            )
        else:
            first[number] = i
    for n in range(1, len(declared) + 1):
        if n not in declared:
            yield m.problem("M005", _("section {n} is missing").format(n=n), "sections")
    for i, measure in enumerate(m.data.measures):
        if measure.section not in declared:
            yield m.problem(
                "M003",
                _("measure {n} is in section {section}, which is not declared").format(
                    n=measure.number, section=measure.section
                ),
                "measures",
                i,
                "section",
            )


# --- departments file on its own ----------------------------------------------


def check_department_ids(d: Loaded[DepartmentsFile]) -> Iterator[Problem]:
    """D005 an id is not a lower-case ASCII identifier."""
    for i, dept in enumerate(d.data.departments):
        if not ID_PATTERN.match(dept.id):
            yield d.problem(
                "D005",
                _("id {id!r} must be lower-case ASCII letters, digits and underscores").format(
                    id=dept.id
                ),
                "departments",
                i,
                "id",
            )


def check_unique_names(d: Loaded[DepartmentsFile]) -> Iterator[Problem]:
    """D003 an id, name or alias that would resolve to two departments."""
    owner: dict[str, str] = {}
    for i, dept in enumerate(d.data.departments):
        keys = [("id", dept.id), ("name", dept.name), ("full_name", dept.full_name)]
        keys += [(f"aliases[{j}]", a) for j, a in enumerate(dept.aliases)]
        for where, key in keys:
            k = normalise_name(key)
            other = owner.get(k)
            if other is not None and other != dept.id:
                field_key: tuple[str | int, ...] = (
                    ("aliases", int(where[8:-1])) if where.startswith("aliases") else (where,)
                )
                yield d.problem(
                    "D003",
                    _("{key!r} ({where} of {id}) already names department {other}").format(
                        key=key, where=where, id=dept.id, other=other
                    ),
                    "departments",
                    i,
                    *field_key,
                )
            owner.setdefault(k, dept.id)


def check_group_members(d: Loaded[DepartmentsFile]) -> Iterator[Problem]:
    """D004 a group lists a member that is not a department, or is itself a group."""
    by_id = {dept.id: dept for dept in d.data.departments}
    for i, dept in enumerate(d.data.departments):
        for j, member in enumerate(dept.members):
            target = by_id.get(member)
            if target is None:
                yield d.problem(
                    "D004",
                    _("group {id} lists member {member!r}, which is not a department id").format(
                        id=dept.id, member=member
                    ),
                    "departments",
                    i,
                    "members",
                    j,
                )
            elif target.members:
                yield d.problem(
                    "D004",
                    _("group {id} lists {member!r}, which is itself a group").format(
                        id=dept.id, member=member
                    ),
                    "departments",
                    i,
                    "members",
                    j,
                )


# --- the two files together ---------------------------------------------------


def check_references(m: Loaded[MeasuresFile], d: Loaded[DepartmentsFile]) -> Iterator[Problem]:
    """D001 a measure names an unknown department; D002 one department twice in a measure."""
    keys: dict[str, str] = {}
    for dept in d.data.departments:
        for key in (dept.id, dept.name, dept.full_name, *dept.aliases):
            keys.setdefault(normalise_name(key), dept.id)
    for i, measure in enumerate(m.data.measures):
        seen: dict[str, int] = {}
        for j, name in enumerate(measure.departments):
            did = keys.get(normalise_name(name))
            if did is None:
                yield m.problem(
                    "D001",
                    _("measure {n} names {name!r}, which is not in {file}").format(
                        n=measure.number, name=name, file=d.name
                    ),
                    "measures",
                    i,
                    "departments",
                    j,
                )
            elif did in seen:
                yield m.problem(
                    "D002",
                    _("measure {n} lists {name!r} twice (departments[{first}] and [{j}])").format(
                        n=measure.number, name=name, first=seen[did], j=j
                    ),
                    "measures",
                    i,
                    "departments",
                    j,
                )
            else:
                seen[did] = j


def structure_problems(m: Loaded[MeasuresFile], d: Loaded[DepartmentsFile]) -> list[Problem]:
    """Checks every command relies on (cheap; the result is cached with the catalogue)."""
    return [
        *check_numbering(m),
        *check_sections(m),
        *check_department_ids(d),
        *check_unique_names(d),
        *check_group_members(d),
        *check_references(m, d),
    ]
