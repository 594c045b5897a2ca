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
    in the next days and each department, under the masthead of data/office.yaml. Its
    footer names the moment it was computed: given back as --known-on (with the same
    --as-of) it reproduces the report byte for byte."""
    from jsgj.render.weekly import build_weekly_document
    from jsgj.views import weekly_report

    chosen = check_format(fmt, WEEKLY_FORMATS)
    st = state(ctx)
    moment = when(as_of, known_on)
    thresholds = st.thresholds()
    office = st.office()
    with st.store() as store:  # reading never creates: a wrong --db fails loudly
        report = weekly_report(store, moment, thresholds, st.indicators())
    deliver(build_weekly_document(report, office), chosen, output)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
