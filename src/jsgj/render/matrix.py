"""The responsibility matrix and a department's sheet in every format: rich tables
for the terminal (fitted to its width), CSV, Markdown, HTML and xlsx. Pure functions
of the plain data in ``reports.matrix``."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from jsgj.render.markup import esc, md, md_table, page
from jsgj.reports.common import ROLE_LABELS, ROLE_MARKS
from jsgj.reports.matrix import (
    SORT_LABELS,
    Cell,
    Column,
    DepartmentSheet,
    Matrix,
    cell_text,
)
from jsgj.sheets.table import csv_safe, is_risky
from jsgj.status import Color
from jsgj.tasks.line import TaskLine

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.table import Table

LIGHT_STYLES = {
    Color.red: "bold white on red",
    Color.yellow: "bold black on yellow",
    Color.blue: "green",
    Color.green: "green",
    Color.pending: "green",
    Color.done: "blue",
    Color.cancelled: "dim",
}
LIGHT_MARKS = {Color.red: "!", Color.yellow: "?"}
TOTAL_HEADERS = ("牵头", "配合", "任务")


def _subtitle(matrix: Matrix) -> str:
    scope = "措施1-19" if matrix.all_measures else f"措施{matrix.measures_label}"
    parts = [scope, f"{len(matrix.rows)}个单位", SORT_LABELS[matrix.sort]]
    if matrix.with_tasks:
        parts.append(f"任务截至{matrix.as_of.isoformat()}")
    return "，".join(parts)


def legend_lines(matrix: Matrix, *, terminal: bool = True) -> list[str]:
    """The key under the matrix, one short sentence a line (fits 80 columns)."""
    lines = []
    if matrix.with_tasks and terminal:
        lines += [
            "单元格：已完成/任务数，!=有红灯，?=有黄灯；无任务时显示牵（牵头）或配（配合）。",
            "任务按可填报任务计：分解到各设区市的任务按市计，已撤销的不计。",
        ]
    elif matrix.with_tasks:
        lines += [
            "单元格：牵=牵头单位，配=配合单位，其后为已完成/任务数，有红灯或黄灯的注明最差的灯。",
            "任务按可填报任务计：分解到各设区市的任务按市计，已撤销的不计。",
        ]
    else:
        lines.append("牵=牵头单位，配=配合单位。")
    lines.append("牵头、配合：所列措施中牵头、配合的措施数；任务：牵头或配合的任务数。")
    lines.append("合计行：各措施的责任单位数。")
    return lines


def legend(matrix: Matrix) -> str:
    """The key as one paragraph, for the file formats."""
    return "".join(legend_lines(matrix, terminal=False)).rstrip("。")


# --- terminal ---------------------------------------------------------------------


def _cell(cell: Cell, with_tasks: bool) -> Any:
    from rich.text import Text

    if with_tasks and cell.tasks:
        mark = LIGHT_MARKS.get(cell.light, "") if cell.light else ""
        style = LIGHT_STYLES[cell.light] if cell.light else ""
        if cell.role == "lead":
            style += " underline"
        return Text(f"{cell.done}/{cell.tasks}{mark}", style=style.strip())
    if cell.role:
        style = "bold" if cell.role == "lead" else ""
        if with_tasks:
            style = "dim"
        return Text(ROLE_MARKS[cell.role], style=style)
    return Text("·", style="dim")


def _table(matrix: Matrix, columns: Sequence[Column], totals: bool, title: str | None) -> Table:
    from rich import box
    from rich.table import Table

    table = Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=0,
        show_footer=False,
    )
    table.add_column("单位", no_wrap=True)
    index = {c.number: i for i, c in enumerate(matrix.columns)}
    for c in columns:
        table.add_column(str(c.number), justify="center", no_wrap=True)
    if totals:
        for h in TOTAL_HEADERS:
            table.add_column(h, justify="right", no_wrap=True)
    for r in matrix.rows:
        cells = [_cell(r.cells[index[c.number]], matrix.with_tasks) for c in columns]
        extra = [str(r.led), str(r.co), str(r.tasks)] if totals else []
        table.add_row(r.abbr, *cells, *extra)
    table.add_section()
    extra = (
        [
            str(sum(r.led for r in matrix.rows)),
            str(sum(r.co for r in matrix.rows)),
            str(matrix.task_total),
        ]
        if totals
        else []
    )
    table.add_row("合计", *[str(c.departments) for c in columns], *extra, style="bold")
    if matrix.with_tasks:
        table.add_row(
            "任务",
            *[f"{c.done}/{c.tasks}" if c.tasks else "·" for c in columns],
            *([""] * len(extra)),
        )
    return table


def _width(console: Console, table: Table) -> int:
    from rich.measure import Measurement

    return Measurement.get(console, console.options.update(width=10_000), table).maximum


def _chunks(columns: Sequence[Column], k: int) -> list[Sequence[Column]]:
    size, extra = divmod(len(columns), k)
    out, start = [], 0
    for i in range(k):
        end = start + size + (1 if i < extra else 0)
        out.append(columns[start:end])
        start = end
    return [c for c in out if c]


def matrix_tables(matrix: Matrix, console: Console) -> RenderableType:
    """The matrix fitted to the console's width: one table when it fits, else split
    into as few tables as fit (1-10 and 11-19 on an 80-column terminal with --tasks),
    the row totals on the last."""
    from rich.console import Group
    from rich.text import Text

    width = console.width
    heading = Text.assemble((matrix.title, "bold"), "\n", (f"{_subtitle(matrix)}", "dim"))
    columns = matrix.columns
    for k in range(1, len(columns) + 1):
        parts = _chunks(columns, k)
        tables = [
            _table(
                matrix,
                part,
                totals=(i == len(parts) - 1),
                title=None if k == 1 else f"措施{part[0].number}-{part[-1].number}",
            )
            for i, part in enumerate(parts)
        ]
        if all(_width(console, t) <= width for t in tables):
            break
    note = Text("\n".join(legend_lines(matrix)), style="dim")
    return Group(heading, *tables, note)


# --- CSV, Markdown -----------------------------------------------------------------


def _header(matrix: Matrix) -> list[str]:
    return ["单位", *[str(c.number) for c in matrix.columns], "牵头措施数", "配合措施数", "任务数"]


def _footer(matrix: Matrix) -> list[str]:
    return [
        "合计（责任单位数）",
        *[str(c.departments) for c in matrix.columns],
        str(sum(r.led for r in matrix.rows)),
        str(sum(r.co for r in matrix.rows)),
        str(matrix.task_total),
    ]


def matrix_csv(matrix: Matrix) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(_header(matrix))
    for r in matrix.rows:
        w.writerow(
            [
                csv_safe(r.name),
                *[cell_text(c, with_tasks=matrix.with_tasks) for c in r.cells],
                r.led,
                r.co,
                r.tasks,
            ]
        )
    w.writerow(_footer(matrix))
    return buf.getvalue()


def _measure_key(matrix: Matrix) -> str:
    return "；".join(f"{c.number} {c.title}" for c in matrix.columns)


def matrix_markdown(matrix: Matrix) -> str:
    rows = [
        [
            md(r.name),
            *[cell_text(c, with_tasks=matrix.with_tasks) for c in r.cells],
            str(r.led),
            str(r.co),
            str(r.tasks),
        ]
        for r in matrix.rows
    ]
    rows.append([f"**{v}**" for v in _footer(matrix)])
    align = "l" + "c" * len(matrix.columns) + "rrr"
    return "\n".join(
        [
            f"# {md(matrix.title)}",
            "",
            f"{_subtitle(matrix)}。",
            "",
            md_table(_header(matrix), rows, align),
            "",
            f"说明：{legend(matrix)}。",
            "",
            f"措施：{md(_measure_key(matrix))}。",
            "",
        ]
    )


# --- HTML ------------------------------------------------------------------------------

MATRIX_CSS = """
body { max-width: 297mm; }
@page { size: A4 landscape; margin: 12mm; }
table.matrix { font-size: 8.5pt; }
table.matrix th.m { writing-mode: vertical-rl; text-orientation: upright; white-space: nowrap;
  font-weight: 400; padding: 1.5mm 0.6mm; vertical-align: bottom; letter-spacing: -0.05em; }
table.matrix th.m b { font-weight: 700; text-combine-upright: all; }
table.matrix { table-layout: fixed; }
table.matrix td { text-align: center; padding: 0.8mm 0.6mm; white-space: nowrap; }
table.matrix td.name { text-align: left; padding-left: 1.5mm; }
table.matrix td.lead { background: #f6d5d5; font-weight: 700; color: #8b0000; }
table.matrix td.co { background: #dde8f5; color: #1f3f6e; }
table.matrix td.t-red { box-shadow: inset 0 -1.2mm 0 #c62828; }
table.matrix td.t-yellow { box-shadow: inset 0 -1.2mm 0 #f2c200; }
table.matrix td.t-green { box-shadow: inset 0 -1.2mm 0 #2e7d32; }
table.matrix td.t-done { box-shadow: inset 0 -1.2mm 0 #1f5fa8; }
table.matrix td .cnt { display: block; font-size: 7.5pt; font-weight: 400; color: #222; }
table.matrix tr.total td { font-weight: 700; background: #eef1f5; }
"""


def _html_cell(cell: Cell, with_tasks: bool) -> str:
    classes = [cell.role] if cell.role else []
    body = esc(ROLE_MARKS[cell.role]) if cell.role else ""
    if with_tasks and cell.tasks:
        if cell.light:
            classes.append(f"t-{cell.light.value}")
        body += f'<span class="cnt">{cell.done}/{cell.tasks}</span>'
        if cell.light in (Color.red, Color.yellow):
            body += f'<span class="cnt">{esc(cell.light.label)}</span>'
    cls = f' class="{" ".join(classes)}"' if classes else ""
    return f"<td{cls}>{body}</td>"


def _colgroup(n: int) -> str:
    """Equal measure columns between the name column and the three totals."""
    name, total = 15.0, 4.5
    each = (100 - name - 3 * total) / n if n else 0
    cols = [name, *[each] * n, total, total, total]
    return "<colgroup>" + "".join(f'<col style="width:{w:.2f}%">' for w in cols) + "</colgroup>\n"


def matrix_html(matrix: Matrix) -> str:
    head = "".join(
        f'<th class="m" title="{esc(c.title)}"><b>{c.number}</b> {esc(c.title)}</th>'
        for c in matrix.columns
    )
    body = []
    for r in matrix.rows:
        cells = "".join(_html_cell(c, matrix.with_tasks) for c in r.cells)
        body.append(
            f'<tr><td class="name">{esc(r.name)}</td>{cells}'
            + "".join(f'<td class="num">{n}</td>' for n in (r.led, r.co, r.tasks))
            + "</tr>"
        )
    footer = _footer(matrix)
    body.append(
        '<tr class="total"><td class="name">合计（责任单位数）</td>'
        + "".join(f"<td>{esc(v)}</td>" for v in footer[1:-3])
        + "".join(f'<td class="num">{esc(v)}</td>' for v in footer[-3:])
        + "</tr>"
    )
    html_body = (
        f"<h1>{esc(matrix.title)}</h1>\n"
        f'<p class="subtitle">{esc(_subtitle(matrix))}</p>\n'
        '<table class="matrix">\n' + _colgroup(len(matrix.columns)) + "<thead><tr><th>单位</th>"
        f"{head}<th>牵头</th><th>配合</th><th>任务</th></tr></thead>\n<tbody>\n"
        + "\n".join(body)
        + "\n</tbody>\n</table>\n"
        f'<p class="small muted">说明：{esc(legend(matrix))}。</p>\n'
    )
    return page(matrix.title, html_body, MATRIX_CSS)


# --- xlsx ---------------------------------------------------------------------------

XLSX_FILLS = {
    "lead": "F6D5D5",
    "co": "DDE8F5",
    Color.red: "E57373",
    Color.yellow: "FFE082",
    Color.blue: "A5D6A7",
    Color.green: "A5D6A7",
    Color.pending: "A5D6A7",
    Color.done: "90CAF9",
    Color.cancelled: "E0E0E0",
}
HEADER_FILL = "EEF1F5"


def _width_of(text: str) -> float:
    """Excel column width for text: a CJK character is about two digits wide."""
    return sum(2.1 if ord(ch) > 0x2E80 else 1.1 for ch in text)


def _workbook_bytes(wb: Any, on: Any) -> bytes:
    """Save deterministically: fixed document properties and zip timestamps, so the
    same data gives the same bytes (openpyxl stamps the current time otherwise)."""
    import datetime as dt
    import zipfile

    stamp = dt.datetime.combine(on, dt.time())
    wb.properties.creator = "jsgj"
    wb.properties.lastModifiedBy = "jsgj"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _fix_core(data, stamp)
            fixed = zipfile.ZipInfo(
                info.filename, date_time=(stamp.year, stamp.month, stamp.day, 0, 0, 0)
            )
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, data)
    return out.getvalue()


def _fix_core(data: bytes, stamp: Any) -> bytes:
    """openpyxl writes the save time as dcterms:modified whatever is set: pin it."""
    import re

    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(
        rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + iso + rb"\g<2>", data
    )


def _put(ws: Any, row: int, column: int, value: Any) -> Any:
    """Set a cell; text is always stored as text: openpyxl would store a string that
    starts with '=' as a formula, which Excel, WPS or LibreOffice would run."""
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if is_risky(value):
            cell.quotePrefix = True
    return cell


def _style_header(ws: Any, row: int, ncols: int) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="8C8C8C")
    for col in range(1, ncols + 1):
        cell = ws.cell(row=row, column=col)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        if cell.alignment.text_rotation != 255:
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _grid(ws: Any, first_row: int, last_row: int, ncols: int) -> None:
    from openpyxl.styles import Border, Side

    thin = Side(style="thin", color="BFBFBF")
    for row in ws.iter_rows(min_row=first_row, max_row=last_row, max_col=ncols):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)


def matrix_xlsx(matrix: Matrix) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "责任分工矩阵"
    ncols = 1 + len(matrix.columns) + 3
    _put(ws, 1, 1, matrix.title).font = Font(bold=True, size=14)
    _put(ws, 2, 1, f"{_subtitle(matrix)}。{legend(matrix)}。")
    header_row = 3
    headers = [
        "单位",
        *[f"{c.number} {c.title}" for c in matrix.columns],
        "牵头措施数",
        "配合措施数",
        "任务数",
    ]
    for col, text in enumerate(headers, 1):
        cell = _put(ws, header_row, col, text)
        if 1 < col <= 1 + len(matrix.columns):
            cell.alignment = Alignment(text_rotation=255, horizontal="center", vertical="top")
    _style_header(ws, header_row, ncols)
    ws.row_dimensions[header_row].height = 16 * max(
        (len(c.title) + len(str(c.number)) + 1 for c in matrix.columns), default=4
    )
    r_index = header_row
    for r in matrix.rows:
        r_index += 1
        _put(ws, r_index, 1, r.name)
        for i, c in enumerate(r.cells):
            cell = _put(ws, r_index, 2 + i, cell_text(c, with_tasks=matrix.with_tasks) or None)
            cell.alignment = Alignment(horizontal="center", vertical="center")
            fill = None
            if matrix.with_tasks and c.tasks and c.light:
                fill = XLSX_FILLS[c.light]
            elif c.role:
                fill = XLSX_FILLS[c.role]
            if fill:
                cell.fill = PatternFill("solid", fgColor=fill)
            if c.role == "lead":
                cell.font = Font(bold=True)
        for j, v in enumerate((r.led, r.co, r.tasks)):
            _put(ws, r_index, 2 + len(matrix.columns) + j, v)
    r_index += 1
    footer = _footer(matrix)
    for col, total in enumerate(footer, 1):
        cell = _put(ws, r_index, col, int(total) if col > 1 else total)
        cell.font = Font(bold=True)
        if col > 1:
            cell.alignment = Alignment(horizontal="center")
    _grid(ws, header_row + 1, r_index, ncols)
    ws.column_dimensions["A"].width = (
        max(_width_of(r.name) for r in matrix.rows) + 2 if matrix.rows else 20
    )
    cell_w = 9.5 if matrix.with_tasks else 4.5
    for i in range(len(matrix.columns)):
        ws.column_dimensions[get_column_letter(2 + i)].width = cell_w
    for j in range(3):
        ws.column_dimensions[get_column_letter(2 + len(matrix.columns) + j)].width = 7
    ws.freeze_panes = ws.cell(row=header_row + 1, column=2)
    ws.print_options.gridLines = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    return _workbook_bytes(wb, matrix.as_of)


# --- one department's sheet ------------------------------------------------------------------

SHEET_COLUMNS = ("编号", "任务", "角色", "截止", "状态", "进度", "最近报送", "灯", "原因")


def _sheet_title(sheet: DepartmentSheet) -> str:
    return f"{sheet.name} 部门责任清单"


def _sheet_summary(sheet: DepartmentSheet) -> str:
    lights = "，".join(
        f"{c.label}{sheet.lights[c]}项"
        for c in (Color.red, Color.yellow, Color.green)
        if sheet.lights[c]
    )
    parts = [
        f"{sheet.document}",
        f"牵头措施{sheet.led}项、配合措施{sheet.co}项",
        f"任务{sheet.tasks}项、已完成{sheet.done}项" + (f"（{lights}）" if lights else ""),
        f"截至{sheet.as_of.isoformat()}",
    ]
    return "；".join(parts)


def _measure_heading(m: Any) -> str:
    role = f"［{ROLE_LABELS[m.role]}］" if m.role else ""
    return f"措施{m.label}{m.title}{role}"


def _task_label(line: TaskLine) -> str:
    if line.level == "city":
        return f"└ {line.lead_short}"
    return line.label


def _date(d: Any) -> str:
    return d.isoformat() if d else "—"


def _sheet_values(line: TaskLine, role: str) -> list[str]:
    return [
        line.id,
        _task_label(line),
        ROLE_LABELS[role],
        _date(line.due_date),
        line.status_label,
        f"{line.percent}%",
        _date(line.last_report_date),
        line.light.label,
        line.reason,
    ]


def sheet_tables(sheet: DepartmentSheet) -> RenderableType:
    """One table per measure; each task on two lines: its name, then its light's reason."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from jsgj.render.tasks import LIGHT_DOTS
    from jsgj.render.tasks import LIGHT_STYLES as TASK_LIGHT_STYLES

    parts: list[RenderableType] = [
        Text(_sheet_title(sheet), style="bold"),
        Text("\n".join(_sheet_summary(sheet).split("；")), style="dim"),
    ]
    for m in sheet.measures:
        parts.append(Text(f"\n{_measure_heading(m)}", style="bold"))
        if not m.lines:
            parts.append(Text("暂无任务。", style="dim"))
            continue
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=0)
        table.add_column("编号", no_wrap=True)
        table.add_column("任务（灯的原因）", overflow="fold", ratio=1, min_width=16)
        table.add_column("角色", no_wrap=True)
        table.add_column("截止", no_wrap=True)
        table.add_column("状态", no_wrap=True)
        table.add_column("进度", justify="right", no_wrap=True)
        table.add_column("报送", no_wrap=True)
        table.add_column("灯", no_wrap=True)
        for line in m.lines:
            t = line.task
            label = Text(_task_label(t), style="" if line.counted else "italic")
            flagged = t.light in (Color.red, Color.yellow)
            label.append(f"\n{t.reason}", style=TASK_LIGHT_STYLES[t.light] if flagged else "dim")
            table.add_row(
                t.id,
                label,
                ROLE_LABELS[line.role],
                t.due_date.strftime("%y-%m-%d") if t.due_date else "—",
                t.status_label,
                f"{t.percent}%",
                t.last_report_date.strftime("%m-%d") if t.last_report_date else "—",
                Text(LIGHT_DOTS[t.light], style=TASK_LIGHT_STYLES[t.light]),
            )
        parts.append(table)
    parts.append(
        Text("报送：最近一次报送进展的日期。全省合计行只作汇总，不计入任务数。", style="dim")
    )
    return Group(*parts)


def sheet_markdown(sheet: DepartmentSheet) -> str:
    out = [f"# {md(_sheet_title(sheet))}", "", f"{md(_sheet_summary(sheet))}。", ""]
    for m in sheet.measures:
        out += [f"## {md(_measure_heading(m))}", ""]
        if not m.lines:
            out += ["暂无任务。", ""]
            continue
        rows = [[md(v) for v in _sheet_values(line.task, line.role)] for line in m.lines]
        out += [md_table(list(SHEET_COLUMNS), rows, "lllllrlll"), ""]
    out += ["说明：全省合计行（分解到设区市的任务）只作汇总，不计入任务数。", ""]
    return "\n".join(out)


def _sheet_rows(sheet: DepartmentSheet) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for m in sheet.measures:
        if not m.lines:
            rows.append([m.number, m.title, ROLE_LABELS.get(m.role or "", ""), *[""] * 12])
        for line in m.lines:
            t = line.task
            rows.append(
                [
                    m.number,
                    m.title,
                    ROLE_LABELS.get(m.role or "", ""),
                    t.id,
                    t.title,
                    {"task": "任务", "total": "全省合计", "city": "设区市"}[t.level],
                    t.lead_short,
                    ROLE_LABELS[line.role],
                    _date(t.start_date) if t.start_date else "",
                    _date(t.due_date) if t.due_date else "",
                    t.status_label,
                    t.percent,
                    _date(t.last_report_date) if t.last_report_date else "",
                    t.light.label,
                    t.reason,
                ]
            )
    return rows


SHEET_FLAT_HEADER = (
    "措施",
    "措施名称",
    "本单位在措施中的角色",
    "任务编号",
    "任务",
    "层级",
    "牵头单位",
    "本单位在任务中的角色",
    "开始",
    "截止",
    "状态",
    "进度(%)",
    "最近报送",
    "灯",
    "原因",
)


def sheet_csv(sheet: DepartmentSheet) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(SHEET_FLAT_HEADER)
    for row in _sheet_rows(sheet):
        w.writerow([csv_safe(v) if isinstance(v, str) else v for v in row])
    return buf.getvalue()


def sheet_html(sheet: DepartmentSheet) -> str:
    body = [
        f"<h1>{esc(_sheet_title(sheet))}</h1>",
        f'<p class="subtitle">{esc(_sheet_summary(sheet))}</p>',
    ]
    for m in sheet.measures:
        body.append(f"<h2>{esc(_measure_heading(m))}</h2>")
        if not m.lines:
            body.append('<p class="muted">暂无任务。</p>')
            continue
        body.append(
            "<table><thead><tr>"
            + "".join(f"<th>{esc(h)}</th>" for h in SHEET_COLUMNS)
            + "</tr></thead><tbody>"
        )
        for line in m.lines:
            t = line.task
            v = _sheet_values(t, line.role)
            style = "" if line.counted else ' class="muted"'
            body.append(
                f'<tr{style}><td class="nowrap">{esc(v[0])}</td><td>{esc(v[1])}</td>'
                f'<td class="c">{esc(v[2])}</td><td class="nowrap">{esc(v[3])}</td>'
                f'<td class="c">{esc(v[4])}</td><td class="num">{esc(v[5])}</td>'
                f'<td class="nowrap">{esc(v[6])}</td>'
                f'<td class="c"><span class="light {t.light.value}">{esc(v[7])}</span></td>'
                f"<td>{esc(v[8])}</td></tr>"
            )
        body.append("</tbody></table>")
    body.append(
        '<p class="small muted">说明：全省合计行（分解到设区市的任务）只作汇总，不计入任务数。</p>'
    )
    return page(_sheet_title(sheet), "\n".join(body) + "\n")


def sheet_xlsx(sheet: DepartmentSheet) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "部门责任清单"
    _put(ws, 1, 1, _sheet_title(sheet)).font = Font(bold=True, size=14)
    _put(ws, 2, 1, _sheet_summary(sheet))
    for col, h in enumerate(SHEET_FLAT_HEADER, 1):
        _put(ws, 3, col, h)
    _style_header(ws, 3, len(SHEET_FLAT_HEADER))
    rows = _sheet_rows(sheet)
    lights = {c.label: c for c in Color}
    for i, row in enumerate(rows, 4):
        for col, v in enumerate(row, 1):
            cell = _put(ws, i, col, v if v != "" else None)
            cell.alignment = Alignment(vertical="top", wrap_text=col in (2, 5, 15))
        light = lights.get(row[13])
        if light is not None:
            ws.cell(row=i, column=14).fill = PatternFill("solid", fgColor=XLSX_FILLS[light])
    _grid(ws, 4, 3 + len(rows), len(SHEET_FLAT_HEADER))
    widths = (6, 24, 10, 16, 30, 9, 10, 10, 11, 11, 8, 8, 11, 8, 30)
    for col, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = w
    ws.freeze_panes = "A4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "3:3"
    return _workbook_bytes(wb, sheet.as_of)
