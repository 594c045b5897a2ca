"""Rich renderables for measures and departments. Chinese labels; narrow enough for
an 80-column terminal (departments by their short form, text wrapped)."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from jsgj.catalog.catalog import Catalog
from jsgj.catalog.models import KIND_LABELS, Department, Measure


def _short(catalog: Catalog, ids: Sequence[str]) -> str:
    return "、".join(catalog.department(i).short for i in ids)


def measures_table(catalog: Catalog, measures: Sequence[Measure]) -> Table:
    table = Table(
        title=f"{catalog.document.number} 措施清单（{len(measures)}项）",
        box=box.SIMPLE_HEAD,
        show_lines=False,
        pad_edge=False,
    )
    table.add_column("编号", justify="right", no_wrap=True)
    table.add_column("篇", no_wrap=True)
    table.add_column("措施", ratio=3, overflow="fold")
    table.add_column("牵头", no_wrap=True)
    table.add_column("配合", ratio=2, overflow="fold")
    for m in measures:
        ids = catalog.department_ids(m)
        table.add_row(
            str(m.number),
            catalog.section(m.section).label,
            m.title,
            catalog.department(ids[0]).short,
            _short(catalog, ids[1:]) or "—",
        )
    return table


def measure_panel(catalog: Catalog, measure: Measure) -> Panel:
    ids = catalog.department_ids(measure)
    section = catalog.section(measure.section)
    head = Table.grid(padding=(0, 1))
    head.add_column(style="bold", no_wrap=True)
    head.add_column(overflow="fold")
    head.add_row("所属", f"{section.label}、{section.title}")
    head.add_row("牵头单位", catalog.department(ids[0]).name)
    head.add_row("配合单位", "、".join(catalog.department(i).name for i in ids[1:]) or "—")
    body: list[RenderableType] = [head, Text(""), Text(measure.text)]
    return Panel(
        Group(*body),
        title=f"措施{measure.label}{measure.title}",
        title_align="left",
        box=box.ROUNDED,
    )


def departments_table(catalog: Catalog) -> Table:
    table = Table(title="责任单位", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("代码", no_wrap=True)
    table.add_column("名称", overflow="fold")
    table.add_column("类别", no_wrap=True)
    table.add_column("牵头", justify="right", no_wrap=True)
    table.add_column("配合", justify="right", no_wrap=True)
    for d in catalog.departments:
        led, co = catalog.measures_of(d.id)
        group = catalog.group_of(d.id)
        name = f"  {d.name}" if group else d.name
        table.add_row(d.id, name, KIND_LABELS[d.kind], str(len(led)), str(len(co)))
    return table


def department_panel(catalog: Catalog, department: Department) -> Panel:
    led, co = catalog.measures_of(department.id)
    group = catalog.group_of(department.id)
    head = Table.grid(padding=(0, 1))
    head.add_column(style="bold", no_wrap=True)
    head.add_column(overflow="fold")
    head.add_row("代码", department.id)
    head.add_row("全称", department.full_name)
    head.add_row("简称", "、".join(department.aliases) or "—")
    head.add_row("类别", KIND_LABELS[department.kind])
    if department.members:
        head.add_row("成员", "、".join(catalog.department(m).short for m in department.members))
    if group:
        head.add_row("所属", f"{group.name}（通过其承担责任）")
    head.add_row("牵头", f"{len(led)}项措施")
    head.add_row("配合", f"{len(co)}项措施")
    rows = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    rows.add_column("编号", justify="right", no_wrap=True)
    rows.add_column("角色", no_wrap=True)
    rows.add_column("措施", overflow="fold")
    for m in catalog.measures:
        role = catalog.role(m, department.id)
        if role:
            rows.add_row(str(m.number), "牵头" if role == "lead" else "配合", m.title)
    return Panel(
        Group(head, rows),
        title=department.name,
        title_align="left",
        box=box.ROUNDED,
    )
