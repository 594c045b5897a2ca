"""The weekly report's tables of figures as document sections: this week's reports,
each measure, each department, each indicator (the annexes, 附件, and the body's
indicator summary), and the column helper every section of the report uses."""

from __future__ import annotations

from jsgj.document.model import Block, Column, Figure, Kind, Paragraph, Row, Section, Table
from jsgj.reports.indicators import IndicatorSummary
from jsgj.reports.weekly import STATUS_ORDER, MeasureReports, WeeklyReport

T, N, P, D, L = Kind.text, Kind.int, Kind.percent, Kind.date, Kind.light


def table_columns(*spec: tuple[str, Kind, int]) -> tuple[Column, ...]:
    """Columns from (header, kind, width %). Short words (a status, a department's
    short name) never wrap; a task id may, rather than run into its neighbour."""
    return tuple(Column(h, k, w, nowrap=k is T and (w <= 9 or h in SHORT)) for h, k, w in spec)


SHORT = {"牵头单位", "报送单位", "状态"}


def measures_section(r: WeeklyReport, title: str) -> Section:
    from jsgj.document import palette
    from jsgj.render.svg import Segment, stacked_bars

    bars = []
    for m in r.measures:
        segs = [
            Segment(st.label, m.statuses[st], palette.status(st).fill, palette.status(st).ink)
            for st in STATUS_ORDER
        ]
        bars.append((f"{m.number} {m.title}", segs))
    legend = [(st.label, palette.status(st).fill) for st in STATUS_ORDER]
    chart = stacked_bars(bars, title="分措施任务状态（项）", legend=legend)
    table = Table(
        table_columns(
            ("措施", T, 36),
            ("牵头单位", T, 12),
            ("任务", N, 8),
            ("已完成", N, 8),
            ("平均进度", P, 10),
            ("红灯", N, 7),
            ("黄灯", N, 7),
            ("最差的灯", L, 12),
        ),
        tuple(
            Row(
                (
                    f"{m.label}{m.title}",
                    m.lead,
                    m.tasks,
                    m.done,
                    m.mean_percent,
                    m.red,
                    m.yellow,
                    m.light,
                )
            )
            for m in r.measures
        ),
    )
    return Section(title, (Figure(chart, "各措施任务状态（按可填报任务计）"), table))


REPORT_COLUMNS = table_columns(
    ("日期", D, 12),
    ("编号", T, 13),
    ("任务", T, 24),
    ("报送单位", T, 10),
    ("状态", T, 8),
    ("进度", P, 7),
    ("进展情况", T, 26),
)


def _report_table(g: MeasureReports) -> Table:
    rows = []
    for i in g.items:
        note = i.note
        if i.evidence:
            note += f"〔佐证：{i.evidence}〕"
        if i.corrects:
            note += f"（更正#{i.corrects}）"
        rows.append(
            Row((i.date, i.task_id, i.task_label, i.reporter, i.status_label, i.percent, note))
        )
    return Table(REPORT_COLUMNS, tuple(rows))


def reports_section(r: WeeklyReport, title: str) -> Section:
    if not r.reports:
        return Section(title, (Paragraph("本周没有报送进展。"),))
    return Section(
        title,
        tuple(Section(f"措施{g.label}{g.title}", (_report_table(g),)) for g in r.reports),
    )


def departments_section(r: WeeklyReport, title: str) -> Section:
    table = Table(
        table_columns(
            ("单位", T, 28),
            ("牵头任务", N, 9),
            ("配合任务", N, 9),
            ("已完成", N, 8),
            ("红灯", N, 8),
            ("黄灯", N, 8),
            ("逾期", N, 8),
            ("平均进度", P, 9),
            ("本周报送/未完成", T, 13),
        ),
        tuple(
            Row(
                (
                    ("└ " if d.city else "") + d.name,
                    d.led,
                    d.co,
                    d.done,
                    d.red,
                    d.yellow,
                    d.overdue,
                    d.mean_percent,
                    f"{d.reported}/{d.open}",
                )
            )
            for d in r.departments
        ),
    )
    return Section(title, (table,))


def indicator_block(s: IndicatorSummary) -> Section:
    from jsgj.render.indicators import series_svg

    ind = s.indicator
    blocks: list[Block] = [Paragraph(f"目标：{ind.target_text()}。出处：{ind.sentence}")]
    chart = series_svg(s)
    if chart:
        note = (
            f"（虚线为目标值，单位：{ind.unit}）"
            if ind.target is not None
            else f"（单位：{ind.unit}）"
        )
        blocks.append(Figure(chart, f"{ind.name}{note}"))
    rows = []
    for region in s.regions:
        latest = region.assessment.latest
        rows.append(
            Row(
                (
                    region.label,
                    f"{latest.value:g}{ind.unit}" if latest else None,
                    latest.date if latest else None,
                    region.assessment.status.label,
                    region.assessment.reason,
                )
            )
        )
    blocks.append(
        Table(
            table_columns(
                ("地区", T, 10),
                ("最新值", T, 11),
                ("数据日期", D, 13),
                ("状态", T, 10),
                ("说明", T, 56),
            ),
            tuple(rows),
        )
    )
    return Section(ind.name, tuple(blocks))


def indicators_section(r: WeeklyReport, title: str) -> Section:
    """Each indicator on one line, for the province; the series, charts and cities
    are in the annex."""
    rows = []
    for summary in r.indicators:
        ind = summary.indicator
        region = summary.province
        latest = region.assessment.latest if region else None
        rows.append(
            Row(
                (
                    ind.name,
                    ind.target_text(),
                    f"{latest.value:g}{ind.unit}" if latest else None,
                    latest.date if latest else None,
                    region.assessment.status.label if region else None,
                    region.assessment.reason if region else None,
                )
            )
        )
    spec = (
        ("指标", T, 24),
        ("目标", T, 16),
        ("全省最新值", T, 11),
        ("数据日期", D, 12),
        ("状态", T, 9),
        ("说明", T, 28),
    )
    return Section(
        title,
        (
            Table(table_columns(*spec), tuple(rows)),
            Paragraph("各指标的数据序列、图表和分市情况见附件。", "note"),
        ),
    )


def indicator_details(r: WeeklyReport, title: str) -> Section:
    return Section(title, tuple(indicator_block(s) for s in r.indicators))
