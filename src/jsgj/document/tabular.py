"""A document's table as CSV or xlsx (its ``tabular`` view, else its only table).
Values keep their types: numbers stay numbers, dates are real dates in xlsx, a light
is its label (and its palette tint in xlsx). Text that could run as a formula stays
text (``sheets.table.csv_safe``, ``sheets.xlsx.put``)."""

from __future__ import annotations

import csv
import io

from jsgj.document import palette
from jsgj.document.model import Cell, Document, Kind, Table, Value, light_of, text, value_of
from jsgj.sheets.table import csv_safe


def _plain(item: Value | Cell, kind: Kind) -> str | int | float:
    """A value as a spreadsheet cell: numbers as numbers, nothing as empty."""
    value = value_of(item)
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return csv_safe(text(item, kind))


def render_csv(doc: Document, table: Table | None = None) -> str:
    from jsgj.document.model import flat_table

    t = table or flat_table(doc)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([c.header for c in t.columns])
    for row in t.rows:
        w.writerow([_plain(v, c.kind) for v, c in zip(row.cells, t.columns, strict=True)])
    return buf.getvalue()


def render_xlsx(doc: Document, table: Table | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from jsgj.document.model import flat_table
    from jsgj.document.ooxml import pinned
    from jsgj.sheets import table as sheet_table
    from jsgj.sheets.xlsx import DATE_FORMAT, grid, print_setup, put, style_header

    t = table or flat_table(doc)
    wb = Workbook()
    ws = wb.active
    ws.title = (t.name or doc.title)[:31]
    n = len(t.columns)
    put(ws, 1, 1, doc.title).font = Font(bold=True, size=14)
    if doc.subtitle:
        put(ws, 2, 1, "；".join(doc.subtitle))
    head = 3
    for j, c in enumerate(t.columns, 1):
        vertical = t.grid and bool(c.long)
        cell = put(ws, head, j, c.long if vertical else c.header)
        if vertical:
            cell.alignment = Alignment(text_rotation=255, horizontal="center", vertical="top")
    style_header(ws, head, n)
    if t.grid and any(c.long for c in t.columns):
        ws.row_dimensions[head].height = 16 * max(len(c.long) for c in t.columns)
    r = head
    for row in t.rows:
        r += 1
        for j, (item, c) in enumerate(zip(row.cells, t.columns, strict=True), 1):
            value = value_of(item)
            if c.kind is Kind.light or (value is not None and not isinstance(value, int | float)):
                value = text(item, c.kind) if value is not None else None
            cell = put(ws, r, j, value)
            if c.kind is Kind.date and value is not None:
                cell.value = value_of(item)
                cell.number_format = DATE_FORMAT
            if c.kind is Kind.percent:
                cell.number_format = '0"%"'
            elif c.kind is Kind.decimal:
                cell.number_format = "0.0"
            wide = c.kind is Kind.text and not c.nowrap and not t.grid
            cell.alignment = Alignment(
                vertical="top",
                wrap_text=wide,
                horizontal="center" if t.grid and j > t.repeat else None,
            )
            lt = light_of(item)
            fill = palette.light(lt).tint if lt is not None else None
            if fill is None and isinstance(item, Cell) and item.tone:
                swatch = palette.tone(item.tone)
                fill = swatch.tint if swatch else None
            if fill:
                cell.fill = PatternFill("solid", fgColor=fill)
            if row.style == "total" or (isinstance(item, Cell) and item.tone == "lead"):
                cell.font = Font(bold=True)
    grid(ws, head + 1, r, n)
    closing = [p.text for p in doc.closing]
    for k, note in enumerate(closing, r + 2):
        put(ws, k, 1, note)
    columns = [
        sheet_table.Column(
            c.header,
            sheet_table.Kind.wrap
            if c.kind is Kind.text and not c.nowrap
            else sheet_table.Kind.text,
        )
        for c in t.columns
    ]
    rows = [[text(v, c.kind) for v, c in zip(row.cells, t.columns, strict=True)] for row in t.rows]
    for j, width in enumerate(sheet_table.column_widths(columns, rows), 1):
        if t.grid and j > t.repeat:
            width = max(4.5, min(width, 10.0))
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = ws.cell(row=head + 1, column=t.repeat + 1)
    print_setup(ws, head, landscape=doc.landscape or n > 9)
    raw = io.BytesIO()
    wb.properties.creator = "jsgj"
    wb.properties.lastModifiedBy = "jsgj"
    wb.save(raw)
    return pinned(raw.getvalue(), doc.as_of)
