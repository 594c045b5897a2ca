"""What the matrix and the weekly report share besides the task rules (which live in
``jsgj.tasks``): the worst light, and department labels for narrow tables."""

from __future__ import annotations

from collections.abc import Iterable

from jsgj.catalog.models import Department
from jsgj.status import Color
from jsgj.tasks.records import ROLE_LABELS, Role

ROLE_MARKS: dict[str, str] = {Role.lead: "牵", Role.co: "配"}
__all__ = ["ROLE_LABELS", "ROLE_MARKS", "abbreviation", "worst"]


def worst(colors: Iterable[Color]) -> Color | None:
    """The light that needs action first (red before yellow before green ...)."""
    return min(colors, key=lambda c: c.rank, default=None)


def abbreviation(department: Department, limit: int = 4) -> str:
    """A label of at most ``limit`` characters for narrow tables: the usual short form
    (first alias) when it fits, else the first alias that fits, else the short form."""
    if len(department.short) <= limit:
        return department.short
    for alias in department.aliases:
        if len(alias) <= limit:
            return alias
    return department.short
