"""Tasks on a terminal: the grouped list as streamed lines of text (no rich). One
task's card is jsgj.render.card."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from jsgj.catalog.catalog import OFFICE_ID, Catalog
from jsgj.document import palette
from jsgj.render.columns import Col, Layout, block, cells
from jsgj.render.text import visible
from jsgj.status import Color, Thresholds
from jsgj.tasks.counting import tally
from jsgj.tasks.line import TaskLine, task_line
from jsgj.tasks.records import TaskState
from jsgj.tasks.roles import short as who

LIGHT_STYLES = {c: palette.light(c).term for c in Color}
"""Lights as coloured text, from the one palette."""
LIGHT_DOTS = {
    Color.red: "●红",
    Color.yellow: "●黄",
    Color.blue: "●蓝",
    Color.green: "●绿",
    Color.pending: "◐审",
    Color.done: "✓结",
    Color.cancelled: "×撤",
}


TASK_COLUMNS = ("编号", "任务", "牵头", "截止", "状态", "进度", "未报", "灯")


def tasks_table(
    catalog: Catalog,
    tasks: Sequence[TaskState],
    on: dt.date,
    thresholds: Thresholds,
    *,
    width: int = 80,
    colour: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> Iterator[str]:
    """The task list as lines of text, printed as they are made: grouped by measure
    (a measure's title line before its first task), fixed-width columns whose widths
    come from the catalogue (department short names) and one counting pass over the
    tasks (ids, 未报), titles wrapping within their column. Narrower than every column
    beside a readable title, a row folds: id and title, then the other columns below.
    未报 is days since the lead last reported. The heading counts the whole selection by
    the one counting rule (``jsgj.tasks.counting``): city shares one each, province
    total lines not; ``offset``/``limit`` choose the rows shown (the heading says which).
    Two passes over ``tasks`` (count, then print); no task line is kept."""
    if not tasks:
        yield "没有符合条件的任务。"
        return
    silent_width, status_width, total = 4, 4, False
    id_widths: dict[int, int] = {}  # per measure: a measure without city shares has short ids

    def units() -> Iterator[TaskLine]:
        nonlocal silent_width, status_width, total
        for i, s in enumerate(tasks):
            x = task_line(catalog, s, on, thresholds)
            if offset <= i < (offset + limit if limit is not None else len(tasks)):
                id_widths[x.measure] = max(id_widths.get(x.measure, 4), cells(x.id))
                silent_width = max(silent_width, len(str(x.days_since_report)))
                status_width = max(status_width, cells(x.status_label))
            total = total or x.level == "total"
            if x.counted:
                yield x

    t = tally(units())
    head = f"任务清单（截至{on}，共{t.tasks}项"
    if t.cancelled:
        head += f"，另有已撤销{t.cancelled}项"
    head += "；全省合计行不计数）" if total else "）"
    end = len(tasks) if limit is None else min(len(tasks), offset + limit)
    yield from block(head, width)
    if offset < end and (offset or end < len(tasks)):
        yield from block(f"（显示第{offset + 1}至{end}行，共{len(tasks)}行）", width)
    if offset >= end:
        yield "没有符合条件的任务。"
        return
    lead_width = max(cells(who(catalog, d.id)) for d in (*catalog.departments,))
    lead_width = max(lead_width, cells(who(catalog, OFFICE_ID)))
    fixed = (
        Col("牵头", lead_width),
        Col("截止", 10),
        Col("状态", status_width),
        Col("进度", 4, right=True),
        Col("未报", silent_width, right=True),
        Col("灯", max(cells(d) for d in LIGHT_DOTS.values())),
    )
    layouts = {
        w: Layout.fit(Col("编号", w), Col("任务", 12), fixed, width)
        for w in set(id_widths.values())
    }
    measure: int | None = None
    for i in range(offset, end):
        x = task_line(catalog, tasks[i], on, thresholds)
        if x.measure != measure:
            measure = x.measure
            m = catalog.measure(measure)
            layout = layouts[id_widths[measure]]
            yield ""
            yield from block(visible(f"措施{m.label}{m.title}"), width)
            yield from layout.header()
        silent = (
            "—"
            if x.light in (Color.done, Color.pending, Color.cancelled)
            else str(x.days_since_report)
        )
        yield from layout.row(
            x.id,
            # A city's share repeats its parent's title: name the city instead.
            f"└{x.lead_short}" if x.parent_id else x.title,
            (
                x.lead_short,
                x.due_date.isoformat() if x.due_date else "—",
                x.status_label,
                f"{x.percent}%",
                silent,
                LIGHT_DOTS[x.light],
            ),
            ("", "", "", "", "", LIGHT_STYLES[x.light]) if colour else (),
        )
