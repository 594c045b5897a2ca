"""The document, its sections, targets, measures and the departments it names.

These are standard-library dataclasses that Pydantic v2 validates (through a
``TypeAdapter``; see ``loader.py``). Pydantic reads ``__pydantic_config__`` on a
stdlib dataclass, so each class forbids extra fields exactly as a ``BaseModel``
would, and the JSON Schema under data/schema/ is generated from these classes.
Why not ``BaseModel``: importing Pydantic and building models costs ~0.2 s,
which would double the start-up of every command. With plain dataclasses a
command whose catalogue comes from the content-keyed cache never imports
Pydantic at all; Pydantic runs only when the YAML files change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from annotated_types import Ge, Le, MinLen

# Pydantic's ConfigDict is a TypedDict: a plain dict works without importing Pydantic.
STRICT_CONFIG: dict[str, Any] = {"extra": "forbid", "use_attribute_docstrings": True}

NonEmpty = Annotated[str, MinLen(1)]


class Direction(StrEnum):
    """How a target value is judged."""

    at_least = "at_least"
    at_most = "at_most"
    reach = "reach"


class DepartmentKind(StrEnum):
    provincial_department = "provincial_department"
    party_organ = "party_organ"
    peoples_organisation = "peoples_organisation"
    vertical_agency = "vertical_agency"
    local_government = "local_government"


KIND_LABELS: dict[DepartmentKind, str] = {
    DepartmentKind.provincial_department: "省政府组成部门",
    DepartmentKind.party_organ: "党委部门",
    DepartmentKind.peoples_organisation: "人民团体",
    DepartmentKind.vertical_agency: "垂直管理单位",
    DepartmentKind.local_government: "地方人民政府",
}


@dataclass(frozen=True, slots=True)
class Target:
    """A province-wide target set by the preamble."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    id: NonEmpty
    """Stable ASCII id, e.g. skilled_share_of_employed."""
    name: NonEmpty
    """The indicator as the document names it."""
    direction: Direction
    """at_least: stay at or above; at_most: stay at or below; reach: attain."""
    value: float
    """The target value, in `unit`."""
    unit: NonEmpty
    deadline: dt.date
    """The date by which the target applies (end of the 14th Five-Year Plan)."""
    wording: NonEmpty
    """The words of the preamble that set the target, verbatim."""


@dataclass(frozen=True, slots=True)
class Document:
    """The policy document itself."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    number: NonEmpty
    """Document number, e.g. 苏政办发〔2024〕37号."""
    title: NonEmpty
    notice_title: NonEmpty
    """Title of the issuing notice (通知)."""
    issuer: NonEmpty
    issued: dt.date
    publication: NonEmpty
    """Publication status as printed, e.g. 此件公开发布."""
    preamble: NonEmpty
    """The preamble, verbatim."""
    targets: tuple[Target, ...]
    aim_2035: NonEmpty
    """The aim for 2035, in the document's words."""


@dataclass(frozen=True, slots=True)
class Section:
    """One of the five sections (一 to 五)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    number: Annotated[int, Ge(1)]
    label: NonEmpty
    """Chinese numeral as printed: 一, 二, ..."""
    title: NonEmpty


@dataclass(frozen=True, slots=True)
class Measure:
    """One of the nineteen measures."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    number: Annotated[int, Ge(1), Le(99)]
    label: NonEmpty
    """Label as printed: （一） ... （十九）."""
    section: Annotated[int, Ge(1)]
    title: NonEmpty
    text: NonEmpty
    """The measure's text after its title, verbatim."""
    departments: Annotated[tuple[NonEmpty, ...], MinLen(1)]
    """Responsible departments as the document writes them, in its order; the first leads."""


@dataclass(frozen=True, slots=True)
class MeasuresFile:
    """data/measures.yaml."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    document: Document
    sections: tuple[Section, ...]
    measures: tuple[Measure, ...]


@dataclass(frozen=True, slots=True)
class Department:
    """A body the document names, or a city government belonging to a group."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    id: Annotated[str, MinLen(1)]
    """Stable ASCII id (lower-case letters, digits, underscores)."""
    name: NonEmpty
    """The name as the document writes it, e.g. 省人力资源社会保障厅."""
    full_name: NonEmpty
    """The full official name."""
    kind: DepartmentKind
    aliases: tuple[NonEmpty, ...] = ()
    """Short forms clerks type, e.g. 人社厅."""
    members: tuple[NonEmpty, ...] = ()
    """For a group (各设区市人民政府): the ids of its member departments."""

    @property
    def is_group(self) -> bool:
        return bool(self.members)

    @property
    def short(self) -> str:
        """The label for narrow tables: the first alias, by convention the usual short form."""
        return self.aliases[0] if self.aliases else self.name


@dataclass(frozen=True, slots=True)
class DepartmentsFile:
    """data/departments.yaml."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    departments: tuple[Department, ...]
