"""Indicators: the status rules at their boundaries, and the commands."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from conftest import Invoke
from jsgj.catalog.indicators import Indicator, check_indicators, load_indicators
from jsgj.catalog.models import Direction
from jsgj.indicator_status import IndicatorStatus, Observation, assess
from jsgj.paths import indicators_path, source_path

D = dt.date


def share(direction: Direction = Direction.at_least, target: float | None = 30.0) -> Indicator:
    return Indicator(
        id="x",
        name="技能人才占就业人员的比例",
        unit="%",
        direction=direction,
        target=target,
        deadline=D(2025, 12, 31) if target is not None else None,
        sentence="s",
        measure=None,
    )


def obs(*points: tuple[int, float]) -> list[Observation]:
    return [Observation(D(year, 12, 31), value) for year, value in points]


ON = D(2025, 6, 30)


def test_no_data() -> None:
    assert assess(share(), [], ON).status is IndicatorStatus.no_data


def test_observations_after_the_as_of_date_do_not_count() -> None:
    assert assess(share(), obs((2025, 31)), ON).status is IndicatorStatus.no_data


@pytest.mark.parametrize(
    ("value", "expected"),
    [(30.0, IndicatorStatus.met), (29.99, IndicatorStatus.off_track)],
)
def test_met_at_exactly_the_target(value: float, expected: IndicatorStatus) -> None:
    assert assess(share(), obs((2024, value)), ON).status is expected


def test_at_most_is_met_from_above() -> None:
    ind = share(Direction.at_most, 10)
    assert assess(ind, obs((2024, 10)), ON).status is IndicatorStatus.met
    assert assess(ind, obs((2024, 10.1)), ON).status is IndicatorStatus.off_track


def test_on_track_when_the_line_reaches_the_target_exactly_by_the_deadline() -> None:
    # 2023-12-31 -> 2024-12-31 gains 1 point in 366 days; 365 more days to the deadline.
    first, latest = Observation(D(2023, 12, 31), 28.0), Observation(D(2024, 12, 31), 29.0)
    slope = 1.0 / 366
    needed = 29.0 + slope * 365
    ind = share(target=needed - 1e-9)
    result = assess(ind, [first, latest], ON)
    assert result.status is IndicatorStatus.on_track
    assert result.projected == pytest.approx(needed)
    just_over = share(target=needed + 0.001)
    assert assess(just_over, [first, latest], ON).status is IndicatorStatus.off_track


def test_off_track_when_the_deadline_passed_unmet() -> None:
    result = assess(share(), obs((2023, 28), (2024, 29.9)), D(2026, 1, 1))
    assert result.status is IndicatorStatus.off_track
    assert "未达到目标" in result.reason


def test_one_observation_below_target_is_off_track() -> None:
    result = assess(share(), obs((2024, 29)), ON)
    assert result.status is IndicatorStatus.off_track
    assert "无法推算趋势" in result.reason


def test_untargeted_indicator_is_monitored() -> None:
    result = assess(share(target=None), obs((2024, 12)), ON)
    assert result.status is IndicatorStatus.monitored
    assert "12" in result.reason


def test_shipped_indicators_are_valid() -> None:
    from jsgj.catalog.loader import load_measures
    from jsgj.paths import measures_path

    measures = load_measures(measures_path()).data
    official = source_path().read_text(encoding="utf-8")
    assert list(check_indicators(indicators_path(), measures, official)) == []
    ids = [i.id for i in load_indicators(indicators_path()).indicators]
    assert "high_skilled_per_10k_workers" in ids


def test_changed_target_is_reported_with_its_line(tmp_path: Path) -> None:
    from jsgj.catalog.loader import load_measures
    from jsgj.paths import measures_path

    text = indicators_path().read_text(encoding="utf-8").replace("target: 35", "target: 36")
    path = tmp_path / "indicators.yaml"
    path.write_text(text, encoding="utf-8")
    line = next(i for i, s in enumerate(text.splitlines(), 1) if "target: 36" in s)
    official = source_path().read_text(encoding="utf-8")
    problems = list(check_indicators(path, load_measures(measures_path()).data, official))
    assert [(p.code, p.line) for p in problems] == [("I004", line)]


# --- commands ----------------------------------------------------------------------


def record(jsgj: Invoke, *args: str) -> str:
    result = jsgj("indicators", "record", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_record_and_show_series_with_status(jsgj: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JSGJ_TODAY", "2025-03-01")  # recorded before the as-of date below
    for year, value in ((2022, 27.8), (2023, 28.9), (2024, 29.8)):
        record(
            jsgj,
            "skilled_share_of_employed",
            str(value),
            "--date",
            f"{year}-12-31",
            "--source",
            f"{year}年江苏省国民经济和社会发展统计公报",
        )
    record(
        jsgj,
        "skilled_share_of_employed",
        "31.2",
        "--date",
        "2024-12-31",
        "--region",
        "苏州",
        "--source",
        "苏州市统计公报",
    )
    shown = json.loads(
        jsgj(
            "indicators", "show", "skilled_share_of_employed", "--json", "--as-of", "2025-06-30"
        ).stdout
    )
    province, suzhou = shown["regions"]
    assert province["status"] == "on_track"
    assert [p["value"] for p in province["series"]] == [27.8, 28.9, 29.8]
    assert suzhou["region"] == "suzhou" and suzhou["status"] == "met"
    text = jsgj("indicators", "show", "skilled_share_of_employed", "--as-of", "2025-06-30").stdout
    assert "按期可达" in text and "█" in text and "苏州市" in text
    listed = json.loads(jsgj("indicators", "list", "--json", "--as-of", "2025-06-30").stdout)
    assert [i["regions"][0]["status"] for i in listed] == ["on_track", "no_data", "no_data"]


def test_indicators_take_both_time_axes(jsgj: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    """as-of D: observed on or before D, whenever recorded; known-on K: recorded by K."""
    monkeypatch.setenv("JSGJ_TODAY", "2026-12-01")  # a late entry of last year's figures
    record(jsgj, "skilled_share_of_employed", "29.8", "--date", "2024-12-31", "--source", "公报")
    record(jsgj, "skilled_share_of_employed", "30.4", "--date", "2025-06-30", "--source", "公报")

    def values(*axes: str) -> list[float]:
        result = jsgj("indicators", "show", "skilled_share_of_employed", "--json", *axes)
        assert result.exit_code == 0, result.stderr
        regions = json.loads(result.stdout)["regions"]
        return [p["value"] for r in regions for p in r["series"]]

    assert values("--as-of", "2025-03-31") == [29.8]
    assert values("--as-of", "2025-07-01") == [29.8, 30.4]
    assert values("--known-on", "2026-11-30") == []
    assert values("--as-of", "2025-07-01", "--known-on", "2026-11-30") == []
    assert values("--known-on", "2026-12-01") == [29.8, 30.4]
    listed = jsgj("indicators", "list", "--json", "--known-on", "2026-11-30")
    assert listed.exit_code == 0, listed.stderr
    assert json.loads(listed.stdout)[0]["regions"][0]["status"] == "no_data"


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        try:
            return int(conn.execute("SELECT COUNT(*) FROM indicator_observations").fetchone()[0])
        except sqlite3.OperationalError:
            return 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope", "1", "--date", "2024-12-31", "--source", "s"], "unknown indicator 'nope'"),
        (
            ["skilled_share_of_employed", "abc", "--date", "2024-12-31", "--source", "s"],
            "is not a number",
        ),
        (
            ["skilled_share_of_employed", "101", "--date", "2024-12-31", "--source", "s"],
            "outside 0-100",
        ),
        (
            [
                "skilled_share_of_employed",
                "29",
                "--date",
                "2024-12-31",
                "--source",
                "s",
                "--region",
                "火星市",
            ],
            "unknown department",
        ),
        (
            [
                "skilled_share_of_employed",
                "29",
                "--date",
                "2024-12-31",
                "--source",
                "s",
                "--region",
                "人社厅",
            ],
            "is not a city",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(
    jsgj: Invoke, db_path: Path, args: list[str], message: str
) -> None:
    record(jsgj, "skilled_share_of_employed", "29", "--date", "2023-12-31", "--source", "s")
    result = jsgj("indicators", "record", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert _count(db_path) == 1


def test_demo_indicators_in_show_and_weekly_report(jsgj: Invoke, tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    assert jsgj("demo", "--db", str(db)).exit_code == 0
    shown = json.loads(
        jsgj(
            "--db",
            str(db),
            "indicators",
            "show",
            "high_skilled_share_of_skilled",
            "--as-of",
            "2025-06-29",
            "--json",
        ).stdout
    )
    statuses = {r["region"]: r["status"] for r in shown["regions"]}
    assert statuses == {
        "province": "on_track",
        "nanjing": "on_track",
        "xuzhou": "off_track",
        "suzhou": "met",
        "suqian": "off_track",
    }
    assert len(shown["regions"][0]["series"]) == 4
    report = json.loads(
        jsgj(
            "--db", str(db), "report", "weekly", "--as-of", "2025-06-29", "--format", "json"
        ).stdout
    )
    by_id = {i["id"]: i["regions"][0]["status"] for i in report["indicators"]}
    assert by_id == {
        "skilled_share_of_employed": "met",
        "high_skilled_share_of_skilled": "on_track",
        "high_skilled_per_10k_workers": "monitored",
    }
    markdown = jsgj("--db", str(db), "report", "weekly", "--as-of", "2025-06-29").stdout
    assert (
        "## 七、指标监测" in markdown
        and "## 附件4 指标监测详情" in markdown
        and "| 宿迁市 | 25.3% |" in markdown
    )
    html = jsgj("--db", str(db), "report", "weekly", "--as-of", "2025-06-29", "--format", "html")
    assert html.stdout.count('stroke-dasharray="5,3"') == 2  # the two target lines


def test_chart_labels_never_overlap() -> None:
    from jsgj.render.indicators import _spread

    placed = _spread(
        [(50.0, "a", "c"), (52.0, "b", "c"), (51.0, "t", "c"), (188.0, "z", "c")], 11.0, 12.0, 172.0
    )
    ys = [y for y, _, _ in placed]
    assert [t for _, t, _ in placed] == ["a", "t", "b", "z"]
    assert all(b - a >= 11.0 for a, b in zip(ys, ys[1:], strict=False))
    assert 12.0 <= ys[0] and ys[-1] <= 172.0


def test_record_json_echoes_the_stored_observation(jsgj: Invoke, db_path: Path) -> None:
    result = jsgj(
        "indicators",
        "record",
        "high_skilled_per_10k_workers",
        "476",
        "--date",
        "2024-12-31",
        "--region",
        "南京",
        "--source",
        "南京市监测报告",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["region"] == "nanjing" and data["value"] == 476 and data["unit"] == "人"
    assert "南京市监测报告" in result.stdout  # not ASCII-escaped
    assert _count(db_path) == 1
