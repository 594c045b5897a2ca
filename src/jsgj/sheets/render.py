"""Imports on a terminal: the problems found in a return, and what a dry run would
record, as lines in fixed columns (``render.columns``: no rich, no layout pass over
the rows), written as they are made: a return of 10,000 rows with a problem on each
prints at once."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from jsgj.catalog.catalog import OFFICE_ID, OFFICE_NAME, Catalog
from jsgj.i18n import _
from jsgj.render.columns import Col, Layout, block
from jsgj.render.text import cells, visible
from jsgj.sheets.returns import ReturnFile
from jsgj.store.imports import PlannedReport, RowProblem


def problem_lines(ret: ReturnFile, problems: Sequence[RowProblem], width: int) -> Iterator[str]:
    """Each problem: its row, its column (the file's header and letter) and what is
    wrong, under a heading that counts the rows."""
    rows = len({p.row for p in problems})
    heading = _("{file}: problems in {rows} row(s); nothing was recorded")
    yield from block(visible(heading.format(file=ret.path.name, rows=rows)), width)
    labels = {f: visible(ret.column_label(f)) for f in {p.field for p in problems}}
    layout = Layout.fit(
        Col(_("Row"), max([2, *(len(str(p.row)) for p in problems[-1:])])),
        Col(_("Problem"), 12),
        [Col(_("Column"), max([2, *(cells(x) for x in labels.values())]))],
        width,
        min_text=20,
    )
    yield from layout.header()
    for p in problems:  # in row order (ImportRejected sorts them)
        yield from layout.row(str(p.row), visible(p.message), (labels[p.field],))


def planned_lines(
    catalog: Catalog, reports: Sequence[PlannedReport], title: str, width: int
) -> Iterator[str]:
    """Each checked row as it will be recorded (新) or is already (已录入)."""

    def who(reporter: str) -> str:
        return OFFICE_NAME if reporter == OFFICE_ID else catalog.department(reporter).short

    yield from block(visible(title), width)
    fixed = (
        Col("任务", max([4, *(cells(visible(p.task_id)) for p in reports)])),
        Col("单位", max([4, *(cells(who(p.reporter)) for p in reports)])),
        Col("日期", 10),
        Col("状态", max([4, *(cells(p.status.label) for p in reports)])),
        Col("进度", 4, right=True),
        Col("", 6),
    )
    layout = Layout.fit(
        Col("行", max([2, *(len(str(p.row)) for p in reports)])), Col("进展情况", 12), fixed, width
    )
    yield from layout.header()
    for p in reports:
        yield from layout.row(
            str(p.row),
            p.note,
            (
                visible(p.task_id),
                who(p.reporter),
                p.report_date.isoformat(),
                p.status.label,
                f"{p.percent}%",
                "已录入" if p.already else "新",
            ),
        )
