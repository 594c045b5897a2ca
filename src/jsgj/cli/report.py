"""`jsgj report weekly`: the weekly report (周报), for a person or a cron job."""

from __future__ import annotations

from typing import Annotated

import typer

from jsgj.cli.options import AsOfOption, KnownOnOption, when
from jsgj.cli.output import OutputOption, check_format, deliver, format_help
from jsgj.cli.state import state

report_app = typer.Typer(help="Reports for the office's leaders (周报).", no_args_is_help=True)

WEEKLY_FORMATS = ("markdown", "html", "docx", "json", "table")


@report_app.command("weekly")
def weekly(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    known_on: KnownOnOption = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help=format_help(WEEKLY_FORMATS), show_default=True),
    ] = "markdown",
    output: OutputOption = None,
) -> None:
    """The weekly report for the ISO week containing the as-of date: counts by status
    and light, each measure, this week's reports, the chase list (催办清单), deadlines
    in the next days and each department, under the masthead of data/office.yaml.
    Same database and --as-of, same bytes."""
    from jsgj.render.weekly import build_weekly_document
    from jsgj.reports.weekly import weekly_report

    chosen = check_format(fmt, WEEKLY_FORMATS)
    st = state(ctx)
    moment = when(as_of, known_on)
    thresholds = st.thresholds()
    office = st.office()
    if not st.db_path.exists():
        # Never report on a fresh empty file: under cron a wrong --db must fail loudly.
        from jsgj.errors import StoreError
        from jsgj.i18n import _

        raise StoreError(
            _("{path}: no such database (give --db PATH or set JSGJ_DB)").format(path=st.db_path)
        )
    with st.store() as store:
        report = weekly_report(store, moment, thresholds, st.indicators())
    deliver(build_weekly_document(report, office), chosen, output)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
