"""The progress return form (进展填报表) as plain data: which department, which week,
by when, and one row per open task it leads or co-owns.

The column headers here are also what ``returns`` looks for when a form comes back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from jsgj.catalog.catalog import Catalog
from jsgj.errors import JsgjError, UsageError
from jsgj.i18n import _
from jsgj.tasks.records import Role, TaskState
from jsgj.tasks.roles import roles_by_department
from jsgj.values import REPORTABLE, Status

TITLE = "苏政办发〔2024〕37号落实情况进展填报表"

# The header block: a label in column A, its value in column B.
DEPARTMENT_LABEL = "填报单位"
PERIOD_LABEL = "填报周期"
RETURN_BY_LABEL = "报送时限"
NOTES_LABEL = "填表说明"

# Task columns (protected) and the columns the department fills in.
TASK_HEADERS = (
    "任务编号",
    "措施",
    "任务名称",
    "角色",
    "截止日期",
    "当前状态",
    "当前进度%",
    "上次填报",
)
FILL_HEADERS = ("状态", "进度%", "日期", "进展情况", "佐证材料")
HEADERS = TASK_HEADERS + FILL_HEADERS
STATUS_CHOICES = tuple(s.report_label for s in REPORTABLE)

LEAD_LABEL = "牵头"
CO_LABEL = "配合"

INSTRUCTIONS = (
    "灰色列为任务信息，请勿修改；请填写白色列：状态从下拉列表选择（"
    + "、".join(STATUS_CHOICES)
    + "），进度填0-100的整数（已完成即100），日期为进展所属日期，进展情况必填，"
    "佐证材料填文号、链接或附件名。本期没有进展的任务整行留空即可。"
)


@dataclass(frozen=True, slots=True)
class FormRow:
    task_id: str
    measure: str
    title: str
    role: str
    due_date: dt.date | None
    status: str
    percent: int
    last_report_date: dt.date | None

    def values(self) -> tuple[object, ...]:
        return (
            self.task_id,
            self.measure,
            self.title,
            self.role,
            self.due_date,
            self.status,
            self.percent,
            self.last_report_date,
        )


@dataclass(frozen=True, slots=True)
class Form:
    department_id: str
    department: str
    """The department's name as the document writes it (what the header block shows)."""
    on: dt.date
    """The form's date: what the task columns show, and the date pre-filled in 日期."""
    week_start: dt.date
    week_end: dt.date
    return_by: dt.date
    rows: tuple[FormRow, ...]

    @property
    def period(self) -> str:
        return f"{self.week_start} 至 {self.week_end}"

    def header_block(self) -> list[tuple[str, object]]:
        return [
            (DEPARTMENT_LABEL, self.department),
            (PERIOD_LABEL, self.period),
            (RETURN_BY_LABEL, self.return_by),
            (NOTES_LABEL, INSTRUCTIONS),
        ]


def week_of(on: dt.date) -> tuple[dt.date, dt.date]:
    """Monday to Sunday of the week holding ``on``."""
    start = on - dt.timedelta(days=on.weekday())
    return start, start + dt.timedelta(days=6)


def default_return_by(on: dt.date) -> dt.date:
    """That week's Friday, or the next Monday when the form is made after Friday."""
    friday = week_of(on)[0] + dt.timedelta(days=4)
    return friday if on <= friday else friday + dt.timedelta(days=3)


def is_open(task: TaskState) -> bool:
    """A task that takes reports: not cancelled, not approved, no claim awaiting review."""
    return not task.closed and task.status is not Status.pending_review


def build_form(
    catalog: Catalog,
    states: Sequence[TaskState],
    department: str,
    on: dt.date,
    return_by: dt.date | None = None,
) -> Form:
    """The form for one department (id, name or alias): its open tasks as of ``on``.
    A city gets its own tasks and those of its group (各设区市人民政府)."""
    dept = catalog.resolve(department)
    if dept.is_group:
        raise UsageError(
            _(
                "{name} is a group: make one form per member (e.g. "
                "`jsgj template {member} ...`), or use --all"
            ).format(name=dept.name, member=catalog.department(dept.members[0]).name)
        )
    # Its tasks by the counting rule: those it leads (a city its own shares) and, as
    # 配合 rows, those it co-owns (a task shared out to the cities once, as a whole),
    # never another body's city shares.
    roles = roles_by_department(catalog, states).get(dept.id, {})
    rows = tuple(
        FormRow(
            task_id=t.id,
            measure=f"{catalog.measure(t.measure).label}{catalog.measure(t.measure).title}",
            title=t.title,
            role=LEAD_LABEL if roles[t.id] is Role.lead else CO_LABEL,
            due_date=t.due_date,
            status=t.status.label,
            percent=t.percent,
            last_report_date=t.last_report_date,
        )
        for t in states
        if t.id in roles and is_open(t)
    )
    start, end = week_of(on)
    by = return_by or default_return_by(on)
    if by < on:
        raise UsageError(
            _("--return-by {by} is before the form's date {day}").format(by=by, day=on)
        )
    return Form(dept.id, dept.name, on, start, end, by, rows)


def build_forms(
    catalog: Catalog, states: Sequence[TaskState], on: dt.date, return_by: dt.date | None = None
) -> tuple[list[Form], list[str]]:
    """A form for every department (cities one by one, not their group) with open tasks;
    and the names of those without any."""
    forms: list[Form] = []
    idle: list[str] = []
    for d in catalog.departments:
        if d.is_group:
            continue
        form = build_form(catalog, states, d.id, on, return_by)
        if form.rows:
            forms.append(form)
        else:
            idle.append(d.name)
    return forms, idle


def require_rows(form: Form) -> Form:
    if not form.rows:
        raise JsgjError(
            _(
                "{department} has no open tasks on {day}: there is nothing to fill in "
                "(`jsgj tasks list --department ...` lists its tasks)"
            ).format(department=form.department, day=form.on)
        )
    return form


def file_name(form: Form, suffix: str) -> str:
    """e.g. 省教育厅-进展填报表-20250629.xlsx."""
    return f"{form.department}-进展填报表-{form.on:%Y%m%d}{suffix}"
