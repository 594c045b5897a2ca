"""The row-count ladder (issue 15): each command's median time on databases of
growing size, to see what grows with history (reports) and what with current tasks.

Rungs (tasks, reports): 200/1k, 2,000/10k, 2,000/100k, 20,000/100k, 20,000/1M. From
2,000/10k to 2,000/100k only history grows (x10); from 2,000/100k to 20,000/100k
only the tasks (x10); from 20,000/100k to 20,000/1M history again. A command whose
time grows on a history step and should not is a finding. Commands that take more
than SLOW seconds are run once (the others once to warm up, then ``runs`` times:
the median).
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from run import Context, Province

RUNGS = ((200, 1_000), (2_000, 10_000), (2_000, 100_000), (20_000, 100_000), (20_000, 1_000_000))
SLOW = 5.0

COMMANDS = (
    "--help",
    "tasks list",
    "tasks list --json",
    "tasks list --department 人社厅 --json",
    "tasks list --as-of 2029-06-30 --json",
    "tasks list --known-on 2031-12-31 --json",
    "tasks show {task}",
    "report weekly --format json",
    "matrix --tasks --format json",
    "search 用地 --json",
    "progress {task} --status 推进中 --percent 50 --note 本周召开推进会。",
)
"""Each is run as ``jsgj`` + its words (the last is a write, on a copy); ``{task}``:
the first open task of one department (neither shared out nor a city's share)."""


def ladder(
    ctx: Context,
    province: Callable[[Context, int, int], Province],
    runs: int = 3,
    rungs: tuple[tuple[int, int], ...] = RUNGS,
) -> str:
    """The ladder as a Markdown table (seconds; peak MB of the largest rung)."""
    times: dict[str, list[str]] = {name: [] for name in COMMANDS}
    peaks: dict[str, float] = {}
    for tasks, reports in rungs:
        p = province(ctx, tasks, reports)
        copy = ctx.work / "ladder.db"
        for suffix in ("-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(p.db, copy)  # the write goes to a copy
        env = {"JSGJ_DB": str(copy), "JSGJ_TODAY": p.today}
        conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        (task,) = conn.execute(
            "SELECT id FROM tasks t WHERE parent_id IS NULL AND NOT cancelled "
            "AND status NOT IN ('done', 'pending_review') "
            "AND NOT EXISTS (SELECT 1 FROM tasks k WHERE k.parent_id = t.id) "
            "ORDER BY measure, seq LIMIT 1"
        ).fetchone()
        conn.close()
        for name in COMMANDS:
            argv = name.format(task=task).split()
            first = ctx.run_once([*ctx.jsgj, *argv], env)  # the warm-up, unless slow
            samples = [first]
            if first < SLOW:
                samples = [ctx.run_once([*ctx.jsgj, *argv], env) for _ in range(runs)]
            times[name].append(f"{statistics.median(samples):.2f}")
            peaks[name] = max(ctx.peaks[-len(samples) :])
            print(f"  ladder {tasks}/{reports} {name}: {times[name][-1]} s", flush=True)
    head = ["command", *(f"{t:,} tasks / {r:,} reports" for t, r in rungs), "peak MB (largest)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for name in COMMANDS:
        lines.append("| " + " | ".join([name, *times[name], f"{peaks[name]:.0f}"]) + " |")
    return "\n".join(lines)
