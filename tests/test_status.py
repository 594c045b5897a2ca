"""Traffic lights (红黄蓝绿灯): every rule of status.light at its boundaries."""

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
    judge,
    light,
    load_thresholds,
)
from jsgj.tasks.records import TaskState
from jsgj.values import Status

T = Thresholds(pace_margin=20, due_soon_days=14, stalled_days=30, ack_days=3)
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
    assert lt.reason == "序时进度60%，实际60%"


# --- red: overdue ------------------------------------------------------------------


def test_overdue_by_one_day_is_red() -> None:
    lt = light(task(due_date=ON - dt.timedelta(days=1)), ON, T)
    assert (lt.color, lt.reason) == (Color.red, "逾期1天（原定2025-03-01），进度60%")


def test_overdue_reason_counts_days_and_shows_percent() -> None:
    lt = light(task(due_date=ON - dt.timedelta(days=12)), ON, T)
    assert (lt.color, lt.reason) == (Color.red, "逾期12天（原定2025-02-18），进度60%")


def test_due_today_on_pace_is_not_overdue_but_blue() -> None:
    lt = light(task(due_date=ON, percent=85), ON, T)
    assert (lt.color, lt.reason) == (Color.blue, "今天到期，进度85%")


def test_due_soon_and_behind_pace_is_yellow_for_the_pace() -> None:
    lt = light(task(due_date=ON), ON, T)
    assert (lt.color, lt.reason) == (Color.yellow, "序时进度100%，实际60%，滞后40个百分点")


# --- red: blocked ------------------------------------------------------------------


def test_blocked_is_red() -> None:
    lt = light(task(status=Status.blocked, percent=40), ON, T)
    assert lt.color is Color.red
    assert lt.reason == "推进受阻，进度40%"


def test_blocked_and_overdue_give_both_reasons() -> None:
    lt = light(task(status=Status.blocked, due_date=ON - dt.timedelta(days=3)), ON, T)
    assert (lt.color, lt.reason) == (Color.red, "逾期3天（原定2025-02-27），推进受阻，进度60%")


# --- yellow: behind the expected pace ------------------------------------------------


def test_pace_margin_exactly_at_threshold_is_green() -> None:
    assert expected_percent(task(), ON) == 60
    lt = light(task(percent=40), ON, T)  # 60 - 40 == 20: not more than the margin
    assert lt.color is Color.green
    assert lt.reason == "序时进度60%，实际40%"


def test_pace_margin_one_over_threshold_is_yellow() -> None:
    lt = light(task(percent=39), ON, T)  # 60 - 39 == 21
    assert (lt.color, lt.reason) == (Color.yellow, "序时进度60%，实际39%，滞后21个百分点")


def test_pace_margin_comes_from_the_thresholds() -> None:
    assert light(task(percent=39), ON, replace(T, pace_margin=21)).color is Color.green


# --- yellow: due soon ----------------------------------------------------------------


def test_due_within_due_soon_days_and_on_pace_is_blue() -> None:
    lt = light(
        task(due_date=ON + dt.timedelta(days=14), start_date=ON - dt.timedelta(days=5), percent=30),
        ON,
        T,
    )
    assert (lt.color, lt.reason) == (Color.blue, "14天后到期，进度30%")


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
    assert (lt.color, lt.reason) == (
        Color.yellow,
        "序时进度60%，实际10%，滞后50个百分点；45天未报送进展",
    )


# --- done, cancelled, not started, no due date ------------------------------------------


def test_approved_wins_over_overdue() -> None:
    done = task(
        status=Status.done,
        percent=100,
        due_date=ON - dt.timedelta(days=20),
        last_report_date=dt.date(2025, 2, 20),
        claim_date=dt.date(2025, 2, 20),
    )
    assert (light(done, ON, T).color, light(done, ON, T).reason) == (
        Color.done,
        "已审核销号（2025-02-20申请）",
    )


def test_a_claim_awaiting_review_is_pending_not_done_nor_overdue() -> None:
    claimed = task(
        status=Status.pending_review,
        percent=100,
        due_date=ON - dt.timedelta(days=2),
        claim_date=ON - dt.timedelta(days=4),
    )
    lt = light(claimed, ON, T)
    assert (lt.color, lt.reason) == (Color.pending, f"{ON - dt.timedelta(days=4)}申请办结，待审核")


# --- yellow: not acknowledged (签收) ---------------------------------------------------


def test_not_acknowledged_after_ack_days_is_yellow() -> None:
    fresh = task(last_report_date=None, created_on=ON - dt.timedelta(days=4), start_date=ON)
    lt = light(fresh, ON, T)
    assert (lt.color, lt.reason) == (Color.yellow, "交办4天未签收")


def test_not_acknowledged_within_ack_days_is_not_yellow() -> None:
    fresh = task(
        last_report_date=None, created_on=ON - dt.timedelta(days=3), start_date=ON, percent=0
    )
    assert light(fresh, ON, T).color is Color.green


def test_acknowledged_or_reported_is_not_flagged() -> None:
    acked = task(
        last_report_date=None,
        created_on=ON - dt.timedelta(days=10),
        start_date=ON,
        percent=0,
        acknowledged_on=ON - dt.timedelta(days=9),
    )
    assert light(acked, ON, T).color is Color.green
    # a report from the lead acknowledges it too
    assert light(task(created_on=ON - dt.timedelta(days=10)), ON, T).color is Color.green


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
        start_date=ON,
        due_date=ON + dt.timedelta(days=200),
        last_report_date=None,
        percent=0,
        acknowledged_on=START,
    )
    assert light(today, ON, T).reason == "序时进度0%，实际0%"


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


# --- one rule: light is judge given the two figures a task line computes once ------


def test_judge_given_the_pace_and_silence_is_light() -> None:
    """``judge`` (the task line's path, with ``expected_percent`` and
    ``days_since_report`` computed once) gives ``light``'s colour and reason for every
    kind of task."""
    seen = set()
    for status in Status:
        for percent in (0, 39, 40, 100):
            for due in (None, ON, ON + dt.timedelta(days=1), ON + dt.timedelta(days=14), DUE):
                for last in (None, ON - dt.timedelta(days=3), ON - dt.timedelta(days=30)):
                    for extra in (
                        {},
                        {"cancelled": True},
                        {"acknowledged_on": START},
                        {"start_date": ON + dt.timedelta(days=1)},
                        {"children": ("7-1.nanjing",)},
                        {"claim_date": ON - dt.timedelta(days=2)},
                    ):
                        t = task(
                            status=status,
                            percent=percent,
                            due_date=due,
                            last_report_date=last,
                            **extra,
                        )
                        for on in (ON, START + dt.timedelta(days=2), DUE + dt.timedelta(days=9)):
                            lt = light(t, on, T)
                            args = (t, on, T, expected_percent(t, on), days_since_report(t, on))
                            assert judge(*args) == (lt.color, lt.reason)
                            seen.add(lt.color)
    assert seen == set(Color)
