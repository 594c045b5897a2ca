"""Indicator status: pure functions of an indicator, its observations and a date.

met: the latest value satisfies the target. on track: a straight line from the first
observation through the latest reaches the target by the deadline. off track:
otherwise (including a deadline passed unmet, or one observation short of the target).
no data: nothing observed yet. monitored: the document sets no target value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from jsgj.catalog.indicators import Indicator
from jsgj.catalog.models import Direction


class IndicatorStatus(StrEnum):
    met = "met"
    on_track = "on_track"
    off_track = "off_track"
    no_data = "no_data"
    monitored = "monitored"

    @property
    def label(self) -> str:
        return {
            "met": "已达标",
            "on_track": "按期可达",
            "off_track": "进度滞后",
            "no_data": "暂无数据",
            "monitored": "监测中",
        }[self.value]


@dataclass(frozen=True, slots=True)
class Observation:
    date: dt.date
    value: float


@dataclass(frozen=True, slots=True)
class Assessment:
    status: IndicatorStatus
    reason: str
    latest: Observation | None
    projected: float | None = None


def satisfies(indicator: Indicator, value: float) -> bool:
    assert indicator.target is not None
    if indicator.direction is Direction.at_most:
        return value <= indicator.target
    return value >= indicator.target  # at_least and reach are both judged from below


def fmt(indicator: Indicator, value: float) -> str:
    return f"{value:.1f}{indicator.unit}" if indicator.is_percent else f"{value:g}{indicator.unit}"


def assess(indicator: Indicator, observations: Sequence[Observation], on: dt.date) -> Assessment:
    """Status of ``indicator`` on ``on`` from observations dated on or before it."""
    series = sorted((o for o in observations if o.date <= on), key=lambda o: o.date)
    if not series:
        return Assessment(IndicatorStatus.no_data, "暂无观测数据", None)
    first, latest = series[0], series[-1]
    now = f"最新值{fmt(indicator, latest.value)}（{latest.date}）"
    if indicator.target is None or indicator.deadline is None:
        return Assessment(IndicatorStatus.monitored, now, latest)
    target = f"{fmt(indicator, indicator.target)}"
    if satisfies(indicator, latest.value):
        return Assessment(IndicatorStatus.met, f"{now}，已达到目标{target}", latest)
    if latest.date >= indicator.deadline or on > indicator.deadline:
        return Assessment(
            IndicatorStatus.off_track, f"{now}，截止{indicator.deadline}未达到目标{target}", latest
        )
    if len(series) < 2 or latest.date == first.date:
        return Assessment(
            IndicatorStatus.off_track, f"{now}，未达目标{target}，仅一期数据无法推算趋势", latest
        )
    slope = (latest.value - first.value) / (latest.date - first.date).days
    projected = first.value + slope * (indicator.deadline - first.date).days
    expect = f"按趋势{indicator.deadline}可达{fmt(indicator, projected)}"
    if satisfies(indicator, projected):
        return Assessment(
            IndicatorStatus.on_track, f"{now}，{expect}，目标{target}", latest, projected
        )
    return Assessment(
        IndicatorStatus.off_track, f"{now}，{expect}，低于目标{target}", latest, projected
    )
