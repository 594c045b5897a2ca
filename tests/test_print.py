"""How the spreadsheets print: the return form (`jsgj template`) and the ledger
(`jsgj export`) on A4 landscape, fitted to the page width and as many pages down as
needed, the header row repeated on every printed page, long text wrapped in rows that
are tall enough to show it, column widths that leave the print legible. Read back with
openpyxl; `make print-check` also has LibreOffice print them to PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import Invoke
from jsgj.sheets.table import LINE_HEIGHT, row_height
from report_helpers import demo_db

__all__ = ["demo_db"]


def printed_on_a4_landscape_fitted_to_width(ws: Any) -> None:
    setup = ws.page_setup
    assert str(setup.paperSize) == ws.PAPERSIZE_A4, ws.title
    assert setup.orientation == "landscape", ws.title
    assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), ws.title
    assert "&P" in ws.oddFooter.center.text  # page numbers


def test_the_return_form_prints_on_a4_landscape(
    jsgj: Invoke, demo_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "form.xlsx"
    result = jsgj(
        "--db", str(demo_db), "template", "人社厅", "--as-of", "2025-06-29", "-o", str(out)
    )
    assert result.exit_code == 0, result.stderr
    ws = openpyxl.load_workbook(out).active
    printed_on_a4_landscape_fitted_to_width(ws)
    head = next(r for r in range(1, 20) if ws.cell(r, 1).value == "任务编号")
    assert ws.print_title_rows == f"${head}:${head}"
    headers = [c.value for c in ws[head]]
    width = {h: ws.column_dimensions[chr(65 + j)].width for j, h in enumerate(headers)}
    # About 180 characters in all: A4 landscape at about 80%, not 40%.
    assert sum(width.values()) <= 190
    assert width["任务名称"] <= 28 and width["进展情况"] >= 30
    name = headers.index("任务名称") + 1
    rows = range(head + 1, ws.max_row + 1)
    assert all(ws.cell(r, name).alignment.wrap_text for r in rows)
    # Every task row has room to write in, and a long name gets the lines it needs.
    heights = [ws.row_dimensions[r].height for r in rows]
    assert all(h is not None and h >= 2 * LINE_HEIGHT for h in heights)
    longest = max(rows, key=lambda r: len(ws.cell(r, name).value))
    assert ws.row_dimensions[longest].height == row_height(
        [(ws.cell(longest, j + 1).value, width[h]) for j, h in enumerate(headers)
         if ws.cell(head + 1, j + 1).alignment.wrap_text],
        2,
    )  # fmt: skip


def test_the_ledger_prints_every_sheet_with_its_header(
    jsgj: Invoke, demo_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ledger.xlsx"
    result = jsgj("--db", str(demo_db), "export", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    wb = openpyxl.load_workbook(out)
    assert len(wb.worksheets) >= 3
    for ws in wb.worksheets:
        printed_on_a4_landscape_fitted_to_width(ws)
        assert ws.print_title_rows == "$1:$1", ws.title
    tasks = wb["任务"]
    headers = [c.value for c in tasks[1]]
    name = headers.index("任务名称") + 1
    letter = openpyxl.utils.get_column_letter(name)
    assert tasks.column_dimensions[letter].width <= 36
    long_rows = [
        r for r in range(2, tasks.max_row + 1) if len(tasks.cell(r, name).value or "") > 24
    ]
    assert long_rows
    for r in long_rows:
        assert tasks.cell(r, name).alignment.wrap_text
        assert (tasks.row_dimensions[r].height or 0) >= 2 * LINE_HEIGHT


@pytest.mark.parametrize(
    ("cells", "least", "height"),
    [
        ([("短", 20.0)], 1, None),
        ([("", 20.0), (None, 10.0)], 2, 2 * LINE_HEIGHT),
        ([("一" * 20, 40.0)], 1, None),  # 40 wide, printed as 36, in 39 a line
        ([("一" * 20, 22.0)], 1, 2 * LINE_HEIGHT),  # 36 printed in 21 a line: 2 lines
        ([("一" * 20, 22.0), ("甲\n乙\n丙", 40.0)], 1, 3 * LINE_HEIGHT),
    ],
)
def test_row_height_counts_the_lines_of_wrapped_text(
    cells: list[tuple[str | None, float]], least: int, height: float | None
) -> None:
    assert row_height(cells, least) == height
