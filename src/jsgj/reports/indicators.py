"""Indicators with their series and status, as plain records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from jsgj.catalog.catalog import Catalog
from jsgj.catalog.indicators import Indicator
from jsgj.indicator_status import Assessment, Observation, assess

PROVINCE = "province"


@dataclass(frozen=True, slots=True)
class RegionSeries:
    region: str
    label: str
    observations: tuple[Observation, ...]
    assessment: Assessment


@dataclass(frozen=True, slots=True)
class IndicatorSummary:
    indicator: Indicator
    on: dt.date
    regions: tuple[RegionSeries, ...]
    """The province first, then cities in the document's order."""

    @property
    def province(self) -> RegionSeries | None:
        return next((r for r in self.regions if r.region == PROVINCE), None)


def summarise(
    catalog: Catalog,
    indicator: Indicator,
    series: dict[str, list[Observation]],
    on: dt.date,
    *,
    always_province: bool = True,
) -> IndicatorSummary:
    order = [PROVINCE] + [d.id for d in catalog.departments if catalog.group_of(d.id)]
    regions = []
    for region in order:
        obs = series.get(region, [])
        if not obs and not (always_province and region == PROVINCE):
            continue
        label = "全省" if region == PROVINCE else catalog.department(region).short
        regions.append(RegionSeries(region, label, tuple(obs), assess(indicator, obs, on)))
    return IndicatorSummary(indicator, on, tuple(regions))


def summary_record(s: IndicatorSummary) -> dict[str, Any]:
    ind = s.indicator
    return {
        "id": ind.id,
        "name": ind.name,
        "unit": ind.unit,
        "direction": ind.direction.value,
        "target": ind.target,
        "deadline": ind.deadline.isoformat() if ind.deadline else None,
        "target_text": ind.target_text(),
        "measure": ind.measure,
        "sentence": ind.sentence,
        "as_of": s.on.isoformat(),
        "regions": [
            {
                "region": r.region,
                "label": r.label,
                "status": r.assessment.status.value,
                "status_label": r.assessment.status.label,
                "reason": r.assessment.reason,
                "latest": r.assessment.latest.value if r.assessment.latest else None,
                "projected": r.assessment.projected,
                "series": [{"date": o.date.isoformat(), "value": o.value} for o in r.observations],
            }
            for r in s.regions
        ],
    }
