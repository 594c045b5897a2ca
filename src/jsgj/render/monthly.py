"""The monthly 通报 as a document: the ranking by 考核 score, the named 表扬 and 通报
lists and the sender (落款) in the body; the scoring rules as the file states them in
the notes; each department's month as 牵头 and as 配合 apart in the 附件; the 版记 of
data/office.yaml last (GB/T 9704-2012 order). One builder; the writers in
``jsgj.document`` do every format."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jsgj.document.model import (
    CHINESE_NUMBERS,
    Block,
    Column,
    Distribution,
    Document,
    Kind,
    Paragraph,
    Row,
    Section,
    Table,
    chinese_date,
)
from jsgj.reports.monthly import DepartmentMonth, MonthlyReport, RoleFigures, monthly_record

if TYPE_CHECKING:
    from jsgj.catalog.office import OfficeFile

T, N, P, S = Kind.text, Kind.int, Kind.percent, Kind.decimal


RANK_COLUMNS = (
    Column("名次", N, 7),
    Column("单位", T, 27, nowrap=True),
    Column("考核得分", S, 10),
    Column("牵头任务", N, 8),
    Column("牵头办结率", P, 10),
    Column("牵头按时报送率", P, 12),
    Column("逾期", N, 7),
    Column("配合任务", N, 8),
    Column("配合按时报送率", P, 11),
)

ROLE_COLUMNS = (
    Column("单位", T, 26, nowrap=True),
    Column("任务", N, 7),
    Column("销号", N, 7),
    Column("办结率", P, 8),
    Column("报送周次/应报周次", T, 14),
    Column("按时报送率", P, 10),
    Column("逾期", N, 7),
    Column("逾期天数", N, 8),
    Column("审核退回", N, 8),
    Column("通报点名", N, 8),
)


def overview(r: MonthlyReport) -> str:
    weeks = r.weeks
    span = f"（{weeks[0].start}至{weeks[-1].end}）" if weeks else ""
    return (
        f"{r.month.label}共{len(weeks)}个报送周{span}，{len(r.departments)}个责任单位参加考核。"
        f"受表扬{len(r.praised)}个，通报{len(r.criticised)}个。各单位牵头、配合任务情况见附件。"
    )


def ranking_section(r: MonthlyReport, title: str) -> Section:
    rows = tuple(
        Row(
            (
                d.rank,
                d.name,
                d.score,
                d.lead.tally.tasks,
                d.lead.tally.done_percent,
                d.lead.on_time_rate,
                d.lead.tally.overdue,
                d.co.tally.tasks,
                d.co.on_time_rate,
            )
        )
        for d in r.departments
    )
    return Section(title, (Table(RANK_COLUMNS, rows),))


def _role_row(d: DepartmentMonth, f: RoleFigures) -> Row:
    return Row(
        (
            d.name,
            f.tally.tasks,
            f.tally.done,
            f.tally.done_percent,
            f"{f.weeks_reported}/{f.weeks_open}",
            f.on_time_rate,
            f.tally.overdue,
            f.tally.overdue_days,
            f.returned,
            f.named,
        )
    )


def lead_section(r: MonthlyReport, title: str) -> Section:
    rows = tuple(_role_row(d, d.lead) for d in r.departments if d.lead.tally.tasks)
    if not rows:
        return Section(title, (Paragraph("本月没有牵头任务。"),))
    return Section(title, (Table(ROLE_COLUMNS, rows),))


def co_section(r: MonthlyReport, title: str) -> Section:
    rows = tuple(_role_row(d, d.co) for d in r.departments if d.co.tally.tasks)
    if not rows:
        return Section(title, (Paragraph("本月没有配合任务。"),))
    return Section(title, (Table(ROLE_COLUMNS, rows),))


def praise_section(r: MonthlyReport, title: str) -> Section:
    p = r.scoring.praise
    overdue = f"逾期不超过{p.max_overdue}项" if p.max_overdue else "无逾期"
    rule = f"考核得分不低于{p.min_score:g}分且牵头任务{overdue}。"
    if not r.praised:
        return Section(title, (Paragraph(f"本月没有受表扬单位（{rule}）"),))
    names = "、".join(d.name for d in r.praised)
    return Section(title, (Paragraph(f"{names}（{rule}）"),))


def criticise_section(r: MonthlyReport, title: str) -> Section:
    c = r.scoring.criticise
    rule = (
        f"考核得分低于{c.below_score:g}分，或牵头任务逾期{c.min_overdue}项以上，"
        "或有任务经通报点名。"
    )
    if not r.criticised:
        return Section(title, (Paragraph(f"本月没有通报单位（{rule}）"),))
    table = Table(
        (Column("单位", T, 35, nowrap=True), Column("通报原因", T, 65)),
        tuple(Row((d.name, why)) for d, why in r.criticised),
    )
    return Section(title, (Paragraph(rule, "note"), table))


SECTIONS = (
    ("考核排名", ranking_section),
    ("表扬", praise_section),
    ("通报", criticise_section),
)
ANNEXES = (
    ("牵头任务情况", lead_section),
    ("配合任务情况", co_section),
)
"""The body's sections after 总体情况, and the 附件, in order: (title, builder)."""


def rules_text(r: MonthlyReport) -> str:
    s = r.scoring
    w = s.weights
    return (
        f"考核得分＝{s.base:g}＋牵头各项×{s.lead:g}＋配合各项×{s.co:g}；各项为：办结率每个百分点"
        f"{w.done_rate:+g}分，按时报送率每个百分点{w.on_time_rate:+g}分，逾期每项{w.overdue:+g}分，"
        f"逾期每天{w.overdue_days:+g}分，审核退回每次{w.returned:+g}分，通报点名每项{w.named:+g}分"
        f"（规则见 {r.scoring_source}）。按时报送率：本月各报送周（周四在本月的ISO周）中，"
        "任务已开始且未销号、未撤销的周次里，牵头单位当周报送进展的比例（配合单位按其报送的配合进展计）。"
    )


def stamp(r: MonthlyReport) -> tuple[Paragraph, ...]:
    """When the data was read, and how to read it again as it was."""
    if not r.computed_at:
        return ()
    again = f"--month {r.month} --as-of {r.as_of} --known-on {r.computed_at}"
    return (Paragraph(f"数据时点：{r.computed_at}（{again} 可原样复现本通报）", "note"),)


def build_monthly_document(r: MonthlyReport, office: OfficeFile | None = None) -> Document:
    body: tuple[Block, ...] = (
        Section("一、总体情况", (Paragraph(overview(r)),)),
        *(f(r, f"{CHINESE_NUMBERS[i + 1]}、{t}") for i, (t, f) in enumerate(SECTIONS)),
    )
    annexes = tuple(f(r, f"附件{i + 1} {t}") for i, (t, f) in enumerate(ANNEXES))
    data: dict[str, Any] = monthly_record(r)
    distribution = None
    if office is not None:
        from jsgj.document.jsonout import jsonable

        sign = Paragraph(f"{office.name}　{chinese_date(r.as_of)}", "sign")
        body = (*body, sign)
        distribution = Distribution.of(office, r.as_of)
        data = {**data, "distribution": jsonable(distribution)}
    return Document(
        title=r.title,
        as_of=r.as_of,
        subtitle=(f"统计截至{chinese_date(r.as_of)}",),
        body=body,
        annexes=annexes,
        closing=(
            Paragraph(f"说明：{rules_text(r)}{r.counting}", "note"),
            *stamp(r),
            Paragraph(
                f"本通报由 jsgj 根据任务数据库生成，数据截至{chinese_date(r.as_of)}。", "note"
            ),
        ),
        distribution=distribution,
        data=data,
    )
