"""Any document for the terminal (rich): headings, paragraphs, tables with lights in
their palette colours. A table wider than the console is split into as few tables
as fit, each repeating its leading columns (the matrix: 措施1-10 and 11-19 on an
80-column terminal). Figures are left out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from jsgj.document import palette
from jsgj.document.model import (
    Block,
    Cell,
    Column,
    Document,
    Kind,
    Paragraph,
    Row,
    Section,
    Table,
    Value,
    chinese_date,
    light_of,
    text,
)

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.table import Table as RichTable
    from rich.text import Text


def _cell(item: Value | Cell, column: Column) -> Text:
    from rich.text import Text

    shown = item.compact if isinstance(item, Cell) and item.compact is not None else None
    body = shown if shown is not None else text(item, column.kind)
    style = ""
    lt = light_of(item)
    if lt is not None and (column.kind is Kind.light or isinstance(item, Cell)):
        style = palette.light(lt).rich
    if isinstance(item, Cell) and item.tone:
        swatch = palette.tone(item.tone)
        extra = "underline" if lt is not None and item.tone == "lead" else ""
        base = swatch.rich if swatch and lt is None else ""
        style = " ".join(s for s in (style, base, extra) if s)
    if item is None or body == "":
        style = style or "dim"
    return Text(body, style=style)


def _rich_table(t: Table, columns: Sequence[int], title: str | None) -> RichTable:
    from rich import box
    from rich.table import Table as RichTable

    table = RichTable(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1) if not t.grid else 0,
    )
    for i in columns:
        c = t.columns[i]
        wide = c.kind is Kind.text and not c.nowrap and not t.grid
        table.add_column(
            c.header,
            justify="right" if c.numeric else ("center" if t.grid and i >= t.repeat else "left"),
            no_wrap=not wide,
            overflow="fold",
            ratio=1 if wide else None,
            min_width=10 if wide else None,
        )
    for row in t.rows:
        table.add_row(*[_cell(row.cells[i], t.columns[i]) for i in columns], style=_row_style(row))
    return table


def _row_style(row: Row) -> str:
    return {"total": "bold", "muted": "italic"}.get(row.style, "")


def _width(console: Console, table: RichTable) -> int:
    from rich.measure import Measurement

    return Measurement.get(console, console.options.update(width=10_000), table).maximum


def _fit(t: Table, console: Console) -> list[RichTable]:
    """The table whole when it fits, else split into k parts of the other columns."""
    keys = list(range(min(t.repeat, len(t.columns))))
    rest = list(range(len(keys), len(t.columns)))
    best: list[RichTable] = []
    for k in range(1, max(len(rest), 1) + 1):
        size, extra = divmod(len(rest), k)
        parts, start = [], 0
        for i in range(k):
            end = start + size + (1 if i < extra else 0)
            if end > start:
                parts.append(rest[start:end])
            start = end
        best = [
            _rich_table(
                t,
                keys + part,
                None if len(parts) == 1 else _part_title(t, part),
            )
            for part in parts
        ]
        if t.grid is False or all(_width(console, x) <= console.width for x in best):
            break
    return best


def _part_title(t: Table, part: Sequence[int]) -> str:
    """'1-10': the first and last of the part's own (not numeric total) columns."""
    own = [t.columns[i].header for i in part if not t.columns[i].numeric] or [
        t.columns[i].header for i in part
    ]
    return own[0] if len(own) == 1 else f"{own[0]}-{own[-1]}"


def _blocks(blocks: Sequence[Block], level: int, console: Console) -> list[RenderableType]:
    from rich.text import Text

    out: list[RenderableType] = []
    for b in blocks:
        if isinstance(b, Section):
            out.append(Text(f"\n{b.title}", style="bold" if level <= 2 else "bold dim"))
            out += _blocks(b.blocks, level + 1, console)
        elif isinstance(b, Paragraph):
            out.append(Text(b.text, style="dim" if b.style == "note" else ""))
        elif isinstance(b, Table):
            out += _fit(b, console)
    return out


def render_terminal(doc: Document, console: Console) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    parts: list[RenderableType] = []
    if doc.masthead is not None:
        m = doc.masthead
        parts.append(Text(m.banner, style="bold red"))
        parts.append(Text(f"{m.issue}　{m.issuer}　{chinese_date(m.date)}", style="dim"))
    parts.append(Text(doc.title, style="bold"))
    if doc.subtitle:
        parts.append(Text("\n".join(doc.subtitle), style="dim"))
    parts += _blocks((*doc.body, *doc.annexes), 2, console)
    for p in doc.closing:
        parts.append(Text(p.text, style="dim"))
    if doc.distribution is not None:
        d = doc.distribution
        lines = [f"{label}：{to}" for label, to in d.lines]
        lines.append(f"{d.issuer}　{chinese_date(d.date)}印发")
        parts.append(Text("\n" + "\n".join(lines), style="dim"))
    return Group(*parts)
