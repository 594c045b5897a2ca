"""Traffic lights (红黄绿灯): every rule of status.light at its boundaries."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from jsgj.errors import DataFileError
from jsgj.status import (
    Color,
    Thresholds,
    days_since_report,
    expected_percent,
    light,
    load_thresholds,
)
from jsgj.store.records import TaskState
from jsgj.values import Status

T = Thresholds(pace_margin=20, due_soon_days=14, stalled_days=30)
START = dt.date(2025, 1, 1)
DUE = START + dt.timedelta(days=100)  # 2025-04-11
ON = START + dt.timedelta(days=60)  # expected pace (序时进度) exactly 60%


def task(**changes: object) -> TaskState:
    """On ON: 60% done against an expected 60%, reported 3 days ago, due in 40 days."""
    base = TaskState(
        id="7-1",
        measure=7,
        seq=1,
        parent_id=None,
        title="全面推行企业新型学徒制",
        lead="hrss",
        co=(),
        start_date=START,
        due_date=DUE,
        cancelled=False,
        created_on=START,
        status=Status.in_progress,
        percent=60,
        last_report_date=ON - dt.timedelta(days=3),
        report_count=5,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_on_pace_is_green_with_its_reason() -> None:
    lt = light(task(), ON, T)
    assert lt.color is Color.green
    assert lt.reason == "进度60%，序时进度60%"


# --- red: overdue ------------------------------------------------------------------


def test_overdue_by_one_day_is_red() -> None:
    lt = light(task(due_date=ON - dt.timedelta(days=1)), ON, T)
    assert (lt.color, lt.reason) == (Color.red, "逾期1天，进度60%")


def test_overdue_reason_counts_days_and_shows_percent() -> None:
    lt = light(task(due_date=ON - dt.timedelta(days=12)), ON, T)
    assert (lt.color, lt.reason) == (Color.red, "逾期12天，进度60%")


def test_due_today_is_not_overdue_but_yellow() -> None:
    lt = light(task(due_date=ON), ON, T)
    assert lt.color is Color.yellow
    assert "今天到期，进度60%" in lt.reason
    assert "逾期" not in lt.reason


# --- red: blocked ------------------------------------------------------------------


def test_blocked_is_red() -> None:
    lt = light(task(status=Status.blocked, percent=40), ON, T)
    assert lt.color is Color.red
    assert lt.reason.startswith("报告受阻，进度40%")


def test_blocked_and_overdue_give_both_reasons() -> None:
    lt = light(task(status=Status.blocked, due_date=ON - dt.timedelta(days=3)), ON, T)
    assert (lt.color, lt.reason) == (Color.red, "逾期3天，进度60%；报告受阻，进度60%")


# --- yellow: behind the expected pace ------------------------------------------------


def test_pace_margin_exactly_at_threshold_is_green() -> None:
    assert expected_percent(task(), ON) == 60
    lt = light(task(percent=40), ON, T)  # 60 - 40 == 20: not more than the margin
    assert lt.color is Color.green
    assert lt.reason == "进度40%，序时进度60%"


def test_pace_margin_one_over_threshold_is_yellow() -> None:
    lt = light(task(percent=39), ON, T)  # 60 - 39 == 21
    assert (lt.color, lt.reason) == (Color.yellow, "进度39%，落后序时进度60%")


def test_pace_margin_comes_from_the_thresholds() -> None:
    assert light(task(percent=39), ON, replace(T, pace_margin=21)).color is Color.green


# --- yellow: due soon ----------------------------------------------------------------


def test_due_within_due_soon_days_is_yellow() -> None:
    lt = light(
        task(due_date=ON + dt.timedelta(days=14), start_date=ON - dt.timedelta(days=5), percent=30),
        ON,
        T,
    )
    assert lt.color is Color.yellow
    assert "14天后到期，进度30%" in lt.reason


def test_due_one_day_beyond_due_soon_days_is_not_yellow() -> None:
    lt = light(
        task(due_date=ON + dt.timedelta(days=15), start_date=ON - dt.timedelta(days=5), percent=30),
        ON,
        T,
    )
    assert lt.color is Color.green


# --- yellow: stalled -----------------------------------------------------------------


def test_stalled_exactly_at_stalled_days_is_yellow() -> None:
    lt = light(task(last_report_date=ON - dt.timedelta(days=30)), ON, T)
    assert (lt.color, lt.reason) == (Color.yellow, "30天未报送进展")
    assert days_since_report(task(last_report_date=ON - dt.timedelta(days=30)), ON) == 30


def test_one_day_before_stalled_days_is_green() -> None:
    assert light(task(last_report_date=ON - dt.timedelta(days=29)), ON, T).color is Color.green


def test_never_reported_counts_from_the_start() -> None:
    silent = task(
        last_report_date=None,
        percent=60,
        start_date=ON - dt.timedelta(days=30),
        due_date=ON + dt.timedelta(days=200),
    )
    lt = light(silent, ON, T)
    assert lt.color is Color.yellow
    assert "开始后30天未报送进展" in lt.reason


def test_several_yellow_reasons_are_joined() -> None:
    lt = light(task(percent=10, last_report_date=ON - dt.timedelta(days=45)), ON, T)
    assert (lt.color, lt.reason) == (Color.yellow, "进度10%，落后序时进度60%；45天未报送进展")


# --- done, cancelled, not started, no due date ------------------------------------------


def test_done_wins_over_overdue() -> None:
    done = task(
        status=Status.done,
        percent=100,
        due_date=ON - dt.timedelta(days=20),
        last_report_date=dt.date(2025, 2, 20),
    )
    assert (light(done, ON, T).color, light(done, ON, T).reason) == (
        Color.done,
        "已完成（2025-02-20报告）",
    )


def test_cancelled_wins_over_everything() -> None:
    cancelled = task(cancelled=True, status=Status.blocked, due_date=ON - dt.timedelta(days=5))
    lt = light(cancelled, ON, T)
    assert (lt.color, lt.reason) == (Color.cancelled, "任务已撤销")


def test_not_yet_started_is_green_and_not_stalled() -> None:
    later = task(
        start_date=ON + dt.timedelta(days=10),
        due_date=ON + dt.timedelta(days=200),
        created_on=ON - dt.timedelta(days=60),
        last_report_date=None,
        percent=0,
        status=Status.not_started,
    )
    lt = light(later, ON, T)
    assert (lt.color, lt.reason) == (Color.green, f"尚未开始（{ON + dt.timedelta(days=10)}开始）")


def test_starting_today_is_started() -> None:
    today = task(
        start_date=ON, due_date=ON + dt.timedelta(days=200), last_report_date=None, percent=0
    )
    assert light(today, ON, T).reason == "进度0%，序时进度0%"


def test_without_due_date_only_stalling_matters() -> None:
    lt = light(task(due_date=None, percent=5), ON, T)
    assert (lt.color, lt.reason) == (Color.green, "进度5%，未设截止日期")
    assert expected_percent(task(due_date=None), ON) is None


def test_expected_percent_is_clamped_and_handles_a_due_date_on_the_start() -> None:
    assert expected_percent(task(), START - dt.timedelta(days=5)) == 0
    assert expected_percent(task(), DUE + dt.timedelta(days=5)) == 100
    same = task(due_date=START)
    assert expected_percent(same, START - dt.timedelta(days=1)) == 0
    assert expected_percent(same, START) == 100


# --- the thresholds file -------------------------------------------------------------------


def test_shipped_thresholds_load() -> None:
    from jsgj.paths import lights_path

    assert load_thresholds(lights_path()) == Thresholds()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("pace_margin: -1\n", "pace_margin must be a whole number >= 0"),
        ("pace_margin: 2.5\n", "pace_margin must be a whole number >= 0"),
        ("red_days: 3\n", "unknown threshold 'red_days'"),
        ("- 1\n", "expected a mapping"),
    ],
)
def test_bad_thresholds_are_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "lights.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        load_thresholds(path)
