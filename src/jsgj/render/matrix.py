"""The responsibility matrix (责任分工矩阵) and one department's sheet (部门责任清单)
as documents; every format comes from the writers in ``jsgj.document``."""

from __future__ import annotations

from jsgj.document.model import Block, Cell, Column, Document, Kind, Paragraph, Row, Section, Table
from jsgj.reports.common import ROLE_LABELS, ROLE_MARKS
from jsgj.reports.matrix import (
    SORT_LABELS,
    DepartmentSheet,
    Matrix,
    SheetMeasure,
    cell_text,
    matrix_record,
    sheet_record,
)
from jsgj.reports.matrix import Cell as MatrixCell
from jsgj.status import Color
from jsgj.tasks.line import TaskLine

LIGHT_MARKS = {Color.red: "!", Color.yellow: "?"}
T, N, P, D, L = Kind.text, Kind.int, Kind.percent, Kind.date, Kind.light


def subtitle(matrix: Matrix) -> str:
    scope = "措施1-19" if matrix.all_measures else f"措施{matrix.measures_label}"
    parts = [scope, f"{len(matrix.rows)}个单位", SORT_LABELS[matrix.sort]]
    if matrix.with_tasks:
        parts.append(f"任务截至{matrix.as_of.isoformat()}")
    return "，".join(parts)


def legend(matrix: Matrix) -> list[str]:
    """The key under the matrix, one sentence each."""
    lines = []
    if matrix.with_tasks:
        lines += [
            "单元格：牵=牵头单位，配=配合单位，其后为已完成/任务数，有红灯或黄灯的注明最差的灯"
            "（终端中只显示已完成/任务数，!=有红灯，?=有黄灯）。",
            "任务按可填报任务计：分解到各设区市的任务按市计，已撤销的不计。",
        ]
    else:
        lines.append("牵=牵头单位，配=配合单位。")
    lines.append("牵头、配合：所列措施中牵头、配合的措施数；任务：牵头或配合的任务数。")
    lines.append("合计行：各措施的责任单位数。")
    return lines


def _matrix_cell(c: MatrixCell, with_tasks: bool) -> Cell:
    value = cell_text(c, with_tasks=with_tasks)
    if with_tasks and c.tasks:
        mark = LIGHT_MARKS.get(c.light, "") if c.light else ""
        return Cell(value, tone=c.role, light=c.light, compact=f"{c.done}/{c.tasks}{mark}")
    compact = ROLE_MARKS[c.role] if c.role else "·"
    return Cell(value, tone=c.role, compact=compact)


def build_matrix_document(matrix: Matrix) -> Document:
    n = len(matrix.columns)
    each = max(1, round((100 - 15 - 3 * 5) / n)) if n else 1
    columns = (
        Column("单位", T, 15),
        *[Column(str(c.number), T, each, long=f"{c.number} {c.title}") for c in matrix.columns],
        Column("牵头", N, 5),
        Column("配合", N, 5),
        Column("任务", N, 5),
    )
    rows = [
        Row(
            (
                Cell(r.name, compact=r.abbr),
                *[_matrix_cell(c, matrix.with_tasks) for c in r.cells],
                r.led,
                r.co,
                r.tasks,
            )
        )
        for r in matrix.rows
    ]
    rows.append(
        Row(
            (
                Cell("合计（责任单位数）", compact="合计"),
                *[c.departments for c in matrix.columns],
                sum(r.led for r in matrix.rows),
                sum(r.co for r in matrix.rows),
                matrix.task_total,
            ),
            "total",
        )
    )
    if matrix.with_tasks:
        rows.append(
            Row(
                (
                    Cell("任务（已完成/任务数）", compact="任务"),
                    *[
                        Cell(f"{c.done}/{c.tasks}" if c.tasks else "", compact=None)
                        for c in matrix.columns
                    ],
                    None,
                    None,
                    None,
                ),
                "total",
            )
        )
    table = Table(
        columns,
        tuple(rows),
        name="责任分工矩阵",
        grid=True,
        trailing=3,
        part_title="措施{first}-{last}",
    )
    key = "；".join(f"{c.number} {c.title}" for c in matrix.columns)
    return Document(
        title=matrix.title,
        as_of=matrix.as_of,
        subtitle=(subtitle(matrix),),
        body=(table,),
        closing=(
            *[Paragraph(line, "note") for line in legend(matrix)],
            Paragraph(f"措施：{key}。", "note"),
        ),
        landscape=True,
        data=matrix_record(matrix),
    )


# --- one department's sheet ------------------------------------------------------------


def sheet_title(sheet: DepartmentSheet) -> str:
    return f"{sheet.name} 部门责任清单"


def sheet_summary(sheet: DepartmentSheet) -> tuple[str, ...]:
    lights = "，".join(
        f"{c.label}{sheet.lights[c]}项"
        for c in (Color.red, Color.yellow, Color.green)
        if sheet.lights.get(c)
    )
    return (
        sheet.document,
        f"牵头措施{sheet.led}项、配合措施{sheet.co}项",
        f"任务{sheet.tasks}项、已完成{sheet.done}项" + (f"（{lights}）" if lights else ""),
        f"截至{sheet.as_of.isoformat()}",
    )


def measure_heading(m: SheetMeasure) -> str:
    role = f"［{ROLE_LABELS[m.role]}］" if m.role else ""
    return f"措施{m.label}{m.title}{role}"


def _task_label(line: TaskLine) -> str:
    if line.level == "city":
        return f"└ {line.lead_short}"
    return line.label


SHEET_COLUMNS = (
    Column("编号", T, 11, nowrap=True),
    Column("任务", T, 25),
    Column("角色", T, 6, nowrap=True),
    Column("截止", D, 11),
    Column("状态", T, 8, nowrap=True),
    Column("进度", P, 7),
    Column("最近报送", D, 11),
    Column("灯", L, 8),
    Column("原因", T, 13, aside=True),
)
LEVELS = {"task": "任务", "total": "全省合计", "city": "设区市"}
FLAT_COLUMNS = (
    Column("措施", N),
    Column("措施名称", T),
    Column("本单位在措施中的角色", T, nowrap=True),
    Column("任务编号", T, nowrap=True),
    Column("任务", T),
    Column("层级", T, nowrap=True),
    Column("牵头单位", T, nowrap=True),
    Column("本单位在任务中的角色", T, nowrap=True),
    Column("开始", D),
    Column("截止", D),
    Column("状态", T, nowrap=True),
    Column("进度(%)", N),
    Column("最近报送", D),
    Column("灯", L),
    Column("原因", T),
)


def _flat(sheet: DepartmentSheet) -> Table:
    rows: list[Row] = []
    for m in sheet.measures:
        role = ROLE_LABELS.get(m.role or "", "")
        if not m.lines:
            rows.append(Row((m.number, m.title, role, *[None] * 12)))
        for line in m.lines:
            t = line.task
            rows.append(
                Row(
                    (
                        m.number,
                        m.title,
                        role,
                        t.id,
                        t.title,
                        LEVELS[t.level],
                        t.lead_short,
                        ROLE_LABELS[line.role],
                        t.start_date,
                        t.due_date,
                        t.status_label,
                        t.percent,
                        t.last_report_date,
                        t.light,
                        t.reason,
                    )
                )
            )
    return Table(FLAT_COLUMNS, tuple(rows), name="部门责任清单", repeat=4)


def build_sheet_document(sheet: DepartmentSheet) -> Document:
    body: list[Block] = []
    for m in sheet.measures:
        if not m.lines:
            body.append(Section(measure_heading(m), (Paragraph("暂无任务。", "note"),)))
            continue
        rows = tuple(
            Row(
                (
                    line.task.id,
                    _task_label(line.task),
                    ROLE_LABELS[line.role],
                    line.task.due_date,
                    line.task.status_label,
                    line.task.percent,
                    line.task.last_report_date,
                    line.task.light,
                    line.task.reason,
                ),
                "" if line.counted else "muted",
            )
            for line in m.lines
        )
        body.append(Section(measure_heading(m), (Table(SHEET_COLUMNS, rows),)))
    return Document(
        title=sheet_title(sheet),
        as_of=sheet.as_of,
        subtitle=("；".join(sheet_summary(sheet)),),
        body=tuple(body),
        closing=(
            Paragraph("说明：全省合计行（分解到设区市的任务）只作汇总，不计入任务数。", "note"),
        ),
        tabular=_flat(sheet),
        data=sheet_record(sheet),
    )
