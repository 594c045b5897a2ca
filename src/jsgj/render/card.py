"""One task's card (`jsgj tasks show`): its definition, lifecycle, light with reason,
and its whole history. Built once as plain rows (``card``), then written as plain lines
off a terminal (``card_lines``: rich is not even imported, issue 15) or as a rich panel
on one (``card_panel``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from jsgj.render.text import visible
from jsgj.tasks.history import Report, Revision, TaskEvent, TaskHistory
from jsgj.tasks.line import task_line
from jsgj.tasks.roles import short as who

if TYPE_CHECKING:
    from rich.console import RenderableType

    from jsgj.catalog.catalog import Catalog
    from jsgj.status import Color, Thresholds


class Entry(NamedTuple):
    """One line of the history: an event (签收, 审核, 催办), a report or a revision. (A
    named tuple: a row of the card, cheaper to define than a dataclass; issue 15.)"""

    kind: str
    """"event", "report" or "revision"."""
    number: str
    """A report's id; empty for the others."""
    date: str
    who: str
    text: str
    corrects: str = ""
    """(更正#N): the report this one corrects."""
    corrected_by: str = ""
    """(已被#N更正): the report correcting this one, which is struck through."""


@dataclass(frozen=True, eq=False)  # never compared: no __eq__ and __hash__ to define
class Card:
    id: str
    rows: tuple[tuple[str, str], ...]
    """(label, text) of the head, the light's row last."""
    light: Color
    light_notes: str
    history: tuple[Entry, ...]


def card(catalog: Catalog, history: TaskHistory, on: dt.date, thresholds: Thresholds) -> Card:
    t = history.task
    m = catalog.measure(t.measure)
    line = task_line(catalog, t, on, thresholds)
    rows: list[tuple[str, str]] = [
        # The title in full: the panel's title line (cut at the border) holds only the id.
        ("任务", t.title),
        ("措施", f"{m.label}{m.title}"),
        ("牵头", catalog.department(t.lead).name),
        ("配合", "、".join(catalog.department(d).name for d in t.co) or "—"),
    ]
    if t.parent_id:
        rows.append(("上级任务", t.parent_id))
    if t.children:
        rows.append(("分解到市", f"{len(t.children)}个设区市：{t.children[0]} … {t.children[-1]}"))
    rows.append(("缓急", line.urgency_label + (f"（来源：{t.source}）" if t.source else "")))
    rows.append(("起止", f"{t.start_date or '—'} 至 {t.due_date or '—'}"))
    if t.original_due_date:
        rows.append(
            ("延期", f"原定{t.original_due_date}，延至{t.due_date}（{t.extension_reason or ''}）")
        )
    if not t.is_parent:
        rows.append(
            (
                "签收",
                f"{t.acknowledged_on}，联络员{t.contact}"
                if t.acknowledged_on
                else ("未签收（已报送进展，视同签收）" if t.last_report_date else "未签收"),
            )
        )
    rows.append(("状态", f"{line.status_label}，进度{t.percent}%"))
    if t.contribution_count:
        rows.append(("配合报送", f"{t.contribution_count}次（配合单位报送，不改变任务进度）"))
    names: dict[str, str] = {}  # a history of hundreds names a few departments

    def name_of(department: str) -> str:
        found = names.get(department)
        if found is None:
            found = names[department] = who(catalog, department)
        return found

    entries: list[Entry] = []
    for e in history.timeline():
        if isinstance(e, TaskEvent):
            entries.append(
                Entry(
                    "event",
                    "",
                    e.event_date.isoformat(),
                    name_of(e.actor),
                    visible(_event_text(e)),
                )
            )
        elif isinstance(e, Report):
            mark = "〔配合〕" if e.role.value == "co" else ""
            text = f"{mark}{e.status_label} {e.percent}% {visible(e.note)}"
            if e.evidence:
                text += f"〔佐证：{visible(e.evidence)}〕"
            entries.append(
                Entry(
                    "report",
                    str(e.id),
                    e.report_date.isoformat(),
                    name_of(e.reporter),
                    text,
                    corrects=f"（更正#{e.corrects}）" if e.corrects else "",
                    corrected_by=f"（已被#{e.corrected_by}更正）" if e.corrected_by else "",
                )
            )
        else:
            entries.append(
                Entry(
                    "revision",
                    "",
                    e.effective_date.isoformat(),
                    name_of(e.actor),
                    visible(_revision_text(catalog, e)),
                )
            )
    return Card(
        visible(t.id),
        tuple((label, visible(text)) for label, text in rows),
        line.light,
        visible(line.notes),
        tuple(entries),
    )


def card_lines(c: Card) -> Iterator[str]:
    """The card as plain lines (off a terminal): no borders, no styles."""
    from jsgj.render.text import cells, pad

    rows = [*c.rows, ("灯", f"{c.light.label} {c.light_notes}")]
    width = max(cells(label) for label, _ in rows)
    yield f"任务 {c.id}"
    for label, text in rows:
        yield f"{pad(label, width)} {text}"
    yield ""
    yield "历史记录"
    number = max([1, *(len(e.number) for e in c.history)])
    unit = max([cells("单位"), *(cells(e.who) for e in c.history)])
    yield f"{pad('#', number, right=True)} {pad('日期', 10)} {pad('单位', unit)} 事件"
    for e in c.history:
        text = e.text + e.corrects + e.corrected_by
        yield f"{pad(e.number, number, right=True)} {e.date} {pad(e.who, unit)} {text}"


def card_panel(c: Card) -> RenderableType:
    """The card as a rich panel (on a terminal)."""
    from rich import box
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from jsgj.document import palette

    head = Table.grid(padding=(0, 1))
    head.add_column(style="bold", no_wrap=True)
    head.add_column(overflow="fold")
    for label, text in c.rows:
        head.add_row(label, Text(text))
    light = Text(c.light.label, style=palette.light(c.light).term)
    head.add_row("灯", Text.assemble(light, " ", Text(c.light_notes)))
    timeline = Table(box=box.SIMPLE_HEAD, pad_edge=False, title="历史记录")
    timeline.add_column("#", justify="right", no_wrap=True)
    timeline.add_column("日期", no_wrap=True)
    timeline.add_column("单位", no_wrap=True)
    timeline.add_column("事件", overflow="fold", ratio=1)
    styles = {"event": "magenta", "revision": "cyan", "report": ""}
    for e in c.history:
        cell = Text(e.text, style=styles[e.kind])
        if e.corrects:
            cell.append(e.corrects, style="italic")
        if e.corrected_by:
            cell.stylize("strike")
            cell.append(e.corrected_by, style="italic")
        timeline.add_row(e.number, e.date, e.who, cell)
    return Panel(
        Group(head, timeline), title=Text(f"任务 {c.id}"), title_align="left", box=box.ROUNDED
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
