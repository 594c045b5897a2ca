"""The demo data set: built through the store, and showing at DEMO_AS_OF what its
docstring promises, as the light rules see it."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import Invoke
from jsgj import paths
from jsgj.catalog.catalog import Catalog
from jsgj.catalog.load import load_catalog
from jsgj.demo import DEMO_AS_OF, DEMO_START, PLANS, build_demo, demo_summary
from jsgj.errors import JsgjError
from jsgj.status import Color, Light, Thresholds, light
from jsgj.store.admin import check_database
from jsgj.store.db import Store
from jsgj.store.history import task_history
from jsgj.store.queries import task_states
from jsgj.tasks.records import TaskState

CITY_MEASURES = {1, 3, 5, 6, 19}  # the measures that list 各设区市人民政府


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(paths.measures_path(), paths.departments_path())


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[Store]:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with Store.open(path, catalog) as store:
        build_demo(store)
        yield store


@pytest.fixture(scope="module")
def states(demo: Store) -> dict[str, TaskState]:
    return {s.id: s for s in task_states(demo, DEMO_AS_OF)}


@pytest.fixture(scope="module")
def lights(states: dict[str, TaskState]) -> dict[str, Light]:
    return {tid: light(s, DEMO_AS_OF, Thresholds()) for tid, s in states.items()}


def with_color(lights: dict[str, Light], color: Color, words: str = "") -> set[str]:
    return {tid for tid, lt in lights.items() if lt.color is color and words in lt.reason}


def test_demo_as_of_is_the_last_sunday_of_june() -> None:
    assert DEMO_AS_OF == dt.date(2025, 6, 29) and DEMO_AS_OF.weekday() == 6


def test_every_measure_has_two_to_four_tasks(states: dict[str, TaskState]) -> None:
    per_measure = Counter(s.measure for s in states.values() if s.parent_id is None)
    assert sorted(per_measure) == list(range(1, 20))
    assert all(2 <= n <= 4 for n in per_measure.values()), per_measure


def test_measures_listing_the_cities_fan_out(states: dict[str, TaskState]) -> None:
    fanned = {s.measure for s in states.values() if s.children}
    assert fanned == CITY_MEASURES
    for s in states.values():
        if s.children:
            assert s.lead == "cities" and len(s.children) == 13


def test_every_task_has_co_departments_or_is_a_single_department_task(
    states: dict[str, TaskState],
) -> None:
    with_co = [s for s in states.values() if s.co and s.parent_id is None]
    assert len(with_co) >= 30
    assert all(s.due_date is not None and s.due_date.year == 2025 for s in states.values())


def test_reports_run_weekly_from_january_to_the_as_of_date(demo: Store) -> None:
    row = demo.query(
        """SELECT MIN(report_date) AS first, MAX(report_date) AS last,
                  MAX(recorded_on) AS recorded, COUNT(*) AS n,
                  SUM(recorded_on < report_date) AS backwards,
                  SUM(recorded_on > report_date) AS late
           FROM progress_reports"""
    )[0]
    assert DEMO_START.isoformat() <= row["first"] <= "2025-01-10"
    assert "2025-06-23" <= row["last"] <= DEMO_AS_OF.isoformat()
    assert row["recorded"] <= DEMO_AS_OF.isoformat()
    assert row["backwards"] == 0
    assert row["late"] > 50  # some are entered on the next working day
    assert 1000 <= row["n"] <= 2500
    # a weekly reporter: 7-1 reports nearly every week except the Spring Festival week
    dates = [r.report_date for r in task_history(demo, "7-1").reports]
    assert len(dates) >= 20
    assert not [d for d in dates if dt.date(2025, 1, 28) <= d <= dt.date(2025, 2, 4)]


def test_notes_and_evidence_are_realistic(demo: Store) -> None:
    evidence = [
        r["evidence"]
        for r in demo.query("SELECT evidence FROM progress_reports WHERE evidence IS NOT NULL")
    ]
    assert any("〔2025〕" in e and e.endswith("号") for e in evidence)
    assert any(e.startswith("https://") for e in evidence)
    assert any(e.endswith((".xlsx", ".pdf", ".docx")) for e in evidence)
    assert any(e.startswith("苏市教发〔2025〕") for e in evidence)  # a city's own document
    notes = {r["note"] for r in demo.query("SELECT DISTINCT note FROM progress_reports")}
    assert "苏州市印发并行招生实施办法" in notes
    assert not [n for n in notes if "{" in n]


def test_overdue_tasks_are_red(lights: dict[str, Light]) -> None:
    overdue = with_color(lights, Color.red, "逾期")
    assert {"3-1", "12-2", "5-3", "1-2.xuzhou", "1-2.huaian", "1-2.suqian"} <= overdue
    assert lights["3-1"].reason.startswith("逾期14天（原定2025-06-15），")


def test_blocked_tasks_are_red(lights: dict[str, Light], states: dict[str, TaskState]) -> None:
    blocked = with_color(lights, Color.red, "推进受阻")
    assert blocked == {"5-3", "1-2.lianyungang", "1-2", "3-3.suqian", "3-3"}
    assert states["18-2"].status.value == "in_progress"  # its block was lifted in April


def test_stalled_tasks_are_yellow(lights: dict[str, Light], states: dict[str, TaskState]) -> None:
    stalled = with_color(lights, Color.yellow, "天未报送进展")
    assert stalled == {"3-4", "16-3", "6-3.huaian"}
    assert states["3-4"].last_report_date == dt.date(2025, 4, 18)
    assert "72天未报送进展" in lights["3-4"].reason


def test_tasks_behind_pace_are_yellow(lights: dict[str, Light]) -> None:
    behind = with_color(lights, Color.yellow, "个百分点")
    assert {"9-3", "14-2", "19-1.lianyungang"} <= behind


def test_done_and_not_started(lights: dict[str, Light]) -> None:
    done = with_color(lights, Color.done)
    assert {"1-1", "2-1", "10-2", "13-1", "15-2", "1-2.nanjing", "5-1.wuxi"} <= done
    assert with_color(lights, Color.green, "尚未开始") == {"13-2", "17-2"}
    assert len(with_color(lights, Color.green)) >= 40  # most work is on pace


def test_one_cancelled_task(demo: Store, lights: dict[str, Light]) -> None:
    assert with_color(lights, Color.cancelled) == {"6-4"}
    cancel = task_history(demo, "6-4").revisions[-1]
    assert (cancel.kind, cancel.recorded_on) == ("cancel", dt.date(2025, 3, 14))
    assert "并入" in (cancel.reason or "")


def test_one_edited_due_date(demo: Store, states: dict[str, TaskState]) -> None:
    edits = demo.query(
        "SELECT task_id, changes, reason, recorded_on FROM task_revisions WHERE kind = 'edit'"
    )
    assert [(e["task_id"], e["recorded_on"]) for e in edits] == [("4-1", "2025-04-22")]
    assert states["4-1"].due_date == dt.date(2025, 8, 31)
    as_before = {s.id: s for s in task_states(demo, dt.date(2025, 4, 21))}
    assert as_before["4-1"].due_date == dt.date(2025, 4, 30)


def test_corrections_are_recorded_days_later(demo: Store) -> None:
    rows = demo.query(
        """SELECT c.task_id, o.recorded_on AS wrong_on, c.recorded_on AS fixed_on,
                  o.percent AS wrong, c.percent AS fixed, c.report_date, o.report_date AS was
           FROM progress_reports c JOIN progress_reports o ON o.id = c.corrects
           ORDER BY c.id"""
    )
    assert [r["task_id"] for r in rows] == ["7-1", "3-1", "1-2.suzhou"]
    for r in rows:
        assert r["fixed_on"] > r["wrong_on"] or r["task_id"] == "7-1"
        assert r["report_date"] == r["was"]
    assert [(r["wrong"], r["fixed"]) for r in rows][:2] == [(85, 25), (80, 50)]
    assert rows[1]["fixed_on"] == "2025-04-16"


def test_as_of_shows_the_mistake_before_its_correction(demo: Store) -> None:
    def pct(task_id: str, on: dt.date) -> int:
        return next(s.percent for s in task_states(demo, on) if s.id == task_id)

    assert pct("3-1", dt.date(2025, 4, 14)) == 80
    assert pct("3-1", dt.date(2025, 4, 16)) == 50
    # The premature 已完成 of 2025-05-09 was a claim: awaiting review until the office
    # returned it on 2025-05-13 (and corrected that day).
    suzhou = {s.id: s for s in task_states(demo, dt.date(2025, 5, 12))}["1-2.suzhou"]
    assert suzhou.status.value == "pending_review"
    suzhou = {s.id: s for s in task_states(demo, dt.date(2025, 5, 13))}["1-2.suzhou"]
    assert suzhou.status.value == "in_progress"


def test_the_derived_tables_agree_with_the_event_logs(demo: Store) -> None:
    # Every demo event is recorded by DEMO_AS_OF: the current view (derived tables) and
    # the as-of view (read from the logs) must be the same, task for task.
    assert task_states(demo) == task_states(demo, DEMO_AS_OF)


def test_db_check_passes(demo: Store) -> None:
    assert check_database(demo) == []


def test_demo_needs_an_empty_database(demo: Store) -> None:
    with pytest.raises(JsgjError, match="the demo needs an empty database"):
        build_demo(demo)


def test_the_summary_counts(demo: Store) -> None:
    counts = demo_summary(demo)
    assert counts["tasks"] == len(PLANS)
    assert counts["city_shares"] == 13 * len(CITY_MEASURES)
    assert (counts["corrections"], counts["cancelled"]) == (3, 1)


# --- jsgj demo --------------------------------------------------------------------------------


def test_jsgj_demo_builds_refuses_to_overwrite_and_replaces_with_force(
    jsgj: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = jsgj("demo")
    assert result.exit_code == 0, result.stderr
    default = tmp_path / "demo" / "jsgj-demo.db"
    [line] = result.stdout.splitlines()
    assert line.startswith("demo/jsgj-demo.db: 54 tasks and 65 city shares, ")
    assert line.endswith(
        "as of 2025-06-29; try: jsgj --db demo/jsgj-demo.db tasks list --as-of 2025-06-29"
    )
    assert sorted(p.name for p in default.parent.iterdir()) == ["jsgj-demo.db"]
    # JSGJ_DB (the clerk's real database) is never touched
    assert not (tmp_path / "jsgj.db").exists()

    before = default.read_bytes()
    refused = jsgj("demo")
    assert refused.exit_code == 1
    assert refused.stderr == (
        "jsgj: error: demo/jsgj-demo.db already exists; add --force to replace it\n"
    )
    assert default.read_bytes() == before

    other = tmp_path / "elsewhere.db"
    other.write_bytes(b"old")
    assert jsgj("demo", "--db", str(other), "--force").exit_code == 0
    conn = sqlite3.connect(other)
    assert conn.execute("SELECT COUNT(*) FROM progress_reports").fetchone()[0] > 1000
    conn.close()
    assert jsgj("--db", str(other), "db", "check").stdout == "ok\n"
    assert _content(other) == _content(default)  # deterministic: the same data every build
    listing = jsgj("--db", str(other), "tasks", "list", "--as-of", "2025-06-29", "--overdue")
    assert "3-1" in listing.stdout and "12-2" in listing.stdout


def _content(path: Path) -> list[tuple[object, ...]]:
    """Every event but its wall-clock recording time."""
    conn = sqlite3.connect(path)
    try:
        rows = [
            *conn.execute(
                "SELECT id, task_id, recorded_on, report_date, reporter, os_user, status, "
                "percent, note, evidence, corrects FROM progress_reports ORDER BY id"
            ),
            *conn.execute(
                "SELECT id, task_id, kind, recorded_on, actor, reason, changes, title, lead, co, "
                "start_date, due_date, cancelled FROM task_revisions ORDER BY id"
            ),
        ]
    finally:
        conn.close()
    return rows


def test_set_based_refresh_rebuilds_the_same_derived_state(
    catalog: Catalog, tmp_path: Path
) -> None:
    """Imports refresh thousands of tasks in one statement (refresh_many); it must give
    exactly what the per-report refresh gave, corrections and city shares included."""
    from jsgj.store.derived import refresh

    path = tmp_path / "demo.db"
    with Store.open(path, catalog) as store:
        build_demo(store)
        columns = "id, status, percent, last_report_id, last_report_date, report_count"
        before = store.query(f"SELECT {columns} FROM tasks ORDER BY id")
        leaves = [
            r["id"]
            for r in store.query(
                "SELECT id FROM tasks t WHERE NOT EXISTS "
                "(SELECT 1 FROM tasks k WHERE k.parent_id = t.id)"
            )
        ]

        def rebuild() -> None:
            store.db.execute(
                "UPDATE tasks SET status = 'not_started', percent = 0, last_report_id = NULL, "
                "last_report_date = NULL, report_count = 0"
            )
            refresh(store.db.conn, leaves)

        store.write(rebuild)
        assert store.query(f"SELECT {columns} FROM tasks ORDER BY id") == before


@pytest.mark.parametrize("as_of", [None, dt.date(2025, 4, 14), DEMO_AS_OF])
def test_one_tasks_family_reads_as_the_whole_view_does(demo: Store, as_of: dt.date | None) -> None:
    """`tasks show` reads only the task and its city shares; it must see them exactly as
    the whole view does (a parent's progress comes from its cities)."""
    whole = {s.id: s for s in task_states(demo, as_of)}
    for tid in ("1-2", "1-2.suqian", "3-1", "6-4", "7-1"):
        family = {s.id: s for s in task_states(demo, as_of, family=tid)}
        assert family[tid] == whole[tid]
        assert set(family) == {tid, *whole[tid].children}
