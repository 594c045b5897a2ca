"""`jsgj report weekly`: the weekly report (周报), for a person or a cron job, and
``emit``, how every report reaches stdout or a file."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated

import typer

from jsgj.cli.options import AsOfOption, KnownOnOption, when
from jsgj.cli.state import state

report_app = typer.Typer(help="Reports for the office's leaders (周报).", no_args_is_help=True)

WEEKLY_FORMATS = ("markdown", "html", "json")

OutputOption = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file (atomically: temp file, then rename) instead of stdout. "
        "{date}, {year} and {week} are replaced by the as-of date, its ISO year and "
        "two-digit ISO week, e.g. '周报-{year}-W{week}.html'.",
        show_default=False,
    ),
]


def check_format(value: str, choices: tuple[str, ...]) -> str:
    from jsgj.errors import UsageError

    chosen = value.strip().lower()
    aliases = {"md": "markdown", "htm": "html", "excel": "xlsx", "text": "table"}
    chosen = aliases.get(chosen, chosen)
    if chosen not in choices:
        raise UsageError(f"--format: unknown format {value!r}; use one of {', '.join(choices)}")
    return chosen


def emit(data: str | bytes, output: str | None, on: dt.date) -> None:
    """Text or bytes to stdout, or atomically to ``output`` (placeholders filled).
    Nothing is printed on success when writing a file, unless stderr is a terminal:
    cron mails any output."""
    if output is None or output == "-":
        if isinstance(data, bytes):
            if sys.stdout.isatty():
                from jsgj.errors import UsageError

                raise UsageError(
                    "xlsx is a binary format: give --output FILE.xlsx or redirect stdout"
                )
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        from jsgj.cli.output import write

        write(data)
        return
    from jsgj.render.files import write_output

    blob = data.encode("utf-8") if isinstance(data, str) else data
    path = write_output(output, blob, on)
    if sys.stderr.isatty():
        typer.echo(f"已写入 {path}", err=True)


@report_app.command("weekly")
def weekly(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    known_on: KnownOnOption = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help="markdown | html | json.", show_default=True),
    ] = "markdown",
    output: OutputOption = None,
) -> None:
    """The weekly report for the ISO week containing the as-of date: counts by status
    and light, each measure, this week's reports, the chase list (催办清单), deadlines
    in the next days and each department. Same database and --as-of, same bytes."""
    from jsgj.reports.weekly import weekly_report

    chosen = check_format(fmt, WEEKLY_FORMATS)
    st = state(ctx)
    moment = when(as_of, known_on)
    on = moment.on
    thresholds = st.thresholds()
    if not st.db_path.exists():
        # Never report on a fresh empty file: under cron a wrong --db must fail loudly.
        from jsgj.errors import StoreError

        raise StoreError(f"{st.db_path}: no such database (give --db PATH or set JSGJ_DB)")
    with st.store() as store:
        report = weekly_report(store, moment, thresholds, st.indicators())
    if chosen == "json":
        from jsgj.cli.output import print_json, to_json
        from jsgj.reports.weekly import weekly_record

        record = weekly_record(report)
        if output is None or output == "-":
            print_json(record)  # streamed: a province's report is never whole in memory
            return
        text = to_json(record) + "\n"
    elif chosen == "html":
        from jsgj.render.weekly_html import weekly_html

        text = weekly_html(report)
    else:
        from jsgj.render.weekly_md import weekly_markdown

        text = weekly_markdown(report)
    emit(text, output, on)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
