"""Tasks on a terminal: the grouped list as streamed lines of text (no rich), one
task's card and timeline (rich, imported only for the card)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from jsgj.catalog.catalog import OFFICE_ID, Catalog
from jsgj.document import palette
from jsgj.render.columns import Col, Layout, block, cells
from jsgj.render.text import rich_safe, visible
from jsgj.status import Color, Thresholds
from jsgj.tasks.counting import counts
from jsgj.tasks.line import task_line
from jsgj.tasks.records import Report, Revision, TaskEvent, TaskHistory, TaskState
from jsgj.tasks.roles import short as who
from jsgj.values import CANCELLED_LABEL, STATUS_LABELS

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text

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


def light_text(color: Color, *, short: bool = True) -> Text:
    from rich.text import Text

    return Text(LIGHT_DOTS[color] if short else color.label, style=LIGHT_STYLES[color])


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
        x = task_line(catalog, s, on, thresholds)
        if x.measure != measure:
            measure = x.measure
            m = catalog.measure(measure)
            w = max(4, widths.get(measure, 4))
            if w not in layouts:
                layouts[w] = Layout.fit(Col("编号", w), Col("任务", 12), fixed, width)
            layout = layouts[w]
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
            styles[x.light],
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


def task_card(
    catalog: Catalog, history: TaskHistory, on: dt.date, thresholds: Thresholds
) -> RenderableType:
    from rich import box
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    t = history.task
    m = catalog.measure(t.measure)
    line = task_line(catalog, t, on, thresholds)
    head = Table.grid(padding=(0, 1))
    head.add_column(style="bold", no_wrap=True)
    head.add_column(overflow="fold")
    # The title in full, folding: the panel's title line (cut at the border) holds only
    # the id.
    head.add_row("任务", Text(visible(t.title)))
    head.add_row("措施", f"{m.label}{m.title}")
    head.add_row("牵头", catalog.department(t.lead).name)
    head.add_row("配合", "、".join(catalog.department(d).name for d in t.co) or "—")
    if t.parent_id:
        head.add_row("上级任务", t.parent_id)
    if t.children:
        head.add_row("分解到市", f"{len(t.children)}个设区市：{t.children[0]} … {t.children[-1]}")
    head.add_row(
        "缓急", rich_safe(line.urgency_label + (f"（来源：{t.source}）" if t.source else ""))
    )
    head.add_row("起止", f"{t.start_date or '—'} 至 {t.due_date or '—'}")
    if t.original_due_date:
        head.add_row(
            "延期",
            rich_safe(f"原定{t.original_due_date}，延至{t.due_date}（{t.extension_reason or ''}）"),
        )
    if not t.is_parent:
        head.add_row(
            "签收",
            rich_safe(f"{t.acknowledged_on}，联络员{t.contact}")
            if t.acknowledged_on
            else ("未签收（已报送进展，视同签收）" if t.last_report_date else "未签收"),
        )
    head.add_row("状态", f"{line.status_label}，进度{t.percent}%")
    if t.contribution_count:
        head.add_row("配合报送", f"{t.contribution_count}次（配合单位报送，不改变任务进度）")
    head.add_row(
        "灯", Text.assemble(light_text(line.light, short=False), " ", Text(visible(line.notes)))
    )
    timeline = Table(box=box.SIMPLE_HEAD, pad_edge=False, title="历史记录")
    timeline.add_column("#", justify="right", no_wrap=True)
    timeline.add_column("日期", no_wrap=True)
    timeline.add_column("单位", no_wrap=True)
    timeline.add_column("事件", overflow="fold", ratio=1)
    for e in history.timeline():
        if isinstance(e, TaskEvent):
            timeline.add_row(
                "",
                e.event_date.isoformat(),
                who(catalog, e.actor),
                Text(visible(_event_text(e)), style="magenta"),
            )
        elif isinstance(e, Report):
            mark = "〔配合〕" if e.role.value == "co" else ""
            text = Text(f"{mark}{e.status_label} {e.percent}% {visible(e.note)}")
            if e.evidence:
                text.append(f"〔佐证：{visible(e.evidence)}〕")
            if e.corrects:
                text.append(f"（更正#{e.corrects}）", style="italic")
            if e.corrected_by:
                text.stylize("strike")
                text.append(f"（已被#{e.corrected_by}更正）", style="italic")
            timeline.add_row(str(e.id), e.report_date.isoformat(), who(catalog, e.reporter), text)
        else:
            timeline.add_row(
                "",
                e.effective_date.isoformat(),
                who(catalog, e.actor),
                Text(visible(_revision_text(catalog, e)), style="cyan"),
            )
    return Panel(
        Group(head, timeline),
        title=Text(f"任务 {visible(t.id)}"),
        title_align="left",
        box=box.ROUNDED,
    )


def _event_text(e: TaskEvent) -> str:
    if e.kind.value == "acknowledge":
        return f"签收，联络员{e.contact_name or ''} {e.contact_phone or ''}".rstrip()
    if e.kind.value == "approve":
        return f"审核通过，销号（报告#{e.report_id}）" + (f"：{e.note}" if e.note else "")
    if e.kind.value == "return":
        return f"审核退回（报告#{e.report_id}），退回至{e.percent}%：{e.note}"
    return f"催办（{e.method or ''}）" + (f"：{e.note}" if e.note else "")


def _revision_text(catalog: Catalog, r: Revision) -> str:
    if r.kind == "create":
        return "创建任务"
    if r.kind == "cancel":
        return f"撤销任务：{r.reason}"
    names = {
        "title": "名称",
        "due_date": "截止",
        "start_date": "开始",
        "lead": "牵头",
        "co": "配合",
        "urgency": "缓急",
        "source": "来源",
    }
    parts = []
    for key, (before, after) in r.changes.items():
        if key == "co":
            before = "、".join(catalog.department(d).short for d in before) or "—"
            after = "、".join(catalog.department(d).short for d in after) or "—"
        elif key == "lead":
            before, after = catalog.department(before).short, catalog.department(after).short
        parts.append(f"{names.get(key, key)} {before or '—'}→{after}")
    return f"修改（{r.reason}）：" + "；".join(parts)
