"""`jsgj indicators list|record|show`: the document's targets as tracked indicators."""

from __future__ import annotations

from typing import Annotated

import typer

from jsgj.cli.options import (
    AsOfOption,
    JsonOption,
    KnownOnOption,
    complete_department,
    complete_indicator,
    when,
)
from jsgj.cli.output import console, print_json
from jsgj.cli.state import state
from jsgj.i18n import _

indicators_app = typer.Typer(
    help=_("The document's targets as tracked indicators (指标监测)."), no_args_is_help=True
)

IndicatorArg = Annotated[
    str,
    typer.Argument(
        metavar=_("INDICATOR"),
        help=_("Indicator id (see `jsgj indicators list`)."),
        autocompletion=complete_indicator,
        show_default=False,
    ),
]


@indicators_app.command(
    "list", help=_("Every indicator with its target, latest province-wide value and status.")
)
def indicators_list(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    known_on: KnownOnOption = None,
    as_json: JsonOption = False,
) -> None:
    """Each indicator's series is read on both time axes (--as-of, --known-on)
    and summarised by reports.indicators; the status rule lives there, not here."""
    from jsgj.reports.indicators import summarise, summary_record
    from jsgj.store.indicators import series

    st = state(ctx)
    catalog = st.catalog()
    indicators = st.indicators()
    axes = when(as_of, known_on)
    with st.store() as store:
        summaries = [
            summarise(catalog, ind, series(store, ind.id, axes), axes.on)
            for ind in indicators.indicators
        ]
    if as_json:
        print_json([summary_record(s) for s in summaries])
        return
    from jsgj.cli.output import page, terminal_width, wants_colour
    from jsgj.render.indicators import indicators_table

    page(indicators_table(summaries, width=terminal_width(), colour=wants_colour()))


@indicators_app.command(
    "record", help=_("Record one observation (appended, never overwritten); prints its id.")
)
def indicators_record(
    ctx: typer.Context,
    indicator: IndicatorArg,
    value: Annotated[
        str,
        typer.Argument(
            metavar=_("VALUE"), help=_("The value, in the indicator's unit."), show_default=False
        ),
    ],
    date: Annotated[
        str,
        typer.Option(
            "--date", help=_("The date the value is for, YYYY-MM-DD."), show_default=False
        ),
    ],
    source: Annotated[
        str,
        typer.Option(
            "--source",
            help=_("Where the figure comes from (统计公报, 文件号 ...)."),
            show_default=False,
        ),
    ],
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            help=_("A city government (default: the whole province)."),
            autocompletion=complete_department,
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """The value is parsed against the indicator's unit before the database is
    opened (store.indicators.parse_value), so a typo never takes the write lock."""
    from jsgj.store.indicators import parse_value, record_observation, resolve_region
    from jsgj.values import parse_date

    st = state(ctx)
    ind = st.indicators().get(indicator)
    number = parse_value(value, ind)
    day = parse_date(date, where="--date")
    with st.store(write=True) as store:
        where = resolve_region(store, region)
        row = record_observation(store, ind, number, observed_on=day, region=where, source=source)
    if as_json:
        print_json(
            {
                "id": row,
                "indicator": ind.id,
                "region": where,
                "date": day.isoformat(),
                "value": number,
                "unit": ind.unit,
                "source": source.strip(),
            }
        )
        return
    typer.echo(f"#{row}")


@indicators_app.command(
    "show",
    help=_("One indicator: its series per region, the target and the status, with a chart."),
)
def indicators_show(
    ctx: typer.Context,
    indicator: IndicatorArg,
    as_of: AsOfOption = None,
    known_on: KnownOnOption = None,
    as_json: JsonOption = False,
) -> None:
    """The same summary as `indicators list` (reports.indicators.summarise), one
    indicator with its series by region; render.indicators draws the chart."""
    from jsgj.reports.indicators import summarise, summary_record
    from jsgj.store.indicators import series

    st = state(ctx)
    catalog = st.catalog()
    ind = st.indicators().get(indicator)
    axes = when(as_of, known_on)
    with st.store() as store:
        summary = summarise(catalog, ind, series(store, ind.id, axes), axes.on)
    if as_json:
        print_json(summary_record(summary))
        return
    from jsgj.render.indicators import indicator_detail

    console().print(indicator_detail(summary))


def register(app: typer.Typer) -> None:
    app.add_typer(indicators_app, name="indicators")
