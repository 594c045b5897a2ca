"""The weekly report as one self-contained HTML file: inline CSS, inline SVG charts,
no script, no network, laid out like an office report and printable on A4."""

from __future__ import annotations

from collections.abc import Sequence

from jsgj.catalog.catalog import OFFICE_NAME
from jsgj.render.markup import esc, page
from jsgj.render.svg import Segment, proportion_bar, stacked_bars
from jsgj.render.weekly_md import (
    CHASE_NOTE,
    DEPARTMENT_HEADER,
    chase_heading,
    day,
    deadline_label,
    department_rows,
    iso,
    overview,
    pct,
    section_titles,
)
from jsgj.reports.weekly import STATUS_ORDER, WeeklyReport
from jsgj.status import Color
from jsgj.values import CANCELLED_LABEL, Status

STATUS_COLORS = {
    Status.done: ("#1f5fa8", "#fff"),
    Status.in_progress: ("#5b9bd5", "#fff"),
    Status.not_started: ("#c9c9c9", "#333"),
    Status.blocked: ("#c62828", "#fff"),
}
LIGHT_COLORS = {
    Color.red: ("#c62828", "#fff"),
    Color.yellow: ("#f2c200", "#3a2d00"),
    Color.blue: ("#2e7d32", "#fff"),
    Color.green: ("#2e7d32", "#fff"),
    Color.pending: ("#2e7d32", "#fff"),
    Color.done: ("#1f5fa8", "#fff"),
}


def _light(c: Color | None) -> str:
    if c is None:
        return '<span class="muted">—</span>'
    return f'<span class="light {c.value}">{esc(c.label)}</span>'


def _table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    classes: str = "",
    widths: Sequence[int] = (),
) -> str:
    """Cells are HTML already; ``classes`` gives one letter per column: n (number),
    c (centred), w (no wrap) or - (plain). ``widths`` (percent per column) fixes the
    layout, so that tables of the same kind line up down the page."""

    def cls(i: int) -> str:
        k = classes[i] if i < len(classes) else "-"
        return {"n": ' class="num"', "c": ' class="c"', "w": ' class="nowrap"'}.get(k, "")

    num = ' class="num"'
    head = "".join(f"<th{num if cls(i) == num else ''}>{esc(h)}</th>" for i, h in enumerate(header))
    body = "\n".join(
        "<tr>" + "".join(f"<td{cls(i)}>{cell}</td>" for i, cell in enumerate(row)) + "</tr>"
        for row in rows
    )
    cols = ""
    table = "<table>"
    if widths:
        cols = "<colgroup>" + "".join(f'<col style="width:{w}%">' for w in widths) + "</colgroup>"
        table = '<table style="table-layout:fixed">'
    return f"{table}{cols}\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def _cards(r: WeeklyReport) -> str:
    s = r.summary
    cards = [
        ("", str(s.tasks), "任务总数"),
        ("done", str(s.lights[Color.done]), f"已完成（{pct(s.done_percent)}）"),
        ("red", str(s.lights[Color.red]), f"红灯（逾期{s.overdue}）"),
        ("yellow", str(s.lights[Color.yellow]), "黄灯"),
        ("green", str(s.lights[Color.green]), "绿灯"),
        ("", f"{s.reported_tasks}/{s.open_tasks}", "本周报送/未完成"),
    ]
    return (
        '<div class="cards">'
        + "".join(
            f'<div class="card {k}"><div class="n">{esc(n)}</div>'
            f'<div class="k">{esc(t)}</div></div>'
            for k, n, t in cards
        )
        + "</div>"
    )


def _status_chart(r: WeeklyReport) -> str:
    rows = []
    for m in r.measures:
        segs = [Segment(st.label, m.statuses[st], *STATUS_COLORS[st]) for st in STATUS_ORDER]
        rows.append((f"{m.number} {m.title}", segs))
    legend = [(st.label, STATUS_COLORS[st][0]) for st in STATUS_ORDER]
    return stacked_bars(rows, title="分措施任务状态（项）", legend=legend)


def _light_bar(r: WeeklyReport) -> str:
    segs = [Segment(c.label, r.summary.lights[c], *LIGHT_COLORS[c]) for c in LIGHT_COLORS]
    return proportion_bar(segs, title="任务的灯（项）")


WEEKLY_CSS = """
.meta { display: flex; justify-content: space-between; font-size: 10pt; color: #333; }
.rules { font-size: 8.5pt; color: #444; }
td .cnt { color: #555; }
.unreported { font-size: 9pt; margin: 0 0 3mm; }
"""


def _indicators(r: WeeklyReport, titles: list[str]) -> list[str]:
    """Section 七: each indicator's table and its series against the target line."""
    from jsgj.render.indicators import series_svg
    from jsgj.render.weekly_md import indicator_rows

    if not r.indicators:
        return []
    out = [f"<h2>{esc(titles[6])}</h2>"]
    for s in r.indicators:
        ind = s.indicator
        out.append(f"<h3>{esc(ind.name)}</h3>")
        out.append(f"<p>目标：{esc(ind.target_text())}。出处：{esc(ind.sentence)}</p>")
        chart = series_svg(s)
        if chart:
            out.append(
                f"<figure>{chart}<figcaption>{esc(ind.name)}（虚线为目标值）</figcaption></figure>"
            )
        out.append(
            _table(
                ["地区", "最新值", "数据日期", "状态", "说明"],
                [[esc(c) for c in row] for row in indicator_rows(s)],
                "-n---",
                (10, 10, 12, 10, 58),
            )
        )
    return out


def weekly_html(r: WeeklyReport) -> str:
    s = r.summary
    titles = section_titles(r)
    parts: list[str] = [
        '<div class="masthead">江苏工匠培育工程督查周报</div>',
        f'<div class="docline"><span>{esc(OFFICE_NAME)}</span>'
        f"<span>{esc(r.week.label)}</span></div>",
        '<hr class="redrule">',
        f"<h1>{esc(r.title)}</h1>",
        f'<p class="subtitle">《{esc(r.document_title)}》（{esc(r.document)}）<br>'
        f"统计截至{esc(day(r.as_of))}</p>",
        f"<h2>{esc(titles[0])}</h2>",
        f"<p>{esc(overview(r))}</p>",
        _cards(r),
        f"<figure>{_light_bar(r)}<figcaption>任务按灯分布</figcaption></figure>",
        _table(
            ["任务状态", *[st.label for st in STATUS_ORDER], CANCELLED_LABEL],
            [["任务数", *[str(s.statuses[st]) for st in STATUS_ORDER], str(s.cancelled)]],
            "-nnnnn",
        ),
        f"<h2>{esc(titles[1])}</h2>",
        f"<figure>{_status_chart(r)}<figcaption>各措施任务状态（按可填报任务计）</figcaption></figure>",
        _table(
            ["措施", "牵头单位", "任务", "已完成", "平均进度", "红灯", "黄灯", "最差的灯"],
            [
                [
                    f"{esc(m.label)}{esc(m.title)}",
                    esc(m.lead),
                    str(m.tasks),
                    str(m.done),
                    pct(m.mean_percent),
                    str(m.red),
                    str(m.yellow),
                    _light(m.light),
                ]
                for m in r.measures
            ],
            "-wnnnnnc",
            (36, 12, 8, 8, 10, 7, 7, 12),
        ),
        f"<h2>{esc(titles[2])}</h2>",
    ]
    if not r.reports:
        parts.append("<p>本周没有报送进展。</p>")
    for g in r.reports:
        rows = []
        for i in g.items:
            note = esc(i.note)
            if i.evidence:
                note += f"〔佐证：{esc(i.evidence)}〕"
            if i.corrects:
                note += f'<span class="muted">（更正#{i.corrects}）</span>'
            rows.append(
                [
                    i.date.isoformat()[5:],
                    esc(i.task_id),
                    esc(i.task_label),
                    esc(i.reporter),
                    esc(i.status_label),
                    f"{i.percent}%",
                    note,
                ]
            )
        parts.append(f"<h3>措施{esc(g.label)}{esc(g.title)}</h3>")
        parts.append(
            _table(
                ["日期", "编号", "任务", "报送单位", "状态", "进度", "进展情况"],
                rows,
                "ww-wcn-",
                (7, 16, 30, 10, 8, 7, 22),
            )
        )
    parts.append(f"<h2>{esc(titles[3])}</h2>")
    if not r.chase:
        parts.append("<p>本周没有需要催办的任务。</p>")
    else:
        parts.append(f'<p class="small">{esc(CHASE_NOTE)}</p>')
    for n, cg in enumerate(r.chase, 1):
        heading = chase_heading(n, cg.name, cg.overdue, cg.red, cg.yellow, len(cg.unreported))
        block = [f"<h3>{esc(heading)}</h3>"]
        if cg.tasks:
            block.append(
                _table(
                    ["编号", "任务", "灯", "原因", "截止", "进度"],
                    [
                        [
                            esc(t.id),
                            esc(t.label),
                            _light(t.light),
                            esc(t.reason),
                            iso(t.due_date),
                            f"{t.percent}%",
                        ]
                        for t in cg.tasks
                    ],
                    "w-c-wn",
                    (16, 33, 8, 22, 12, 9),
                )
            )
        if cg.unreported:
            ids = "、".join(esc(t.id) for t in cg.unreported)
            block.append(
                f'<p class="unreported">本周未报送进展（{len(cg.unreported)}项）：{ids}</p>'
            )
        parts.append('<div class="chase">' + "\n".join(block) + "</div>")
    parts.append(f"<h2>{esc(titles[4])}</h2>")
    if not r.deadlines:
        parts.append(f"<p>未来{r.deadline_days}天没有到期的未完成任务。</p>")
    else:
        parts.append(
            _table(
                ["截止", "编号", "任务", "牵头单位", "状态", "进度", "灯"],
                [
                    [
                        iso(d.task.due_date),
                        esc(d.task.id),
                        esc(deadline_label(d.task, d.open_cities)),
                        esc(d.task.lead_short),
                        esc(d.task.status_label),
                        f"{d.task.percent}%",
                        _light(d.task.light),
                    ]
                    for d in r.deadlines
                ],
                "ww-wcnc",
                (12, 8, 42, 10, 10, 8, 10),
            )
        )
    parts.append(f"<h2>{esc(titles[5])}</h2>")
    parts.append(
        _table(
            DEPARTMENT_HEADER,
            [[esc(c) for c in row] for row in department_rows(r)],
            "-nnnnnnnn",
            (28, 9, 9, 8, 8, 8, 8, 9, 13),
        )
    )
    parts += _indicators(r, titles)
    parts.append(
        f'<div class="footer"><p class="rules">说明：{esc(r.rules)}{esc(r.counting)}</p>'
        f'<p class="rules">数据时点：{esc(r.computed_at)}（--as-of {r.as_of} --known-on '
        f"{esc(r.computed_at)} 可原样复现本报告）</p>"
        f"<p>本报告由 jsgj 根据任务数据库生成，数据截至{esc(day(r.as_of))}。</p></div>"
    )
    return page(f"{r.title} {r.week.label}", "\n".join(parts) + "\n", WEEKLY_CSS)
