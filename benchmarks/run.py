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


def bench_measures_list(ctx: Context) -> list[Figure]:
    """`jsgj measures list --json` with a warm catalogue cache (the warm-up run fills it)."""
    return [
        ctx.compare(
            "jsgj measures list --json (warm cache)",
            [*ctx.jsgj, "measures", "list", "--json"],
            FLOOR_HELP,
            [*ctx.floor, "--help"],
            1.5,
        )
    ]


# --- province scale -----------------------------------------------------------------
#
# The database of benchmarks/generate.py, viewed on its last day (JSGJ_TODAY). Each
# floor is hand-written SQL computing the same figures as the jsgj command - the same
# rows, counts, lights with their reasons, in one run of the sqlite3 shell with JSON
# output - so the ratio is what jsgj's Python (start-up, objects, rendering) costs on
# top of the query work a database person would write by hand.

AS_OF_BACK = "2029-06-30"
"""Five years before the generated data's last day."""
MEMORY_LIMIT_MB = 100.0
IMPORT_ROWS = 10_000


@dataclass
class Province:
    db: Path
    today: str
    pace: int
    soon: int
    stalled: int
    holders: list[tuple[str, str]]
    """(department on a task, department that answers for it): itself, a group's cities
    for the group's tasks, a city's group for the city's tasks (role_in_task's rule)."""
    named: list[str]
    """The departments the document names, in its order (the matrix rows)."""
    lead_of: dict[int, str]
    """Measure -> its lead department (the catalogue)."""
    role_of: list[tuple[str, int, str]]
    """(department, measure, 'lead' | 'co') from the document."""


_province: list[Province] = []


def province(ctx: Context) -> Province:
    """The cached province database (generated on first use), and the catalogue facts
    the floors need."""
    if _province:
        return _province[0]
    sys.path.insert(0, str(HERE))
    import generate  # imports jsgj: only the province benchmarks need it
    from jsgj import paths
    from jsgj.catalog.load import load_catalog
    from jsgj.status import load_thresholds

    db = generate.province_db()
    catalog = load_catalog(paths.measures_path(), paths.departments_path())
    t = load_thresholds(paths.lights_path())
    holders: list[tuple[str, str]] = []
    for d in catalog.departments:
        holders.append((d.id, d.id))
        for member in d.members:
            holders += [(d.id, member), (member, d.id)]
    roles = []
    for m in catalog.measures:
        for i, did in enumerate(catalog.department_ids(m)):
            roles.append((did, m.number, "lead" if i == 0 else "co"))
            for member in catalog.department(did).members:
                roles.append((member, m.number, "lead" if i == 0 else "co"))
    _province.append(
        Province(
            db=db,
            today=generate.END.isoformat(),
            pace=t.pace_margin,
            soon=t.due_soon_days,
            stalled=t.stalled_days,
            holders=holders,
            named=[d.id for d in catalog.named()],
            lead_of={m.number: catalog.lead_id(m) for m in catalog.measures},
            role_of=roles,
        )
    )
    return _province[0]


def _values(rows: Sequence[tuple[object, ...]]) -> str:
    def lit(v: object) -> str:
        return str(v) if isinstance(v, int) else "'" + str(v).replace("'", "''") + "'"

    return ", ".join("(" + ", ".join(lit(v) for v in row) + ")" for row in rows)


def _lines_sql(p: Province, on: str, states: str) -> str:
    """Task lines as the reports show them - the light, its reason, the expected pace,
    days since the last report - from ``states`` (rows shaped like ``tasks``, with
    is_parent)."""
    start = "COALESCE(s.start_date, s.created_on)"
    return f"""
SELECT b.*,
  CASE
    WHEN b.cancelled THEN 'cancelled'
    WHEN b.status = 'done' THEN 'done'
    WHEN b.due_date < '{on}' OR b.status = 'blocked' THEN 'red'
    WHEN b.started > '{on}' THEN 'green'
    WHEN b.expected - b.percent > {p.pace} OR b.due_in <= {p.soon} OR b.silent >= {p.stalled}
      THEN 'yellow'
    ELSE 'green'
  END AS light,
  CASE
    WHEN b.cancelled THEN '任务已撤销'
    WHEN b.status = 'done' THEN '已完成（' || b.last_report_date || '报告）'
    WHEN b.due_date < '{on}' OR b.status = 'blocked' THEN
      trim(CASE WHEN b.due_date < '{on}' THEN '逾期' || b.overdue || '天，进度' || b.percent
                || '%' ELSE '' END
           || CASE WHEN b.status = 'blocked' THEN '；报告受阻，进度' || b.percent || '%'
                   ELSE '' END, '；')
    WHEN b.started > '{on}' THEN '尚未开始（' || b.started || '开始）'
    WHEN b.expected - b.percent > {p.pace} OR b.due_in <= {p.soon} OR b.silent >= {p.stalled}
      THEN trim(
        CASE WHEN b.expected - b.percent > {p.pace}
             THEN '进度' || b.percent || '%，落后序时进度' || b.expected || '%' ELSE '' END
        || CASE WHEN b.due_in <= {p.soon}
                THEN '；' || b.due_in || '天后到期，进度' || b.percent || '%' ELSE '' END
        || CASE WHEN b.silent >= {p.stalled} THEN '；' || b.silent || '天未报送进展' ELSE '' END,
        '；')
    WHEN b.expected IS NULL THEN '进度' || b.percent || '%，未设截止日期'
    ELSE '进度' || b.percent || '%，序时进度' || b.expected || '%'
  END AS reason
FROM (
  SELECT s.*, {start} AS started,
    CASE
      WHEN s.due_date IS NULL THEN NULL
      WHEN s.due_date <= {start} THEN CASE WHEN '{on}' >= s.due_date THEN 100 ELSE 0 END
      ELSE MAX(0, MIN(100, CAST(round(100.0 * (julianday('{on}') - julianday({start}))
                                 / (julianday(s.due_date) - julianday({start}))) AS INTEGER)))
    END AS expected,
    CAST(julianday(s.due_date) - julianday('{on}') AS INTEGER) AS due_in,
    CAST(julianday('{on}') - julianday(s.due_date) AS INTEGER) AS overdue,
    MAX(0, CAST(julianday('{on}') - julianday(COALESCE(s.last_report_date, {start}))
                AS INTEGER)) AS silent
  FROM ({states}) s
) b"""


_CURRENT_STATES = """
SELECT t.rowid AS rowid, t.id, t.measure, t.seq, t.parent_id, t.created_on, t.title, t.lead,
       t.co, t.start_date, t.due_date, t.cancelled, t.status, t.percent, t.last_report_date,
       t.report_count,
       EXISTS (SELECT 1 FROM tasks k WHERE k.parent_id = t.id) AS is_parent
FROM tasks t"""


def _as_of_states(d: str) -> str:
    """Each task as known on ``d``: its latest revision, its latest valid report and
    their count (one pass over the covering index), fan-out parents from their cities."""
    return f"""
WITH rev AS (
  SELECT task_id, MAX(id) AS id FROM task_revisions WHERE recorded_on <= '{d}' GROUP BY task_id
),
valid AS (
  SELECT p.task_id, COUNT(*) AS n, MAX(p.report_date || printf('%012d', p.id)) AS k
  FROM progress_reports p
  WHERE p.recorded_on <= '{d}' AND p.report_date <= '{d}'
    AND p.id NOT IN (SELECT corrects FROM progress_reports
                     WHERE corrects IS NOT NULL AND +recorded_on <= '{d}')
  GROUP BY p.task_id
),
st AS MATERIALIZED (
  SELECT t.rowid AS rowid, t.id, t.measure, t.seq, t.parent_id, t.created_on, r.title, r.lead,
         r.co, r.start_date, r.due_date, r.cancelled,
         COALESCE(l.status, 'not_started') AS status, COALESCE(l.percent, 0) AS percent,
         l.report_date AS last_report_date, COALESCE(v.n, 0) AS report_count
  FROM rev JOIN task_revisions r ON r.id = rev.id JOIN tasks t ON t.id = rev.task_id
  LEFT JOIN valid v ON v.task_id = t.id
  LEFT JOIN progress_reports l ON l.id = CAST(substr(v.k, 11) AS INTEGER)
),
kids AS (
  SELECT parent_id, COUNT(*) AS n, SUM(status = 'done') AS done,
         SUM(status = 'blocked') AS blocked, SUM(status IN ('in_progress', 'done')) AS moving,
         CAST(round(AVG(percent)) AS INTEGER) AS pct, MAX(last_report_date) AS last,
         SUM(report_count) AS reports
  FROM st WHERE parent_id IS NOT NULL AND NOT cancelled GROUP BY parent_id
)
SELECT s.rowid, s.id, s.measure, s.seq, s.parent_id, s.created_on, s.title, s.lead, s.co,
       s.start_date, s.due_date, s.cancelled,
       CASE WHEN k.n IS NULL THEN s.status WHEN k.done = k.n THEN 'done'
            WHEN k.blocked > 0 THEN 'blocked' WHEN k.moving > 0 THEN 'in_progress'
            ELSE 'not_started' END AS status,
       COALESCE(k.pct, s.percent) AS percent,
       CASE WHEN k.n IS NULL THEN s.last_report_date ELSE k.last END AS last_report_date,
       COALESCE(k.reports, s.report_count) AS report_count,
       EXISTS (SELECT 1 FROM tasks c WHERE c.parent_id = s.id) AS is_parent
FROM st s LEFT JOIN kids k ON k.parent_id = s.id"""


def as_of_floor_sql(p: Province) -> str:
    lines = _lines_sql(p, AS_OF_BACK, _as_of_states(AS_OF_BACK))
    return f""".mode json
SELECT id, measure, parent_id AS parent, title, lead, co, start_date, due_date, cancelled,
       created_on, status, percent, last_report_date, report_count, expected, silent,
       light, reason
FROM ({lines}) ORDER BY measure, seq, parent_id IS NOT NULL, rowid;
"""


def _holder_tables(p: Province) -> str:
    return f"""CREATE TEMP TABLE holder (department_id TEXT, holder TEXT);
INSERT INTO holder VALUES {_values(p.holders)};
CREATE TEMP TABLE named (n INTEGER PRIMARY KEY, id TEXT);
INSERT INTO named VALUES {_values(list(enumerate(p.named)))};
CREATE TEMP TABLE doc_role (department_id TEXT, measure INTEGER, role TEXT);
INSERT INTO doc_role VALUES {_values(p.role_of)};
"""


def _roles_sql() -> str:
    """(holder, task, role) for the counted tasks: lead when it answers for the lead."""
    return """CREATE TEMP TABLE answers AS
SELECT h.holder, l.id AS task_id, MAX(td.role) AS role  -- 'lead' > 'co'
FROM line l JOIN task_departments td ON td.task_id = l.id
JOIN holder h ON h.department_id = td.department_id
WHERE NOT l.is_parent AND NOT l.cancelled
GROUP BY h.holder, l.id;
CREATE INDEX answers_holder ON answers(holder, task_id);
"""


def weekly_floor_sql(p: Province) -> str:
    on = p.today
    day = time.strptime(on, "%Y-%m-%d")
    import datetime as dt

    d = dt.date(day.tm_year, day.tm_mon, day.tm_mday)
    start = d - dt.timedelta(days=d.weekday())
    end = start + dt.timedelta(days=6)
    ws, we = start.isoformat(), end.isoformat()
    horizon = (d + dt.timedelta(days=p.soon)).isoformat()
    rank = (
        "CASE light WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 WHEN 'green' THEN 2 "
        "WHEN 'done' THEN 3 ELSE 4 END"
    )
    return f""".mode json
{_holder_tables(p)}
CREATE TEMP TABLE line AS {_lines_sql(p, on, _CURRENT_STATES)};
CREATE UNIQUE INDEX line_id ON line(id);
CREATE INDEX line_parent ON line(parent_id);
CREATE TEMP TABLE week AS
  SELECT p.* FROM progress_reports p
  WHERE p.report_date BETWEEN '{ws}' AND '{we}'
    AND NOT EXISTS (SELECT 1 FROM progress_reports c WHERE c.corrects = p.id);
CREATE INDEX week_task ON week(task_id);
CREATE TEMP TABLE counted AS
  SELECT l.*, EXISTS (SELECT 1 FROM week w WHERE w.task_id = l.id) AS reported
  FROM line l WHERE NOT l.is_parent AND NOT l.cancelled;
CREATE UNIQUE INDEX counted_id ON counted(id);
{_roles_sql()}
-- summary
SELECT COUNT(*) AS tasks,
  (SELECT COUNT(*) FROM line WHERE NOT is_parent AND cancelled) AS cancelled,
  (SELECT COUNT(*) FROM line WHERE is_parent AND NOT cancelled) AS fanned_out,
  SUM(parent_id IS NOT NULL) AS city_tasks,
  SUM(status = 'done') AS done, SUM(status = 'in_progress') AS in_progress,
  SUM(status = 'not_started') AS not_started, SUM(status = 'blocked') AS blocked,
  SUM(light = 'red') AS red, SUM(light = 'yellow') AS yellow, SUM(light = 'green') AS green,
  SUM(light = 'red' AND due_date < '{on}') AS overdue,
  (SELECT COUNT(*) FROM week) AS reports_this_week,
  SUM(light != 'done') AS open_tasks, SUM(light != 'done' AND reported) AS reported_open,
  CAST(round(100.0 * SUM(light = 'done') / COUNT(*)) AS INTEGER) AS done_percent,
  CAST(round(AVG(percent)) AS INTEGER) AS mean_percent
FROM counted;
-- measures
SELECT measure, COUNT(*) AS tasks, SUM(light = 'done') AS done,
  CAST(round(AVG(percent)) AS INTEGER) AS mean_percent, MIN({rank}) AS worst,
  SUM(status = 'done') AS s_done, SUM(status = 'in_progress') AS s_in_progress,
  SUM(status = 'not_started') AS s_not_started, SUM(status = 'blocked') AS s_blocked,
  SUM(light = 'red') AS red, SUM(light = 'yellow') AS yellow
FROM counted GROUP BY measure ORDER BY measure;
-- this week's reports, by measure
SELECT l.measure, w.id, w.report_date, w.task_id,
  CASE WHEN l.parent_id IS NOT NULL THEN l.title || '（' || w.reporter || '）' ELSE l.title END
    AS task_label,
  w.reporter, w.status, w.percent, w.note, w.evidence, w.corrects
FROM week w JOIN line l ON l.id = w.task_id ORDER BY l.measure, w.report_date, w.id;
-- the chase list: red and yellow tasks by lead department, and open tasks not reported
SELECT lead, id, measure, title, light, reason, due_date, percent, expected, silent,
  MAX(overdue, 0) AS overdue
FROM counted WHERE light IN ('red', 'yellow') ORDER BY lead, {rank}, measure, seq, rowid;
SELECT lead, id FROM counted
WHERE light != 'done' AND started < '{ws}' AND NOT reported ORDER BY lead, measure, seq, rowid;
-- deadlines in the next days
SELECT l.id, l.measure, l.title, l.lead, l.due_date, l.percent, l.light, l.reason,
  CASE WHEN l.is_parent THEN (SELECT COUNT(*) FROM line c WHERE c.parent_id = l.id
                              AND c.light NOT IN ('done', 'cancelled')) END AS open_cities
FROM line l LEFT JOIN line par ON par.id = l.parent_id
WHERE NOT l.cancelled AND l.light != 'done' AND l.due_date BETWEEN '{on}' AND '{horizon}'
  AND (par.id IS NULL OR par.due_date IS NOT l.due_date)
ORDER BY l.due_date, l.measure;
-- departments
SELECT a.holder, SUM(a.role = 'lead') AS led, SUM(a.role = 'co') AS co,
  SUM(c.light = 'done') AS done, SUM(c.light = 'red') AS red, SUM(c.light = 'yellow') AS yellow,
  SUM(c.light = 'red' AND c.due_date < '{on}') AS overdue, SUM(c.light != 'done') AS open,
  SUM(c.light != 'done' AND c.reported) AS reported,
  CAST(round(AVG(c.percent)) AS INTEGER) AS mean_percent
FROM answers a JOIN counted c ON c.id = a.task_id GROUP BY a.holder ORDER BY a.holder;
"""


def matrix_floor_sql(p: Province) -> str:
    on = p.today
    rank = (
        "CASE light WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 WHEN 'green' THEN 2 "
        "WHEN 'done' THEN 3 ELSE 4 END"
    )
    return f""".mode json
{_holder_tables(p)}
CREATE TEMP TABLE line AS {_lines_sql(p, on, _CURRENT_STATES)};
CREATE UNIQUE INDEX line_id ON line(id);
{_roles_sql()}
-- columns: each measure
SELECT measure, COUNT(*) AS tasks, SUM(light = 'done') AS done, MIN({rank}) AS worst
FROM line WHERE NOT is_parent AND NOT cancelled GROUP BY measure ORDER BY measure;
-- cells: each named department by each measure, its document role and its tasks
CREATE TEMP TABLE cell AS
  SELECT a.holder, l.measure, COUNT(*) AS tasks, SUM(l.light = 'done') AS done,
         MIN({rank}) AS worst
  FROM answers a JOIN line l ON l.id = a.task_id GROUP BY a.holder, l.measure;
SELECT n.n, n.id, m.measure, r.role, COALESCE(c.tasks, 0) AS tasks,
       COALESCE(c.done, 0) AS done, c.worst
FROM named n CROSS JOIN (SELECT DISTINCT measure FROM doc_role) m
LEFT JOIN doc_role r ON r.department_id = n.id AND r.measure = m.measure
LEFT JOIN cell c ON c.holder = n.id AND c.measure = m.measure
ORDER BY n.n, m.measure;
-- rows: each named department's totals (a task it shares counts once)
SELECT n.n, n.id, COUNT(a.task_id) AS tasks, SUM(l.light = 'done') AS done,
  MIN(CASE l.light WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 WHEN 'green' THEN 2
                   WHEN 'done' THEN 3 END) AS worst
FROM named n LEFT JOIN answers a ON a.holder = n.id LEFT JOIN line l ON l.id = a.task_id
GROUP BY n.n ORDER BY n.n;
"""


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


def bench_as_of(ctx: Context) -> list[Figure]:
    """`jsgj tasks list --as-of` five years back: the event-log view of 20,000 tasks."""
    p = province(ctx)
    label, floor = sql_floor(ctx, p.db, "tasks-as-of", as_of_floor_sql(p))
    return [
        ctx.compare(
            f"jsgj tasks list --as-of {AS_OF_BACK} --json",
            [*ctx.jsgj, "tasks", "list", "--as-of", AS_OF_BACK, "--json"],
            label,
            floor,
            2.0,
            runs=ctx.db_runs,
            env=_env(p),
        )
    ]


def bench_weekly(ctx: Context) -> list[Figure]:
    """`jsgj report weekly --format json` on the province database (current view)."""
    p = province(ctx)
    label, floor = sql_floor(ctx, p.db, "weekly", weekly_floor_sql(p))
    return [
        ctx.compare(
            "jsgj report weekly --format json",
            [*ctx.jsgj, "report", "weekly", "--format", "json"],
            label,
            floor,
            2.0,
            runs=ctx.db_runs,
            env=_env(p),
            memory_limit_mb=MEMORY_LIMIT_MB,
        )
    ]


def bench_matrix(ctx: Context) -> list[Figure]:
    """`jsgj matrix --tasks --format json` on the province database."""
    p = province(ctx)
    label, floor = sql_floor(ctx, p.db, "matrix", matrix_floor_sql(p))
    return [
        ctx.compare(
            "jsgj matrix --tasks --format json",
            [*ctx.jsgj, "matrix", "--tasks", "--format", "json"],
            label,
            floor,
            2.0,
            runs=ctx.db_runs,
            env=_env(p),
            memory_limit_mb=MEMORY_LIMIT_MB,
        )
    ]


_FLOOR_IMPORT = """
import csv, sqlite3, sys
db, path = sys.argv[1], sys.argv[2]
STATUS = {"未启动": "not_started", "推进中": "in_progress", "已完成": "done", "受阻": "blocked"}
with open(path, encoding="utf-8-sig", newline="") as f:
    rows = list(csv.reader(f))[1:]
at, on = "2034-06-30T10:00:00.000000+00:00", "2034-06-30"
name = path.rsplit("/", 1)[-1]
conn = sqlite3.connect(db, isolation_level=None)
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


BENCHMARKS: list[Callable[[Context], list[Figure]]] = [
    bench_help,
    bench_measures_list,
    bench_as_of,
    bench_weekly,
    bench_matrix,
    bench_import,
    bench_search,
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
    ctx = Context(runs=args.runs, work=work, env=env, db_runs=args.db_runs)

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
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print()
    print(report(figures))
    missed = [f for f in figures if not f.ok]
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
