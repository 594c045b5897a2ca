"""The 催办通知单 as a document: one department's red, yellow and unreported tasks
with titles and reasons, how often each was chased, and the date to reply by,
addressed to its 联络员 where one is known."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jsgj.document.model import (
    Block,
    Column,
    Document,
    Kind,
    Paragraph,
    Row,
    Section,
    Table,
    chinese_date,
)
from jsgj.reports.weekly import ChaseGroup
from jsgj.tasks.line import TaskLine

NOTICE_COLUMNS = (
    Column("编号", Kind.text, 12, nowrap=True),
    Column("任务", Kind.text, 30),
    Column("灯", Kind.light, 8),
    Column("原因", Kind.text, 30),
    Column("截止", Kind.date, 12),
    Column("进度", Kind.percent, 8),
)


@dataclass(frozen=True, slots=True)
class Notice:
    """What a 催办通知单 says."""

    department: str
    """The department's full name."""
    group: ChaseGroup[TaskLine] | None
    office: str
    on: dt.date
    reply_by: dt.date
    contact: str | None = None
    """The department's 联络员 and phone, as given at its latest 签收."""


def _rows(tasks: tuple[TaskLine, ...]) -> tuple[Row, ...]:
    return tuple(Row((t.id, t.label, t.light, t.notes, t.due_date, t.percent)) for t in tasks)


def build_notice_document(n: Notice) -> Document:
    to = f"{n.department}（联络员：{n.contact}）" if n.contact else n.department
    body: list[Block] = [Paragraph(f"{to}：")]
    g = n.group
    if g is None:
        body.append(Paragraph("贵单位目前没有需要催办的任务。"))
    else:
        ask = "经督查，贵单位牵头的下列任务亮红灯、黄灯或本周未报送进展，请抓紧推进。"
        body.append(Paragraph(ask))
        if g.tasks:
            body.append(
                Section(
                    f"一、红灯、黄灯任务（{len(g.tasks)}项）",
                    (Table(NOTICE_COLUMNS, _rows(g.tasks)),),
                )
            )
        listed = {t.id for t in g.tasks}
        silent = tuple(t for t in g.unreported if t.id not in listed)
        if silent:
            title = f"{'二' if g.tasks else '一'}、本周未报送进展的其他任务（{len(silent)}项）"
            body.append(Section(title, (Table(NOTICE_COLUMNS, _rows(silent)),)))
        body.append(Paragraph(f"请于{chinese_date(n.reply_by)}前回复整改情况和最新进展。"))
    body.append(Paragraph(f"{n.office}　{chinese_date(n.on)}", "sign"))
    return Document(
        title="催办通知单",
        as_of=n.on,
        body=tuple(body),
        data={
            "department": n.department,
            "contact": n.contact,
            "date": n.on.isoformat(),
            "reply_by": n.reply_by.isoformat(),
            "tasks": [t.to_json() for t in g.tasks] if g else [],
            "unreported": [t.to_json() for t in g.unreported] if g else [],
        },
    )
