"""Many hands on one file, a laptop that loses power mid-import, backups under load.

* Concurrency: writer processes append progress reports through jsgj's store (each
  report opens the file, writes one transaction and closes it, as `jsgj progress` does)
  while `jsgj report weekly` runs again and again: every report is there afterwards,
  no "database is locked" reaches anyone, `jsgj db check` passes. A write that stays
  blocked beyond the busy timeout and its retries is refused with one clear line.
* Crash: `jsgj import` of a return is killed with SIGKILL at random moments: after
  each kill the file passes `db check` and holds all of that import or none of it,
  and importing it again works.
* Backup: `jsgj db backup` while writers write gives files that pass `db check` and
  hold a consistent state (each writer's reports up to some point, no gaps).
* The generator of the benchmark database (benchmarks/generate.py) at a small scale:
  it passes `db check`, and its derived state is what the event logs say.

Each runs in a reduced form by default (seconds) and in full under ``make stress``
(``pytest -m stress``): 8 processes x 500 reports, 20 kills of a 10,000-row import.
"""

from __future__ import annotations

import csv
import datetime as dt
import multiprocessing as mp
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, Invoke
from jsgj import paths
from jsgj.catalog.catalog import Catalog
from jsgj.catalog.load import load_catalog
from jsgj.store import db as store_db
from jsgj.store.admin import check_database
from jsgj.store.db import Store
from jsgj.store.tasks import assign, record_progress
from jsgj.values import Status

TODAY = "2025-06-30"


@dataclass(frozen=True)
class Scale:
    writers: int
    reports_each: int
    kills: int
    import_rows: int
    backup_writers: int


REDUCED = Scale(writers=2, reports_each=20, kills=2, import_rows=2_000, backup_writers=2)
FULL = Scale(writers=8, reports_each=500, kills=20, import_rows=10_000, backup_writers=4)
SCALES = [
    pytest.param(REDUCED, id="reduced"),
    pytest.param(FULL, id="full", marks=pytest.mark.stress),
]


def catalog() -> Catalog:
    return load_catalog(paths.measures_path(), paths.departments_path())


def fork_context() -> Any:
    if "fork" not in mp.get_all_start_methods():
        pytest.skip("needs the fork start method")
    return mp.get_context("fork")


def jsgj_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """The real command in its own interpreter (the environment is the test's)."""
    return subprocess.run(
        [sys.executable, "-m", "jsgj", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def seed_tasks(db: Path) -> list[str]:
    """Eight tasks of one department and one task shared out to the 13 cities; returns
    the ids that take reports (writers share them, so they contend for the same rows)."""
    ids: list[str] = []
    with Store.open(db, catalog()) as store:
        for i in range(8):
            ids += assign(store, 7, f"推进企业新型学徒制第{i + 1}批", due=dt.date(2025, 12, 31))
        fan = assign(store, 1, "各市落实职业院校招生计划", lead="cities", due=dt.date(2025, 9, 30))
        ids += fan[1:4]  # three of the city tasks: each write also refreshes their parent
    return ids


def notes_in(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT note FROM progress_reports ORDER BY id")]
    finally:
        conn.close()


def assert_checks_out(db: Path) -> None:
    with Store.open(db, catalog(), create=False) as store:
        assert check_database(store) == []


# --- concurrency ----------------------------------------------------------------------


def writer(db: str, worker: int, count: int, tasks: list[str], start: Event, errors: Any) -> None:
    cat = catalog()
    start.wait()
    for k in range(count):
        try:
            with Store.open(Path(db), cat) as store:
                record_progress(
                    store,
                    tasks[(worker + k) % len(tasks)],
                    status=Status.in_progress,
                    percent=k % 99 + 1,
                    note=f"w{worker} r{k}",
                    by="office",
                    actor_user=f"clerk{worker}",
                )
        except Exception as e:  # reported to the test, which fails on any
            errors.put(f"writer {worker} report {k}: {type(e).__name__}: {e}")


def run_writers(ctx: Any, db: Path, writers: int, each: int, tasks: list[str]) -> tuple[Any, Any]:
    start = ctx.Event()
    errors = ctx.Queue()
    procs = [
        ctx.Process(target=writer, args=(str(db), w, each, tasks, start, errors))
        for w in range(writers)
    ]
    for p in procs:
        p.start()
    start.set()
    return procs, errors


def drain(errors: Any) -> list[str]:
    out = []
    while not errors.empty():
        out.append(errors.get())
    return out


@pytest.mark.parametrize("scale", SCALES)
def test_writers_and_weekly_reports_at_once(
    scale: Scale, db_path: Path, monkeypatch: pytest.MonkeyPatch, jsgj: Invoke
) -> None:
    ctx = fork_context()
    monkeypatch.setenv("JSGJ_TODAY", TODAY)
    tasks = seed_tasks(db_path)
    procs, errors = run_writers(ctx, db_path, scale.writers, scale.reports_each, tasks)

    weekly_runs = 0
    weekly_failures: list[str] = []
    while any(p.is_alive() for p in procs) or weekly_runs < 2:
        done = jsgj_cli("report", "weekly", "--format", "json")
        weekly_runs += 1
        if done.returncode != 0 or done.stderr:
            weekly_failures.append(f"exit {done.returncode}: {done.stderr.strip()}")
    for p in procs:
        p.join(timeout=600)

    assert [p.exitcode for p in procs] == [0] * scale.writers
    assert drain(errors) == []
    assert weekly_failures == []
    expected = {f"w{w} r{k}" for w in range(scale.writers) for k in range(scale.reports_each)}
    notes = notes_in(db_path)
    assert len(notes) == len(expected) and set(notes) == expected
    check = jsgj("db", "check")
    assert (check.exit_code, check.stdout, check.stderr) == (0, "ok\n", "")
    with Store.open(db_path, catalog()) as store:
        leaves = "NOT EXISTS (SELECT 1 FROM tasks k WHERE k.parent_id = t.id)"
        counted = store.query(f"SELECT SUM(report_count) AS n FROM tasks t WHERE {leaves}")
        assert counted[0]["n"] == len(expected)


def test_a_write_blocked_too_long_is_refused_with_one_clear_line(
    jsgj: Invoke, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JSGJ_TODAY", TODAY)
    tasks = seed_tasks(db_path)
    monkeypatch.setattr(store_db, "LOCK_WAIT_SECONDS", 0.3)
    before = notes_in(db_path)
    other = sqlite3.connect(db_path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another writer holds the write lock throughout
        listed = jsgj("tasks", "list", "--json")  # readers are not blocked (WAL)
        assert listed.exit_code == 0
        result = jsgj("progress", tasks[0], "--status", "推进中", "--note", "锁住时的填报")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "another process held the database's write lock" in lines[0]
    assert "nothing was changed" in lines[0] and "another jsgj" not in lines[0]
    assert "database is locked" not in result.stderr
    assert notes_in(db_path) == before
    after = jsgj("progress", tasks[0], "--status", "推进中", "--note", "锁释放后的填报")
    assert after.exit_code == 0


# --- crash: SIGKILL during an import ------------------------------------------------


def write_return(path: Path, tasks: list[str], batch: int, rows: int) -> None:
    """A return (CSV, one 填报单位 per row) of ``rows`` distinct reports."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["任务编号", "填报单位", "状态", "进度%", "日期", "进展情况", "佐证材料"])
        for n in range(rows):
            day = dt.date(2025, 6, 1) + dt.timedelta(days=n % 29)
            w.writerow(
                [
                    tasks[n % len(tasks)],
                    "督查督办",
                    "推进中",
                    n % 98 + 1,
                    day.isoformat(),
                    f"第{batch}批第{n}行：组织技能培训{n % 500 + 10}人次",
                    f"苏人社发〔2025〕{n % 90 + 1}号" if n % 7 == 0 else "",
                ]
            )


def import_count(db: Path, source: str) -> int:
    conn = sqlite3.connect(db)
    try:
        row = conn.execute(
            "SELECT COUNT(*) FROM progress_reports WHERE source LIKE ?", [f"{source}:%"]
        ).fetchone()
        return int(row[0])
    finally:
        conn.close()


@pytest.mark.parametrize("scale", SCALES)
def test_an_import_killed_at_random_moments_leaves_all_or_nothing(
    scale: Scale, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JSGJ_TODAY", TODAY)
    tasks = seed_tasks(db_path)
    rng = random.Random(37)

    # How long an uninterrupted import takes, to spread the kills over all of it:
    # start-up, reading, checking, inserting, refreshing, committing.
    warm = tmp_path / "warm.csv"
    write_return(warm, tasks, 0, scale.import_rows)
    started = time.perf_counter()
    done = jsgj_cli("import", str(warm))
    duration = time.perf_counter() - started
    assert done.returncode == 0, done.stderr

    moments: list[str] = []
    interrupted = 0
    for batch in range(1, scale.kills + 1):
        source = tmp_path / f"batch-{batch}.csv"
        write_return(source, tasks, batch, scale.import_rows)
        delay = rng.uniform(0.0, duration * 1.1)
        proc = subprocess.Popen(
            [sys.executable, "-m", "jsgj", "import", str(source)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        time.sleep(delay)
        running = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        interrupted += running
        found = import_count(db_path, source.name)
        moments.append(f"batch {batch}: killed at {delay:.2f}s, running={running}, held {found}")
        assert found in (0, scale.import_rows), moments
        assert_checks_out(db_path)
        again = jsgj_cli("import", str(source))  # the next import works
        assert again.returncode == 0, (moments, again.stderr)
        assert import_count(db_path, source.name) == scale.import_rows
    assert interrupted > 0, moments  # at least one kill landed mid-import
    assert_checks_out(db_path)


# --- backup under concurrent writes -----------------------------------------------


@pytest.mark.parametrize("scale", SCALES)
def test_backups_taken_while_others_write_are_consistent(
    scale: Scale, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = fork_context()
    monkeypatch.setenv("JSGJ_TODAY", TODAY)
    tasks = seed_tasks(db_path)
    procs, errors = run_writers(ctx, db_path, scale.backup_writers, scale.reports_each, tasks)
    copies: list[Path] = []
    while any(p.is_alive() for p in procs) or len(copies) < 2:
        target = tmp_path / f"backup-{len(copies)}.db"
        done = jsgj_cli("db", "backup", str(target))
        assert done.returncode == 0 and not done.stderr, done.stderr
        copies.append(target)
    for p in procs:
        p.join(timeout=600)
    assert drain(errors) == []

    final = len(notes_in(db_path))
    assert final == scale.backup_writers * scale.reports_each
    for copy in copies:
        assert_checks_out(copy)
        notes = notes_in(copy)
        assert len(notes) <= final
        # Consistent: each writer's reports are there up to some point, with no gap
        # (a writer commits its reports one after another).
        for w in range(scale.backup_writers):
            mine = sorted(int(n.split(" r")[1]) for n in notes if n.startswith(f"w{w} "))
            assert mine == list(range(len(mine))), (copy.name, w, mine)


# --- the benchmark database generator, small --------------------------------------


def test_the_generator_writes_a_sound_database_through_the_store(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    from jsgj.store.queries import task_states

    path = tmp_path / "province-small.db"
    counts = generate.generate(path, tasks=500, reports=10_000, quiet=True)
    assert counts["tasks"] == 500 and counts["progress_reports"] == 10_000
    again = tmp_path / "again.db"
    generate.generate(again, tasks=500, reports=10_000, quiet=True, check=False)
    with Store.open(path, catalog()) as a, Store.open(again, catalog()) as b:
        assert check_database(a) == []
        same = "SELECT * FROM progress_reports ORDER BY id"
        assert a.db.execute(same).fetchall() == b.db.execute(same).fetchall()  # deterministic
        # The derived tables are what the event logs say: the current view equals the
        # view rebuilt from the logs as known on the last day.
        assert task_states(a) == task_states(a, generate.END)
        kinds = dict(a.db.execute("SELECT kind, COUNT(*) FROM task_revisions GROUP BY kind"))
        assert kinds["create"] == 500 and kinds.get("edit", 0) > 0 and kinds.get("cancel", 0) > 0
        corrections = a.db.execute(
            "SELECT COUNT(*) FROM progress_reports WHERE corrects IS NOT NULL"
        ).fetchone()[0]
        assert corrections > 0
        parents = a.db.execute("SELECT COUNT(DISTINCT parent_id) FROM tasks").fetchone()[0]
        assert parents > 0
        # Claims of completion are approved by the office, so tasks are 已办结 (done),
        # and each approval names a claim: a lead's or the office's 已完成 report.
        statuses = dict(a.db.execute("SELECT status, COUNT(*) FROM tasks GROUP BY status"))
        assert statuses.get("done", 0) > 0
        bad = a.db.execute(
            "SELECT COUNT(*) FROM task_events e JOIN progress_reports p ON p.id = e.report_id "
            "WHERE e.kind = 'approve' AND (p.status != 'done' OR p.role = 'co' "
            "OR p.task_id != e.task_id OR e.event_date < p.report_date)"
        ).fetchone()[0]
        approvals = a.db.execute(
            "SELECT COUNT(*) FROM task_events WHERE kind = 'approve'"
        ).fetchone()[0]
        assert approvals > 0 and bad == 0


def test_the_benchmark_runner_measures_peak_memory(tmp_path: Path) -> None:
    """benchmarks/run.py's measuring core, on a trivial command (the full benchmark is
    `make bench`)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import run
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    ctx = run.Context(runs=1, work=tmp_path, env=dict(os.environ))
    figure = ctx.compare(
        "python -c pass",
        [sys.executable, "-c", "pass"],
        "python -c pass",
        [sys.executable, "-c", "x = bytearray(60 * 1024 * 1024)"],
        None,
        warmup=0,
        memory_limit_mb=1000,
    )
    assert figure.peak_mb is not None and figure.floor_peak_mb is not None
    assert figure.floor_peak_mb > figure.peak_mb + 40
    assert figure.ok
    assert "| python -c pass" in run.report([figure])
