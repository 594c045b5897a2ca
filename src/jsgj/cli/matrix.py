"""`jsgj matrix`: the responsibility matrix (责任分工矩阵), and with --department one
department's sheet (部门责任清单)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

from jsgj.cli.catalog import complete_department
from jsgj.cli.options import AsOfOption, KnownOnOption, when
from jsgj.cli.report import OutputOption, check_format, emit
from jsgj.cli.state import state

if TYPE_CHECKING:
    from rich.console import RenderableType

    from jsgj.tasks.records import TaskState

MATRIX_FORMATS = ("table", "csv", "markdown", "json", "html", "xlsx")


def matrix(
    ctx: typer.Context,
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            help="Row order: document (as the document first names them) | kind | name | load.",
        ),
    ] = "document",
    measures: Annotated[
        str | None,
        typer.Option(
            "--measures",
            "-m",
            help="Only these measures: 1-9, 1,3,5 or 1-3,7 (default all 19).",
            show_default=False,
        ),
    ] = None,
    with_tasks: Annotated[
        bool,
        typer.Option(
            "--tasks",
            help="Overlay each cell with the department's tasks under the measure: "
            "done/total, coloured by the worst traffic light.",
        ),
    ] = False,
    department: Annotated[
        str | None,
        typer.Option(
            "--department",
            "-d",
            help="One department's sheet (部门责任清单): its measures and tasks.",
            autocompletion=complete_department,
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOption = None,
    known_on: KnownOnOption = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help="table | csv | markdown | json | html | xlsx."),
    ] = "table",
    output: OutputOption = None,
) -> None:
    """Who is responsible for what: departments by measures, 牵 (lead) or 配 (co).
    Works from the data files alone; the task columns need a database."""
    from jsgj.reports.matrix import SORTS, build_matrix, build_sheet, parse_measures

    chosen = check_format(fmt, MATRIX_FORMATS)
    if sort not in SORTS:
        from jsgj.errors import UsageError

        raise UsageError(f"--sort: unknown order {sort!r}; use one of {', '.join(SORTS)}")
    st = state(ctx)
    catalog = st.catalog()
    numbers = parse_measures(measures, catalog)
    dept = catalog.resolve(department) if department else None
    moment = when(as_of, known_on)
    on = moment.on
    thresholds = st.thresholds()
    states: list[TaskState] = []
    if st.db_path.exists():  # the matrix itself needs no database: never create one
        from jsgj.store.queries import task_states

        with st.store() as store:
            states = task_states(store, moment)

    if dept is not None:
        sheet = build_sheet(catalog, dept, states, on, thresholds, measures=numbers)
        from jsgj.render import matrix as r

        if chosen == "table":
            _print(r.sheet_tables(sheet), output, on)
            return
        if chosen == "json":
            from jsgj.cli.output import to_json
            from jsgj.reports.matrix import sheet_record

            emit(to_json(sheet_record(sheet)) + "\n", output, on)
            return
        if chosen == "csv":
            emit(_bom(chosen, output) + r.sheet_csv(sheet), output, on)
        elif chosen == "markdown":
            emit(r.sheet_markdown(sheet), output, on)
        elif chosen == "html":
            emit(r.sheet_html(sheet), output, on)
        else:
            emit(r.sheet_xlsx(sheet), output, on)
        return

    built = build_matrix(
        catalog, states, on, thresholds, measures=numbers, sort=sort, with_tasks=with_tasks
    )
    from jsgj.render import matrix as r

    if chosen == "table":
        from jsgj.cli.output import console

        _print(r.matrix_tables(built, console()), output, on)
        return
    if chosen == "json":
        from jsgj.cli.output import to_json
        from jsgj.reports.matrix import matrix_record

        emit(to_json(matrix_record(built)) + "\n", output, on)
        return
    if chosen == "csv":
        emit(_bom(chosen, output) + r.matrix_csv(built), output, on)
        return
    if chosen == "markdown":
        emit(r.matrix_markdown(built), output, on)
    elif chosen == "html":
        emit(r.matrix_html(built), output, on)
    else:
        emit(r.matrix_xlsx(built), output, on)


def _bom(fmt: str, output: str | None) -> str:
    """A CSV file gets a byte-order mark so that Excel reads it as UTF-8 (Chinese
    otherwise shows as mojibake); stdout gets none, for pipes."""
    return "\ufeff" if fmt == "csv" and output not in (None, "-") else ""


def _print(renderable: RenderableType, output: str | None, on: dt.date) -> None:
    """A rich renderable to the terminal, or as plain text (no colour) to a file."""
    from jsgj.cli.output import console

    if output is None or output == "-":
        console().print(renderable)
        return
    import io

    from rich.console import Console

    buf = io.StringIO()
    Console(
        file=buf, width=console().width, color_system=None, highlight=False, soft_wrap=False
    ).print(renderable)
    emit(buf.getvalue(), output, on)


def register(app: typer.Typer) -> None:
    app.command("matrix")(matrix)
