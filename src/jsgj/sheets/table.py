"""Plain tables (a sheet's name, typed columns, rows) and the cell rules every writer
shares: formula-injection safety and column widths that fit Chinese text."""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from jsgj.errors import JsgjError
from jsgj.i18n import _
from jsgj.limits import CELL_MAX_CHARS, COLUMNS_MAX, ROWS_MAX

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these could run as a formula in Excel, WPS or
LibreOffice (CSV injection): writers make sure it stays text."""


def is_risky(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def csv_safe(text: str) -> str:
    """Text for a CSV cell: a leading apostrophe when it could run as a formula (the
    convention spreadsheets show as text; ``unquote_csv`` takes it off again)."""
    return "'" + text if is_risky(text) else text


def column_letter(index: int) -> str:
    """0 -> A, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def checked_row(path: Path, number: int, cells: list[Any]) -> list[Any]:
    """Row ``number`` (1-based) of a return, refused when over a limit of
    ``jsgj.limits``: more rows or columns than a return has, or a cell longer than
    any spreadsheet holds. The one line names the cell (B7)."""
    if number > ROWS_MAX:
        raise JsgjError(
            _("{path}: more than {limit:,} rows; a return has far fewer").format(
                path=path, limit=ROWS_MAX
            )
        )
    if len(cells) > COLUMNS_MAX and any(c is not None and c != "" for c in cells[COLUMNS_MAX:]):
        raise JsgjError(
            _("{path}: row {row} has more than {limit} columns; a return has 13").format(
                path=path, row=number, limit=COLUMNS_MAX
            )
        )
    for j, value in enumerate(cells):
        if isinstance(value, str) and len(value) > CELL_MAX_CHARS:
            raise JsgjError(
                _("{path}: cell {cell} holds {n:,} characters; at most {limit:,}").format(
                    path=path,
                    cell=f"{column_letter(j)}{number}",
                    n=len(value),
                    limit=CELL_MAX_CHARS,
                )
            )
    return cells


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


LINE_HEIGHT = 15.0
"""Points per line of the default 11 pt text: a row's height is a whole number of these."""
CJK_PRINT_FACTOR = 0.9
"""How much of its counted display width a line of text takes when printed (Excel and
LibreOffice draw CJK a little narrower than two width units)."""


def row_height(cells: Sequence[tuple[Any, float]], least: int = 1) -> float | None:
    """The height (points) a row needs for its wrapped cells to show whole when printed:
    ``cells`` are (value, column width) of its wrapping columns; ``least`` lines at the
    least (room to write in). None when one line is enough (the default height). Set
    explicitly, because LibreOffice does not grow rows when it opens a workbook."""
    lines = least
    for value, width in cells:
        text = cell_text(value)
        if not text:
            continue
        per_line = max(width - 1.0, 4.0)
        # A CJK character prints narrower than the two units it is given in a width.
        n = sum(
            max(1, math.ceil(display_width(part) * CJK_PRINT_FACTOR / per_line))
            for part in text.splitlines()
        )
        lines = max(lines, n)
    return None if lines <= 1 else lines * LINE_HEIGHT
