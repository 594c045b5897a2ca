"""The responsibility matrix (责任分工矩阵) as plain data; one department's sheet
(部门责任清单) is in ``reports.sheet``. Roles come from the catalogue (the document's
department lists); task counts follow ``tasks.counting`` (reportable tasks, cancelled
apart), added up from groups of tasks that count alike (``reports.groups``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jsgj.catalog.catalog import Catalog
from jsgj.catalog.models import KIND_LABELS, DepartmentKind
from jsgj.errors import UsageError
from jsgj.i18n import _
from jsgj.reports.common import abbreviation
from jsgj.reports.groups import Group, counted_groups, groups_of, light_of, live, plus
from jsgj.reports.sheet import DepartmentSheet, SheetLine, SheetMeasure, build_sheet, sheet_record
from jsgj.status import Color, Thresholds
from jsgj.tasks.counting import COUNTING, Tally, by_role
from jsgj.tasks.line import listing_order, task_line
from jsgj.tasks.records import Role, TaskState
from jsgj.tasks.roles import roles_by_department

__all__ = [
    "SORTS",
    "Cell",
    "Column",
    "DepartmentSheet",
    "Matrix",
    "Row",
    "SheetLine",
    "SheetMeasure",
    "build_matrix",
    "build_sheet",
    "cell_text",
    "matrix_of",
    "matrix_record",
    "measures_label",
    "parse_measures",
    "sheet_record",
]

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


def _by_measure(lines: Sequence[Any]) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {}
    for x in lines:
        out.setdefault(x.measure, []).append(x)
    return out


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
    """The matrix of ``states`` on ``on``: each task's line, counted in groups."""
    lines = [task_line(catalog, t, on, thresholds) for t in listing_order(states)]
    groups = groups_of(lines)
    return matrix_of(
        catalog,
        groups,
        roles_by_department(catalog, groups),
        on,
        measures=measures,
        sort=sort,
        with_tasks=with_tasks,
    )


def matrix_of(
    catalog: Catalog,
    groups: Sequence[Group],
    roles: dict[str, dict[str, Role]],
    on: dt.date,
    *,
    measures: Sequence[int] | None = None,
    sort: str = "document",
    with_tasks: bool = False,
) -> Matrix:
    """The matrix from the view's tasks counted in groups (``reports.groups``: from
    the task lines, or from SQLite for the current view) and
    ``roles.roles_by_department`` of the same groups. Cancelled tasks are left out of
    every figure."""
    if sort not in SORTS:
        raise UsageError(
            _("--sort: unknown order {sort!r}; use one of {choices}").format(
                sort=sort, choices=", ".join(SORTS)
            )
        )
    numbers = tuple(measures) if measures else tuple(m.number for m in catalog.measures)
    chosen = [catalog.measure(n) for n in numbers]
    by_measure: dict[int, list[Group]] = {n: [] for n in numbers}
    for g in counted_groups(groups):
        if g.measure in by_measure:
            by_measure[g.measure].append(g)

    group_of = {g.id: g for g in groups}
    rows: list[tuple[tuple[Any, ...], Row]] = []
    for index, d in enumerate(catalog.named()):
        # The department's own groups, grouped by measure once.
        held = roles.get(d.id, {})
        lead_groups, co_groups = by_role([group_of[gid] for gid in held], held)
        lead_of, co_of = _by_measure(lead_groups), _by_measure(co_groups)
        cells: list[Cell] = []
        for m in chosen:
            lt = live(plus(g.tally for g in lead_of.get(m.number, [])))
            ct = live(plus(g.tally for g in co_of.get(m.number, [])))
            cells.append(
                Cell(
                    measure=m.number,
                    role=catalog.role(m, d.id),
                    tasks=lt.tasks + ct.tasks,
                    done=lt.done + ct.done,
                    light=light_of(plus([lt, ct])),
                    lead=lt,
                    co=ct,
                )
            )
        lt = live(plus(g.tally for g in lead_groups if g.measure in by_measure))
        ct = live(plus(g.tally for g in co_groups if g.measure in by_measure))
        if not any(c.role for c in cells) and not (lt.tasks or ct.tasks):
            continue  # not responsible for any shown measure
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
            light=light_of(plus([lt, ct])),
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

    columns = []
    for m in chosen:
        t = plus(g.tally for g in by_measure[m.number])
        columns.append(
            Column(
                number=m.number,
                label=m.label,
                title=m.title,
                departments=len(catalog.department_ids(m)),
                tasks=t.tasks,
                done=t.done,
                light=light_of(t),
            )
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
        columns=tuple(columns),
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
