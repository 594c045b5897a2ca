"""The document model: frozen dataclasses a report is built of (the frame, ``Document``,
``Masthead`` and ``Distribution``, in ``document.page``, re-exported here).

A document has a title, an optional masthead (红头: banner, 期号, 编发单位, 印发日期)
and distribution (版记: the 报/送/发 lines), a body of blocks (paragraphs, tables,
figures, sections holding blocks), and annexes (附件). Every writer lays them out in
the order of GB/T 9704-2012: masthead, title, body, the closing notes (附注), the
annexes (附件, each on a new page where the format has pages), and the 版记 last.
Table columns are typed, so that each writer formats, aligns and stores a value the
same way: a percent is right aligned everywhere, a date is a real date in xlsx, a
light has its palette colour.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeAlias

from jsgj.document.page import Distribution as Distribution
from jsgj.document.page import Document as Document
from jsgj.document.page import Masthead as Masthead
from jsgj.document.page import chinese_date as chinese_date
from jsgj.i18n import _
from jsgj.status import Color

NONE_TEXT = "—"


class Kind(StrEnum):
    """What a column holds, which decides its formatting and alignment."""

    text = "text"
    int = "int"
    percent = "percent"
    """An int 0-100 (or None), shown as 40%."""
    decimal = "decimal"
    """A number shown with one decimal (a score: 90.0, 82.9)."""
    date = "date"
    light = "light"
    """A ``Color``, shown as its label in its palette colours."""


Value: TypeAlias = str | int | float | dt.date | Color | None


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: Kind = Kind.text
    width: int = 0
    """Share of the page width in percent for print layouts; 0 lets the writer decide."""
    nowrap: bool = False
    long: str = ""
    """The full header where room allows (written vertically in HTML and xlsx)."""
    aside: bool = False
    """A remark on the row (a light's reason): the terminal prints it under the row's
    first wide text column instead of in a column of its own."""

    @property
    def numeric(self) -> bool:
        return self.kind in (Kind.int, Kind.percent, Kind.decimal)


@dataclass(frozen=True, slots=True)
class Cell:
    """A value with marks of its own: a role shading (``tone``: 'lead' or 'co') or the
    light of the tasks behind it; ``compact`` is a narrower text for the terminal."""

    value: Value
    tone: str | None = None
    light: Color | None = None
    compact: str | None = None


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[Value | Cell, ...]
    style: str = ""
    """'' | 'total' (bold, shaded) | 'muted' (a line that is not counted)."""


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    name: str = ""
    """The sheet's name in xlsx."""
    repeat: int = 1
    """Leading columns repeated when a narrow terminal splits the table."""
    trailing: int = 0
    """Closing columns (row totals) kept together on the last part of a split table."""
    part_title: str = "{first}-{last}"
    """How a part of a split table is titled, from its first and last column headers."""
    grid: bool = False
    """A dense grid of short cells (the matrix): small type, centred cells."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    style: str = ""
    """'' | 'note' (small print) | 'strong' | 'sign' (the sender and date under the
    body, 落款: right-aligned where the format can)."""


@dataclass(frozen=True, slots=True)
class Figure:
    svg: str
    """Inline SVG made by ``jsgj.render.svg`` (formats that cannot show it skip it)."""
    caption: str


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    blocks: tuple[Block, ...] = ()


Block: TypeAlias = Paragraph | Table | Figure | Section


CHINESE_NUMBERS = "一二三四五六七八九十"
"""Section numbers of a report (一、二、…)."""


def blocks_of(doc: Document) -> tuple[Block, ...]:
    """Body then annexes, in reading order."""
    return (*doc.body, *doc.annexes)


def value_of(item: Value | Cell) -> Value:
    return item.value if isinstance(item, Cell) else item


def text(item: Value | Cell, kind: Kind = Kind.text) -> str:
    """A cell as plain text, the same in every format: None as —, 40%, ISO dates,
    a light's label."""
    value = value_of(item)
    if value is None:
        return NONE_TEXT
    if isinstance(value, Color):
        return value.label
    if isinstance(value, dt.date):
        return value.isoformat()
    if kind is Kind.percent and isinstance(value, int | float):
        return f"{value:g}%"
    if kind is Kind.decimal and isinstance(value, int | float):
        return f"{value:.1f}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def align(t: Table, i: int) -> str:
    """How column ``i`` of ``t`` is aligned, the same in every format: 'right' for
    numbers, 'center' for a light and a grid's cells, else 'left'."""
    c = t.columns[i]
    if c.numeric:
        return "right"
    if c.kind is Kind.light or (t.grid and i >= t.repeat):
        return "center"
    return "left"


def light_of(item: Value | Cell) -> Color | None:
    """The light a cell shows: its own value in a light column, else its mark."""
    if isinstance(item, Cell):
        return item.light if item.light is not None else light_of(item.value)
    return item if isinstance(item, Color) else None


def tables(blocks: tuple[Block, ...]) -> list[Table]:
    """Every table, depth first."""
    out: list[Table] = []
    for b in blocks:
        if isinstance(b, Table):
            out.append(b)
        elif isinstance(b, Section):
            out += tables(b.blocks)
    return out


def flat_table(doc: Document) -> Table:
    """The table CSV and xlsx write."""
    from jsgj.errors import UsageError

    if doc.tabular is not None:
        return doc.tabular
    found = tables(blocks_of(doc))
    if len(found) != 1:
        raise UsageError(
            _("{title}: no single table to write as a spreadsheet").format(title=doc.title)
        )
    return found[0]
