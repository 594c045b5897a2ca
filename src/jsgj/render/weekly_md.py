"""The weekly report as Markdown: GFM tables that read well in mail and on a wiki.
Every piece of user text (titles, notes, evidence) goes through ``md`` so that it
shows as typed, whatever it contains."""

from __future__ import annotations

import datetime as dt

from jsgj.render.markup import md, md_table
from jsgj.reports.indicators import IndicatorSummary
from jsgj.reports.weekly import STATUS_ORDER, WeeklyReport
from jsgj.status import Color
from jsgj.tasks.line import TaskLine
from jsgj.values import CANCELLED_LABEL

CHINESE_NUMBERS = "一二三四五六七八九十"
CHASE_NOTE = "红灯、黄灯任务及本周未报送进展的任务，按牵头单位列出，逾期任务多的单位在前。"


def day(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def iso(d: dt.date | None) -> str:
    return d.isoformat() if d else "—"


def pct(n: int | None) -> str:
    return "—" if n is None else f"{n}%"


def light_label(c: Color | None) -> str:
    return c.label if c else "—"


def overview(r: WeeklyReport) -> str:
    """The summary paragraph (plain text; the same words in Markdown and HTML)."""
    s = r.summary
    if s.tasks == 0:
        text = "截至本周，尚未分解任务。"
        return text + (f"已撤销任务{s.cancelled}项。" if s.cancelled else "")
    fan = (
        f"（其中{s.fanned_out}项任务分解到各设区市，按市计{s.city_tasks}项）"
        if s.fanned_out
        else ""
    )
    text = (
        f"截至{day(r.as_of)}，共有任务{s.tasks}项{fan}，已完成{s.lights[Color.done]}项"
        f"（完成率{pct(s.done_percent)}），平均进度{pct(s.mean_percent)}。"
        f"红灯{s.lights[Color.red]}项、黄灯{s.lights[Color.yellow]}项、绿灯{s.lights[Color.green]}项，"
        f"其中逾期{s.overdue}项。本周报送进展{s.reports}条，"
        f"{s.open_tasks}项未完成任务中{s.reported_tasks}项本周报送了进展。"
    )
    if s.cancelled:
        text += f"另有已撤销任务{s.cancelled}项，不计入以上统计。"
    return text


def chase_heading(i: int, name: str, overdue: int, red: int, yellow: int, silent: int) -> str:
    bits = []
    if overdue:
        bits.append(f"逾期{overdue}项")
    if red:
        bits.append(f"红灯{red}项")
    if yellow:
        bits.append(f"黄灯{yellow}项")
    if silent:
        bits.append(f"本周未报送{silent}项")
    return f"{i}. {name}（{'，'.join(bits)}）"


def section_titles(r: WeeklyReport) -> list[str]:
    titles = [
        "总体情况",
        "分措施推进情况",
        "本周报送情况",
        "催办清单",
        f"近期到期任务（未来{r.deadline_days}天）",
        "分单位情况",
        *(["指标监测"] if r.indicators else []),
    ]
    return [f"{CHINESE_NUMBERS[i]}、{t}" for i, t in enumerate(titles)]


def deadline_label(task: TaskLine, open_cities: int | None) -> str:
    if open_cities is not None:
        return f"{task.title}（全省合计，{open_cities}个设区市未完成）"
    return task.label


DEPARTMENT_HEADER = [
    "单位",
    "牵头任务",
    "配合任务",
    "已完成",
    "红灯",
    "黄灯",
    "逾期",
    "平均进度",
    "本周报送/未完成",
]


def department_rows(r: WeeklyReport) -> list[list[str]]:
    """Section 六's rows as plain text (each format escapes them its own way)."""
    return [
        [
            ("└ " if d.city else "") + d.name,
            str(d.led),
            str(d.co),
            str(d.done),
            str(d.red),
            str(d.yellow),
            str(d.overdue),
            pct(d.mean_percent),
            f"{d.reported}/{d.open}",
        ]
        for d in r.departments
    ]


def indicator_rows(summary: IndicatorSummary) -> list[list[str]]:
    """地区, 最新值, 数据日期, 状态, 说明 for each region with data (the province always)."""
    unit = summary.indicator.unit
    rows = []
    for region in summary.regions:
        latest = region.assessment.latest
        rows.append(
            [
                region.label,
                f"{latest.value:g}{unit}" if latest else "—",
                latest.date.isoformat() if latest else "—",
                region.assessment.status.label,
                region.assessment.reason,
            ]
        )
    return rows


def indicator_section(r: WeeklyReport, titles: list[str]) -> list[str]:
    if not r.indicators:
        return []
    out = [f"## {titles[6]}", ""]
    for s in r.indicators:
        ind = s.indicator
        out += [
            f"### {md(ind.name)}",
            "",
            f"目标：{md(ind.target_text())}。出处：{md(ind.sentence)}",
            "",
            md_table(
                ["地区", "最新值", "数据日期", "状态", "说明"],
                [[md(c) for c in row] for row in indicator_rows(s)],
                "lrlll",
            ),
            "",
        ]
    return out


def weekly_markdown(r: WeeklyReport) -> str:
    s = r.summary
    titles = section_titles(r)
    out: list[str] = [
        f"# {md(r.title)}",
        "",
        f"**{md(r.week.label)}**　统计截至{day(r.as_of)}",
        "",
        f"《{md(r.document_title)}》（{md(r.document)}）落实情况",
        "",
        f"## {titles[0]}",
        "",
        md(overview(r)),
        "",
    ]
    status_header = ["任务状态", *[st.label for st in STATUS_ORDER], CANCELLED_LABEL]
    status_row = ["任务数", *[str(s.statuses[st]) for st in STATUS_ORDER], str(s.cancelled)]
    light_header = ["灯", *[c.label for c in s.lights]]
    light_row = ["任务数", *[str(n) for n in s.lights.values()]]
    out += [
        md_table(status_header, [status_row], "l" + "r" * 5),
        "",
        md_table(light_header, [light_row], "l" + "r" * 4),
        "",
        f"## {titles[1]}",
        "",
    ]
    rows = [
        [
            md(f"{m.label}{m.title}"),
            md(m.lead),
            str(m.tasks),
            str(m.done),
            pct(m.mean_percent),
            str(m.red),
            str(m.yellow),
            light_label(m.light),
        ]
        for m in r.measures
    ]
    out += [
        md_table(
            ["措施", "牵头单位", "任务", "已完成", "平均进度", "红灯", "黄灯", "最差的灯"],
            rows,
            "llrrrrrl",
        ),
        "",
        f"## {titles[2]}",
        "",
    ]
    if not r.reports:
        out += ["本周没有报送进展。", ""]
    for g in r.reports:
        items = []
        for i in g.items:
            note = md(i.note)
            if i.evidence:
                note += f"〔佐证：{md(i.evidence)}〕"
            if i.corrects:
                note += f"（更正#{i.corrects}）"
            items.append(
                [
                    i.date.isoformat(),
                    md(i.task_id),
                    md(i.task_label),
                    md(i.reporter),
                    md(i.status_label),
                    f"{i.percent}%",
                    note,
                ]
            )
        out += [
            f"### 措施{md(g.label)}{md(g.title)}",
            "",
            md_table(
                ["日期", "编号", "任务", "报送单位", "状态", "进度", "进展情况"], items, "lllllrl"
            ),
            "",
        ]
    out += [f"## {titles[3]}", ""]
    if not r.chase:
        out += ["本周没有需要催办的任务。", ""]
    else:
        out += [CHASE_NOTE, ""]
    for n, cg in enumerate(r.chase, 1):
        heading = chase_heading(n, cg.name, cg.overdue, cg.red, cg.yellow, len(cg.unreported))
        out += [f"### {md(heading)}", ""]
        if cg.tasks:
            rows = [
                [
                    md(t.id),
                    md(t.label),
                    t.light.label,
                    md(t.reason),
                    iso(t.due_date),
                    f"{t.percent}%",
                    iso(t.last_report_date),
                ]
                for t in cg.tasks
            ]
            out += [
                md_table(
                    ["编号", "任务", "灯", "原因", "截止", "进度", "最近报送"], rows, "lllllrl"
                ),
                "",
            ]
        if cg.unreported:
            ids = "、".join(md(t.id) for t in cg.unreported)
            out += [f"本周未报送进展（{len(cg.unreported)}项）：{ids}", ""]
    out += [f"## {titles[4]}", ""]
    if not r.deadlines:
        out += [f"未来{r.deadline_days}天没有到期的未完成任务。", ""]
    else:
        rows = [
            [
                iso(d.task.due_date),
                md(d.task.id),
                md(deadline_label(d.task, d.open_cities)),
                md(d.task.lead_short),
                md(d.task.status_label),
                f"{d.task.percent}%",
                d.task.light.label,
            ]
            for d in r.deadlines
        ]
        out += [
            md_table(["截止", "编号", "任务", "牵头单位", "状态", "进度", "灯"], rows, "lllllrl"),
            "",
        ]
    out += [f"## {titles[5]}", ""]
    out += [
        md_table(
            DEPARTMENT_HEADER,
            [[md(c) for c in row] for row in department_rows(r)],
            "lrrrrrrrr",
        ),
        "",
        *indicator_section(r, titles),
        "---",
        "",
        f"说明：{md(r.rules)}{md(r.counting)}",
        "",
        f"数据时点：{r.computed_at}"
        f"（`--as-of {r.as_of} --known-on {r.computed_at}` 可原样复现本报告）",
        "",
        f"本报告由 jsgj 根据任务数据库生成，数据截至{day(r.as_of)}。",
        "",
    ]
    return "\n".join(out)
