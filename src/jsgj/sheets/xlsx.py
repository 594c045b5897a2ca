"""Writing Excel files through openpyxl: the ledger (one sheet per table) and the
return form, and the cell and print helpers every xlsx writer shares (the document
writer ``jsgj.document.tabular`` too). Reading is ``jsgj.sheets.xlsx_read``.

Text cells are always stored as strings (``data_type = "s"``): openpyxl would store a
text starting with ``=`` as a formula, which Excel, WPS and LibreOffice would run.
Risky texts (see ``table.is_risky``) also get Excel's quote prefix, so that editing
the cell keeps it text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jsgj.document.palette import HEADER_FILL
from jsgj.sheets import form as F
from jsgj.sheets.table import Column, Kind, Table, column_widths, is_risky, row_height

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
LOCKED_FILL = "F2F2F2"
FILL_IN_FILL = "FFFFFF"
EXCEL_EPOCH = dt.date(1899, 12, 30)


def _save(wb: Any, path: Path) -> None:
    """Atomically (``jsgj.files``): a full disk never leaves half a workbook."""
    from jsgj.files import open_atomic

    with open_atomic(path) as f:
        wb.save(f)


# --- cells and styles every writer shares -------------------------------------------


def put(ws: Any, row: int, column: int, value: Any) -> Any:
    """Set a cell; text is always stored as text: openpyxl would store a string that
    starts with '=' as a formula, which Excel, WPS or LibreOffice would run."""
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        _text(cell, value)
    return cell


def style_header(ws: Any, row: int, ncols: int, fill: str = HEADER_FILL) -> None:
    """Bold, shaded, bordered and centred (a vertical header keeps its rotation)."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="8C8C8C")
    for col in range(1, ncols + 1):
        cell = ws.cell(row=row, column=col)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=fill)
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        if cell.alignment.text_rotation != 255:
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def grid(ws: Any, first_row: int, last_row: int, ncols: int) -> None:
    from openpyxl.styles import Border, Side

    thin = Side(style="thin", color="BFBFBF")
    for row in ws.iter_rows(min_row=first_row, max_row=last_row, max_col=ncols):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)


PAPER_A4 = "9"
"""SpreadsheetML's paper size code for A4 (``Worksheet.PAPERSIZE_A4``)."""


def print_setup(ws: Any, header_rows: int | tuple[int, int], *, landscape: bool) -> None:
    """A4, narrow margins, fit to the page width (as many pages down as needed), the
    header row(s) repeated on every printed page, centred across the page. ``ws`` may
    be a write-only sheet (set before its rows are written)."""
    first, last = header_rows if isinstance(header_rows, tuple) else (header_rows, header_rows)
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.print_options.horizontalCentered = True
    margins = ws.page_margins
    margins.left = margins.right = 0.4  # inches
    margins.top = margins.bottom = 0.55
    margins.header = margins.footer = 0.3
    ws.print_title_rows = f"{first}:{last}"
    # The page number and count in the footer, as Excel and LibreOffice print them.
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


# --- writing the ledger -------------------------------------------------------------


LEDGER_WRAP_WIDTH = 36
"""Long text (task names, notes) wraps at this width in the ledger, so that a sheet
fitted to the page width still prints legibly."""


def write_tables(tables: Sequence[Table], path: Path) -> None:
    """One sheet per table: bold frozen header row with a filter, widths that fit Chinese
    text, real dates, long text wrapped; printed on A4 landscape fitted to the width,
    the header row on every page. Written in openpyxl's streaming mode."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from jsgj.files import check_target

    check_target(path)  # before building: a refused target leaves no half-built sheets
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor=HEADER_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    head_align = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for table in tables:
        ws = wb.create_sheet(table.name)
        widths = [
            min(w, LEDGER_WRAP_WIDTH) if c.kind is Kind.wrap else w
            for w, c in zip(column_widths(table.columns, table.rows), table.columns, strict=True)
        ]
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        wrapping = [i for i, c in enumerate(table.columns) if c.kind is Kind.wrap]
        ws.freeze_panes = "A2"
        print_setup(ws, 1, landscape=True)
        last = get_column_letter(len(table.columns))
        ws.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
        header = []
        for col in table.columns:
            cell = WriteOnlyCell(ws, value=col.header)
            cell.font = bold
            cell.fill = head_fill
            cell.alignment = head_align
            header.append(cell)
        ws.append(header)
        kinds = [c.kind for c in table.columns]
        for r, row in enumerate(table.rows, start=2):
            height = row_height([(row[i], widths[i]) for i in wrapping])
            if height is not None:
                ws.row_dimensions[r].height = height  # before the row is streamed
            grown = top if height is not None else None
            ws.append(
                [
                    _cell(ws, WriteOnlyCell, k, v, wrap, grown)
                    for k, v in zip(kinds, row, strict=True)
                ]
            )
    _save(wb, path)


def _cell(ws: Any, make: Any, kind: Kind, value: Any, wrap: Any, top: Any = None) -> Any:
    """A plain value where openpyxl's defaults are right (numbers; dates, which get a
    date format; text that cannot be a formula); a styled cell otherwise. In a row
    grown for wrapped text (``top`` given) every cell is aligned to the top, so that
    the row reads across."""
    risky = isinstance(value, str) and (value.startswith("=") or is_risky(value))
    if value is None or (top is None and kind is not Kind.wrap and not risky):
        return value
    cell = make(ws, value=value)
    if isinstance(value, str):
        _text(cell, value)
    if kind is Kind.wrap:
        cell.alignment = wrap
    elif top is not None:
        cell.alignment = top
    return cell


def _text(cell: Any, value: str) -> None:
    """Store as a string whatever it starts with; keep risky text text when edited."""
    cell.data_type = "s"
    if is_risky(value):
        cell.quotePrefix = True


# --- writing the return form --------------------------------------------------------


def _serial(day: dt.date) -> int:
    return (day - EXCEL_EPOCH).days


def write_form(form: F.Form, path: Path) -> None:
    """The form: header block, task rows (locked, grey) and fill-in columns (unlocked,
    with a status drop-down and whole-number 0-100 and date validation); the sheet is
    protected without a password so the task columns are not changed by accident."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "进展填报表"
    columns = [Column(h, k) for h, k in zip(F.HEADERS, _FORM_KINDS, strict=True)]
    n = len(columns)
    last = get_column_letter(n)

    ws["A1"] = F.TITLE
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(f"A1:{last}1")
    ws.row_dimensions[1].height = 28
    for i, (label, value) in enumerate(form.header_block(), start=2):
        ws.cell(i, 1, label).font = Font(bold=True)
        cell = ws.cell(i, 2)
        cell.value = value
        if isinstance(value, str):
            _text(cell, value)
        else:
            cell.number_format = DATE_FORMAT
            cell.alignment = Alignment(horizontal="left")
        ws.merge_cells(start_row=i, start_column=2, end_row=i, end_column=n)
        if label == F.NOTES_LABEL:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.cell(i, 1).alignment = Alignment(vertical="top")
            ws.row_dimensions[i].height = 48

    head = len(form.header_block()) + 3  # a blank row between block and table
    first = head + 1
    thin = Side(style="thin", color="BFBFBF")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    locked_fill = PatternFill("solid", fgColor=LOCKED_FILL)
    fill_in = PatternFill("solid", fgColor=FILL_IN_FILL)
    for j, col in enumerate(columns, start=1):
        ws.cell(head, j, col.header)
    style_header(ws, head, n)
    n_task = len(F.TASK_HEADERS)
    unlocked = Protection(locked=False)
    # Each row as written: the task's cells, then the blanks the department fills in
    # (the 填报日期 set to the form's day).
    rows: list[list[Any]] = [[*r.values(), None, None, form.on, None, None] for r in form.rows]
    for i, values in enumerate(rows, start=first):
        for j, (col, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = ws.cell(i, j)
            cell.value = value
            cell.border = border
            wraps = col.kind is Kind.wrap
            cell.alignment = Alignment(vertical="top", wrap_text=wraps)
            if isinstance(value, str):
                _text(cell, value)
            if col.kind is Kind.date:
                cell.number_format = DATE_FORMAT
            if j <= n_task:
                cell.fill = locked_fill
            else:
                cell.fill = fill_in
                cell.protection = unlocked
    widths = column_widths(columns, rows)
    for j, width in enumerate(widths, start=1):
        low, high = _FORM_WIDTHS.get(columns[j - 1].header, (0, width))
        ws.column_dimensions[get_column_letter(j)].width = widths[j - 1] = max(
            low, min(width, high)
        )
    wrapping = [j for j, c in enumerate(columns) if c.kind is Kind.wrap]
    for i, values in enumerate(rows, start=first):
        ws.row_dimensions[i].height = row_height([(values[j], widths[j]) for j in wrapping], 2)

    end = first + len(form.rows) - 1
    if form.rows:
        letter = {h: get_column_letter(j) for j, h in enumerate(F.HEADERS, start=1)}

        def validation(dv: DataValidation, header: str, title: str, message: str) -> None:
            dv.error = message
            dv.errorTitle = title
            dv.prompt = message
            dv.promptTitle = header
            dv.showErrorMessage = True
            dv.showInputMessage = True
            ws.add_data_validation(dv)
            dv.add(f"{letter[header]}{first}:{letter[header]}{end}")

        validation(
            DataValidation(
                type="list", formula1='"' + ",".join(F.STATUS_CHOICES) + '"', allow_blank=True
            ),
            "状态",
            "状态不在列表中",
            "请从下拉列表选择：" + "、".join(F.STATUS_CHOICES),
        )
        validation(
            DataValidation(
                type="whole", operator="between", formula1="0", formula2="100", allow_blank=True
            ),
            "进度%",
            "进度应为0-100的整数",
            "填0-100的整数，不带%；已完成即100",
        )
        validation(
            DataValidation(
                type="date",
                operator="between",
                formula1=str(_serial(dt.date(2024, 1, 1))),
                formula2=str(_serial(dt.date(2099, 12, 31))),
                allow_blank=True,
            ),
            "日期",
            "日期无效",
            "进展所属日期，格式如 2025-06-30",
        )
    ws.freeze_panes = ws.cell(first, 2)
    print_setup(ws, head, landscape=True)
    protection = ws.protection
    protection.sheet = True
    protection.formatColumns = False  # columns and rows may still be resized
    protection.formatRows = False
    protection.formatCells = False
    _save(wb, path)


_FORM_KINDS = (
    Kind.text,
    Kind.wrap,
    Kind.wrap,
    Kind.text,
    Kind.date,
    Kind.text,
    Kind.int,
    Kind.date,
    Kind.text,
    Kind.int,
    Kind.date,
    Kind.wrap,
    Kind.wrap,
)
_FORM_WIDTHS = {
    "任务编号": (10, 17),
    "措施": (14, 16),
    "任务名称": (24, 28),
    "当前状态": (8, 9),
    "状态": (9, 9),
    "进度%": (7, 7),
    "进展情况": (36, 36),
    "佐证材料": (18, 18),
}
"""Header -> (least, most) width: the fill-in columns wide enough to write in, long
text wrapping (rows grow), and the whole about 180 characters, so that A4 landscape
fitted to the width prints at about 80%."""
