"""The lights SQLite computes for views that only count (``store.aggregates``) are the
lights of the Python rule (``status.light`` through ``tasks.line.task_line``), task by
task; the groups it counts (``task_groups``) are the groups counted from the task lines
(``reports.groups.groups_of``: ``counting.tally`` of each), and with them the red and
yellow counting units (``flagged_groups``); and the matrix and the
weekly report of the current view, counted from them, are the ones built from every
task's line: on the demo database on dates across its life, on a small database with
acknowledgements, claims and a cancelled task, and on a generated province at several
dates."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from jsgj.reports.groups import groups_of, plus
from jsgj.reports.matrix import build_matrix, matrix_record
from jsgj.reports.weekly import Week, build_weekly, reported_ids
from jsgj.reports.weekly_json import weekly_record
from jsgj.status import Color, Thresholds
from jsgj.store.aggregates import (
    LIGHT_SQL,
    LISTING_ORDER,
    flagged_groups,
    light_params,
    task_groups,
)
from jsgj.store.db import Store
from jsgj.store.history import events_between, reports_between
from jsgj.store.queries import task_states
from jsgj.store.weekly import blocked_spells
from jsgj.tasks.counting import Tally
from jsgj.tasks.line import listing_order, task_line
from jsgj.tasks.when import When
from jsgj.values import Status
from jsgj.views import matrix as matrix_view
from jsgj.views import weekly_report
from report_helpers import build_small, demo_db, fresh_catalog

__all__ = ["demo_db"]

REPO = Path(__file__).resolve().parents[1]


def days(start: dt.date, end: dt.date, step: int) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range(0, (end - start).days + 1, step)]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    path = tmp_path_factory.mktemp("generated") / "province.db"
    generate.generate(path, tasks=300, reports=3000, quiet=True, check=False)
    yield path


def assert_same_lights(store: Store, on: dt.date, thresholds: Thresholds) -> set[Color]:
    """Every task's light, percent, overdue days and place from SQL and from the rule."""
    states = listing_order(task_states(store, When()))
    lines = [task_line(store.catalog, s, on, thresholds) for s in states]
    sql = LIGHT_SQL + LISTING_ORDER
    rows = store.db.conn.execute(sql, light_params(on, thresholds)).fetchall()
    assert [r[0] for r in rows] == [x.id for x in lines]
    for row, rule in zip(rows, lines, strict=True):
        _id, measure, _parent, _lead, _co, _gone, is_parent, percent, _status, days, light = row
        assert (Color(light), percent, days, not is_parent, measure) == (
            rule.light,
            rule.percent,
            rule.overdue_days,
            rule.counted,
            rule.measure,
        ), (on, rule.id, rule.reason)
    assert_same_groups(store, on, thresholds, lines)
    return {Color(r[-1]) for r in rows}


def assert_same_groups(store: Store, on: dt.date, thresholds: Thresholds, lines: list[Any]) -> None:
    """The groups SQLite counts are the groups of the task lines, with every figure,
    for the tasks reported on in the week of ``on`` and for none."""
    week = Week.containing(on)
    reported = reported_ids(reports_between(store, week.start, week.end, When()), week)
    for ids in (reported, set(), {x.id for x in lines[::3]}):
        assert task_groups(store, on, thresholds, ids) == groups_of(lines, ids), (on, ids)
    # The weekly report's pass: the same groups, and the red and yellow counting units.
    groups, flagged = flagged_groups(store, on, thresholds, reported)
    assert groups == groups_of(lines, reported)
    assert flagged == {x.id for x in lines if x.counted and x.light in (Color.red, Color.yellow)}


def assert_same_weekly(store: Store, on: dt.date, thresholds: Thresholds) -> None:
    """The current view's weekly report (counted in SQL, task lines only for what it
    lists) is the report built from every task's line, figure for figure."""
    ours = weekly_report(store, When(), thresholds)
    states = task_states(store, When())
    week = Week.containing(on)
    reports = reports_between(store, week.start, week.end, When())
    events = events_between(store, week.start, week.end, When())
    blocked = [s.id for s in states if s.status is Status.blocked and not s.cancelled]
    histories = blocked_spells(store, blocked)
    rule = build_weekly(store.catalog, states, reports, on, thresholds, events, histories)
    assert replace(ours, computed_at="") == rule, on
    assert weekly_record(replace(ours, computed_at="")) == weekly_record(rule)


def assert_same_matrix(store: Store, on: dt.date, thresholds: Thresholds) -> None:
    """The matrix of the current view (counted from the SQL lights) is the matrix
    built from the task lines, whatever the measures and the order."""
    states = task_states(store, When())
    for measures, sort in (((), "document"), ((1, 2, 3, 7), "load"), ((13,), "kind")):
        chosen = measures or None
        ours = matrix_view(store, When(), thresholds, measures=chosen, sort=sort, with_tasks=True)
        rule = build_matrix(
            store.catalog, states, on, thresholds, measures=chosen, sort=sort, with_tasks=True
        )
        assert ours == rule, (on, measures, sort)  # every cell, tally and light
        assert matrix_record(ours) == matrix_record(rule)


@pytest.mark.parametrize(
    "thresholds", [Thresholds(), Thresholds(pace_margin=5, due_soon_days=30, stalled_days=7)]
)
def test_the_demo_database_on_dates_across_its_life(
    demo_db: Path,  # noqa: F811
    thresholds: Thresholds,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: set[Color] = set()
    with Store.open(demo_db, fresh_catalog(), create=False) as store:
        for on in days(dt.date(2024, 11, 1), dt.date(2026, 3, 1), 9):
            seen |= assert_same_lights(store, on, thresholds)
        for on in (dt.date(2025, 3, 31), dt.date(2025, 6, 29), dt.date(2025, 9, 30)):
            monkeypatch.setenv("JSGJ_TODAY", on.isoformat())
            assert_same_matrix(store, on, thresholds)
            assert_same_weekly(store, on, thresholds)
    assert seen == set(Color)  # every light was compared


def test_a_small_database_with_acknowledgements_and_claims(tmp_path: Path) -> None:
    path = tmp_path / "small.db"
    build_small(path)
    with Store.open(path, fresh_catalog(), create=False) as store:
        for on in days(dt.date(2025, 5, 25), dt.date(2025, 8, 1), 1):
            assert_same_lights(store, on, Thresholds())


def test_a_generated_province_at_several_dates(
    generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(generated, fresh_catalog(), create=False) as store:
        for on in days(dt.date(2024, 7, 1), dt.date(2034, 12, 31), 97):
            assert_same_lights(store, on, Thresholds())
        for on in (dt.date(2027, 1, 1), dt.date(2034, 6, 30)):
            monkeypatch.setenv("JSGJ_TODAY", on.isoformat())
            assert_same_matrix(store, on, Thresholds())
            assert_same_weekly(store, on, Thresholds())


def test_the_small_database_weekly_on_each_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shares due, claimed, approved and cancelled: each day's report the same."""
    path = tmp_path / "small.db"
    build_small(path)
    with Store.open(path, fresh_catalog(), create=False) as store:
        for on in days(dt.date(2025, 6, 1), dt.date(2025, 7, 20), 1):
            monkeypatch.setenv("JSGJ_TODAY", on.isoformat())
            assert_same_weekly(store, on, Thresholds())


def test_plus_adds_every_figure_of_a_tally() -> None:
    """A new field of ``Tally`` must be added up too (and put in ``GROUPS_SQL``)."""
    from dataclasses import fields

    one = Tally(*range(1, len(fields(Tally)) + 1))
    assert plus([one]) == one
    assert plus([one, one]) == Tally(*(2 * i for i in range(1, len(fields(Tally)) + 1)))
    assert plus([]) == Tally()


def test_a_pace_of_exactly_half_a_point_rounds_as_python_does() -> None:
    """Python's round() takes a tie to the even number (12.5 -> 12, 13.5 -> 14); the
    SQL writes that out rather than SQLite's round() (half away from zero)."""
    import sqlite3

    expected_sql = LIGHT_SQL.split("expected AS (")[1].split("FROM pace")[0]
    case = expected_sql.split("ELSE MAX(0, MIN(100,")[1].rsplit("))", 1)[0]
    conn = sqlite3.connect(":memory:")
    for x in (12.5, 13.5, 0.5, 1.5, 99.5, 12.4999, 12.5001, 57.49999999999999, 0.0, 100.0):
        (got,) = conn.execute(f"SELECT {case} FROM (SELECT ? AS x)", [x]).fetchone()  # noqa: S608
        assert got == round(x), x


def test_every_light_boundary_day_by_day(tmp_path: Path) -> None:
    """The SQL transcription at each rule's edge, one day either side: eleven tasks of
    100 days with percents around the pace margin (expected - percent == margin is not
    yet yellow), three ahead of pace and then silent (silence reaching
    ``stalled_days``), one never acknowledged (``ack_days``), all coming due (blue
    within ``due_soon_days``, red after), checked on every day from assignment to past
    the due date. Each of the four comparisons, turned by one (``>`` for ``>=`` or
    back), fails it."""
    from jsgj.store.tasks import acknowledge, assign, record_progress
    from jsgj.values import frozen_today

    path = tmp_path / "edges.db"
    catalog = fresh_catalog()
    start, due = dt.date(2025, 1, 1), dt.date(2025, 4, 11)
    with Store.open(path, catalog) as store:
        with frozen_today(start):
            ids = [assign(store, 8, f"边界任务{i}", start=start, due=due)[0] for i in range(12)]
        with frozen_today(start + dt.timedelta(days=2)):
            for task in ids[:-1]:  # the last one is never acknowledged
                acknowledge(store, task, by="人社厅", contact="联络员", phone="025-1")
        for i, task in enumerate(ids[:-1]):
            on = start + dt.timedelta(days=40 + i)
            with frozen_today(on):
                record_progress(
                    store, task, status=Status.in_progress, note="推进", percent=15 + i,
                    by="人社厅",
                )  # fmt: skip
        with frozen_today(start + dt.timedelta(days=55)):  # ahead of pace, then silent
            for task in ids[3:6]:
                record_progress(
                    store, task, status=Status.in_progress, note="领先", percent=85, by="人社厅"
                )
        with frozen_today(due - dt.timedelta(days=12)):  # on pace and heard from: blue
            for task in ids[:3]:
                record_progress(
                    store, task, status=Status.in_progress, note="冲刺", percent=90, by="人社厅"
                )
    with Store.open(path, catalog, create=False) as store:
        seen: set[Color] = set()
        for on in days(start, due + dt.timedelta(days=3), 1):
            seen |= assert_same_lights(store, on, Thresholds())
    assert {Color.red, Color.yellow, Color.blue, Color.green} <= seen


def test_a_contribution_on_a_task_shared_out_is_named_as_the_province_total(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The week's report lines name their tasks without a line in the current view
    (``store.weekly.named``): a co department's contribution on a task shared out to
    the cities names it as the province total (全省合计), as its line would."""
    from jsgj.store.tasks import record_progress
    from jsgj.values import frozen_today

    path = tmp_path / "small.db"
    build_small(path)
    with Store.open(path, fresh_catalog(), create=False) as store:
        with frozen_today(dt.date(2025, 6, 26)):
            record_progress(
                store, "1-1", status=Status.in_progress, note="配合推进", percent=20, by="教育厅"
            )
        on = dt.date(2025, 6, 29)
        monkeypatch.setenv("JSGJ_TODAY", on.isoformat())
        assert_same_weekly(store, on, Thresholds())
        ours = weekly_report(store, When(), Thresholds())
        labels = {i.task_id: i.task_label for g in ours.reports for i in g.items}
        assert labels["1-1"] == "落实并行招生（全省合计）"
