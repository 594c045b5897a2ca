"""The weekly report (周报) as a document: one function per section, each returning a
``Section``, so that a new section (or a new figure in one) is one function and every
format shows it. The words are the report's, whatever the format; the writers in
``jsgj.document`` decide only how they look."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jsgj.document.model import (
    CHINESE_NUMBERS,
    Block,
    Figure,
    Kind,
    Paragraph,
    Row,
    Section,
    Table,
    chinese_date,
)
from jsgj.render.weekly_annex import (
    D,
    L,
    N,
    P,
    T,
    departments_section,
    indicator_details,
    indicators_section,
    measures_section,
    reports_section,
    table_columns,
)
from jsgj.reports.weekly import (
    STATUS_ORDER,
    WeeklyReport,
)
from jsgj.status import Color
from jsgj.tasks.line import TaskLine
from jsgj.values import CANCELLED_LABEL

if TYPE_CHECKING:
    pass

CHASE_NOTE = (
    "红灯、黄灯任务及本周未报送进展的任务，按牵头单位列出，逾期任务多的单位在前；"
    "已催办的任务注明催办次数（一次催办、二次催办、通报点名）。"
)


def overview(r: WeeklyReport) -> str:
    """The summary paragraph."""
    s = r.summary
    if s.tasks == 0:
        text = "截至本周，尚未分解任务。"
        return text + (f"已撤销任务{s.cancelled}项。" if s.cancelled else "")
    fan = (
        f"（其中{s.fanned_out}项任务分解到各设区市，按市计{s.city_tasks}项）"
        if s.fanned_out
        else ""
    )
    done_pct = "—" if s.done_percent is None else f"{s.done_percent}%"
    mean_pct = "—" if s.mean_percent is None else f"{s.mean_percent}%"
    text = (
        f"截至{chinese_date(r.as_of)}，共有任务{s.tasks}项{fan}，"
        f"已办结（销号）{s.lights[Color.done]}项（办结率{done_pct}），"
        f"申请办结待审核{s.lights[Color.pending]}项，平均进度{mean_pct}。"
        f"红灯{s.lights[Color.red]}项、黄灯{s.lights[Color.yellow]}项、"
        f"蓝灯（临期）{s.lights[Color.blue]}项、绿灯{s.lights[Color.green]}项，"
        f"其中逾期{s.overdue}项。本周报送进展{s.reports}条，"
        f"{s.open_tasks}项未完成任务中{s.reported_tasks}项本周报送了进展。"
    )
    if s.cancelled:
        text += f"另有已撤销任务{s.cancelled}项，不计入以上统计。"
    return text


def summary_section(r: WeeklyReport, title: str) -> Section:
    from jsgj.document import palette
    from jsgj.render.svg import Segment, proportion_bar

    s = r.summary
    statuses = Table(
        table_columns(
            ("任务状态", T, 20),
            *[(st.label, N, 16) for st in STATUS_ORDER],
            (CANCELLED_LABEL, N, 16),
        ),
        (Row(("任务数", *[s.statuses[st] for st in STATUS_ORDER], s.cancelled)),),
    )
    lights = Table(
        table_columns(("灯", T, 20), *[(c.label, N, 20) for c in s.lights]),
        (Row(("任务数", *s.lights.values())),),
    )
    bar = proportion_bar(
        [
            Segment(c.label, n, palette.light(c).fill, palette.light(c).ink)
            for c, n in s.lights.items()
        ],
        title="任务的灯（项）",
    )
    return Section(title, (Paragraph(overview(r)), Figure(bar, "任务按灯分布"), statuses, lights))


CHASE_COLUMNS = table_columns(
    ("单位", T, 13),
    ("编号", T, 13),
    ("任务", T, 27),
    ("灯", L, 7),
    ("原因", T, 24),
    ("截止", D, 11),
    ("进度", P, 7),
)


def chase_section(r: WeeklyReport, title: str) -> Section:
    """One table of the red and yellow tasks, department by department (the worst
    first), then each department's tasks not reported this week, by title."""
    if not r.chase:
        return Section(title, (Paragraph("本周没有需要催办的任务。"),))
    blocks: list[Block] = [Paragraph(CHASE_NOTE, "note")]
    rows = [
        Row(
            (
                short_name(g.name) if i == 0 else "",
                t.id,
                t.label,
                t.light,
                t.notes,
                t.due_date,
                t.percent,
            )
        )
        for g in r.chase
        for i, t in enumerate(g.tasks)
    ]
    if rows:
        blocks.append(Table(CHASE_COLUMNS, tuple(rows)))
    silent = [g for g in r.chase if g.unreported]
    if silent:
        total = sum(len(g.unreported) for g in silent)
        blocks.append(Paragraph(f"本周未报送进展的任务（{len(silent)}个单位{total}项）："))
        blocks += [
            Paragraph(
                f"{g.name}（{len(g.unreported)}项）："
                + "、".join(f"{t.label}（{t.id}）" for t in g.unreported)
            )
            for g in silent
        ]
    return Section(title, tuple(blocks))


def short_name(name: str) -> str:
    """A department's name in a narrow column: 宿迁市人民政府 -> 宿迁市."""
    return name.removesuffix("人民政府")


def deadline_label(task: TaskLine, open_cities: int | None) -> str:
    if open_cities is not None:
        return f"{task.title}（全省合计，{open_cities}个设区市未完成）"
    return task.label


def deadlines_section(r: WeeklyReport, title: str) -> Section:
    if not r.deadlines:
        return Section(title, (Paragraph(f"未来{r.deadline_days}天没有到期的未完成任务。"),))
    table = Table(
        table_columns(
            ("截止", D, 12),
            ("编号", T, 13),
            ("任务", T, 37),
            ("牵头单位", T, 10),
            ("状态", T, 9),
            ("进度", P, 8),
            ("灯", L, 11),
        ),
        tuple(
            Row(
                (
                    d.task.due_date,
                    d.task.id,
                    deadline_label(d.task, d.open_cities),
                    d.task.lead_short,
                    d.task.status_label,
                    d.task.percent,
                    d.task.light,
                )
            )
            for d in r.deadlines
        ),
    )
    return Section(title, (table,))


def _task_table(spec: tuple[tuple[str, Kind, int], ...], rows: list[Row]) -> Table:
    return Table(table_columns(*spec), tuple(rows))


def done_section(r: WeeklyReport, title: str) -> Section:
    """本周办结和待审核: the tasks the office approved (销号) this week, and the claims
    of completion awaiting its review."""
    rows = [
        Row((t.id, t.label, t.lead_short, t.claim_date, "本周审核通过，已销号")) for t in r.approved
    ]
    rows += [
        Row((t.id, t.label, t.lead_short, t.claim_date, "申请办结，待审核")) for t in r.pending
    ]
    if not rows:
        return Section(title, (Paragraph("本周没有办结或待审核的任务。"),))
    counts = Paragraph(f"本周审核销号{len(r.approved)}项，申请办结待审核{len(r.pending)}项。")
    spec = (
        ("编号", T, 13),
        ("任务", T, 37),
        ("牵头单位", T, 12),
        ("申请日期", D, 12),
        ("情况", T, 26),
    )
    return Section(title, (counts, _task_table(spec, rows)))


def problems_section(r: WeeklyReport, title: str) -> Section:
    """存在问题和需协调事项: blocked tasks with their reasons as reported and how long
    they have been blocked, and claims returned with the office's reason."""
    if not r.obstacles:
        return Section(title, (Paragraph("本周没有推进受阻或办结申请被退回的任务。"),))
    rows = []
    for o in r.obstacles:
        reason = o.reason
        if o.latest:
            reason += f"（最新：{o.latest}）"
        if o.kind == "受阻":
            since = f"受阻{o.days}天（{o.since}起）" if o.since is not None else "受阻"
        else:
            since = "办结申请被退回"
        rows.append(Row((o.task.id, o.task.label, o.task.lead_name, since, reason)))
    spec = (
        ("编号", T, 12),
        ("任务", T, 26),
        ("责任单位", T, 15),
        ("情况", T, 15),
        ("原因及需协调事项", T, 32),
    )
    blocked = sum(1 for o in r.obstacles if o.kind == "受阻")
    returned = len(r.obstacles) - blocked
    lead = Paragraph(f"推进受阻{blocked}项，办结申请被退回{returned}项，原因以责任单位报送为准。")
    return Section(title, (lead, _task_table(spec, rows)))


def overdue_section(r: WeeklyReport, title: str) -> Section:
    """逾期和已延期: open tasks past their due date, and tasks whose due date moved,
    with the original date and the reason."""
    rows = [
        Row((t.id, t.label, t.lead_short, t.due_date, f"逾期{t.overdue_days}天，进度{t.percent}%"))
        for t in r.overdue
    ]
    rows += [
        Row(
            (
                t.id,
                t.label,
                t.lead_short,
                t.due_date,
                f"已延期（原定{t.original_due_date}）：{t.extension_reason or '—'}",
            )
        )
        for t in r.extended
    ]
    if not rows:
        return Section(title, (Paragraph("没有逾期或延期的任务。"),))
    spec = (("编号", T, 13), ("任务", T, 30), ("牵头单位", T, 12), ("截止", D, 12), ("情况", T, 33))
    counts = Paragraph(f"逾期未办结{len(r.overdue)}项，已延期{len(r.extended)}项。")
    return Section(title, (counts, _task_table(spec, rows)))


SECTIONS = (
    ("总体情况", summary_section),
    ("本周办结和待审核", done_section),
    ("存在问题和需协调事项", problems_section),
    ("逾期和已延期", overdue_section),
    ("催办清单", chase_section),
    ("下步工作（未来{days}天到期）", deadlines_section),
    ("指标监测", indicators_section),
)
ANNEXES = (
    ("本周报送情况", reports_section),
    ("分措施推进情况", measures_section),
    ("分单位情况", departments_section),
    ("指标监测详情", indicator_details),
)
"""The sections in order: (title, builder). A builder gets the report and its
numbered title; the indicator section is left out when there are no indicators.
``ANNEXES``: the detail behind the body (附件), each on its own page."""


def stamp(r: WeeklyReport) -> tuple[Paragraph, ...]:
    """When the data was read, and how to read it again as it was."""
    if not r.computed_at:
        return ()
    return (
        Paragraph(
            f"数据时点：{r.computed_at}（--as-of {r.as_of} --known-on {r.computed_at} "
            "可原样复现本报告）",
            "note",
        ),
    )


def text_parts(
    r: WeeklyReport,
) -> tuple[tuple[Section, ...], tuple[Section, ...], tuple[Paragraph, ...]]:
    """The body, the annexes and the closing notes of the report's document
    (``render.weekly_document``): what the writers of text print; the JSON writer
    needs none of them."""
    shown = [(t, f) for t, f in SECTIONS if f is not indicators_section or r.indicators]
    body = tuple(
        f(r, f"{CHINESE_NUMBERS[i]}、{t.format(days=r.deadline_days)}")
        for i, (t, f) in enumerate(shown)
    )
    attached = [(t, f) for t, f in ANNEXES if f is not indicator_details or r.indicators]
    annexes = tuple(f(r, f"附件{i + 1} {t}") for i, (t, f) in enumerate(attached))
    closing = (
        Paragraph(f"说明：{r.rules}{r.counting}", "note"),
        *stamp(r),
        Paragraph(f"本报告由 jsgj 根据任务数据库生成，数据截至{chinese_date(r.as_of)}。", "note"),
    )
    return body, annexes, closing
