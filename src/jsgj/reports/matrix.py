"""The responsibility matrix (责任分工矩阵) and one department's sheet (部门责任清单),
as plain data. Roles come from the catalogue (the document's department lists);
task counts follow the rule in ``reports.common`` (reportable tasks, cancelled apart).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jsgj.catalog.catalog import Catalog
from jsgj.catalog.models import KIND_LABELS, Department, DepartmentKind
from jsgj.errors import UsageError
from jsgj.i18n import _
from jsgj.reports.common import ROLE_LABELS, abbreviation, worst
from jsgj.status import Color, Thresholds
from jsgj.tasks.counting import COUNTING, Tally, by_role, counted, tally
from jsgj.tasks.line import TaskLine, listing_order, task_line
from jsgj.tasks.records import Role, TaskState
from jsgj.tasks.roles import roles_by_department

SORTS = ("document", "kind", "name", "load")
SORT_LABELS = {
    "document": "按文件中出现顺序",
    "kind": "按单位类别",
    "name": "按名称",
    "load": "按任务量",
}


def parse_measures(text: str | None, catalog: Catalog) -> tuple[int, ...]:
    """'1-9', '1,3,5', '1-3,7' -> measure numbers in order, each once; None -> all."""
    numbers = [m.number for m in catalog.measures]
    if text is None or not text.strip():
        return tuple(numbers)
    first, last = numbers[0], numbers[-1]
    chosen: set[int] = set()
    for part in re.split(r"[,，、]", text):
        part = part.strip()
        match = re.fullmatch(r"(\d+)\s*(?:[-~–]\s*(\d+))?", part)
        if match is None:
            raise UsageError(
                _(
                    "--measures: {part!r} is not a measure number or range; write e.g. 1-9 or 1,3,5"
                ).format(part=part)
            )
        lo = int(match.group(1))
        hi = int(match.group(2)) if match.group(2) else lo
        if lo > hi:
            raise UsageError(
                _("--measures: range {part} runs backwards; write {hi}-{lo}").format(
                    part=part, hi=hi, lo=lo
                )
            )
        for n in (lo, hi):
            if n not in numbers:
                raise UsageError(
                    _(
                        "--measures: no measure {n}; the document has measures {first}-{last}"
                    ).format(n=n, first=first, last=last)
                )
        chosen.update(range(lo, hi + 1))
    return tuple(n for n in numbers if n in chosen)


def measures_label(numbers: Sequence[int]) -> str:
    """'1-19', '1-9', '1、3、5': how a title names the chosen measures."""
    runs: list[str] = []
    start = prev = None
    for n in [*numbers, None]:
        if n is not None and prev is not None and n == prev + 1:
            prev = n
            continue
        if start is not None and prev is not None:
            runs.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = n
    return "、".join(runs)


# --- the matrix ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    measure: int
    role: str | None
    """'lead' (牵头), 'co' (配合) or None, from the document."""
    tasks: int
    """Reportable, not cancelled tasks of the department under the measure."""
    done: int
    light: Color | None
    """The worst light of those tasks; None when there are none."""
    lead: Tally = Tally()
    """Its tasks under the measure as 牵头 (``tasks`` and ``done`` add 配合)."""
    co: Tally = Tally()


@dataclass(frozen=True, slots=True)
class Column:
    number: int
    label: str
    title: str
    departments: int
    """Departments the document names for the measure (the column total)."""
    tasks: int
    done: int
    light: Color | None


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    name: str
    abbr: str
    kind: DepartmentKind
    cells: tuple[Cell, ...]
    led: int
    co: int
    tasks: int
    """Distinct reportable, not cancelled tasks it leads or co-owns under the shown
    measures (a task it shares with another department counts in both rows)."""
    done: int
    light: Color | None
    lead_tally: Tally = Tally()
    """Its tasks under the shown measures as 牵头."""
    co_tally: Tally = Tally()
    """... and as 配合 (a task shared out to the cities counts once, on the parent)."""


@dataclass(frozen=True, slots=True)
class Matrix:
    document: str
    title: str
    as_of: dt.date
    sort: str
    measures_label: str
    all_measures: bool
    with_tasks: bool
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    task_total: int
    done_total: int


def _kind_order(kind: DepartmentKind) -> int:
    return list(DepartmentKind).index(kind)


def build_matrix(
    catalog: Catalog,
    states: Sequence[TaskState],
    on: dt.date,
    thresholds: Thresholds,
    *,
    measures: Sequence[int] | None = None,
    sort: str = "document",
    with_tasks: bool = False,
) -> Matrix:
    if sort not in SORTS:
        raise UsageError(
            _("--sort: unknown order {sort!r}; use one of {choices}").format(
                sort=sort, choices=", ".join(SORTS)
            )
        )
    numbers = tuple(measures) if measures else tuple(m.number for m in catalog.measures)
    chosen = [catalog.measure(n) for n in numbers]
    ordered = listing_order(states)
    lines = [task_line(catalog, t, on, thresholds) for t in ordered]
    units = [x for x in counted(lines) if x.light is not Color.cancelled]
    by_measure: dict[int, list[TaskLine]] = {n: [] for n in numbers}
    for x in units:
        if x.measure in by_measure:
            by_measure[x.measure].append(x)

    roles = roles_by_department(catalog, ordered)
    live_lines = [x for x in lines if x.light is not Color.cancelled]
    rows: list[tuple[tuple[Any, ...], Row]] = []
    for index, d in enumerate(catalog.named()):
        lead_lines, co_lines = by_role(live_lines, roles.get(d.id, {}))
        cells: list[Cell] = []
        for m in chosen:
            lt = tally(x for x in lead_lines if x.measure == m.number)
            ct = tally(x for x in co_lines if x.measure == m.number)
            mine = [x for x in (*lead_lines, *co_lines) if x.measure == m.number]
            cells.append(
                Cell(
                    measure=m.number,
                    role=catalog.role(m, d.id),
                    tasks=lt.tasks + ct.tasks,
                    done=lt.done + ct.done,
                    light=worst(x.light for x in mine),
                    lead=lt,
                    co=ct,
                )
            )
        shown = [x for x in (*lead_lines, *co_lines) if x.measure in by_measure]
        if not any(c.role for c in cells) and not shown:
            continue  # not responsible for any shown measure
        lt = tally(x for x in lead_lines if x.measure in by_measure)
        ct = tally(x for x in co_lines if x.measure in by_measure)
        row = Row(
            id=d.id,
            name=d.name,
            abbr=abbreviation(d),
            kind=d.kind,
            cells=tuple(cells),
            led=sum(1 for c in cells if c.role == "lead"),
            co=sum(1 for c in cells if c.role == "co"),
            tasks=lt.tasks + ct.tasks,
            done=lt.done + ct.done,
            light=worst(x.light for x in shown),
            lead_tally=lt,
            co_tally=ct,
        )
        key: tuple[Any, ...]
        if sort == "kind":
            key = (_kind_order(d.kind), index)
        elif sort == "name":
            key = (d.name, index)
        elif sort == "load":
            key = (-row.tasks, -row.led, -(row.led + row.co), index)
        else:
            key = (index,)
        rows.append((key, row))
    rows.sort(key=lambda pair: pair[0])

    columns = tuple(
        Column(
            number=m.number,
            label=m.label,
            title=m.title,
            departments=len(catalog.department_ids(m)),
            tasks=tally(by_measure[m.number]).tasks,
            done=tally(by_measure[m.number]).done,
            light=worst(x.light for x in by_measure[m.number]),
        )
        for m in chosen
    )
    all_measures = len(numbers) == len(catalog.measures)
    label = measures_label(numbers)
    return Matrix(
        document=catalog.document.number,
        title=f"{catalog.document.number} 责任分工矩阵",
        as_of=on,
        sort=sort,
        measures_label=label,
        all_measures=all_measures,
        with_tasks=with_tasks,
        columns=columns,
        rows=tuple(r for _, r in rows),
        task_total=sum(c.tasks for c in columns),
        done_total=sum(c.done for c in columns),
    )


def cell_text(cell: Cell, *, with_tasks: bool, marks: dict[str, str] | None = None) -> str:
    """The text of a cell in plain formats (CSV, Markdown, xlsx): 牵 / 配, and with
    --tasks the done/total and a red or yellow light: '牵 1/3 红灯'."""
    marks = marks or {"lead": "牵", "co": "配"}
    parts = [marks[cell.role]] if cell.role else []
    if with_tasks and cell.tasks:
        parts.append(f"{cell.done}/{cell.tasks}")
        if cell.light in (Color.red, Color.yellow):
            parts.append(cell.light.label)
    return " ".join(parts)


def _color(c: Color | None) -> str | None:
    return c.value if c else None


def matrix_record(matrix: Matrix) -> dict[str, Any]:
    """The matrix as JSON: every cell with its role and (always) its task counts."""
    return {
        "document": matrix.document,
        "title": matrix.title,
        "as_of": matrix.as_of.isoformat(),
        "sort": matrix.sort,
        "measures": [
            {
                "number": c.number,
                "label": c.label,
                "title": c.title,
                "departments": c.departments,
                "tasks": c.tasks,
                "done": c.done,
                "light": _color(c.light),
            }
            for c in matrix.columns
        ],
        "departments": [
            {
                "id": r.id,
                "name": r.name,
                "abbr": r.abbr,
                "kind": r.kind.value,
                "kind_label": KIND_LABELS[r.kind],
                "led": r.led,
                "co": r.co,
                "tasks": r.tasks,
                "done": r.done,
                "light": _color(r.light),
                "as_lead": r.lead_tally.to_json(),
                "as_co": r.co_tally.to_json(),
                "cells": {
                    str(c.measure): {
                        "role": c.role,
                        "tasks": c.tasks,
                        "done": c.done,
                        "light": _color(c.light),
                        "lead_tasks": c.lead.tasks,
                        "co_tasks": c.co.tasks,
                    }
                    for c in r.cells
                },
            }
            for r in matrix.rows
        ],
        "totals": {"tasks": matrix.task_total, "done": matrix.done_total},
        "counting": COUNTING,
    }


# --- one department's sheet ---------------------------------------------------------


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
