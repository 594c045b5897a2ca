"""The document's indicators (data/indicators.yaml): what officials judge the policy by."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from jsgj.catalog.models import STRICT_CONFIG, Direction, MeasuresFile, NonEmpty
from jsgj.errors import NotFoundError, Problem
from jsgj.i18n import _

DIRECTION_LABELS = {
    Direction.at_least: "不低于",
    Direction.at_most: "不高于",
    Direction.reach: "力争达到",
}


@dataclass(frozen=True, slots=True)
class Indicator:
    """A tracked indicator."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    id: NonEmpty
    """Stable ASCII id."""
    name: NonEmpty
    """As the document names it."""
    unit: NonEmpty
    """'%' for shares (values must lie in 0-100), or a count unit such as 人."""
    direction: Direction
    """at_least / at_most / reach: how a value is judged against the target."""
    target: float | None
    """The target value, where the document sets one."""
    deadline: dt.date | None
    """The date by which the target applies."""
    sentence: NonEmpty
    """The words of the document the indicator comes from, verbatim."""
    measure: int | None
    """The measure it belongs to, or null for the preamble."""

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"

    def target_text(self) -> str:
        if self.target is None:
            return "监测指标（未设目标值）"
        value = f"{self.target:g}{self.unit}"
        when = f"（{self.deadline}前）" if self.deadline else ""
        return f"{DIRECTION_LABELS[self.direction]}{value}{when}"


@dataclass(frozen=True, slots=True)
class IndicatorsFile:
    """data/indicators.yaml."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    indicators: tuple[Indicator, ...]

    def get(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id or ind.name == indicator_id:
                return ind
        known = ", ".join(i.id for i in self.indicators)
        raise NotFoundError(
            _("unknown indicator {indicator}; known: {known}").format(
                indicator=repr(indicator_id), known=known
            )
        )


def load_indicators(path: Path) -> IndicatorsFile:
    """Read and validate; raises InvalidDataError with file/line/column."""
    from jsgj.catalog.loader import validate_schema

    return validate_schema(path, IndicatorsFile).data


def check_indicators(path: Path, measures: MeasuresFile | None, official: str) -> Iterator[Problem]:
    """I001 duplicate id, I002 unknown measure, I003 sentence not in the official text,
    I004 target disagrees with the document's targets, I005 target without deadline or
    a percentage target outside 0-100 (plus the loader's Y*/S* codes)."""
    from jsgj.catalog.loader import validate_schema
    from jsgj.catalog.official import normalise_text
    from jsgj.errors import InvalidDataError

    try:
        loaded = validate_schema(path, IndicatorsFile)
    except InvalidDataError as e:
        yield from e.problems
        return
    seen: set[str] = set()
    numbers = {m.number for m in measures.measures} if measures else set()
    targets = {t.name: t for t in measures.document.targets} if measures else {}
    whole = normalise_text(official)
    for i, ind in enumerate(loaded.data.indicators):
        if ind.id in seen:
            yield loaded.problem(
                "I001",
                _("indicator id {id!r} is used twice").format(id=ind.id),
                "indicators",
                i,
                "id",
            )
        seen.add(ind.id)
        if ind.measure is not None and measures is not None and ind.measure not in numbers:
            yield loaded.problem(
                "I002",
                _("indicator {id} belongs to measure {n}, which does not exist").format(
                    id=ind.id, n=ind.measure
                ),
                "indicators",
                i,
                "measure",
            )
        if normalise_text(ind.sentence) not in whole:
            yield loaded.problem(
                "I003",
                _("indicator {id}: its sentence does not occur in the official text").format(
                    id=ind.id
                ),
                "indicators",
                i,
                "sentence",
            )
        doc_target = targets.get(ind.name)
        if doc_target is not None and (
            ind.target != doc_target.value
            or ind.deadline != doc_target.deadline
            or ind.direction != doc_target.direction
        ):
            yield loaded.problem(
                "I004",
                _(
                    "indicator {id} disagrees with the document's target "
                    "({direction} {value:g}{unit} by {deadline})"
                ).format(
                    id=ind.id,
                    direction=doc_target.direction,
                    value=doc_target.value,
                    unit=doc_target.unit,
                    deadline=doc_target.deadline,
                ),
                "indicators",
                i,
                "target",
            )
        if (ind.target is None) != (ind.deadline is None):
            yield loaded.problem(
                "I005",
                _("indicator {id}: a target needs a deadline and a deadline a target").format(
                    id=ind.id
                ),
                "indicators",
                i,
                "deadline",
            )
        if ind.is_percent and ind.target is not None and not 0 <= ind.target <= 100:
            yield loaded.problem(
                "I005",
                _("indicator {id}: a percentage target must lie in 0-100").format(id=ind.id),
                "indicators",
                i,
                "target",
            )
