"""One department's sheet (部门责任清单) as plain data: its tasks under each measure,
as lead or co, with the province total line above a city's share (shown, never
counted). Roles and counting as in ``reports.matrix``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jsgj.catalog.catalog import Catalog
from jsgj.catalog.models import Department
from jsgj.reports.common import ROLE_LABELS
from jsgj.status import Color, Thresholds
from jsgj.tasks.counting import Tally, by_role, tally
from jsgj.tasks.line import TaskLine, listing_order, task_line
from jsgj.tasks.records import Role, TaskState
from jsgj.tasks.roles import roles_by_department


@dataclass(frozen=True, slots=True)
class SheetLine:
    task: TaskLine
    role: str
    """The department's role in the task when counting: 'lead' or 'co' (a task shared
    out to the cities is a co department's once, on the parent)."""
    counted: bool
    """False for cancelled tasks and the province total line shown above a city's share."""


@dataclass(frozen=True, slots=True)
class SheetMeasure:
    number: int
    label: str
    title: str
    role: str | None
    """The department's role in the measure, from the document."""
    lead_name: str
    lines: tuple[SheetLine, ...]


@dataclass(frozen=True, slots=True)
class DepartmentSheet:
    document: str
    department_id: str
    name: str
    full_name: str
    group_name: str | None
    as_of: dt.date
    measures: tuple[SheetMeasure, ...]
    led: int
    co: int
    tasks: int
    done: int
    lights: dict[Color, int]
    lead_tally: Tally = Tally()
    co_tally: Tally = Tally()


def build_sheet(
    catalog: Catalog,
    department: Department,
    states: Sequence[TaskState],
    on: dt.date,
    thresholds: Thresholds,
    *,
    measures: Sequence[int] | None = None,
) -> DepartmentSheet:
    numbers = set(measures) if measures else {m.number for m in catalog.measures}
    ordered = listing_order(states)
    roles = roles_by_department(catalog, ordered).get(department.id, {})
    by_id = {t.id: t for t in ordered}
    context = {
        by_id[tid].parent_id for tid, r in roles.items() if r is Role.lead and by_id[tid].parent_id
    }
    out: list[SheetMeasure] = []
    mine: list[TaskLine] = []
    for m in catalog.measures:
        if m.number not in numbers:
            continue
        role = catalog.role(m, department.id)
        lines: list[SheetLine] = []
        for t in ordered:
            r = roles.get(t.id)
            if t.measure != m.number:
                continue
            if r is None and t.id in context:
                # The province total line above a city's share: shown, never counted.
                line = task_line(catalog, t, on, thresholds, role=Role.lead)
                lines.append(SheetLine(line, Role.lead.value, False))
                continue
            if r is None:
                continue
            line = task_line(catalog, t, on, thresholds, role=r)
            lines.append(SheetLine(line, r.value, line.light is not Color.cancelled))
            mine.append(line)
        if role is None and not lines:
            continue
        lead = catalog.department(catalog.lead_id(m))
        out.append(SheetMeasure(m.number, m.label, m.title, role, lead.name, tuple(lines)))
    lead_lines, co_lines = by_role(mine, roles)
    lt, ct = tally(lead_lines), tally(co_lines)
    lights: dict[Color, int] = {c: lt.count(c) + ct.count(c) for c in Color}
    tasks, done = lt.tasks + ct.tasks, lt.done + ct.done
    group = catalog.group_of(department.id)
    return DepartmentSheet(
        document=catalog.document.number,
        department_id=department.id,
        name=department.name,
        full_name=department.full_name,
        group_name=group.name if group else None,
        as_of=on,
        measures=tuple(out),
        led=sum(1 for s in out if s.role == "lead"),
        co=sum(1 for s in out if s.role == "co"),
        tasks=tasks,
        done=done,
        lights=lights,
        lead_tally=lt,
        co_tally=ct,
    )


def sheet_record(sheet: DepartmentSheet) -> dict[str, Any]:
    return {
        "document": sheet.document,
        "department": {
            "id": sheet.department_id,
            "name": sheet.name,
            "full_name": sheet.full_name,
            "group": sheet.group_name,
        },
        "as_of": sheet.as_of.isoformat(),
        "led": sheet.led,
        "co": sheet.co,
        "tasks": sheet.tasks,
        "done": sheet.done,
        "lights": {c.value: n for c, n in sheet.lights.items()},
        "as_lead": sheet.lead_tally.to_json(),
        "as_co": sheet.co_tally.to_json(),
        "measures": [
            {
                "number": s.number,
                "label": s.label,
                "title": s.title,
                "role": s.role,
                "role_label": ROLE_LABELS.get(s.role or "", None),
                "lead": s.lead_name,
                "tasks": [
                    {**line.task.to_json(), "role": line.role, "counted": line.counted}
                    for line in s.lines
                ],
            }
            for s in sheet.measures
        ],
    }
