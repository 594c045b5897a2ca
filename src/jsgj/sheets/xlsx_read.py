"""Reading Excel files (openpyxl): a filled-in return form and a ledger's sheets.

Hostile files are refused before they cost much (``jsgj.limits``): the archive's sizes
are checked from its zip directory before openpyxl parses anything; rows and columns
are counted as they are read; a formula without a cached value is refused by its cell
name rather than read as empty. Writing is ``jsgj.sheets.xlsx``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

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
from jsgj.sheets.table import checked_row

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
