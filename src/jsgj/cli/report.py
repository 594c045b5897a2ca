"""`jsgj report weekly`: the weekly report (周报), for a person or a cron job."""

from __future__ import annotations

from typing import Annotated

import typer

from jsgj.cli import collector_paused
from jsgj.cli.options import AsOfOption, KnownOnOption, when
from jsgj.cli.output import OutputOption, check_format, deliver, format_help
from jsgj.cli.state import state
from jsgj.i18n import _

report_app = typer.Typer(help=_("Reports for the office's leaders (周报)."), no_args_is_help=True)

WEEKLY_FORMATS = ("markdown", "html", "docx", "json", "table")


@report_app.command(
    "weekly",
    help=_(
        "The weekly report for the ISO week containing the as-of date: counts by status "
        "and light, each measure, this week's reports, the chase list (催办清单), deadlines "
        "in the next days and each department, under the masthead of data/office.yaml. Its "
        "footer names the moment it was computed: given back as --known-on (with the same "
        "--as-of) it reproduces the report byte for byte."
    ),
)
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
    """Options are parsed before the database is opened (a wrong date is a usage
    error, exit 2); views.weekly_report gathers the data. For JSON the document is built
    without its text sections (text=False): they only repeat the data, at a cost. The
    garbage collector waits meanwhile (``collector_paused``)."""
    from jsgj.render.weekly_document import build_weekly_document
    from jsgj.views import weekly_report

    chosen = check_format(fmt, WEEKLY_FORMATS)
    st = state(ctx)
    moment = when(as_of, known_on)
    thresholds = st.thresholds()
    office = st.office()
    with collector_paused():
        with st.store() as store:  # reading never creates: a wrong --db fails loudly
            report = weekly_report(store, moment, thresholds, st.indicators())
        deliver(build_weekly_document(report, office, text=chosen != "json"), chosen, output)


MONTHLY_FORMATS = ("markdown", "html", "docx", "json", "table")


@report_app.command(
    "monthly",
    help=_(
        "The monthly 通报: per department, as 牵头 and as 配合 apart, tasks, 办结 rate, "
        "on-time reporting rate, overdue tasks and days, claims returned at review; a 考核 "
        "score by the weights of data/scoring.yaml (JSGJ_SCORING), the ranking, and the "
        "named 表扬 and 通报 lists. Counted to --as-of (a day of the month; default its last "
        "day); its footer names the moment it was computed: given back as --known-on it "
        "reproduces the 通报 byte for byte."
    ),
)
def monthly(
    ctx: typer.Context,
    month: Annotated[
        str,
        typer.Option("--month", help=_("The month, YYYY-MM, e.g. 2025-06."), show_default=False),
    ],
    as_of: AsOfOption = None,
    known_on: KnownOnOption = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help=format_help(MONTHLY_FORMATS), show_default=True),
    ] = "markdown",
    output: OutputOption = None,
) -> None:
    """--month and --as-of are checked before the database is opened
    (Month.cut refuses an --as-of outside the month); the scoring file's name is
    passed on so the 通报 can say which weights it used."""
    from jsgj.errors import UsageError
    from jsgj.paths import scoring_path
    from jsgj.render.monthly import build_monthly_document
    from jsgj.reports.monthly import Month
    from jsgj.views import monthly_report

    chosen = check_format(fmt, MONTHLY_FORMATS)
    try:
        which = Month.parse(month)
    except ValueError:
        raise UsageError(
            _("--month {month}: give a month as YYYY-MM, e.g. 2025-06").format(month=month)
        ) from None
    st = state(ctx)
    moment = when(as_of, known_on)
    which.cut(moment)  # a wrong --as-of is a usage error before the database is opened
    thresholds = st.thresholds()
    scoring = st.scoring()
    office = st.office()
    source = scoring_path()
    with st.store() as store:
        report = monthly_report(store, which, moment, thresholds, scoring, source.name)
    deliver(build_monthly_document(report, office), chosen, output)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
