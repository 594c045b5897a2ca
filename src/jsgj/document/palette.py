"""The one palette: the colours of the lights, of the statuses and of the roles, for
every format (HTML and SVG badges, the terminal, xlsx fills, Word shading). A light
added to ``Color`` without an entry here gets ``OTHER``, never an error."""

from __future__ import annotations

from dataclasses import dataclass

from jsgj.status import Color
from jsgj.values import Status


@dataclass(frozen=True, slots=True)
class Swatch:
    fill: str
    """Badge background (HTML, SVG, Word), #rrggbb."""
    ink: str
    """Text on the badge."""
    tint: str
    """A light fill for whole spreadsheet cells, rrggbb."""
    rich: str
    """The terminal style of a badge (a matrix cell)."""
    term: str = ""
    """The terminal style of text in this colour (a light in a task list)."""


LIGHTS: dict[Color, Swatch] = {
    Color.red: Swatch("#c62828", "#ffffff", "E57373", "bold white on red", "bold red"),
    Color.yellow: Swatch("#f2c200", "#3a2d00", "FFE082", "bold black on yellow", "bold yellow"),
    Color.blue: Swatch("#1e88e5", "#ffffff", "90CAF9", "bold white on blue", "bold blue"),
    Color.green: Swatch("#2e7d32", "#ffffff", "A5D6A7", "green", "green"),
    Color.pending: Swatch("#8e24aa", "#ffffff", "E1BEE7", "magenta", "magenta"),
    Color.done: Swatch("#546e7a", "#ffffff", "CFD8DC", "cyan", "cyan"),
    Color.cancelled: Swatch("#bdbdbd", "#333333", "E0E0E0", "dim", "dim"),
}
"""蓝灯 (临期) is the blue; 已办结 a slate grey-blue, closed and out of the way."""
OTHER = Swatch("#5b9bd5", "#ffffff", "BBDEFB", "cyan", "cyan")

STATUSES: dict[Status, Swatch] = {
    Status.done: Swatch("#1f5fa8", "#ffffff", "90CAF9", "blue"),
    Status.in_progress: Swatch("#5b9bd5", "#ffffff", "BBDEFB", "cyan"),
    Status.not_started: Swatch("#c9c9c9", "#333333", "EEEEEE", "dim"),
    Status.blocked: Swatch("#c62828", "#ffffff", "E57373", "bold red"),
}

TONES: dict[str, Swatch] = {
    "lead": Swatch("#f6d5d5", "#8b0000", "F6D5D5", "bold"),
    "co": Swatch("#dde8f5", "#1f3f6e", "DDE8F5", ""),
}
HEADER_FILL = "EEF1F5"
RULE_RED = "#c00000"


def light(color: Color) -> Swatch:
    return LIGHTS.get(color, OTHER)


def tone(name: str) -> Swatch | None:
    return TONES.get(name)


def status(value: Status) -> Swatch:
    return STATUSES.get(value, OTHER)
