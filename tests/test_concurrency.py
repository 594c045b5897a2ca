"""Several processes appending progress to one file at once while another reads and
backs it up: every report is there afterwards, and `jsgj db check` passes."""

from __future__ import annotations

import json
import multiprocessing as mp
import subprocess
import sys
from multiprocessing.synchronize import Event
from pathlib import Path

import pytest

from conftest import Invoke
from jsgj import paths
from jsgj.catalog.load import load_catalog
from jsgj.store.admin import backup_to, check_database
from jsgj.store.db import Store
from jsgj.store.queries import task_states
from jsgj.store.tasks import record_progress
from jsgj.values import Status

WRITERS = 4  # processes using the store directly, as the CLI does: open, write, close
REPORTS_EACH = 25
CLI_WRITERS = 3  # processes running `python -m jsgj progress`
CLI_REPORTS_EACH = 2


def writer(db: str, worker: int, start: Event, errors: mp.Queue[str]) -> None:
    catalog = load_catalog(paths.measures_path(), paths.departments_path())
    start.wait()
    for k in range(REPORTS_EACH):
        try:
            # every writer appends to its own task and to the shared task 7-1
            task = "7-1" if k % 2 else f"7-{worker + 2}"
            with Store.open(Path(db), catalog) as store:
                record_progress(
                    store,
                    task,
                    status=Status.in_progress,
                    percent=k + 1,
                    note=f"writer {worker} report {k}",
                    by="hrss",
                )
        except Exception as e:  # reported to the test, which fails on it
            errors.put(f"writer {worker} report {k}: {type(e).__name__}: {e}")


def reader(db: str, backup: str, start: Event, stop: Event, out: mp.Queue[str]) -> None:
    catalog = load_catalog(paths.measures_path(), paths.departments_path())
    start.wait()
    reads = 0
    try:
        while not stop.is_set():
            with Store.open(Path(db), catalog) as store:
                states = task_states(store)
                assert len(states) == WRITERS + 1
                assert all(0 <= s.percent <= REPORTS_EACH for s in states)
                if reads % 10 == 0:
                    backup_to(store, Path(backup))
            reads += 1
        out.put(f"reads {reads}")
    except Exception as e:
        out.put(f"reader: {type(e).__name__}: {e}")


def test_concurrent_writers_and_a_reader(
    jsgj: Invoke, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if "fork" not in mp.get_all_start_methods():
        pytest.skip("needs the fork start method")
    ctx = mp.get_context("fork")
    monkeypatch.setenv("JSGJ_TODAY", "2025-01-10")  # os.environ: every process inherits it
    for i in range(WRITERS + 1):
        assert jsgj("assign", "7", "--title", f"任务{i + 1}").exit_code == 0
    start, stop = ctx.Event(), ctx.Event()
    errors: mp.Queue[str] = ctx.Queue()
    out: mp.Queue[str] = ctx.Queue()
    backup = tmp_path / "backup.db"
    procs = [
        ctx.Process(target=writer, args=(str(db_path), w, start, errors)) for w in range(WRITERS)
    ]
    read = ctx.Process(target=reader, args=(str(db_path), str(backup), start, stop, out))
    for p in [*procs, read]:
        p.start()
    start.set()
    cli = [
        subprocess.Popen(
            [sys.executable, "-c", _CLI_LOOP, str(db_path), str(w)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(CLI_WRITERS)
    ]
    outputs = [p.communicate(timeout=60) for p in cli]
    for p in procs:
        p.join(timeout=60)
    stop.set()
    read.join(timeout=60)

    assert [p.exitcode for p in procs] == [0] * WRITERS
    assert [p.returncode for p in cli] == [0] * CLI_WRITERS, outputs
    failures = []
    while not errors.empty():
        failures.append(errors.get())
    assert failures == []
    result = out.get(timeout=5)
    assert result.startswith("reads "), result
    assert int(result.split()[1]) > 0

    notes = [
        json.loads(jsgj("tasks", "show", f"7-{t}", "--json").stdout)["timeline"]
        for t in range(1, WRITERS + 2)
    ]
    recorded = {e["note"] for timeline in notes for e in timeline if e["event"] == "report"}
    expected = {f"writer {w} report {k}" for w in range(WRITERS) for k in range(REPORTS_EACH)}
    expected |= {f"cli {w} report {k}" for w in range(CLI_WRITERS) for k in range(CLI_REPORTS_EACH)}
    assert recorded == expected

    check = jsgj("db", "check")
    assert (check.exit_code, check.stdout, check.stderr) == (0, "ok\n", "")
    catalog = load_catalog(paths.measures_path(), paths.departments_path())
    with Store.open(db_path, catalog) as store:
        total = store.query("SELECT SUM(report_count) AS n FROM tasks")[0]["n"]
        assert total == len(expected)
    with Store.open(backup, catalog) as copy:  # a consistent snapshot taken mid-way
        assert check_database(copy) == []


# Each CLI writer is a separate interpreter running the installed entry point's code.
_CLI_LOOP = f"""
import subprocess, sys
db, worker = sys.argv[1], sys.argv[2]
for k in range({CLI_REPORTS_EACH}):
    subprocess.run(
        [sys.executable, "-m", "jsgj", "--db", db, "progress", "7-1", "--status", "推进中",
         "--note", f"cli {{worker}} report {{k}}", "--by", "office"],
        check=True,
    )
"""
