"""Excel files through openpyxl: the ledger, the return form, and reading returns.

Text cells are always stored as strings (``data_type = "s"``): openpyxl would store a
text starting with ``=`` as a formula, which Excel, WPS and LibreOffice would run.
Risky texts (see ``table.is_risky``) also get Excel's quote prefix, so that editing
the cell keeps it text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from jsgj.document.palette import HEADER_FILL
from jsgj.errors import JsgjError
from jsgj.i18n import _
from jsgj.limits import (
    COLUMNS_MAX,
    MB,
    ROWS_MAX,
    XLSX_EXPANDED_MAX_BYTES,
    XLSX_MAX_BYTES,
    XLSX_MAX_MEMBERS,
    XLSX_SHARED_STRINGS_MAX_BYTES,
)
from jsgj.sheets import form as F
from jsgj.sheets.table import Column, Kind, Table, checked_row, column_widths, is_risky

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


def print_setup(ws: Any, header_row: int, *, landscape: bool) -> None:
    """A4, fit to the page width (as many pages down as needed), the header row
    repeated on every printed page."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.print_title_rows = f"{header_row}:{header_row}"


# --- writing the ledger -------------------------------------------------------------


def write_tables(tables: Sequence[Table], path: Path) -> None:
    """One sheet per table: bold frozen header row with a filter, widths that fit Chinese
    text, real dates, long text wrapped. Written in openpyxl's streaming mode."""
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
    for table in tables:
        ws = wb.create_sheet(table.name)
        for i, width in enumerate(column_widths(table.columns, table.rows), start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        last = get_column_letter(len(table.columns))
        ws.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
        header = []
        for col in table.columns:
            cell = WriteOnlyCell(ws, value=col.header)
            cell.font = bold
            cell.fill = head_fill
            header.append(cell)
        ws.append(header)
        kinds = [c.kind for c in table.columns]
        for row in table.rows:
            ws.append(
                [_cell(ws, WriteOnlyCell, k, v, wrap) for k, v in zip(kinds, row, strict=True)]
            )
    _save(wb, path)


def _cell(ws: Any, make: Any, kind: Kind, value: Any, wrap: Any) -> Any:
    """A plain value where openpyxl's defaults are right (numbers; dates, which get a
    date format; text that cannot be a formula); a styled cell otherwise."""
    if not isinstance(value, str) or not (
        kind is Kind.wrap or value.startswith("=") or is_risky(value)
    ):
        return value
    cell = make(ws, value=value)
    _text(cell, value)
    if kind is Kind.wrap:
        cell.alignment = wrap
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
            ws.row_dimensions[i].height = 48

    head = len(form.header_block()) + 3  # a blank row between block and table
    first = head + 1
    thin = Side(style="thin", color="BFBFBF")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    locked_fill = PatternFill("solid", fgColor=LOCKED_FILL)
    fill_in = PatternFill("solid", fgColor=FILL_IN_FILL)
    head_fill = PatternFill("solid", fgColor=HEADER_FILL)
    for j, col in enumerate(columns, start=1):
        cell = ws.cell(head, j, col.header)
        cell.font = Font(bold=True)
        cell.fill = head_fill
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    n_task = len(F.TASK_HEADERS)
    unlocked = Protection(locked=False)
    for i, row in enumerate(form.rows, start=first):
        values: list[Any] = [*row.values(), None, None, form.on, None, None]
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
    widths = column_widths(
        columns, [(*r.values(), None, None, form.on, None, None) for r in form.rows]
    )
    for j, width in enumerate(widths, start=1):
        header = columns[j - 1].header
        ws.column_dimensions[get_column_letter(j)].width = max(width, _MIN_WIDTHS.get(header, 0))

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
    ws.print_title_rows = f"{head}:{head}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
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
_MIN_WIDTHS = {"状态": 10, "进度%": 8, "进展情况": 40, "佐证材料": 24, "措施": 20, "任务名称": 24}


# --- reading ------------------------------------------------------------------------

RowProgress = Callable[[int, int], None]


def read_rows(path: Path, progress: RowProgress | None = None) -> Iterator[list[Any]]:
    """Every row of the sheet holding the return (the active sheet first, then the
    others), as cell values; row ``i`` of the iterator is the sheet's row ``i + 1``.

    Hostile files are refused before they cost much (``jsgj.limits``): the archive's
    sizes are checked from its directory before openpyxl parses anything; rows and
    columns are counted as they are read. A formula without a cached value (a file
    written by a program, never recalculated) is refused by its cell name rather than
    read as empty; a number formatted as a percentage reads as it shows (0.6 as 60%)."""
    check_archive(path)
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as e:
        raise JsgjError(
            _("{path}: not an Excel .xlsx file; save it as .xlsx").format(path=path)
        ) from e
    except Exception as e:  # zipfile.BadZipFile and the like
        raise JsgjError(
            _("{path}: cannot read the workbook (damaged, or not a workbook)").format(path=path)
        ) from e
    try:
        sheets = [wb.active, *[ws for ws in wb.worksheets if ws is not wb.active]]
        sheet = next((ws for ws in sheets if _has_header(ws)), sheets[0])
        _refuse_formulas_without_values(path, wb, sheet)
        percent = _percent_styles(wb)
        total = min(sheet.max_row or 0, ROWS_MAX)  # 0: the file does not say
        i = 0
        # Explicit bounds: a sheet's stated dimension may be missing or wrong, and a
        # single cell in column XFD would otherwise widen every row to 16,384 cells.
        rows = sheet.iter_rows(
            max_row=ROWS_MAX + 1, max_col=COLUMNS_MAX + 1, values_only=not percent
        )
        for i, row in enumerate(rows, start=1):
            if progress is not None and i % 1000 == 0:
                progress(i, total)
            values = list(row) if not percent else [_shown(c, percent) for c in row]
            while values and values[-1] is None:
                values.pop()
            yield checked_row(path, i, values)
        if progress is not None:
            progress(total or i, total or i)
    finally:
        wb.close()


def check_archive(path: Path) -> None:
    """Refuse an .xlsx too big, or expanding too far, from its zip directory alone."""
    import zipfile

    try:
        size = path.stat().st_size
    except OSError as e:
        raise JsgjError(
            _("{path}: cannot read the file ({reason})").format(path=path, reason=e.strerror or e)
        ) from e
    if size > XLSX_MAX_BYTES:
        raise JsgjError(
            _("{path}: the file is {size} MB; a return may be at most {limit} MB").format(
                path=path, size=size // MB, limit=XLSX_MAX_BYTES // MB
            )
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise JsgjError(
            _("{path}: not an Excel .xlsx file ({reason}); save it as .xlsx").format(
                path=path, reason=e
            )
        ) from e
    if len(members) > XLSX_MAX_MEMBERS:
        raise JsgjError(
            _("{path}: the workbook holds {n:,} parts; at most {limit:,}").format(
                path=path, n=len(members), limit=XLSX_MAX_MEMBERS
            )
        )
    expanded = sum(m.file_size for m in members)
    shared = sum(m.file_size for m in members if m.filename.lower().endswith("sharedstrings.xml"))
    for amount, limit, what in (
        (shared, XLSX_SHARED_STRINGS_MAX_BYTES, _("its shared strings")),
        (expanded, XLSX_EXPANDED_MAX_BYTES, _("the workbook")),
    ):
        if amount > limit:
            raise JsgjError(
                _(
                    "{path}: {what} would expand to {size:,} MB; a return may hold at most "
                    "{limit:,} MB (is it really a return form?)"
                ).format(path=path, what=what, size=amount // MB, limit=limit // MB)
            )


_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _refuse_formulas_without_values(path: Path, wb: Any, sheet: Any) -> None:
    """A formula cell with no cached value reads as empty: refuse it, by name. (Excel,
    WPS and LibreOffice store the value; a file generated by a program may not.)"""
    member = getattr(sheet, "_worksheet_path", None)
    archive = getattr(wb, "_archive", None)
    if member is None or archive is None:
        return
    with archive.open(member) as stream:
        tail = b""
        while chunk := stream.read(1 << 20):
            if _FORMULA.search(tail + chunk):
                break
            tail = chunk[-16:]
        else:
            return  # no formula at all: the usual return
    import xml.etree.ElementTree as ET

    with archive.open(member) as stream:
        for _event, element in ET.iterparse(stream):
            name = element.tag.rpartition("}")[2]
            if name == "c":
                children = {child.tag.rpartition("}")[2]: child for child in element}
                value = children.get("v")
                # No <v>, or an empty one on a cell that is not text (openpyxl writes
                # <v/>; Excel stores a formula's empty text as t="str" <v></v>).
                if "f" in children and (
                    value is None or (not value.text and element.get("t") not in ("str", "s"))
                ):
                    raise JsgjError(
                        _(
                            "{path}: cell {cell} holds a formula without a value; open the "
                            "file in Excel or WPS, save it, and import it again (or type "
                            "the value)"
                        ).format(path=path, cell=element.get("r") or "?")
                    )
                element.clear()
            elif name == "row":
                element.clear()


def _percent_styles(wb: Any) -> frozenset[int]:
    """Style ids whose number format shows a percentage."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

    out = set()
    for i, style in enumerate(getattr(wb, "_cell_styles", ())):
        fid = style.numFmtId
        if fid < BUILTIN_FORMATS_MAX_SIZE:
            code = BUILTIN_FORMATS.get(fid, "")
        else:
            code = wb._number_formats[fid - BUILTIN_FORMATS_MAX_SIZE]
        if "%" in code:
            out.add(i)
    return frozenset(out)


def _shown(cell: Any, percent: frozenset[int]) -> Any:
    """A cell's value as a reader sees it: 0.6 formatted as a percentage is "60%"."""
    value = cell.value
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and getattr(cell, "_style_id", 0) in percent
    ):
        return f"{round(value * 100, 9):g}%"
    return value


def _has_header(ws: Any) -> bool:
    from jsgj.sheets.returns import find_header

    rows = [list(r) for r in ws.iter_rows(max_row=40, max_col=COLUMNS_MAX + 1, values_only=True)]
    return find_header(rows) is not None


def read_sheets(path: Path, names: Sequence[str]) -> dict[str, list[list[Any]]]:
    """The rows of the named sheets of a workbook (a ledger), those it has; with the
    same guards as ``read_rows``."""
    check_archive(path)
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # not a workbook at all
        raise JsgjError(
            _("{path}: cannot read the workbook (damaged, or not a workbook)").format(path=path)
        ) from e
    try:
        out: dict[str, list[list[Any]]] = {}
        for name in names:
            if name not in wb.sheetnames:
                continue
            sheet = wb[name]
            _refuse_formulas_without_values(path, wb, sheet)
            rows = []
            for i, row in enumerate(
                sheet.iter_rows(max_row=ROWS_MAX + 1, max_col=COLUMNS_MAX + 1, values_only=True),
                start=1,
            ):
                values = list(row)
                while values and values[-1] is None:
                    values.pop()
                rows.append(checked_row(path, i, values))
            out[name] = rows
        return out
    finally:
        wb.close()


def sheet_names(path: Path) -> list[str]:
    """The sheet names of a workbook ([] when it cannot be read as one)."""
    from openpyxl import load_workbook

    try:
        check_archive(path)
        wb = load_workbook(path, read_only=True)
    except Exception:  # noqa: BLE001 - not a workbook: the return reader says why
        return []
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()
