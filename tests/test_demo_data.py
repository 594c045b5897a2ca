"""The demo's plans are data (data/demo/*.yaml): the database built from them is pinned,
event for event, by a golden digest; a malformed plan is one line with its place and
builds nothing; the table of event kinds, the schema and the file's header agree."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import get_args, get_type_hints

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA, Invoke
from jsgj import paths
from jsgj.catalog.catalog import Catalog
from jsgj.catalog.indicators import load_indicators
from jsgj.demo.build import REPLAY, build_demo
from jsgj.demo.checks import load_checked
from jsgj.demo.plans import Event, load_demo
from jsgj.demo.schedule import schedule
from jsgj.errors import InvalidDataError
from jsgj.store.db import Store
from report_helpers import check_golden, demo_db, fresh_catalog

__all__ = ["demo_db"]  # the session fixture, imported for pytest

PLANS_YAML = DATA / "demo" / "plans.yaml"

# Every column the demo fills but the wall-clock time of recording, and the OS user who
# ran the build for the indicator figures (the tasks' events name their own).
SKIP = {"recorded_at", "indicator_observations.os_user"}
DOMAIN_TABLES = (
    "tasks", "task_departments", "task_revisions", "progress_reports", "task_events",
    "indicator_observations",
)  # fmt: skip


def demo_digest(path: Path) -> str:
    """One line per task (its state, and a hash of its row and of every row that names it:
    departments, revisions, events, reports), then each table's row count and hash: a
    change shows which task moved."""
    conn = sqlite3.connect(path)
    try:
        # What the demo records (the event chain and the search index are derived
        # from these, the chain from their recording times too).
        tables = sorted(DOMAIN_TABLES)
        columns = {
            t: ", ".join(
                c
                for (c,) in conn.execute("SELECT name FROM pragma_table_info(?)", [t])
                if c not in SKIP and f"{t}.{c}" not in SKIP
            )
            for t in tables
        }
        by_task = [t for t in tables if "task_id" in columns[t].split(", ")]

        def rows(table: str, where: str = "", *args: object) -> list[tuple[object, ...]]:
            cols = columns[table]
            return conn.execute(
                f"SELECT {cols} FROM {table} {where} ORDER BY {cols}", args
            ).fetchall()

        def sha(*parts: list[tuple[object, ...]]) -> str:
            text = json.dumps(parts, ensure_ascii=False, sort_keys=True)
            return hashlib.sha256(text.encode()).hexdigest()[:16]

        lines = []
        for (tid,) in conn.execute("SELECT id FROM tasks ORDER BY measure, seq, id"):
            [task] = rows("tasks", "WHERE id = ?", tid)
            state = conn.execute(
                "SELECT status, percent, report_count, last_report_date FROM tasks WHERE id = ?",
                [tid],
            ).fetchone()
            own = [rows(t, "WHERE task_id = ?", tid) for t in by_task]
            lines.append(f"{tid} {' '.join(map(str, state))} {sha([task], *own)}")
        for table in tables:
            all_rows = rows(table)
            lines.append(f"{table}: {len(all_rows)} rows {sha(all_rows)}")
    finally:
        conn.close()
    return "\n".join(lines) + "\n"


def test_the_demo_database_is_pinned_event_for_event(demo_db: Path) -> None:
    """tests/golden/demo-digest.txt was written from the demo built by the Python plans
    that preceded data/demo/ (src/jsgj/demo.py of main at 796f322); a change to the plans
    or their interpreter shows here, task by task (JSGJ_UPDATE_GOLDEN=1 rewrites it after
    an intended change)."""
    check_golden("demo-digest.txt", demo_digest(demo_db))


def test_every_event_kind_is_in_the_schema_the_replay_table_and_the_files_header() -> None:
    [union, _field] = get_args(Event)
    kinds = {get_args(get_type_hints(cls)["kind"])[0] for cls in get_args(union)}
    assert kinds == set(REPLAY)
    header = PLANS_YAML.read_text(encoding="utf-8").split("\ncalendar:")[0]
    documented = set(re.findall(r"^#\s{5}(\w+)\s+\{", header, flags=re.M))
    assert documented == kinds


# --- malformed plans ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return fresh_catalog()


def _edited(tmp_path: Path, old: str, new: str, name: str = "plans.yaml") -> tuple[Path, int]:
    """A copy of data/demo/ with one edit, and the line the edit starts on."""
    target = tmp_path / "demo"
    shutil.copytree(DATA / "demo", target, dirs_exist_ok=True)
    text = (target / name).read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    (target / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    return target, text[: text.index(old)].count("\n") + 1


BROKEN = [
    # (what, the text in plans.yaml, its replacement, the code, line offset of the problem)
    ("unknown measure", "  - measure: 1\n", "  - measure: 20\n", "X001", 0),
    ("department not on the measure", "co: [hrss]\n", "co: [taxation]\n", "X001", 0),
    ("done after as_of", "done_on: 2025-04-25", "done_on: 2025-07-25", "X002", 0),
    (
        "due before start",
        "due: 2025-04-30\n    co: [hrss]",
        "due: 2024-12-30\n    co: [hrss]",
        "X002",
        0,
    ),
    ("a block in the holiday", "date: 2025-06-03", "date: 2025-01-29", "X002", 0),
    (
        "two forced reports in a week",
        "date: 2025-06-03",
        "date: 2025-06-03\n            until: 2025-06-05",
        "X002",
        1,
    ),
    ("milestones that fall", "{at: 25, note: 汇总", "{at: 2, note: 汇总", "X003", 0),
    ("a first milestone above 5%", "{at: 5, note: 成立", "{at: 10, note: 成立", "X003", 0),
    (
        "a placeholder a single task cannot fill",
        "note: 汇总13个设区市上报的中职、技工院校招生计划建议数}",
        'note: "{city}汇总13个设区市上报的中职、技工院校招生计划建议数"}',
        "X004",
        0,
    ),
    ("an unknown placeholder", '"{city}研究制定', '"{town}研究制定', "X004", 0),
    (
        "two cancels",
        "      - kind: cancel\n",
        "      - kind: cancel\n        date: 2025-03-13\n        reason: 重复\n"
        "      - kind: cancel\n",
        "X005",
        0,
    ),
    (
        "a wrong 已完成 the office cannot return",
        "            returned: 佐证材料显示",
        "            # returned: 佐证材料显示",
        "X003",
        -7,
    ),
    (
        "a twist for a city that is not there",
        "nanjing: {done_on: 2025-06-13}",
        "nanjin: {done_on: 2025-06-13}",
        "X006",
        0,
    ),
    (
        "an unknown event kind",
        "- kind: mistake\n            date: 2025-05-09",
        "- kind: misstake\n            date: 2025-05-09",
        "S001",
        0,
    ),
    ("an unknown field", "cadence: 14\n", "cadense: 14\n", "S001", 0),
    ("a date that does not exist", "date: 2025-04-22", "date: 2025-02-30", "Y001", 0),
    ("a Python tag", "seed: 37", "seed: !!python/object/apply:os.system [echo]", "Y002", 0),
]


@pytest.mark.parametrize(
    ("old", "new", "code", "offset"),
    [pytest.param(*case[1:], id=case[0]) for case in BROKEN],
)
def test_a_malformed_plan_is_one_problem_at_its_line(
    tmp_path: Path, catalog: Catalog, old: str, new: str, code: str, offset: int
) -> None:
    directory, line = _edited(tmp_path, old, new)
    indicators = load_indicators(paths.indicators_path())
    with pytest.raises(InvalidDataError) as caught:
        load_checked(catalog, indicators, directory)
    first = caught.value.problems[0]
    assert (first.code, first.line) == (code, line + offset), str(caught.value)
    assert first.file.endswith("plans.yaml")


def test_indicator_series_are_checked(tmp_path: Path, catalog: Catalog) -> None:
    directory, line = _edited(
        tmp_path, "      suqian: [24.1", "      suqian: [124.1", "indicators.yaml"
    )
    with pytest.raises(InvalidDataError, match="X007") as caught:
        load_checked(catalog, load_indicators(paths.indicators_path()), directory)
    assert caught.value.problems[0].line == line
    assert "outside 0-100" in str(caught.value)


@pytest.fixture
def demo_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """jsgj reading a writable copy of data/ (the demo's plans under demo/)."""
    shutil.copytree(DATA, tmp_path / "data")
    monkeypatch.setattr(paths, "PACKAGE_DATA", tmp_path / "data")
    monkeypatch.setenv("JSGJ_NO_CACHE", "1")
    yield tmp_path / "data" / "demo"


def test_jsgj_demo_reports_a_malformed_plan_in_one_line_and_builds_nothing(
    jsgj: Invoke, demo_copy: Path, tmp_path: Path
) -> None:
    plans = demo_copy / "plans.yaml"
    text = plans.read_text(encoding="utf-8")
    line = text[: text.index("done_on: 2025-04-25")].count("\n") + 1
    plans.write_text(text.replace("done_on: 2025-04-25", "done_on: 2025-08-25", 1), "utf-8")
    target = tmp_path / "old.db"
    target.write_bytes(b"the old demo")

    result = jsgj("demo", "--db", str(target), "--force")
    assert result.exit_code == 1
    [message] = result.stderr.splitlines()
    assert re.fullmatch(rf"jsgj: error: \S*plans\.yaml:{line}:\d+: X002 done_on: .*", message)
    assert target.read_bytes() == b"the old demo"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".db") == ["old.db"]

    checked = jsgj("validate")
    assert checked.exit_code == 1
    assert f"plans.yaml:{line}:" in checked.stdout and "X002" in checked.stdout


def test_a_twists_events_apply_to_that_citys_share(catalog: Catalog, tmp_path: Path) -> None:
    """A city's own event (here a cancellation) is recorded on its share alone."""
    directory, _line = _edited(
        tmp_path,
        "      huaian: {last_report: 2025-05-16, acknowledged: false}",
        "      huaian:\n        acknowledged: false\n        events:\n"
        "          - {kind: cancel, date: 2025-05-20, reason: 淮安市并入市级统筹}",
    )
    with Store.open(tmp_path / "demo.db", catalog) as store:
        build_demo(store, directory)
        cancelled = store.query("SELECT id FROM tasks WHERE cancelled ORDER BY id")
        last = store.query(
            "SELECT MAX(report_date) AS d FROM progress_reports WHERE task_id = '6-3.huaian'"
        )
    assert [r["id"] for r in cancelled] == ["6-3.huaian", "6-4"]
    assert last[0]["d"] <= "2025-05-20"


# --- what the checks admit, the interpreter can follow --------------------------------------


DATE = re.compile(r"\b2025-\d\d-\d\d\b")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_plan_the_checks_pass_schedules_within_the_demos_half_year(
    data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Move one date of plans.yaml anywhere in 2024-2026: the checks refuse it, or every
    task's reports run between its start and as_of with a percent in 0-100."""
    catalog = fresh_catalog()
    text = PLANS_YAML.read_text(encoding="utf-8")
    spans = [m.span() for m in DATE.finditer(text)]
    a, b = data.draw(st.sampled_from(spans))
    day = data.draw(st.dates(dt.date(2024, 6, 1), dt.date(2026, 6, 30)))
    directory = tmp_path_factory.mktemp("plans")
    shutil.copy(DATA / "demo" / "indicators.yaml", directory)
    (directory / "plans.yaml").write_text(text[:a] + day.isoformat() + text[b:], "utf-8")
    try:
        demo = load_checked(catalog, load_indicators(paths.indicators_path()), directory)
    except InvalidDataError as e:
        assert all(re.fullmatch(r"[XSY]\d{3}", p.code) for p in e.problems)
        return
    rng = random.Random(0)
    for plan in demo.plans:
        lead = catalog.department(plan.lead or catalog.lead_id(catalog.measure(plan.measure)))
        for city in lead.members or (None,):
            twist = plan.twists.get(city) if city else None
            for r in schedule(demo, plan, "t", "x", rng, city=city, city_name="某市", twist=twist):
                assert demo.assigned(plan) <= r.date <= r.recorded <= demo.calendar.as_of
                assert 0 <= r.percent <= 100 and "{" not in r.note


def test_the_shipped_plans_load_without_problems(catalog: Catalog) -> None:
    demo = load_checked(catalog, load_indicators(paths.indicators_path()))
    assert len(demo.plans) == len(load_demo().plans) == len(set(demo.task_ids))
