"""`jsgj matrix`: the responsibility matrix (责任分工矩阵), and with --department one
department's sheet (部门责任清单)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from jsgj.cli.options import AsOfOption, KnownOnOption, complete_department, when
from jsgj.cli.output import FORMATS, OutputOption, check_format, deliver, format_help
from jsgj.cli.state import state
from jsgj.i18n import _

if TYPE_CHECKING:
    pass

MATRIX_FORMATS = FORMATS


def matrix(
    ctx: typer.Context,
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            help=_("Row order: document (as the document first names them) | kind | name | load."),
        ),
    ] = "document",
    measures: Annotated[
        str | None,
        typer.Option(
            "--measures",
            "-m",
            help=_("Only these measures: 1-9, 1,3,5 or 1-3,7 (default all 19)."),
            show_default=False,
        ),
    ] = None,
    with_tasks: Annotated[
        bool,
        typer.Option(
            "--tasks",
            help=_(
                "Overlay each cell with the department's tasks under the measure: "
                "done/total, coloured by the worst traffic light."
            ),
        ),
    ] = False,
    department: Annotated[
        str | None,
        typer.Option(
            "--department",
            "-d",
            help=_("One department's sheet (部门责任清单): its measures and tasks."),
            autocompletion=complete_department,
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOption = None,
    known_on: KnownOnOption = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help=format_help(MATRIX_FORMATS)),
    ] = "table",
    output: OutputOption = None,
) -> None:
    """Two views behind one command: with --department the one department's
    sheet (reports.matrix.build_sheet on the task states), else the whole matrix
    (views.matrix). Options are checked before the database is opened."""
    from jsgj.reports.matrix import SORTS, build_sheet, parse_measures

    chosen = check_format(fmt, MATRIX_FORMATS)
    if sort not in SORTS:
        from jsgj.errors import UsageError

        raise UsageError(
            _("--sort: unknown order {sort!r}; use one of {choices}").format(
                sort=sort, choices=", ".join(SORTS)
            )
        )
    st = state(ctx)
    catalog = st.catalog()
    numbers = parse_measures(measures, catalog)
    dept = catalog.resolve(department) if department else None
    moment = when(as_of, known_on)
    on = moment.on
    thresholds = st.thresholds()
    if dept is not None:
        from jsgj.render.matrix import build_sheet_document
        from jsgj.store.queries import task_states

        with st.store() as store:  # a missing database is refused, never created
            states = task_states(store, moment)
        sheet = build_sheet(catalog, dept, states, on, thresholds, measures=numbers)
        deliver(build_sheet_document(sheet), chosen, output)
        return
    from jsgj.render.matrix import build_matrix_document
    from jsgj.views import matrix as matrix_view

    with st.store() as store:
        built = matrix_view(
            store, moment, thresholds, measures=numbers, sort=sort, with_tasks=with_tasks
        )
    deliver(build_matrix_document(built), chosen, output)


def register(app: typer.Typer) -> None:
    app.command(
        "matrix",
        help=_(
            "Who is responsible for what: departments by measures, 牵 (lead) or 配 (co). "
            "The tasks come from the database (`jsgj db init` makes an empty one)."
        ),
    )(matrix)
