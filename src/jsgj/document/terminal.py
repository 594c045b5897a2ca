"""Any document for the terminal (rich): headings, paragraphs, tables with lights in
their palette colours. A table wider than the console is split into as few tables
as fit, each repeating its leading columns (the matrix: 措施1-10 and 11-19 on an
80-column terminal). Figures are left out."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import partial
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
    align,
    chinese_date,
    light_of,
    text,
)
from jsgj.render.text import cells, visible
from jsgj.status import Color

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
    from rich.table import Table as RichTable
    from rich.text import Text


def _look(item: Value | Cell, column: Column) -> tuple[str, str]:
    """A cell's text as the terminal shows it and its rich style."""
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
    return visible(body), style


def _cell(item: Value | Cell, column: Column) -> Text:
    from rich.text import Text

    body, style = _look(item, column)
    return Text(body, style=style)


def _wide(t: Table, c: Column) -> bool:
    return c.kind is Kind.text and not c.nowrap and not t.grid and not c.aside


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
    shown = [i for i in columns if not t.columns[i].aside]
    asides = [i for i in columns if t.columns[i].aside]
    host = next((i for i in shown if _wide(t, t.columns[i])), None)
    for i in shown:
        c = t.columns[i]
        wide = _wide(t, c)
        header = c.header
        if i == host and asides:
            header += "（" + "、".join(t.columns[k].header for k in asides) + "）"
        table.add_column(
            header,
            justify=align(t, i),  # type: ignore[arg-type]
            no_wrap=not wide,
            overflow="fold",
            ratio=1 if wide else None,
            min_width=12 if wide else None,
        )
    for row in t.rows:
        cells = []
        for i in shown:
            cell = _cell(row.cells[i], t.columns[i])
            if i == host:
                lights = [light_of(x) for x in row.cells]
                flagged = next((x for x in lights if x in (Color.red, Color.yellow)), None)
                for k in asides:
                    note = text(row.cells[k], t.columns[k].kind)
                    cell.append(
                        f"\n{note}", style=palette.light(flagged).rich if flagged else "dim"
                    )
            cells.append(cell)
        table.add_row(*cells, style=_row_style(row))
    return table


_CHUNK = 256
"""Rows of a list table made into rich segments at a time (``_Rows``)."""


def _plain_table(t: Table, console: Console) -> list[RenderableType] | None:
    """A list-like table (not a grid) as lines laid out in fixed columns
    (``render.columns``): the first column as the key, the widest text column
    wrapping (remarks and other long text under it), the others as wide as their
    longest value; on a narrow terminal a row folds. No value is cut or dropped. None
    for a grid (the matrix: rich, split into parts).

    Streamed: the widths come from one pass over the cells' plain text (no rich
    object per cell), the rows are laid out as they are printed, ``_CHUNK`` at a time
    (``_Rows``), so a department's sheet of 8,000 rows starts at once and what is held
    does not grow with the rows."""
    from jsgj.render.columns import Col, Layout

    shown = [i for i, c in enumerate(t.columns) if not c.aside]
    if t.grid or not shown:
        return None
    width = [cells(c.header) for c in t.columns]
    for row in t.rows:
        for i, item in enumerate(row.cells):
            n = cells(_look(item, t.columns[i])[0])
            if n > width[i]:
                width[i] = n

    def most(i: int) -> int:
        return width[i]

    wide = [i for i in shown if _wide(t, t.columns[i])]
    # The widest text column wraps in place; other long text columns (a report's
    # note) go under it, like remarks; a table of figures wraps its first column.
    host = max(wide, key=most) if wide else shown[0]
    asides = [i for i, c in enumerate(t.columns) if c.aside]
    asides += [i for i in wide if i != host and most(i) > 16]
    key = shown[0] if host != shown[0] else None
    fixed = [i for i in shown if i not in (host, key) and i not in asides]

    def col(i: int) -> Col:
        c = t.columns[i]
        return Col(c.header, most(i), c.numeric)

    header = t.columns[host].header
    if asides:
        header += "（" + "、".join(t.columns[k].header for k in asides) + "）"
    layout = Layout.fit(
        col(key) if key is not None else Col("", 0),
        Col(header, min(most(host), 12)),
        [col(i) for i in fixed],
        console.width,
        min_text=min(most(host), 16),
        max_text=None if asides else most(host),
    )
    colour = console.color_system is not None

    def lines(rows: Sequence[Row]) -> Iterator[tuple[str, str, bool]]:
        """(line, row style, has colour) of each row."""
        for row in rows:
            look = [_look(item, t.columns[i]) for i, item in enumerate(row.cells)]
            styles = [look[i][1] for i in fixed] if colour else []
            out = layout.row(
                look[key][0] if key is not None else "",
                look[host][0],
                [look[i][0] for i in fixed],
                styles,
                [text(row.cells[k], t.columns[k].kind) for k in asides],
            )
            painted = any(styles)
            for line in out:
                yield line, _row_style(row), painted

    head = [(line, "bold", False) for line in layout.header()]
    chunks: list[RenderableType] = [_Rows(lambda: iter(head))]
    for start in range(0, len(t.rows), _CHUNK):
        part = t.rows[start : start + _CHUNK]
        chunks.append(_Rows(partial(lines, part)))
    return chunks


class _Rows:
    """Lines already laid out, made into rich segments as rich prints them: plain
    text straight through (no measuring, wrapping or markup), a line holding colour
    codes through ``Text.from_ansi``."""

    def __init__(self, lines: Callable[[], Iterator[tuple[str, str, bool]]]) -> None:
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.control import strip_control_codes
        from rich.segment import Segment
        from rich.style import Style
        from rich.text import Text

        newline = Segment.line()
        for line, style, painted in self.lines():
            if painted:
                yield Text.from_ansi(line, no_wrap=True, style=style)
                continue
            yield Segment(strip_control_codes(line), Style.parse(style) if style else None)
            yield newline


def _row_style(row: Row) -> str:
    return {"total": "bold", "muted": "italic"}.get(row.style, "")


def _width(console: Console, table: RichTable) -> int:
    from rich.measure import Measurement

    return Measurement.get(console, console.options.update(width=10_000), table).maximum


def _part_title(t: Table, part: Sequence[int]) -> str:
    first, last = t.columns[part[0]].header, t.columns[part[-1]].header
    return t.part_title.format(first=first, last=last)


def _fit(t: Table, console: Console) -> list[RichTable]:
    """The table whole when it fits, else split into k parts of the middle columns,
    each with the leading columns, the trailing ones on the last."""
    n = len(t.columns)
    keys = list(range(min(t.repeat, n)))
    tail = list(range(max(len(keys), n - t.trailing), n))
    middle = [i for i in range(n) if i not in keys and i not in tail]
    best: list[RichTable] = []
    for k in range(1, max(len(middle), 1) + 1):
        size, extra = divmod(len(middle), k)
        parts, start = [], 0
        for i in range(k):
            end = start + size + (1 if i < extra else 0)
            if end > start:
                parts.append(middle[start:end])
            start = end
        parts = parts or [[]]
        best = [
            _rich_table(
                t,
                keys + part + (tail if j == len(parts) - 1 else []),
                None if len(parts) == 1 else _part_title(t, part),
            )
            for j, part in enumerate(parts)
        ]
        if not t.grid or all(_width(console, x) <= console.width for x in best):
            break
    return best


def _blocks(blocks: Sequence[Block], level: int, console: Console) -> list[RenderableType]:
    from rich.text import Text

    out: list[RenderableType] = []
    for b in blocks:
        if isinstance(b, Section):
            out.append(Text(f"\n{visible(b.title)}", style="bold" if level <= 2 else "bold dim"))
            out += _blocks(b.blocks, level + 1, console)
        elif isinstance(b, Paragraph):
            out.append(
                Text(
                    visible(b.text),
                    style="dim" if b.style == "note" else "",
                    justify="right" if b.style == "sign" else None,
                )
            )
        elif isinstance(b, Table):
            out += _plain_table(b, console) or _fit(b, console)
    return out


def render_terminal(doc: Document, console: Console) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    parts: list[RenderableType] = []
    if doc.masthead is not None:
        m = doc.masthead
        parts.append(Text(m.banner, style="bold red"))
        parts.append(Text(f"{m.issue}　{m.issuer}　{chinese_date(m.date)}", style="dim"))
    parts.append(Text(visible(doc.title), style="bold"))
    if doc.subtitle:
        parts.append(Text(visible("\n".join(doc.subtitle)), style="dim"))
    parts += _blocks(doc.body, 2, console)
    for p in doc.closing:
        parts.append(Text(visible(p.text), style="dim"))
    parts += _blocks(doc.annexes, 2, console)
    if doc.distribution is not None:
        d = doc.distribution
        lines = [f"{label}：{to}" for label, to in d.lines]
        lines.append(f"{d.issuer}　{chinese_date(d.date)}印发")
        parts.append(Text("\n" + "\n".join(lines), style="dim"))
    return Group(*parts)
