"""The office that sends the reports (data/office.yaml): the weekly report's masthead
(红头 banner, 编发单位), how its issues are numbered (期号, within the year) and its
distribution (版记: the 报, 送 and 发 lines). A settings file, not code: a new office
head or a new recipient is an edit that `jsgj validate` checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from annotated_types import Ge, Le

from jsgj.catalog.models import STRICT_CONFIG, NonEmpty

Week = Annotated[int, Ge(1), Le(53)]


@dataclass(frozen=True, slots=True)
class DistributionLine:
    """One line of the 版记."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    label: Literal["报", "送", "发", "抄送"]
    """报 (up: the leaders), 送 (across: other bodies), 发 (down: the departments), 抄送."""
    to: NonEmpty
    """The recipients, as printed, separated by 、 or ，."""


@dataclass(frozen=True, slots=True)
class OfficeFile:
    """data/office.yaml."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    name: NonEmpty
    """The 编发单位, as printed under the banner and in the 版记."""
    banner: NonEmpty
    """The red title at the top of the weekly report (红头)."""
    distribution: tuple[DistributionLine, ...]
    """The 版记 lines, in the order printed."""
    chase_reply_days: Annotated[int, Ge(1), Le(90)] = 5
    """A 催办通知单 asks for a reply within this many days."""
    first_week: dict[int, Week] = field(default_factory=dict)
    """Year -> the ISO week of that year's 第1期 (a year not listed starts at week 1)."""

    def issue_number(self, year: int, week: int) -> int | None:
        """期号 of the report for ISO week ``week`` of ``year``: counted from the year's
        first issue; None before it."""
        number = week - self.first_week.get(year, 1) + 1
        return number if number >= 1 else None

    def issue(self, year: int, week: int) -> str:
        number = self.issue_number(year, week)
        return f"{year}年第{number}期" if number is not None else f"{year}年（未编期号）"


def load_office(path: Path) -> OfficeFile:
    """Read and validate; raises InvalidDataError with file/line/column."""
    from jsgj.catalog.loader import validate_schema

    return validate_schema(path, OfficeFile).data
