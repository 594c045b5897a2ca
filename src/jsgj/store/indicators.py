"""Indicator observations: appended like progress reports, read as series."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from typing import TYPE_CHECKING

from jsgj.catalog.indicators import Indicator
from jsgj.errors import JsgjError
from jsgj.i18n import _
from jsgj.indicator_status import Observation
from jsgj.store.db import Store
from jsgj.store.events import append
from jsgj.values import now, os_user, today

if TYPE_CHECKING:
    from jsgj.tasks.when import When

PROVINCE = "province"
PROVINCE_LABEL = "全省"


def parse_value(text: str, indicator: Indicator) -> float:
    """A finite number; for a percentage, within 0-100."""
    try:
        value = float(text.strip().rstrip("%"))
    except ValueError:
        raise JsgjError(_("value {text!r} is not a number").format(text=text)) from None
    if not math.isfinite(value):
        raise JsgjError(_("value {text!r} is not a finite number").format(text=text))
    if indicator.is_percent and not 0 <= value <= 100:
        raise JsgjError(
            _("{name} is a percentage: {value:g} is outside 0-100").format(
                name=indicator.name, value=value
            )
        )
    if value < 0:
        raise JsgjError(
            _("{name} cannot be negative ({value:g})").format(name=indicator.name, value=value)
        )
    return value


def resolve_region(store: Store, text: str | None) -> str:
    """'province' (全省, the default) or one of the 13 city governments."""
    if text is None or text.strip() in (PROVINCE, PROVINCE_LABEL, "江苏省"):
        return PROVINCE
    department = store.catalog.resolve(text)
    group = store.catalog.group_of(department.id)
    if group is None:
        raise JsgjError(
            _(
                "region {text!r} is not a city: use one of the 13 city governments or {province}"
            ).format(text=text, province=PROVINCE)
        )
    return department.id


def record_observation(
    store: Store,
    indicator: Indicator,
    value: float,
    *,
    observed_on: dt.date,
    region: str = PROVINCE,
    source: str,
) -> int:
    source = source.strip()
    if not source:
        raise JsgjError(_("--source must not be empty: say where the figure comes from"))
    if observed_on > today():
        raise JsgjError(_("date {day} is in the future").format(day=observed_on))

    def run() -> int:
        return append(
            store,
            "indicator_observations",
            {
                "indicator": indicator.id,
                "region": region,
                "observed_on": observed_on.isoformat(),
                "value": value,
                "source": source,
                "recorded_at": now().isoformat(timespec="microseconds"),
                "recorded_on": today().isoformat(),
                "os_user": os_user(),
            },
        )

    return store.write(run)


def series(
    store: Store, indicator_id: str, when: When | dt.date | None = None
) -> dict[str, list[Observation]]:
    """Region -> observations in date order on the two time axes of ``when``: as-of D
    keeps what was observed on or before D, known-on K what had been recorded by K (a
    date or a timestamp). A plain date is the view as seen on that date, both axes on it
    (``queries.as_when``). When one date was recorded twice for a region, the later
    record stands (a correction)."""
    from jsgj.store.queries import as_when

    when = as_when(when)
    p = when.params()
    kt = "AND recorded_at <= :kt" if when.by_timestamp else ""
    rows = store.db.execute(
        f"""SELECT region, observed_on, value FROM indicator_observations
           WHERE indicator = :i AND recorded_on <= :kd {kt} AND observed_on <= :d
           ORDER BY region, observed_on, id""",
        {**p, "i": indicator_id},
    ).fetchall()
    latest: dict[tuple[str, str], float] = {}
    for region, observed_on, value in rows:
        latest[(region, observed_on)] = value
    out: dict[str, list[Observation]] = defaultdict(list)
    for (region, observed_on), value in latest.items():
        out[region].append(Observation(dt.date.fromisoformat(observed_on), value))
    return dict(out)
