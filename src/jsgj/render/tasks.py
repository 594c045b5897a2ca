"""Rich renderables for tasks: the grouped list, one task's card and timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from itertools import groupby

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from jsgj.catalog.catalog import Catalog
from jsgj.document import palette
from jsgj.render.text import rich_safe, visible
from jsgj.status import Color, Thresholds
from jsgj.tasks.counting import counted, tally
from jsgj.tasks.line import task_line
from jsgj.tasks.records import Report, Revision, TaskEvent, TaskHistory, TaskState
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


def light_text(color: Color, *, short: bool = True) -> Text:
    return Text(LIGHT_DOTS[color] if short else color.label, style=LIGHT_STYLES[color])


def _task_columns(table: Table) -> None:
    table.add_column("编号", no_wrap=True)
    table.add_column("任务", overflow="fold", ratio=1, min_width=12)
    table.add_column("牵头", no_wrap=True, max_width=10)
    table.add_column("截止", no_wrap=True)
    table.add_column("状态", no_wrap=True)
    table.add_column("进度", justify="right", no_wrap=True)
    table.add_column("未报", justify="right", no_wrap=True)
    table.add_column("灯", no_wrap=True)


def tasks_table(
    catalog: Catalog, tasks: Sequence[TaskState], on: dt.date, thresholds: Thresholds
) -> RenderableType:
    """One small table per measure (its title the measure), columns aligned across them.
    未报 is days since the lead last reported. The heading counts by the one counting
    rule (``jsgj.tasks.counting``): city shares one each, province total lines not."""
    if not tasks:
        return Text("没有符合条件的任务。")
    lines = [task_line(catalog, t, on, thresholds) for t in tasks]
    t = tally(counted(lines))
    head = f"任务清单（截至{on}，共{t.tasks}项"
    if t.cancelled:
        head += f"，另有已撤销{t.cancelled}项"
    head += "；全省合计行不计数）" if any(x.level == "total" for x in lines) else "）"
    parts: list[RenderableType] = [Text(head, style="bold")]
    for measure, group in groupby(lines, key=lambda x: x.measure):
        m = catalog.measure(measure)
        table = Table(
            box=box.SIMPLE_HEAD,
            pad_edge=False,
            # Two spaces between columns, not three: at 80 columns a city share's long id
            # otherwise pushes the light off the edge, cropped to a bare dot.
            collapse_padding=True,
            title=f"措施{m.label}{m.title}",
            title_justify="left",
        )
        _task_columns(table)
        for x in group:
            silent = (
                "—"
                if x.light in (Color.done, Color.pending, Color.cancelled)
                else str(x.days_since_report)
            )
            table.add_row(
                x.id,
                # A city's share repeats its parent's title: name the city instead.
                Text(visible(f"└{x.lead_short}" if x.parent_id else x.title)),
                x.lead_short,
                x.due_date.isoformat() if x.due_date else "—",
                x.status_label,
                f"{x.percent}%",
                silent,
                light_text(x.light),
            )
        parts.append(table)
    return Group(*parts)


def task_card(
    catalog: Catalog, history: TaskHistory, on: dt.date, thresholds: Thresholds
) -> RenderableType:
    t = history.task
    m = catalog.measure(t.measure)
    line = task_line(catalog, t, on, thresholds)
    head = Table.grid(padding=(0, 1))
    head.add_column(style="bold", no_wrap=True)
    head.add_column(overflow="fold")
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
        title=Text(visible(f"任务 {t.id}：{t.title}")),
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
