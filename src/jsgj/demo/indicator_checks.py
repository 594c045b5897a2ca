"""The checks of data/demo/indicators.yaml beyond its schema (X007, and X004 for a
source's placeholders): its years and publication date against the demo's calendar,
each series against data/indicators.yaml, its regions and values. Apart from the plans'
checks because it is another file with other rules; the entry points are in
jsgj.demo.checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from jsgj.demo.plan_checks import Key, placeholders
from jsgj.demo.plans import Demo, fields_of
from jsgj.errors import JsgjError, NotFoundError, Problem
from jsgj.i18n import _

if TYPE_CHECKING:
    from jsgj.catalog.catalog import Catalog
    from jsgj.catalog.indicators import IndicatorsFile


def check_indicators(
    demo: Demo, catalog: Catalog, known: IndicatorsFile | None
) -> Iterator[Problem]:
    """``known``: data/indicators.yaml, or None when it cannot be read (then that file's
    own problems are what `jsgj validate` reports)."""
    from jsgj.store.indicators import PROVINCE, parse_value

    loaded = demo.indicators_file
    data = loaded.data
    if any(b <= a for a, b in zip(data.years, data.years[1:], strict=False)):
        yield loaded.problem("X007", _("years must rise"), "years")
    last_year_end = dt.date(data.years[0], 12, 31)
    if not last_year_end < data.published <= demo.calendar.as_of:
        yield loaded.problem(
            "X007",
            _("published {published} must lie after {year_end} and by the demo's as_of").format(
                published=data.published, year_end=last_year_end
            ),
            "published",
        )
    cities = {d.id for d in catalog.departments if catalog.group_of(d.id) is not None}
    for s, series in enumerate(data.series):
        at: Key = ("series", s)
        if known is None:
            continue
        try:
            indicator = known.get(series.indicator)
        except NotFoundError as e:
            yield loaded.problem("X007", str(e), *at, "indicator")
            continue
        if not fields_of(series.source) <= {"year", "where"}:
            yield loaded.problem(
                "X004", placeholders(series.source, frozenset({"year", "where"})), *at, "source"
            )
        for region, values in series.values.items():
            if region != PROVINCE and region not in cities:
                yield loaded.problem(
                    "X007",
                    _("region {region} is neither {province} nor a city").format(
                        region=repr(region), province=PROVINCE
                    ),
                    *at,
                    "values",
                    region,
                )
            if len(values) != len(data.years):
                yield loaded.problem(
                    "X007",
                    _("{region}: {values} values for {years} years").format(
                        region=region, values=len(values), years=len(data.years)
                    ),
                    *at,
                    "values",
                    region,
                )
            for j, value in enumerate(values):
                try:
                    parse_value(repr(value), indicator)
                except JsgjError as e:
                    yield loaded.problem("X007", str(e), *at, "values", region, j)
