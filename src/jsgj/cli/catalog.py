"""`jsgj measures ...` and `jsgj departments ...`: browsing the catalogue."""

from __future__ import annotations

from typing import Annotated

import typer

from jsgj.cli.options import complete_department
from jsgj.cli.output import console, print_json
from jsgj.cli.state import state
from jsgj.i18n import _

measures_app = typer.Typer(help=_("Browse the 19 measures (措施)."), no_args_is_help=True)
departments_app = typer.Typer(
    help=_("Browse the responsible departments (责任单位)."), no_args_is_help=True
)

JsonOption = Annotated[bool, typer.Option("--json", help=_("Print JSON only (UTF-8)."))]


DepartmentArg = Annotated[
    str,
    typer.Argument(
        metavar=_("DEPARTMENT"),
        help=_("Department: id, name, full name or alias (e.g. hrss, 人社厅)."),
        autocompletion=complete_department,
        show_default=False,
    ),
]


@measures_app.command(
    "list", help=_("List the measures with their lead and co-responsible departments.")
)
def measures_list(
    ctx: typer.Context,
    section: Annotated[
        int | None,
        typer.Option("--section", help=_("Only this section, a number 1-5."), show_default=False),
    ] = None,
    department: Annotated[
        str | None,
        typer.Option(
            "--department",
            "-d",
            help=_("Only measures this department (id, name or alias) leads or co-owns."),
            autocompletion=complete_department,
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from jsgj.reports.catalog import measure_record

    catalog = state(ctx).catalog()
    chosen = list(catalog.measures)
    if section is not None:
        catalog.section(section)  # refuses an unknown section
        chosen = [m for m in chosen if m.section == section]
    if department is not None:
        dept = catalog.resolve(department)
        chosen = [m for m in chosen if catalog.role(m, dept.id) is not None]
    if as_json:
        print_json([measure_record(catalog, m) for m in chosen])
        return
    from jsgj.render.catalog import measures_table

    console().print(measures_table(catalog, chosen))


@measures_app.command(
    "show", help=_("Show one measure: its section, full text and responsible departments.")
)
def measures_show(
    ctx: typer.Context,
    number: Annotated[
        int,
        typer.Argument(metavar=_("NUMBER"), help=_("Measure number, 1-19."), show_default=False),
    ],
    as_json: JsonOption = False,
) -> None:
    from jsgj.reports.catalog import measure_record

    catalog = state(ctx).catalog()
    measure = catalog.measure(number)
    if as_json:
        print_json(measure_record(catalog, measure))
        return
    from jsgj.render.catalog import measure_panel

    console().print(measure_panel(catalog, measure))


@departments_app.command(
    "list",
    help=_("List every department, with its kind and how many measures it leads and co-owns."),
)
def departments_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    from jsgj.reports.catalog import department_record

    catalog = state(ctx).catalog()
    if as_json:
        print_json([department_record(catalog, d) for d in catalog.departments])
        return
    from jsgj.render.catalog import departments_table

    console().print(departments_table(catalog))


@departments_app.command(
    "show",
    help=_("Show a department: names, kind, and the measures it leads (牵头) and co-owns (配合)."),
)
def departments_show(
    ctx: typer.Context, department: DepartmentArg, as_json: JsonOption = False
) -> None:
    from jsgj.reports.catalog import department_record

    catalog = state(ctx).catalog()
    dept = catalog.resolve(department)
    if as_json:
        print_json(department_record(catalog, dept))
        return
    from jsgj.render.catalog import department_panel

    console().print(department_panel(catalog, dept))


@departments_app.command(
    "contacts",
    help=_(
        "List the contact persons (联络员) the departments named when they acknowledged "
        "their tasks (签收): the latest contact of each department, with its tasks."
    ),
)
def departments_contacts(
    ctx: typer.Context,
    department: Annotated[
        str | None,
        typer.Option(
            "--department",
            "-d",
            help=_("Only this department (id, name or alias)."),
            autocompletion=complete_department,
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from jsgj.store.contacts import contacts
    from jsgj.tasks.roles import name

    st = state(ctx)
    catalog = st.catalog()
    wanted = catalog.resolve(department).id if department else None
    with st.store() as store:
        found = [c for c in contacts(store) if wanted is None or c.department == wanted]
    if as_json:
        print_json([c.to_json() | {"name": name(catalog, c.department)} for c in found])
        return
    if not found:
        typer.echo(_("no department has named a contact yet (jsgj acknowledge --contact ...)"))
        return
    from rich.table import Table
    from rich.text import Text

    from jsgj.render.text import visible

    table = Table(title=_("联络员（签收时指定）"), title_justify="left")
    for header in ("单位", "联络员", "电话", "签收日期", "任务"):
        table.add_column(header, overflow="fold")
    for c in found:
        table.add_row(
            name(catalog, c.department),
            Text(visible(c.contact_name)),
            Text(visible(c.contact_phone or "—")),
            c.acknowledged_on.isoformat(),
            "、".join(c.tasks),
        )
    console().print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(measures_app, name="measures")
    app.add_typer(departments_app, name="departments")
