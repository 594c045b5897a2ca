"""Start-up benchmarks: jsgj against the framework floor, measured in the same run.

    python benchmarks/run.py [--runs N] [--only NAME ...] [--check]

Each figure is the median wall time of N runs of a fresh process (subprocess, so
interpreter start, imports and all), next to its floor: the same measurement of
benchmarks/floor_app.py, a minimal two-command Typer app with jsgj's rich help.
Runs of a command and of its floor alternate, so machine noise hits both alike.
Targets are ratios to the floor. ``--check`` exits 1 when a target is missed.

The province-scale figures (``tasks list --as-of``, ``report weekly``, ``matrix --tasks``,
``import``) run on the database of benchmarks/generate.py (20,000 tasks, 1,000,000
reports; generated once and cached under benchmarks/work/), against hand-written SQL
of the same figures run by the ``sqlite3`` shell (or, where the shell is missing, by
Python's sqlite3 module, which the table then names), and against a plain
``executemany`` for the import. They also report each process's peak memory
(``os.wait4``'s ru_maxrss), with a limit where the issue sets one.

Adding a benchmark: write ``def bench_x(ctx: Context) -> list[Figure]`` (use
``ctx.compare`` or ``ctx.median``) and append it to BENCHMARKS. Standard library only
at import time; the province benchmarks import benchmarks/generate.py (and so jsgj).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FLOOR_APP = HERE / "floor_app.py"


@dataclass(frozen=True)
class Figure:
    """One measured command: its median, its floor's median, and the target ratio."""

    name: str
    seconds: float
    floor_name: str
    floor_seconds: float
    target: float | None = None
    peak_mb: float | None = None
    """The command's peak resident memory (the largest of its runs)."""
    floor_peak_mb: float | None = None
    memory_limit_mb: float | None = None

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor_seconds

    @property
    def ok(self) -> bool:
        fast = self.target is None or self.ratio <= self.target
        lean = self.memory_limit_mb is None or (
            self.peak_mb is not None and self.peak_mb <= self.memory_limit_mb
        )
        return fast and lean

    @property
    def judged(self) -> bool:
        return self.target is not None or self.memory_limit_mb is not None


_FORK = hasattr(os, "fork") and hasattr(os, "wait4")

# Runs argv[2:] as its child, then writes "<wall seconds> <peak RSS KiB>" of that child
# to argv[1] and exits with its exit status. `python -S`: a few MB, below any command.
_LAUNCHER = """
import os, sys, time
out, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(argv[0], argv)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - start
with open(out, "w") as f:
    f.write(f"{elapsed!r} {usage.ru_maxrss}")
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


@dataclass
class Context:
    """What a benchmark needs: how to run jsgj and the floor, a scratch directory
    (its own cache, database and data-file variables), and the number of runs."""

    runs: int
    work: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def jsgj(self) -> list[str]:
        """The installed console script next to this interpreter, else ``python -m jsgj``."""
        script = Path(sys.executable).parent / ("jsgj.exe" if os.name == "nt" else "jsgj")
        return [str(script)] if script.exists() else [sys.executable, "-m", "jsgj"]

    @property
    def floor(self) -> list[str]:
        return [sys.executable, str(FLOOR_APP)]

    db_runs: int = 7
    """Runs per command of the province-scale benchmarks (each takes a second or so)."""
    peaks: list[float] = field(default_factory=list)
    """Peak memory (MB) of every run, in order."""
    tasks: int | None = None
    reports: int | None = None
    """The province database's scale (None: generate.py's default)."""

    def run_once(
        self,
        argv: Sequence[str],
        env: dict[str, str] | None = None,
        stdin: Path | None = None,
    ) -> float:
        """Wall time of one run (its peak memory goes to ``peaks``); a failing command
        stops the benchmark.

        The command runs as the grandchild of this process, under a small launcher that
        times it and reads its peak memory with wait4: Linux carries a process's
        high-water mark across fork and exec, so a command started straight from this
        (large) process would report this process's memory as its own."""
        with tempfile.TemporaryDirectory() as scratch:
            result = Path(scratch) / "result"
            launch = [sys.executable, "-S", "-c", _LAUNCHER, str(result)] if _FORK else []
            err_path = Path(scratch) / "stderr"
            with (
                err_path.open("wb") as err,
                stdin.open("rb") if stdin else open(os.devnull, "rb") as source,
            ):
                start = time.perf_counter()
                done = subprocess.run(
                    [*launch, *argv],
                    cwd=self.work,
                    env={**self.env, **(env or {})},
                    stdin=source,
                    stdout=subprocess.DEVNULL,
                    stderr=err,
                    check=False,
                )
                elapsed = time.perf_counter() - start
            if done.returncode != 0:
                raise SystemExit(
                    f"benchmark command failed ({done.returncode}): {' '.join(argv)}\n"
                    + err_path.read_text("utf-8", "replace")
                )
            if _FORK:
                seconds, peak_kib = result.read_text().split()
                elapsed = float(seconds)
                self.peaks.append(int(peak_kib) / 1024)  # ru_maxrss is in KiB on Linux
            else:
                self.peaks.append(float("nan"))
        return elapsed

    def median(self, argv: Sequence[str], warmup: int = 1) -> float:
        for _ in range(warmup):
            self.run_once(argv)
        return statistics.median(self.run_once(argv) for _ in range(self.runs))

    def compare(
        self,
        name: str,
        argv: Sequence[str],
        floor_name: str,
        floor_argv: Sequence[str],
        target: float | None,
        warmup: int = 1,
        *,
        runs: int | None = None,
        env: dict[str, str] | None = None,
        floor_stdin: Path | None = None,
        before: Callable[[], None] | None = None,
        memory_limit_mb: float | None = None,
    ) -> Figure:
        """Median of ``argv`` and of ``floor_argv``, their runs interleaved. ``before``
        (untimed) runs before every run of either, e.g. to restore a database copy."""
        prepare = before or (lambda: None)
        for _ in range(warmup):
            prepare()
            self.run_once(argv, env)
            prepare()
            self.run_once(floor_argv, env, floor_stdin)
        ours: list[float] = []
        floor: list[float] = []
        our_peaks: list[float] = []
        floor_peaks: list[float] = []
        for _ in range(runs or self.runs):
            prepare()
            ours.append(self.run_once(argv, env))
            our_peaks.append(self.peaks[-1])
            prepare()
            floor.append(self.run_once(floor_argv, env, floor_stdin))
            floor_peaks.append(self.peaks[-1])
        return Figure(
            name,
            statistics.median(ours),
            floor_name,
            statistics.median(floor),
            target,
            peak_mb=max(our_peaks) if _FORK else None,
            floor_peak_mb=max(floor_peaks) if _FORK else None,
            memory_limit_mb=memory_limit_mb,
        )


# --- the benchmarks -----------------------------------------------------------------

FLOOR_HELP = "floor_app.py --help"


def bench_help(ctx: Context) -> list[Figure]:
    """`jsgj --help` must cost no more than Typer's own floor (imports nothing heavy)."""
    return [
        ctx.compare("jsgj --help", [*ctx.jsgj, "--help"], FLOOR_HELP, [*ctx.floor, "--help"], 1.15)
    ]


FLOOR_COMMAND = "floor_app.py count --json"


def bench_measures_list(ctx: Context) -> list[Figure]:
    """`jsgj measures list --json` with a warm catalogue cache (the warm-up run fills it),
    within 1.15x of the minimal Typer app running a command of its own (issue 15):
    `count --json`, an int option and a flag. Running any command costs Typer 0.29 more
    than printing help (it builds each parameter's Pydantic adapter, importing
    Pydantic); --help is measured against the app's --help above. The same command
    beside the app's --help is shown too, unjudged, for what Typer's parameter
    handling costs."""
    argv = [*ctx.jsgj, "measures", "list", "--json"]
    return [
        ctx.compare(
            "jsgj measures list --json (warm cache)",
            argv,
            FLOOR_COMMAND,
            [*ctx.floor, "count", "--json"],
            1.15,
        ),
        ctx.compare(
            "jsgj measures list --json (warm cache), beside --help",
            argv,
            FLOOR_HELP,
            [*ctx.floor, "--help"],
            None,
        ),
        # jsgj's console script holds the collector through start-up (jsgj.cli.main):
        # the app doing the same, for what jsgj's own code costs.
        ctx.compare(
            "jsgj measures list --json (warm cache), beside the app holding the collector",
            argv,
            FLOOR_COMMAND + ", collector held",
            [*ctx.floor, "count", "--json"],
            None,
            env={"FLOOR_GC": "held"},
        ),
    ]


# --- province scale -----------------------------------------------------------------
#
# The database of benchmarks/generate.py, viewed on its last day (JSGJ_TODAY). Each
# view's floor is benchmarks/floor_sql.py: plain sqlite3 and plain Python giving the
# same figures (each task's state and light; the weekly report's and the matrix's
# counts), the tightest we could write, run as ``python -S``. Before a view is timed,
# its floor's figures are compared with jsgj's JSON (``verify``): a floor that
# disagrees stops the benchmark.

AS_OF_BACK = "2029-06-30"
"""Five years before the generated data's last day."""
KNOWN_ON = "2031-12-31"
"""What had been recorded by then (the system-time axis)."""
MEMORY_LIMIT_MB = 100.0
IMPORT_ROWS = 10_000
FLOOR_SQL = HERE / "floor_sql.py"


@dataclass
class Province:
    db: Path
    today: str
    config: Path
    """floor_sql.py's configuration (thresholds, holders, named departments)."""


_province: dict[tuple[int, int], Province] = {}


def floor_config(today: str, path: Path) -> Path:
    """What floor_sql.py needs from jsgj's catalogue and data/lights.yaml, as JSON."""
    import datetime as dt
    import json

    from jsgj import paths
    from jsgj.catalog.load import load_catalog
    from jsgj.status import load_thresholds

    catalog = load_catalog(paths.measures_path(), paths.departments_path())
    t = load_thresholds(paths.lights_path())
    holders = {}
    for d in catalog.departments:
        group = catalog.group_of(d.id)
        holders[d.id] = sorted({d.id, *d.members}) + ([group.id] if group else [])
    day = dt.date.fromisoformat(today)
    start = day - dt.timedelta(days=day.weekday())
    config = {
        "today": today,
        "week_start": start.isoformat(),
        "week_end": (start + dt.timedelta(days=6)).isoformat(),
        "thresholds": {
            "pace": t.pace_margin,
            "soon": t.due_soon_days,
            "stalled": t.stalled_days,
            "ack": t.ack_days,
        },
        "holders": holders,
        "named": [d.id for d in catalog.named()],
        "short": {d.id: d.short for d in catalog.departments},
    }
    path.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    return path


def province(ctx: Context, tasks: int | None = None, reports: int | None = None) -> Province:
    """The cached province database (generated on first use) at the run's scale, or
    at ``tasks``/``reports`` (the ladder)."""
    sys.path.insert(0, str(HERE))
    import generate  # imports jsgj: only the province benchmarks need it

    key = (tasks or ctx.tasks or generate.TASKS, reports or ctx.reports or generate.REPORTS)
    if key not in _province:
        db = generate.province_db(tasks=key[0], reports=key[1])
        today = generate.END.isoformat()
        config = floor_config(today, ctx.work / f"floor-{key[0]}-{key[1]}.json")
        _province[key] = Province(db=db, today=today, config=config)
    return _province[key]


def floor(p: Province, view: str, *args: str) -> list[str]:
    return [sys.executable, "-S", str(FLOOR_SQL), str(p.config), str(p.db), view, *args]


def _run_json(argv: Sequence[str], env: dict[str, str]) -> object:
    import json

    done = subprocess.run(argv, env=env, capture_output=True, check=True)
    return json.loads(done.stdout)


def _line_key(task: dict[str, object]) -> tuple[object, ...]:
    return (task["id"], task["status"], task["percent"], task["light"])


def verify(ctx: Context, p: Province, view: str, jsgj_argv: Sequence[str], *args: str) -> str:
    """Compare floor_sql.py's figures with jsgj's JSON of the same view; a
    disagreement stops the benchmark. Returns what was compared, for the record."""
    env = {**ctx.env, **_env(p)}
    ours = _run_json(jsgj_argv, env)
    theirs = _run_json(floor(p, view, *args), env)
    problems: list[str] = []
    if view in ("list", "as-of", "known-on"):
        assert isinstance(ours, list) and isinstance(theirs, list)
        a = sorted(_line_key(t) for t in ours)
        b = sorted((r[0], r[8], r[9], r[14]) for r in theirs)
        if a != b:
            problems.append(f"{len(set(a) ^ set(b))} task lines differ")
        what = f"{len(a)} task lines (state, percent, light)"
    elif view == "weekly":
        assert isinstance(ours, dict) and isinstance(theirs, dict)
        problems += _verify_weekly(ours, theirs)
        what = "summary, measures, departments, week's reports, chase list, deadlines"
    else:
        assert isinstance(ours, dict) and isinstance(theirs, dict)
        problems += _verify_matrix(ours, theirs)
        what = "columns, rows as lead and as co, cells"
    if problems:
        raise SystemExit(f"floor_sql.py {view} disagrees with jsgj: " + "; ".join(problems))
    return what


_TALLY = ("tasks", "done", "pending_review", "overdue", "overdue_days", "red", "yellow")
_TALLY += ("blue", "green", "cancelled")


def _same_tally(name: str, j: dict[str, object], f: dict[str, object] | None) -> list[str]:
    f = f or {}
    return [
        f"{name} {k}: {j[k]} != {f.get('pending' if k == 'pending_review' else k, 0)}"
        for k in _TALLY
        if k in j and j[k] != f.get("pending" if k == "pending_review" else k, 0)
    ]


def _verify_weekly(j: dict[str, Any], f: dict[str, Any]) -> list[str]:
    out: list[str] = []
    s, t = f["summary"], j["summary"]
    for k in ("tasks", "cancelled", "overdue", "statuses", "reports_this_week"):
        if s[k] != t[k]:
            out.append(f"summary {k}")
    if {k: s[k] for k in t["lights"]} != t["lights"]:
        out.append("summary lights")
    if s["open_reported"] != t["open_tasks_reported_this_week"]:
        out.append("open tasks reported")
    for m in j["measures"]:
        fm = f["measures"].get(str(m["number"])) or {}
        if [m[k] for k in ("tasks", "done", "red", "yellow")] != [
            fm.get(k, 0) for k in ("tasks", "done", "red", "yellow")
        ]:
            out.append(f"measure {m['number']}")
    for d in j["departments"]:
        fd = f["departments"].get(d["id"]) or {}
        out += _same_tally(f"{d['id']} as lead", d["as_lead"], fd.get("as_lead"))
        out += _same_tally(f"{d['id']} as co", d["as_co"], fd.get("as_co"))
    if sum(len(x["items"]) for x in j["reports"]) != len(f["reports"]):
        out.append("week's reports")
    if sum(len(x["tasks"]) for x in j["chase"]) != sum(len(v) for v in f["chase"].values()):
        out.append("chase list")
    if len(j["deadlines"]) != len(f["deadlines"]):
        out.append("deadlines")
    return out


def _verify_matrix(j: dict[str, Any], f: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for m in j["measures"]:
        c = f["columns"].get(str(m["number"])) or {}
        if (m["tasks"], m["done"]) != (c.get("tasks", 0), c.get("done", 0)):
            out.append(f"column {m['number']}")
    rows = {did: row or {} for did, row in f["departments"]}
    for d in j["departments"]:
        fd = rows.get(d["id"], {})
        out += _same_tally(f"{d['id']} as lead", d["as_lead"], fd.get("as_lead"))
        out += _same_tally(f"{d['id']} as co", d["as_co"], fd.get("as_co"))
        for m, c in d["cells"].items():
            fc = (fd.get("cells") or {}).get(m) or {}
            if (c["tasks"], c["done"]) != (fc.get("tasks", 0), fc.get("done", 0)):
                out.append(f"cell {d['id']} x {m}")
    return out


_PY_SQL_SHELL = """
import json, sqlite3, sys
db, script = sys.argv[1], open(sys.argv[2], encoding="utf-8").read()
conn = sqlite3.connect(db)
conn.row_factory = sqlite3.Row
out = sys.stdout
for statement in script.split(";\\n"):
    lines = [x for x in statement.splitlines() if not x.startswith(".")]
    sql = "\\n".join(lines).strip()
    if not sql:
        continue
    rows = conn.execute(sql).fetchall()
    if rows:
        json.dump([dict(r) for r in rows], out, ensure_ascii=False)
        out.write("\\n")
"""


def sql_floor(ctx: Context, db: Path, name: str, script: str) -> tuple[str, list[str]]:
    """(label, argv) running ``script`` on ``db``: the sqlite3 shell, or where it is
    not installed Python's sqlite3 module (said in the label)."""
    path = ctx.work / f"{name}.sql"
    path.write_text(script, encoding="utf-8")
    shell = shutil.which("sqlite3")
    if shell:
        return f"sqlite3 shell: {name}.sql", [shell, "-bail", "-readonly", str(db), f".read {path}"]
    runner = ctx.work / "sql_shell.py"
    runner.write_text(_PY_SQL_SHELL, encoding="utf-8")
    return (
        f"python sqlite3 (no sqlite3 shell): {name}.sql",
        [sys.executable, str(runner), str(db), str(path)],
    )


def _env(p: Province) -> dict[str, str]:
    return {"JSGJ_DB": str(p.db), "JSGJ_TODAY": p.today}


def _view(
    ctx: Context,
    name: str,
    argv: Sequence[str],
    view: str,
    *args: str,
    target: float | None = 2.0,
    memory: float | None = None,
) -> Figure:
    """A province view against floor_sql.py's ``view``, after checking they agree."""
    p = province(ctx)
    json_argv = [*argv] if "json" in " ".join(argv) else [*argv, "--json"]
    checked = verify(ctx, p, view, [*ctx.jsgj, *json_argv], *args)
    return ctx.compare(
        name,
        [*ctx.jsgj, *argv],
        f"floor_sql.py {' '.join((view, *args))} (same {checked.split(' (')[0]})",
        floor(p, view, *args),
        target,
        runs=ctx.db_runs,
        env=_env(p),
        memory_limit_mb=memory,
    )


def bench_list(ctx: Context) -> list[Figure]:
    """`jsgj tasks list --json` (current view), `--department 人社厅` (issue 12,
    item 4: filters answered by SQL) and the table (issue 15: under 2x its floor)."""
    return [
        _view(ctx, "jsgj tasks list --json", ["tasks", "list", "--json"], "list"),
        _view(
            ctx,
            "jsgj tasks list --department 人社厅 --json",
            ["tasks", "list", "--department", "人社厅", "--json"],
            "list",
            "hrss",
        ),
        _table(ctx),
    ]


def _table(ctx: Context) -> Figure:
    """`jsgj tasks list` (the table, 20,000 tasks, to a pipe: plain lines at 80
    columns) against floor_sql.py's ``table``: the same rows, checked by their JSON."""
    p = province(ctx)
    checked = verify(ctx, p, "list", [*ctx.jsgj, "tasks", "list", "--json"])
    return ctx.compare(
        "jsgj tasks list (table, to a pipe)",
        [*ctx.jsgj, "tasks", "list"],
        f"floor_sql.py table (same {checked.split(' (')[0]}, as fixed-width lines)",
        floor(p, "table"),
        2.0,
        runs=ctx.db_runs,
        env={**_env(p), "COLUMNS": "80"},
        memory_limit_mb=100,
    )


def bench_as_of(ctx: Context) -> list[Figure]:
    """The two time axes (issue 12, item 1): `--as-of` five years back (application
    time, everything recorded) and `--known-on` (system time), from the event logs."""
    return [
        _view(
            ctx,
            f"jsgj tasks list --as-of {AS_OF_BACK} --json",
            ["tasks", "list", "--as-of", AS_OF_BACK, "--json"],
            "as-of",
            AS_OF_BACK,
        ),
        _view(
            ctx,
            f"jsgj tasks list --known-on {KNOWN_ON} --json",
            ["tasks", "list", "--known-on", KNOWN_ON, "--json"],
            "known-on",
            KNOWN_ON,
        ),
    ]


def bench_weekly(ctx: Context) -> list[Figure]:
    """`jsgj report weekly --format json` on the province database (current view)."""
    argv = ["report", "weekly", "--format", "json"]
    return [_view(ctx, "jsgj report weekly --format json", argv, "weekly", memory=MEMORY_LIMIT_MB)]


def bench_matrix(ctx: Context) -> list[Figure]:
    """`jsgj matrix --tasks --format json` on the province database."""
    argv = ["matrix", "--tasks", "--format", "json"]
    return [_view(ctx, "jsgj matrix --tasks --format json", argv, "matrix", memory=MEMORY_LIMIT_MB)]


# The event tables' triggers (hash chain, search index) call two SQL functions that
# any connection inserting events must register: the floor does, with jsgj's own.
_FLOOR_IMPORT = """
import csv, sqlite3, sys
from jsgj.store.functions import register_functions
db, path = sys.argv[1], sys.argv[2]
STATUS = {"未启动": "not_started", "推进中": "in_progress", "已完成": "done", "受阻": "blocked"}
with open(path, encoding="utf-8-sig", newline="") as f:
    rows = list(csv.reader(f))[1:]
at, on = "2034-06-30T10:00:00.000000+00:00", "2034-06-30"
name = path.rsplit("/", 1)[-1]
conn = sqlite3.connect(db, isolation_level=None)
register_functions(conn)
conn.execute("PRAGMA synchronous=NORMAL")
conn.execute("BEGIN IMMEDIATE")
conn.executemany(
    "INSERT INTO progress_reports (task_id, recorded_at, recorded_on, report_date, reporter, "
    "os_user, status, percent, note, evidence, source) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    [(r[0], at, on, r[4], r[1], "bench", STATUS[r[2]], int(r[3]), r[5], r[6] or None,
      f"{name}:{i}") for i, r in enumerate(rows, start=2)],
)
conn.execute("COMMIT")
conn.close()
"""


def import_return(p: Province, path: Path) -> None:
    """A 10,000-row return (进展填报表 as CSV, one 填报单位 per row): four weekly
    reports on each of 2,500 open tasks of the province, written once."""
    if path.exists():
        return
    import csv
    import sqlite3

    conn = sqlite3.connect(f"file:{p.db}?mode=ro", uri=True)
    tasks = conn.execute(
        "SELECT id, lead, percent FROM tasks t WHERE NOT cancelled AND status != 'done' "
        "AND NOT EXISTS (SELECT 1 FROM tasks k WHERE k.parent_id = t.id) "
        "ORDER BY measure, seq, rowid LIMIT ?",
        [IMPORT_ROWS // 4],
    ).fetchall()
    conn.close()
    import datetime as dt

    last = dt.date.fromisoformat(p.today)
    days = [(last - dt.timedelta(days=n)).isoformat() for n in (27, 20, 13, 6)]
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["任务编号", "填报单位", "状态", "进度%", "日期", "进展情况", "佐证材料"])
        for n, (task, lead, percent) in enumerate(tasks):
            for k, day in enumerate(days):
                w.writerow(
                    [
                        task,
                        lead,
                        "推进中",
                        min(99, max(1, percent) + k),
                        day,
                        f"第{k + 1}周：组织培训{(n * 7 + k) % 500 + 10}人次，进展顺利。",
                        f"苏人社发〔2034〕{n % 90 + 1}号" if k == 3 else "",
                    ]
                )
    tmp.replace(path)


def bench_import(ctx: Context) -> list[Figure]:
    """`jsgj import` of a 10,000-row return into (a fresh copy of) the province
    database, against a plain executemany of the same rows in one transaction."""
    p = province(ctx)
    source = p.db.parent / f"return-{IMPORT_ROWS}-{p.db.stem}.csv"
    import_return(p, source)
    copy = ctx.work / "import.db"

    def fresh() -> None:
        for suffix in ("-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(p.db, copy)

    floor_script = ctx.work / "floor_import.py"
    floor_script.write_text(_FLOOR_IMPORT, encoding="utf-8")
    return [
        ctx.compare(
            f"jsgj import ({IMPORT_ROWS:,}-row return)",
            [*ctx.jsgj, "--db", str(copy), "import", str(source)],
            "python sqlite3 executemany, one transaction",
            [sys.executable, str(floor_script), str(copy), str(source)],
            2.0,
            runs=ctx.db_runs,
            env={"JSGJ_TODAY": p.today},
            before=fresh,
        )
    ]


SEARCH_WORD = "用地"
"""Two characters, in about 13% of the province's reports (131,709 of 1,000,000)."""
SEARCH_BEYOND_STARTUP = 0.3


def search_floor_sql(word: str) -> str:
    """The newest 21 events mentioning ``word``, by a LIKE scan: what jsgj search
    finds (reports' notes and evidence, task titles and reasons) without an index."""
    like = "'%" + word.replace("'", "''") + "%'"
    return f"""
.mode json
SELECT * FROM (
  SELECT 'reports' AS kind, id, task_id, report_date AS day, recorded_at, reporter AS department,
         note, evidence AS other
  FROM progress_reports WHERE note LIKE {like} OR evidence LIKE {like}
  UNION ALL
  SELECT 'tasks', id, task_id, effective_date, recorded_at, lead, title, reason
  FROM task_revisions WHERE title LIKE {like} OR reason LIKE {like}
) ORDER BY recorded_at DESC, id DESC LIMIT 21;
"""


def bench_search(ctx: Context) -> list[Figure]:
    """`jsgj search` of a two-character word on the province database: against a LIKE
    scan (it must beat it), and against the same search on an empty database (what it
    costs beyond start-up: at most SEARCH_BEYOND_STARTUP seconds)."""
    p = province(ctx)
    label, floor = sql_floor(ctx, p.db, "search-like", search_floor_sql(SEARCH_WORD))
    argv = [*ctx.jsgj, "search", SEARCH_WORD, "--json"]
    like = ctx.compare(
        f"jsgj search {SEARCH_WORD} --json",
        argv,
        label,
        floor,
        1.0,
        runs=ctx.db_runs,
        env=_env(p),
    )
    empty = ctx.work / "search-empty.db"
    if not empty.exists():  # reading never creates a database
        subprocess.run(
            [*ctx.jsgj, "--db", str(empty), "db", "init"],
            env={**ctx.env, **_env(p)},
            capture_output=True,
            check=True,
        )
    beyond = ctx.compare(
        f"jsgj search {SEARCH_WORD} --json (beyond start-up)",
        argv,
        "the same search on an empty database",
        [*ctx.jsgj, "--db", str(empty), "search", SEARCH_WORD, "--json"],
        None,
        runs=ctx.db_runs,
        env=_env(p),
    )
    limit = (beyond.floor_seconds + SEARCH_BEYOND_STARTUP) / beyond.floor_seconds
    filtered = ctx.compare(
        f"jsgj search {SEARCH_WORD} --department 南京 --from 2030-01-01 (beyond start-up)",
        [*argv, "--department", "南京", "--from", "2030-01-01"],
        "the same search on an empty database",
        [*ctx.jsgj, "--db", str(empty), "search", SEARCH_WORD, "--json"],
        None,
        runs=ctx.db_runs,
        env=_env(p),
    )
    return [
        like,
        dataclasses.replace(beyond, target=limit),
        dataclasses.replace(
            filtered,
            target=(filtered.floor_seconds + SEARCH_BEYOND_STARTUP) / filtered.floor_seconds,
        ),
    ]


def bench_taskwarrior(ctx: Context) -> list[Figure]:
    """Taskwarrior on the same 2,000 tasks, and the framework floor (anchor.py)."""
    import anchor

    return anchor.bench_taskwarrior(ctx, province)


BENCHMARKS: list[Callable[[Context], list[Figure]]] = [
    bench_help,
    bench_measures_list,
    bench_list,
    bench_as_of,
    bench_weekly,
    bench_matrix,
    bench_import,
    bench_search,
    bench_taskwarrior,
]


# --- running and reporting ---------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} MB"


def report(figures: Sequence[Figure]) -> str:
    """A Markdown table (aligned, so that it reads in a terminal too)."""
    head = (
        "benchmark",
        "median",
        "floor",
        "floor median",
        "ratio",
        "target",
        "peak memory",
        "floor peak",
        "",
    )
    rows = [head]
    for f in figures:
        target = [f"<= {f.target:.2f}x"] if f.target is not None else []
        if f.memory_limit_mb is not None:
            target.append(f"<= {f.memory_limit_mb:.0f} MB")
        rows.append(
            (
                f.name,
                _ms(f.seconds),
                f.floor_name,
                _ms(f.floor_seconds),
                f"{f.ratio:.2f}x",
                ", ".join(target) or "-",
                _mb(f.peak_mb),
                _mb(f.floor_peak_mb),
                ("ok" if f.ok else "OVER TARGET") if f.judged else "",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    right = {1, 3, 4, 6, 7}
    lines = []
    for n, r in enumerate(rows):
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        lines.append("| " + " | ".join(cells) + " |")
        if n == 0:
            lines.append(
                "|"
                + "|".join(
                    ("-" * (w + 1) + ":") if i in right else ("-" * (w + 2))
                    for i, w in enumerate(widths)
                )
                + "|"
            )
    return "\n".join(lines)


def machine() -> str:
    """One line about where the figures were measured."""
    import platform
    import sqlite3

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f", {int(line.split()[1]) / 1024 / 1024:.0f} GB RAM"
                break
    except OSError:
        pass
    shell = shutil.which("sqlite3")
    shell_version = "no sqlite3 shell"
    if shell:
        done = subprocess.run([shell, "--version"], capture_output=True, text=True, check=False)
        shell_version = "sqlite3 shell " + (done.stdout.split() or ["?"])[0]
    load = ""
    if hasattr(os, "getloadavg"):
        load = f", load {os.getloadavg()[0]:.1f}"
    return (
        f"{cpu}, {os.cpu_count()} CPUs{memory}{load}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {shell_version}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-n", "--runs", type=int, default=21, help="runs per command (median)")
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="run only benchmarks whose function name contains NAME (repeatable)",
    )
    parser.add_argument(
        "--db-runs",
        type=int,
        default=7,
        help="runs per command of the province-scale benchmarks (median)",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--ladder",
        action="store_true",
        help="also the row-count ladder (ladder.py: five database sizes, generated once)",
    )
    parser.add_argument("--tasks", type=int, help="the province database's tasks (default 20,000)")
    parser.add_argument("--reports", type=int, help="its reports (default 1,000,000)")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.db_runs < 1:
        parser.error("--runs and --db-runs must be at least 1")

    chosen = [
        b for b in BENCHMARKS if not args.only or any(name in b.__name__ for name in args.only)
    ]
    if not chosen:
        parser.error("no benchmark matches --only")

    work = Path(tempfile.mkdtemp(prefix="jsgj-bench-"))
    env = {
        **os.environ,
        "JSGJ_CACHE": str(work / "cache"),
        "JSGJ_DB": str(work / "jsgj.db"),
        "PYTHONIOENCODING": "utf-8",
        "NO_COLOR": "1",
        "COLUMNS": "80",
    }
    for var in ("JSGJ_MEASURES", "JSGJ_DEPARTMENTS", "JSGJ_NO_CACHE", "PYTHONDONTWRITEBYTECODE"):
        env.pop(var, None)
    ctx = Context(
        runs=args.runs,
        work=work,
        env=env,
        db_runs=args.db_runs,
        tasks=args.tasks,
        reports=args.reports,
    )

    print(machine())
    print(
        f"median wall time of {args.runs} runs (start-up benchmarks) and {args.db_runs} runs "
        "(province database), each after a warm-up run; jsgj and floor runs interleaved"
    )
    figures: list[Figure] = []
    try:
        for bench in chosen:
            for figure in bench(ctx):
                figures.append(figure)
                print(
                    f"  {figure.name}: {_ms(figure.seconds)} "
                    f"(floor {_ms(figure.floor_seconds)}, {figure.ratio:.2f}x)",
                    flush=True,
                )
        table = None
        if args.ladder:
            import ladder

            table = ladder.ladder(ctx, province)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print()
    print(report(figures))
    if table:
        print()
        print("Row-count ladder: median seconds of each command, by database size")
        print()
        print(table)
    missed = [f for f in figures if not f.ok]
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
