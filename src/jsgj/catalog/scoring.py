"""The 考核 scoring of the monthly 通报 (data/scoring.yaml): the weights that turn a
department's month into a score, and the thresholds of the named 表扬 and 通报 lists.
A settings file, not code: a new weight is an edit that `jsgj validate` checks (with
file:line), and every score says which file it came from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from jsgj.catalog.models import STRICT_CONFIG


@dataclass(frozen=True, slots=True)
class Weights:
    """Points per unit of each figure (negative for a deduction)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    done_rate: float
    """Per percentage point of 办结率 (approved tasks of the tasks)."""
    on_time_rate: float
    """Per percentage point of 按时报送率 (weeks reported of the weeks open)."""
    overdue: float
    """Per overdue task at the end of the month."""
    overdue_days: float
    """Per day overdue, summed over the overdue tasks."""
    returned: float
    """Per claim of completion returned at review (审核退回) in the month."""
    named: float
    """Per task chased up to 通报点名 (data/lights.yaml chase_escalation)."""


@dataclass(frozen=True, slots=True)
class Praise:
    """表扬: a score at least ``min_score`` and at most ``max_overdue`` overdue tasks as lead."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    min_score: float
    max_overdue: int


@dataclass(frozen=True, slots=True)
class Criticise:
    """通报: a score below ``below_score``, or at least ``min_overdue`` overdue tasks as
    lead, or any task chased up to 通报点名."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    below_score: float
    min_overdue: int


@dataclass(frozen=True, slots=True)
class ScoringFile:
    """data/scoring.yaml: score = base + lead × (weights · figures as 牵头)
    + co × (weights · figures as 配合); a role with no tasks adds nothing."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT_CONFIG

    base: float
    lead: float
    """How much a department's figures as 牵头 count."""
    co: float
    """How much its figures as 配合 count."""
    weights: Weights
    praise: Praise
    criticise: Criticise


def load_scoring(path: Path) -> ScoringFile:
    """Read and validate; raises InvalidDataError with file/line/column."""
    from jsgj.catalog.loader import validate_schema

    return validate_schema(path, ScoringFile).data
