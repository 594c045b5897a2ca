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
from jsgj.reports.common import (
    COUNTING,
    ROLE_LABELS,
    TaskLine,
    abbreviation,
    listing_order,
    live,
    reportable,
    role_in_task,
    roles_by_department,
    task_line,
    worst,
)
from jsgj.status import Color, Thresholds, light
from jsgj.store.records import TaskState

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
                f"--measures: {part!r} is not a measure number or range; write e.g. 1-9 or 1,3,5"
            )
        lo = int(match.group(1))
        hi = int(match.group(2)) if match.group(2) else lo
        if lo > hi:
            raise UsageError(f"--measures: range {part} runs backwards; write {hi}-{lo}")
        for n in (lo, hi):
            if n not in numbers:
                raise UsageError(
                    f"--measures: no measure {n}; the document has measures {first}-{last}"
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
        raise UsageError(f"--sort: unknown order {sort!r}; use one of {', '.join(SORTS)}")
    numbers = tuple(measures) if measures else tuple(m.number for m in catalog.measures)
    chosen = [catalog.measure(n) for n in numbers]
    counted = live(reportable(states))
    colors = {t.id: light(t, on, thresholds).color for t in counted}
    by_measure: dict[int, list[TaskState]] = {n: [] for n in numbers}
    for t in counted:
        if t.measure in by_measure:
            by_measure[t.measure].append(t)

    roles = roles_by_department(catalog, counted)
    by_id = {t.id: t for t in counted}
    rows: list[tuple[tuple[Any, ...], Row]] = []
    for index, d in enumerate(catalog.named()):
        cells: list[Cell] = []
        mine: list[TaskState] = []
        own: dict[int, list[TaskState]] = {}  # its tasks by measure, in listing order
        for task_id in roles.get(d.id, {}):
            t = by_id[task_id]
            own.setdefault(t.measure, []).append(t)
        for m in chosen:
            tasks = own.get(m.number, [])
            mine.extend(tasks)
            cells.append(
                Cell(
                    measure=m.number,
                    role=catalog.role(m, d.id),
                    tasks=len(tasks),
                    done=sum(1 for t in tasks if colors[t.id] is Color.done),
                    light=worst(colors[t.id] for t in tasks),
                )
            )
        if not any(c.role for c in cells) and not mine:
            continue  # not responsible for any shown measure
        row = Row(
            id=d.id,
            name=d.name,
            abbr=abbreviation(d),
            kind=d.kind,
            cells=tuple(cells),
            led=sum(1 for c in cells if c.role == "lead"),
            co=sum(1 for c in cells if c.role == "co"),
            tasks=len(mine),
            done=sum(1 for t in mine if colors[t.id] is Color.done),
            light=worst(colors[t.id] for t in mine),
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
            tasks=len(by_measure[m.number]),
            done=sum(1 for t in by_measure[m.number] if colors[t.id] is Color.done),
            light=worst(colors[t.id] for t in by_measure[m.number]),
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
                "cells": {
                    str(c.measure): {
                        "role": c.role,
                        "tasks": c.tasks,
                        "done": c.done,
                        "light": _color(c.light),
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
    """The department's role in the task: 'lead' or 'co'."""
    counted: bool
    """False for a province total line (a fan-out parent) and cancelled tasks."""


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
    out: list[SheetMeasure] = []
    lights: dict[Color, int] = dict.fromkeys(Color, 0)
    tasks = done = 0
    for m in catalog.measures:
        if m.number not in numbers:
            continue
        role = catalog.role(m, department.id)
        lines: list[SheetLine] = []
        for t in ordered:
            if t.measure != m.number:
                continue
            r = role_in_task(catalog, t, department.id)
            if r is None:
                continue
            line = task_line(catalog, t, on, thresholds)
            counted = not t.is_parent and not t.cancelled
            lines.append(SheetLine(line, r, counted))
            if counted:
                tasks += 1
                done += line.light is Color.done
            if not t.is_parent:
                lights[line.light] += 1
        if role is None and not lines:
            continue
        lead = catalog.department(catalog.lead_id(m))
        out.append(SheetMeasure(m.number, m.label, m.title, role, lead.name, tuple(lines)))
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
