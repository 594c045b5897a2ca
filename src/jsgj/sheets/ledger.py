"""The ledger (台账) as plain data: three tables for xlsx and CSV, one document for JSON.

- 措施: the measures with their lead and co-responsible departments and task counts;
- 任务: every task with its current state, light and the light's reason;
- 进展: every progress report ever recorded, corrections and corrected ones included;
- 修订: every revision of a task's definition (create/edit/cancel);
- 事件: the lifecycle events (签收 acknowledge, 审核 approve/return, 催办 chase);
- 指标: the indicator observations.

With the last three, a ledger holds everything ``jsgj import`` needs to rebuild the
database (``jsgj.sheets.ledger_read``); an office may also fill it from its own 台账
(``jsgj template --ledger``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from jsgj.catalog.catalog import OFFICE_ID, OFFICE_NAME, Catalog
from jsgj.reports.catalog import measure_record
from jsgj.reports.tasks import task_record
from jsgj.sheets.table import Column, Kind, Table
from jsgj.status import Color, Thresholds
from jsgj.store.ledger import (
    EVENTS,
    MEASURES,
    OBSERVATIONS,
    REPORTS,
    REVISIONS,
    SHEETS,
    TASKS,
    LedgerEvent,
    LedgerObservation,
    LedgerRevision,
    event_json,
    observation_json,
    revision_json,
)
from jsgj.tasks.counting import counted, tally
from jsgj.tasks.history import Report
from jsgj.tasks.line import task_line
from jsgj.tasks.records import TaskState

MEASURE_COLUMNS = (
    Column("编号", Kind.int, "number"),
    Column("序号", Kind.text, "label"),
    Column("部分", Kind.text, "section_title"),
    Column("措施", Kind.wrap, "title"),
    Column("牵头单位", Kind.text, "lead"),
    Column("配合单位", Kind.wrap, "co"),
    Column("任务数", Kind.int, "tasks"),
    Column("已办结", Kind.int, "done"),
    Column("待审核", Kind.int, "pending_review"),
    Column("逾期", Kind.int, "overdue"),
    Column("红灯", Kind.int, "red"),
    Column("黄灯", Kind.int, "yellow"),
    Column("蓝灯", Kind.int, "blue"),
    Column("绿灯", Kind.int, "green"),
    Column("已撤销", Kind.int, "cancelled"),
)
TASK_COLUMNS = (
    Column("任务编号", Kind.text, "id"),
    Column("措施", Kind.int, "measure"),
    Column("上级任务", Kind.text, "parent"),
    Column("任务名称", Kind.wrap, "title"),
    Column("牵头单位", Kind.text, "lead"),
    Column("配合单位", Kind.wrap, "co"),
    Column("开始日期", Kind.date, "start_date"),
    Column("截止日期", Kind.date, "due_date"),
    Column("状态", Kind.text, "status_label"),
    Column("进度%", Kind.int, "percent"),
    Column("序时进度%", Kind.int, "expected_percent"),
    Column("最近填报", Kind.date, "last_report_date"),
    Column("填报次数", Kind.int, "report_count"),
    Column("灯", Kind.text, "light_label"),
    Column("灯说明", Kind.wrap, "reason"),
    Column("计数", Kind.text, "counted"),
    Column("缓急", Kind.text, "urgency_label"),
    Column("来源", Kind.wrap, "source"),
    Column("签收日期", Kind.date, "acknowledged_on"),
    Column("联络员", Kind.text, "contact"),
    Column("申请办结日期", Kind.date, "claim_date"),
    Column("退回原因", Kind.wrap, "returned_reason"),
    Column("原定截止日期", Kind.date, "original_due_date"),
    Column("延期原因", Kind.wrap, "extension_reason"),
    Column("配合报送次数", Kind.int, "contribution_count"),
    Column("创建日期", Kind.date, "created_on"),
)
REPORT_COLUMNS = (
    Column("编号", Kind.int, "id"),
    Column("任务编号", Kind.text, "task"),
    Column("报告日期", Kind.date, "date"),
    Column("填报单位", Kind.text, "by"),
    Column("状态", Kind.text, "status_label"),
    Column("进度%", Kind.int, "percent"),
    Column("进展情况", Kind.wrap, "note"),
    Column("佐证材料", Kind.wrap, "evidence"),
    Column("更正", Kind.int, "corrects"),
    Column("被更正", Kind.int, "corrected_by"),
    Column("有效", Kind.text, "valid"),
    Column("录入日期", Kind.date, "recorded_on"),
    Column("录入时间", Kind.datetime, "recorded_at"),
    Column("录入人", Kind.text, "os_user"),
    Column("来源", Kind.text, "source"),
    Column("角色", Kind.text, "role_label"),
)
REVISION_COLUMNS = (
    Column("编号", Kind.int, "id"),
    Column("任务编号", Kind.text, "task"),
    Column("类型", Kind.text, "kind"),
    Column("生效日期", Kind.date, "date"),
    Column("操作单位", Kind.text, "by"),
    Column("任务名称", Kind.wrap, "title"),
    Column("牵头单位", Kind.text, "lead"),
    Column("配合单位", Kind.wrap, "co"),
    Column("开始日期", Kind.date, "start_date"),
    Column("截止日期", Kind.date, "due_date"),
    Column("已撤销", Kind.text, "cancelled"),
    Column("缓急", Kind.text, "urgency"),
    Column("来源", Kind.wrap, "source"),
    Column("原因", Kind.wrap, "reason"),
    Column("变更", Kind.wrap, "changes"),
    Column("录入人", Kind.text, "os_user"),
)
EVENT_COLUMNS = (
    Column("编号", Kind.int, "id"),
    Column("任务编号", Kind.text, "task"),
    Column("类型", Kind.text, "kind"),
    Column("日期", Kind.date, "date"),
    Column("单位", Kind.text, "by"),
    Column("说明", Kind.wrap, "note"),
    Column("进展编号", Kind.int, "report"),
    Column("进度%", Kind.int, "percent"),
    Column("联络员", Kind.text, "contact_name"),
    Column("联系电话", Kind.text, "contact_phone"),
    Column("方式", Kind.text, "method"),
    Column("来源", Kind.text, "source"),
    Column("录入人", Kind.text, "os_user"),
)
OBSERVATION_COLUMNS = (
    Column("指标", Kind.text, "indicator"),
    Column("地区", Kind.text, "region"),
    Column("日期", Kind.date, "date"),
    Column("数值", Kind.text, "value"),
    Column("来源", Kind.wrap, "source"),
    Column("录入人", Kind.text, "os_user"),
)
COLUMNS = {
    TASKS: TASK_COLUMNS,
    REPORTS: REPORT_COLUMNS,
    REVISIONS: REVISION_COLUMNS,
    EVENTS: EVENT_COLUMNS,
    OBSERVATIONS: OBSERVATION_COLUMNS,
}
"""Each sheet an import reads, with its columns: what the export writes under each
header is what the import reads back by it."""


def _name(catalog: Catalog, department_id: str) -> str:
    return OFFICE_NAME if department_id == OFFICE_ID else catalog.department(department_id).name


def _names(catalog: Catalog, ids: Sequence[str]) -> str:
    return "、".join(_name(catalog, d) for d in ids)


def local_time(recorded_at: str) -> dt.datetime:
    """A stored UTC timestamp as a naive local date and time (spreadsheets have no zones)."""
    stamp = dt.datetime.fromisoformat(recorded_at)
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone().replace(tzinfo=None)
    return stamp.replace(microsecond=0)


def build_ledger(
    catalog: Catalog,
    states: Sequence[TaskState],
    reports: Sequence[Report],
    sources: Mapping[int, str | None],
    on: dt.date,
    thresholds: Thresholds,
) -> list[Table]:
    """The three tables of the ledger as known on ``on``."""
    lines = [task_line(catalog, t, on, thresholds) for t in states]
    units = counted(lines)
    measures = Table(MEASURES, "measures", MEASURE_COLUMNS)
    for m in catalog.measures:
        ids = catalog.department_ids(m)
        c = tally(x for x in units if x.measure == m.number)
        section = catalog.section(m.section)
        measures.rows.append(
            (
                m.number,
                m.label,
                f"{section.label}、{section.title}",
                m.title,
                _name(catalog, ids[0]),
                _names(catalog, ids[1:]),
                c.tasks,
                c.done,
                c.pending,
                c.overdue,
                c.red,
                c.yellow,
                c.blue,
                c.green,
                c.cancelled,
            )
        )
    tasks = Table(TASKS, SHEETS[TASKS], TASK_COLUMNS)
    for t, x in zip(states, lines, strict=True):
        open_ = x.light not in (Color.done, Color.pending, Color.cancelled)
        tasks.rows.append(
            (
                t.id,
                t.measure,
                t.parent_id,
                t.title,
                _name(catalog, t.lead),
                _names(catalog, t.co),
                t.start_date,
                t.due_date,
                x.status_label,
                t.percent,
                x.expected_percent if open_ else None,
                t.last_report_date,
                t.report_count,
                x.light.label,
                x.reason,
                "是" if x.counted else "否（全省合计）",
                x.urgency_label,
                t.source,
                t.acknowledged_on,
                t.contact,
                t.claim_date,
                t.returned_reason,
                t.original_due_date,
                t.extension_reason,
                t.contribution_count,
                t.created_on,
            )
        )
    history = Table(REPORTS, SHEETS[REPORTS], REPORT_COLUMNS)
    for r in sorted_reports(states, reports):
        history.rows.append(
            (
                r.id,
                r.task_id,
                r.report_date,
                _name(catalog, r.reporter),
                r.status_label,
                r.percent,
                r.note,
                r.evidence,
                r.corrects,
                r.corrected_by,
                "否" if r.corrected_by else "是",
                r.recorded_on,
                local_time(r.recorded_at),
                r.os_user,
                sources.get(r.id),
                r.role.label,
            )
        )
    return [measures, tasks, history]


def history_tables(
    catalog: Catalog,
    revisions: Sequence[LedgerRevision],
    events: Sequence[LedgerEvent],
    observations: Sequence[LedgerObservation],
) -> list[Table]:
    """The sheets after 进展: 修订, 事件 and 指标 (kinds and urgencies as their ids)."""
    revised = Table(REVISIONS, SHEETS[REVISIONS], REVISION_COLUMNS)
    for r in revisions:
        revised.rows.append(
            (
                r.id,
                r.task,
                r.kind,
                r.date,
                _name(catalog, r.by),
                r.title,
                _name(catalog, r.lead),
                _names(catalog, r.co),
                r.start_date,
                r.due_date,
                "是" if r.cancelled else "否",
                r.urgency,
                r.source,
                r.reason,
                None if r.changes == "{}" else r.changes,
                r.os_user,
            )  # fmt: skip
        )
    happened = Table(EVENTS, SHEETS[EVENTS], EVENT_COLUMNS)
    for e in events:
        happened.rows.append(
            (
                e.id,
                e.task,
                e.kind,
                e.date,
                _name(catalog, e.by),
                e.note,
                e.report,
                e.percent,
                e.contact_name,
                e.contact_phone,
                e.method,
                e.source,
                e.os_user,
            )  # fmt: skip
        )
    observed = Table(OBSERVATIONS, SHEETS[OBSERVATIONS], OBSERVATION_COLUMNS)
    for o in observations:
        observed.rows.append((o.indicator, o.region, o.date, repr(o.value), o.source, o.os_user))
    return [revised, happened, observed]


INSTRUCTIONS = (
    "台账导入（jsgj import）：按本工作簿各表填写原有台账，每行一条；第一行表头请勿修改。",
    "任务：必填 任务编号（如 7-1；设区市分解任务如 1-2.南京）、措施、任务名称、牵头单位、"
    "开始日期；可填 上级任务、配合单位（用“、”分隔）、截止日期、缓急（一般/急/特急）、"
    "来源、创建日期（默认开始日期）；状态填“已撤销”表示任务已撤销。其余列导入时不读取。",
    "进展：必填 任务编号、报告日期、填报单位、状态（未启动/推进中/已完成/受阻）、进度%、"
    "进展情况；可填 编号（更正时引用）、佐证材料、更正（被更正进展的编号）、角色"
    "（牵头/配合/督查督办，默认按填报单位推断）。",
    "修订：任务定义的历次变更（create 创建 / edit 修改 / cancel 撤销），可不填：未填时按"
    "任务表的行创建。",
    "事件：签收 acknowledge、审核通过 approve、退回 return、催办 chase；进展编号指所审核的进展。",
    "指标：指标编号、地区（province 或设区市）、日期、数值、来源。",
    "日期格式 YYYY-MM-DD；单位可填全称、简称或编号。先检查全部行，有问题则列出行号、不录入；"
    "重复导入同一台账不会重复录入。",
)
"""The 说明 sheet of ``jsgj template --ledger``."""


def empty_ledger() -> list[Table]:
    """The ledger's sheets with their headers only, for an office to fill
    (``jsgj template --ledger``)."""
    return [Table(sheet, key, COLUMNS[sheet]) for sheet, key in SHEETS.items()]


def sorted_reports(states: Sequence[TaskState], reports: Sequence[Report]) -> list[Report]:
    """By task (in the tasks sheet's order), then report date, then recording order."""
    order = {t.id: i for i, t in enumerate(states)}
    return sorted(reports, key=lambda r: (order.get(r.task_id, len(order)), r.report_date, r.id))


def ledger_json(
    catalog: Catalog,
    states: Sequence[TaskState],
    reports: Sequence[Report],
    sources: Mapping[int, str | None],
    on: dt.date,
    thresholds: Thresholds,
    revisions: Sequence[LedgerRevision] = (),
    events: Sequence[LedgerEvent] = (),
    observations: Sequence[LedgerObservation] = (),
) -> dict[str, Any]:
    """The ledger as one JSON document: English keys, ids and ISO dates; with the
    revisions and lifecycle events, everything ``jsgj import`` needs to rebuild it."""
    return {
        "document": catalog.document.number,
        "as_of": on.isoformat(),
        "measures": [measure_record(catalog, m) for m in catalog.measures],
        "tasks": [task_record(catalog, t, on, thresholds) for t in states],
        "reports": [
            {**r.to_json(), "source": sources.get(r.id)} for r in sorted_reports(states, reports)
        ],
        "revisions": [revision_json(r) for r in revisions],
        "events": [event_json(e) for e in events],
        "indicators": [observation_json(o) for o in observations],
    }
