"""Plain tables (a sheet's name, typed columns, rows) and the cell rules every writer
shares: formula-injection safety and column widths that fit Chinese text."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these could run as a formula in Excel, WPS or
LibreOffice (CSV injection): writers make sure it stays text."""


def is_risky(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def csv_safe(text: str) -> str:
    """Text for a CSV cell: a leading apostrophe when it could run as a formula (the
    convention spreadsheets show as text; ``unquote_csv`` takes it off again)."""
    return "'" + text if is_risky(text) else text


def unquote_csv(text: str) -> str:
    """Undo ``csv_safe`` on a cell read back from a CSV file."""
    return text[1:] if text.startswith("'") and is_risky(text[1:]) else text


class Kind(StrEnum):
    text = "text"
    wrap = "wrap"
    """Long text (titles, notes): a capped width, wrapped."""
    int = "int"
    date = "date"
    datetime = "datetime"


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: Kind = Kind.text
    key: str = ""
    """The field's name in JSON (English), for formats that want one."""


@dataclass(slots=True)
class Table:
    """One sheet: ``rows`` hold str, int, date, datetime or None, in column order."""

    name: str
    file_stem: str
    """ASCII name of this table's CSV file."""
    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet or terminal: CJK and full-width count 2."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


WRAP_WIDTH = 48
MAX_WIDTH = 60


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def column_widths(columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> list[float]:
    """Spreadsheet column widths (in character units) that fit the header and the
    longest cell, CJK counted double; long text is capped and wraps."""
    widths: list[float] = []
    for i, col in enumerate(columns):
        if col.kind is Kind.date:
            body = 10
        elif col.kind is Kind.datetime:
            body = 19
        else:
            body = max((display_width(cell_text(r[i])) for r in rows), default=0)
        cap = WRAP_WIDTH if col.kind is Kind.wrap else MAX_WIDTH
        widths.append(min(max(body, display_width(col.header)) + 2, cap))
    return widths
