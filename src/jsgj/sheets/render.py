"""Rich renderables for imports: the problems found in a return, and what a dry run
would record."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.table import Table
from rich.text import Text

from jsgj.catalog.catalog import OFFICE_ID, OFFICE_NAME, Catalog
from jsgj.i18n import _
from jsgj.render.text import visible
from jsgj.sheets.returns import ReturnFile
from jsgj.store.imports import PlannedReport, RowProblem


def problems_table(ret: ReturnFile, problems: Sequence[RowProblem]) -> Table:
    rows = len({p.row for p in problems})
    table = Table(
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        title=Text(
            visible(
                _("{file}: problems in {rows} row(s); nothing was recorded").format(
                    file=ret.path.name, rows=rows
                )
            )
        ),
        title_justify="left",
    )
    table.add_column(_("Row"), justify="right", no_wrap=True)
    table.add_column(_("Column"), no_wrap=True)
    table.add_column(_("Problem"), overflow="fold", ratio=1)
    for p in problems:
        # Text, not markup: the file's headers and the user's cells appear in these.
        table.add_row(
            str(p.row), Text(visible(ret.column_label(p.field))), Text(visible(p.message))
        )
    return table


def planned_table(catalog: Catalog, reports: Sequence[PlannedReport], title: str) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD, pad_edge=False, title=Text(visible(title)), title_justify="left"
    )
    table.add_column("行", justify="right", no_wrap=True)
    table.add_column("任务", no_wrap=True)
    table.add_column("单位", no_wrap=True)
    table.add_column("日期", no_wrap=True)
    table.add_column("状态", no_wrap=True)
    table.add_column("进度", justify="right", no_wrap=True)
    table.add_column("进展情况", overflow="fold", ratio=1, min_width=10)
    table.add_column("", no_wrap=True)
    for p in reports:
        who = OFFICE_NAME if p.reporter == OFFICE_ID else catalog.department(p.reporter).short
        table.add_row(
            str(p.row),
            Text(visible(p.task_id)),
            who,
            p.report_date.isoformat(),
            p.status.label,
            f"{p.percent}%",
            Text(visible(p.note)),
            Text("已录入", style="dim") if p.already else Text("新", style="green"),
        )
    return table
