"""Taskwarrior as an anchor (issue 15): the same tasks in Taskwarrior (Debian's
``taskwarrior``, 2.6 here), their reports as annotations, and jsgj's everyday commands
beside Taskwarrior's nearest ones, plus the framework floor of a one-task command
(benchmarks/floor_db.py: a minimal Typer command opening the same SQLite file).

    jsgj tasks list           task list            (every task pending, so both list all)
    jsgj tasks show ID        task N info
    jsgj assign M --title     task add
    jsgj progress ID          task N annotate
    jsgj tasks list --json    task export

When ``task`` is not installed (the bench target tries ``apt-get install taskwarrior``)
the anchor is skipped and said so.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from run import Context, Figure, Province

ANCHOR_TASKS = 2_000
ANCHOR_REPORTS = 10_000
FLOOR_DB = Path(__file__).resolve().parent / "floor_db.py"


def _tw_time(day: str) -> str:
    return dt.date.fromisoformat(day).strftime("%Y%m%dT000000Z")


def taskwarrior_json(db: Path) -> tuple[list[dict[str, object]], list[str]]:
    """The database's tasks in Taskwarrior's import format (all pending: ``task
    list`` then lists every one, as ``jsgj tasks list`` does), each valid report of
    the lead or the office an annotation; and the jsgj ids in Taskwarrior's order."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    notes: dict[str, list[dict[str, str]]] = {}
    for task_id, day, note in conn.execute(
        "SELECT task_id, report_date, note FROM progress_reports p WHERE role != 'co' AND "
        "NOT EXISTS (SELECT 1 FROM progress_reports c WHERE c.corrects = p.id) ORDER BY id"
    ):
        notes.setdefault(task_id, []).append({"entry": _tw_time(day), "description": note})
    out: list[dict[str, object]] = []
    ids: list[str] = []
    for task_id, measure, title, lead, created, due, status in conn.execute(
        "SELECT id, measure, title, lead, created_on, due_date, status FROM tasks "
        "ORDER BY measure, seq, parent_id IS NOT NULL, rowid"
    ):
        task: dict[str, object] = {
            "description": title,
            "project": f"measure{measure}",
            "status": "pending",
            "entry": _tw_time(created),
            "tags": [lead, status],
        }
        if due:
            task["due"] = _tw_time(due)
        if task_id in notes:
            task["annotations"] = notes[task_id]
        out.append(task)
        ids.append(task_id)
    conn.close()
    return out, ids


def taskwarrior_env(ctx: Context, db: Path) -> tuple[dict[str, str], list[str]] | None:
    """A Taskwarrior data directory holding ``db``'s tasks (imported once, untimed);
    None when ``task`` is not installed."""
    task = shutil.which("task")
    if task is None:
        return None
    home = ctx.work / "taskwarrior"
    data = home / "data"
    data.mkdir(parents=True, exist_ok=True)
    rc = home / "taskrc"
    rc.write_text(
        f"data.location={data}\nconfirmation=off\ncolor=off\nnews.version=9.9.9\n"
        "hooks=off\ndetection=off\ndefaultwidth=80\n",
        encoding="utf-8",
    )
    env = {"TASKRC": str(rc), "TASKDATA": str(data)}
    tasks, ids = taskwarrior_json(db)
    source = home / "tasks.json"
    source.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    subprocess.run(
        [task, "import", str(source)],
        env={**ctx.env, **env},
        capture_output=True,
        check=True,
    )
    return env, ids


def bench_taskwarrior(
    ctx: Context, province: Callable[[Context, int, int], Province]
) -> list[Figure]:
    """jsgj's everyday commands on 2,000 tasks, each beside Taskwarrior's on the same
    tasks (the anchor), and the one-task commands beside the framework floor."""
    p = province(ctx, ANCHOR_TASKS, ANCHOR_REPORTS)
    copy = ctx.work / "anchor.db"
    for suffix in ("-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(p.db, copy)
    conn = sqlite3.connect(copy)
    conn.execute("CREATE TABLE IF NOT EXISTS bench_floor (id INTEGER PRIMARY KEY, note TEXT)")
    # The task `tasks show` shows: the lead task with the most reports.
    show, lead = conn.execute(
        "SELECT t.id, t.lead FROM tasks t JOIN progress_reports p ON p.task_id = t.id "
        "WHERE t.parent_id IS NULL AND NOT t.cancelled AND t.status != 'done' "
        "AND NOT EXISTS (SELECT 1 FROM tasks k WHERE k.parent_id = t.id) "
        "GROUP BY t.id ORDER BY COUNT(*) DESC, t.id LIMIT 1"
    ).fetchone()
    conn.commit()
    conn.close()
    env = {"JSGJ_DB": str(copy), "JSGJ_TODAY": p.today}
    jsgj = ctx.jsgj
    floor_db = [sys.executable, str(FLOOR_DB)]
    progress = [*jsgj, "progress", show, "--by", lead, "--status", "推进中", "--percent", "50"]
    progress += ["--note", "本周召开推进会，进展顺利。"]
    assign = [*jsgj, "assign", "3", "--title", "组织实施技能大师工作室认定工作", "--due"]
    assign += ["2035-12-31"]
    reading = "framework floor: Typer command reading one row"
    writing = "framework floor: Typer command writing one row"
    framework = [
        (f"jsgj tasks show {show}", [*jsgj, "tasks", "show", show], reading,
         [*floor_db, "show", str(copy), show]),
        ("jsgj assign", assign, writing, [*floor_db, "write", str(copy)]),
        ("jsgj progress", progress, writing, [*floor_db, "write", str(copy)]),
    ]  # fmt: skip
    figures = [
        ctx.compare(name, ours, label, theirs, 1.2, env=env)
        for name, ours, label, theirs in framework
    ]
    # Unjudged: the same floor with the collector held through start-up as jsgj's
    # console script holds it (floor_db.py FLOOR_GC=held): what jsgj's own code costs.
    held = {**env, "FLOOR_GC": "held"}
    for name, ours, label, theirs in framework:
        figures.append(
            ctx.compare(
                f"{name}, beside the floor holding the collector as jsgj does",
                ours,
                label + ", collector held",
                theirs,
                None,
                env=held,
            )
        )
    found = taskwarrior_env(ctx, copy)
    if found is None:
        print("  taskwarrior not installed (apt-get install taskwarrior): anchor skipped")
        return figures
    tw_env, ids = found
    task = shutil.which("task") or "task"
    number = str(ids.index(show) + 1)
    both = {**env, **tw_env}
    n = f"{ANCHOR_TASKS:,} tasks"
    pairs = [
        (f"jsgj tasks list ({n})", [*jsgj, "tasks", "list"], "task list", [task, "list"]),
        (
            f"jsgj tasks show {show}",
            [*jsgj, "tasks", "show", show],
            f"task {number} info",
            [task, number, "info"],
        ),  # fmt: skip
        ("jsgj assign", assign, "task add", [task, "add", "组织实施技能大师工作室认定工作"]),
        (
            "jsgj progress",
            progress,
            f"task {number} annotate",
            [task, number, "annotate", "本周召开推进会，进展顺利。"],
        ),  # fmt: skip
        (
            f"jsgj tasks list --json ({n})",
            [*jsgj, "tasks", "list", "--json"],
            "task export",
            [task, "export"],
        ),  # fmt: skip
    ]
    for name, ours, label, theirs in pairs:
        figures.append(
            ctx.compare(
                f"{name} vs Taskwarrior",
                ours,
                f"Taskwarrior: {label}",
                theirs,
                None,
                env=both,
                runs=ctx.db_runs,
            )  # fmt: skip
        )
    return figures
