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

from jsgj.catalog.catalog import OFFICE_ID, OFFICE_NAME, Catalog
from jsgj.document import palette
from jsgj.status import Color, Light, Thresholds, days_since_report, expected_percent, light
from jsgj.store.queries import TaskHistory
from jsgj.store.records import Report, Revision, TaskState
from jsgj.values import CANCELLED_LABEL

LIGHT_STYLES = {c: palette.light(c).term for c in Color}
"""Lights as coloured text, from the one palette."""
LIGHT_DOTS = {
    Color.red: "●红",
    Color.yellow: "●黄",
    Color.green: "●绿",
    Color.done: "✓完",
    Color.cancelled: "×撤",
}


def light_text(lt: Light, *, short: bool = True) -> Text:
    return Text(LIGHT_DOTS[lt.color] if short else lt.color.label, style=LIGHT_STYLES[lt.color])


def status_label(task: TaskState) -> str:
    return CANCELLED_LABEL if task.cancelled else task.status.label


def who(catalog: Catalog, department_id: str) -> str:
    return OFFICE_NAME if department_id == OFFICE_ID else catalog.department(department_id).short


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
    未报 is days since the last report."""
    if not tasks:
        return Text("没有符合条件的任务。")
    parts: list[RenderableType] = [Text(f"任务清单（截至{on}，共{len(tasks)}项）", style="bold")]
    for measure, group in groupby(tasks, key=lambda t: t.measure):
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
        for t in group:
            lt = light(t, on, thresholds)
            silent = (
                "—" if lt.color in (Color.done, Color.cancelled) else str(days_since_report(t, on))
            )
            table.add_row(
                t.id,
                # A city's share repeats its parent's title: name the city instead.
                f"└{who(catalog, t.lead)}" if t.parent_id else t.title,
                who(catalog, t.lead),
                t.due_date.strftime("%y-%m-%d") if t.due_date else "—",
                status_label(t),
                f"{t.percent}%",
                silent,
                light_text(lt),
            )
        parts.append(table)
    return Group(*parts)


def task_card(
    catalog: Catalog, history: TaskHistory, on: dt.date, thresholds: Thresholds
) -> RenderableType:
    t = history.task
    m = catalog.measure(t.measure)
    lt = light(t, on, thresholds)
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
    head.add_row("起止", f"{t.start_date or '—'} 至 {t.due_date or '—'}")
    expected = expected_percent(t, on)
    pace = (
        f"（序时进度{expected}%）"
        if expected is not None and lt.color not in (Color.done, Color.cancelled)
        else ""
    )
    head.add_row("状态", f"{status_label(t)}，进度{t.percent}%{pace}")
    head.add_row("灯", Text.assemble(light_text(lt, short=False), f" {lt.reason}"))
    timeline = Table(box=box.SIMPLE_HEAD, pad_edge=False, title="历史记录")
    timeline.add_column("#", justify="right", no_wrap=True)
    timeline.add_column("日期", no_wrap=True)
    timeline.add_column("单位", no_wrap=True)
    timeline.add_column("事件", overflow="fold", ratio=1)
    for e in history.timeline():
        if isinstance(e, Report):
            text = Text(f"{e.status.label} {e.percent}% {e.note}")
            if e.evidence:
                text.append(f"〔佐证：{e.evidence}〕")
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
                Text(_revision_text(catalog, e), style="cyan"),
            )
    return Panel(
        Group(head, timeline), title=f"任务 {t.id}：{t.title}", title_align="left", box=box.ROUNDED
    )


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
