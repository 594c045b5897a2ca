"""The catalogue: the document's measures and departments, indexed for lookups.

Built once from validated data files (see ``load.py``) and then read-only.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

from jsgj.catalog.models import (
    Department,
    DepartmentsFile,
    Document,
    Measure,
    MeasuresFile,
    Section,
)
from jsgj.errors import NotFoundError
from jsgj.i18n import _

# The supervising office (督查督办) may report on any task; it is not a body the
# document names, so it lives here rather than in departments.yaml.
OFFICE_ID = "office"
OFFICE_NAME = "督查督办"


def normalise_name(text: str) -> str:
    """How typed names are compared: NFKC, no surrounding space, ASCII case-folded."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


class Catalog:
    """The document, its sections and measures, and the departments, with indexes for
    lookups. A plain class (built by ``build``): every command makes one, and a
    dataclass costs ~1-5 M instructions to define (issue 15)."""

    __slots__ = (
        "document",
        "sections",
        "measures",
        "departments",
        "_by_id",
        "_by_key",
        "_measure_ids",
        "_group_of",
    )

    def __init__(
        self,
        document: Document,
        sections: tuple[Section, ...],
        measures: tuple[Measure, ...],
        departments: tuple[Department, ...],
    ) -> None:
        self.document = document
        self.sections = sections
        self.measures = measures
        self.departments = departments
        self._by_id: dict[str, Department] = {}
        self._by_key: dict[str, Department] = {}
        self._measure_ids: dict[int, tuple[str, ...]] = {}
        self._group_of: dict[str, Department] = {}

    @classmethod
    def build(cls, measures: MeasuresFile, departments: DepartmentsFile) -> Catalog:
        """Index validated files. References must already resolve (validate.structure)."""
        cat = cls(
            document=measures.document,
            sections=measures.sections,
            measures=tuple(sorted(measures.measures, key=lambda m: m.number)),
            departments=departments.departments,
        )
        for d in cat.departments:
            cat._by_id[d.id] = d
            for key in (d.id, d.name, d.full_name, *d.aliases):
                cat._by_key.setdefault(normalise_name(key), d)
        for d in cat.departments:
            for member in d.members:
                cat._group_of[member] = d
        for m in cat.measures:
            cat._measure_ids[m.number] = tuple(
                cat._by_key[normalise_name(name)].id for name in m.departments
            )
        return cat

    # --- measures -------------------------------------------------------------

    def measure(self, number: int) -> Measure:
        for m in self.measures:
            if m.number == number:
                return m
        first, last = self.measures[0].number, self.measures[-1].number
        raise NotFoundError(
            _("no measure {number}: the document has measures {first}-{last}").format(
                number=number, first=first, last=last
            )
        )

    def section(self, number: int) -> Section:
        for s in self.sections:
            if s.number == number:
                return s
        raise NotFoundError(
            _("no section {number}: the document has sections {sections}").format(
                number=number, sections=", ".join(str(s.number) for s in self.sections)
            )
        )

    def department_ids(self, measure: Measure) -> tuple[str, ...]:
        """Responsible departments of a measure, by id, in the document's order."""
        return self._measure_ids[measure.number]

    def lead_id(self, measure: Measure) -> str:
        return self._measure_ids[measure.number][0]

    def eligible_ids(self, measure: Measure) -> tuple[str, ...]:
        """Who may lead or co-own a task under the measure: its departments, and the
        members of any group among them (a city for 各设区市人民政府)."""
        out: list[str] = []
        for did in self._measure_ids[measure.number]:
            out.append(did)
            out.extend(self._by_id[did].members)
        return tuple(out)

    def role(self, measure: Measure, department_id: str) -> str | None:
        """'lead', 'co' or None for a department on a measure (a city counts through its group)."""
        ids = self._measure_ids[measure.number]
        group = self._group_of.get(department_id)
        for candidate in (department_id, group.id if group else None):
            if candidate in ids:
                return "lead" if ids[0] == candidate else "co"
        return None

    def measures_of(self, department_id: str) -> tuple[list[Measure], list[Measure]]:
        """(measures led, measures co-owned) by a department, directly or through its group."""
        led: list[Measure] = []
        co: list[Measure] = []
        for m in self.measures:
            r = self.role(m, department_id)
            if r == "lead":
                led.append(m)
            elif r == "co":
                co.append(m)
        return led, co

    # --- departments ----------------------------------------------------------

    def department(self, department_id: str) -> Department:
        return self._by_id[department_id]

    def group_of(self, department_id: str) -> Department | None:
        return self._group_of.get(department_id)

    def named(self) -> list[Department]:
        """The bodies the document names (groups, not their members), in its order."""
        return [d for d in self.departments if d.id not in self._group_of]

    def resolve(self, text: str) -> Department:
        """A department by id, name, full name or alias; unknown names get suggestions."""
        found = self._by_key.get(normalise_name(text))
        if found is not None:
            return found
        raise NotFoundError(
            _("unknown department {name}").format(name=repr(text)) + self._suggest(text)
        )

    def resolve_many(self, texts: Iterable[str]) -> list[Department]:
        return [self.resolve(t) for t in texts]

    def _suggest(self, text: str) -> str:
        keys = list(self._by_key)
        close = difflib.get_close_matches(normalise_name(text), keys, n=8, cutoff=0.4)
        names: list[str] = []
        for k in close:
            d = self._by_key[k]
            label = f"{d.name} ({d.id})"
            if label not in names:
                names.append(label)
        if not names:
            return _("; `jsgj departments list` shows them all")
        return _("; did you mean {names}?").format(names=", ".join(names[:4]))
