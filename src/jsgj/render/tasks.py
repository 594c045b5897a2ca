"""Tasks on a terminal: the grouped list as streamed lines of text (no rich). One
task's card is jsgj.render.card."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping

from jsgj.catalog.catalog import OFFICE_ID, Catalog
from jsgj.document import palette
from jsgj.render.columns import Col, Layout, block
from jsgj.render.text import cells, visible
from jsgj.status import Color, Thresholds
from jsgj.tasks.counting import counts
from jsgj.tasks.line import judged
from jsgj.tasks.records import ISO, TaskState
from jsgj.tasks.roles import short as who
from jsgj.values import CANCELLED_LABEL, STATUS_LABELS

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


_SETTLED = frozenset((Color.done, Color.pending, Color.cancelled))
"""Lights whose 未报 is shown as —: nothing more is awaited from the lead."""

TASK_COLUMNS = ("编号", "任务", "牵头", "截止", "状态", "进度", "未报", "灯")


def tasks_table(
    catalog: Catalog,
    tasks: Iterable[TaskState],
    on: dt.date,
    thresholds: Thresholds,
    *,
    id_widths: Mapping[int, int] | None = None,
    oldest: dt.date | None = None,
    width: int = 80,
    colour: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> Iterator[str]:
    """The task list as lines of text, printed as they are made, in one pass over the
    tasks: grouped by measure (a measure's title line before its first task), fixed
    columns whose widths are known before the first row (department short names from
    the catalogue, the statuses' labels, each measure's longest id in ``id_widths``,
    未报 up to ``on - oldest`` days), titles wrapping within their column. Narrower than
    every column beside a readable title, a row folds: id and title, then the other
    columns below. 未报 is days since the lead last reported.

    The counts come last, in a footer (``footer``): they need every task, and the first
    screen must not wait for them. They count the whole selection by the one counting
    rule (``jsgj.tasks.counting``): city shares one each, province total lines not;
    ``offset``/``limit`` choose the rows shown (the footer says which). No task line
    is kept."""
    stop = offset + limit if limit is not None else None
    lead_width = max(cells(who(catalog, d.id)) for d in (*catalog.departments,))
    lead_width = max(lead_width, cells(who(catalog, OFFICE_ID)))
    labels = (*STATUS_LABELS.values(), CANCELLED_LABEL)
    silent_width = max(4, len(str((on - oldest).days)) if oldest and oldest < on else 0)
    fixed = (
        Col("牵头", lead_width),
        Col("截止", 10),
        Col("状态", max(4, *(cells(x) for x in labels))),
        Col("进度", 4, right=True),
        Col("未报", silent_width, right=True),
        Col("灯", max(cells(d) for d in LIGHT_DOTS.values())),
    )
    widths = dict(id_widths or {})
    layouts: dict[int, Layout] = {}
    styles = {c: ("", "", "", "", "", LIGHT_STYLES[c]) if colour else () for c in Color}
    measure: int | None = None
    rows = live = cancelled = 0
    total = False
    for s in tasks:
        if not counts(s):  # a province total line
            total = True
        elif s.cancelled:
            cancelled += 1
        else:
            live += 1
        rows += 1
        if rows <= offset or (stop is not None and rows > stop):
            continue
        if rows == offset + 1:
            yield from block(f"任务清单（截至{on}）", width)
        x = judged(catalog, s, on, thresholds)
        if s.measure != measure:
            measure = s.measure
            m = catalog.measure(measure)
            w = max(4, widths.get(measure, 4))
            if w not in layouts:
                layouts[w] = Layout.fit(Col("编号", w), Col("任务", 12), fixed, width)
            layout = layouts[w]
            yield ""
            yield from block(visible(f"措施{m.label}{m.title}"), width)
            yield from layout.header()
        light = x.light
        yield from layout.row(
            s.id,
            # A city's share repeats its parent's title: name the city instead.
            f"└{x.lead_short}" if s.parent_id else s.title,
            (
                x.lead_short,
                ISO[s.due_date] or "—",
                x.status_label,
                f"{s.percent}%",
                "—" if light in _SETTLED else str(x.days_since_report),
                LIGHT_DOTS[light],
            ),
            styles[light],
        )
    if rows <= offset:
        yield "没有符合条件的任务。"
        if not rows:
            return
    yield ""
    yield from block(footer(live, cancelled, total, rows, offset, stop), width)


def footer(
    live: int, cancelled: int, total: bool, rows: int, offset: int = 0, stop: int | None = None
) -> str:
    """The table's last line: the counts (``tally``'s figures) and the rows shown."""
    text = f"共{live}项"
    if cancelled:
        text += f"，另有已撤销{cancelled}项"
    text += "；全省合计行不计数" if total else ""
    end = rows if stop is None else min(rows, stop)
    if offset or end < rows:
        text += f"（显示第{offset + 1}至{end}行，共{rows}行）"
    return text + "。"
