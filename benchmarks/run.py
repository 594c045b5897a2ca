"""Start-up benchmarks: jsgj against the framework floor, measured in the same run.

    python benchmarks/run.py [--runs N] [--only NAME ...] [--check]

Each figure is the median wall time of N runs of a fresh process (subprocess, so
interpreter start, imports and all), next to its floor: the same measurement of
benchmarks/floor_app.py, a minimal two-command Typer app with jsgj's rich help.
Runs of a command and of its floor alternate, so machine noise hits both alike.
Targets are ratios to the floor. ``--check`` exits 1 when a target is missed.

Adding a benchmark: write ``def bench_x(ctx: Context) -> list[Figure]`` (use
``ctx.compare`` or ``ctx.median``) and append it to BENCHMARKS. Standard library only.
"""

from __future__ import annotations

import argparse
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

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor_seconds

    @property
    def ok(self) -> bool:
        return self.target is None or self.ratio <= self.target


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

    def run_once(self, argv: Sequence[str]) -> float:
        """Wall time of one run; a failing command stops the benchmark."""
        start = time.perf_counter()
        done = subprocess.run(
            list(argv),
            cwd=self.work,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
        )
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(
                f"benchmark command failed ({done.returncode}): {' '.join(argv)}\n"
                + done.stderr.decode("utf-8", "replace")
            )
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
    ) -> Figure:
        """Median of ``argv`` and of ``floor_argv``, their runs interleaved."""
        for _ in range(warmup):
            self.run_once(argv)
            self.run_once(floor_argv)
        ours: list[float] = []
        floor: list[float] = []
        for _ in range(self.runs):
            ours.append(self.run_once(argv))
            floor.append(self.run_once(floor_argv))
        return Figure(name, statistics.median(ours), floor_name, statistics.median(floor), target)


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


BENCHMARKS: list[Callable[[Context], list[Figure]]] = [bench_help, bench_measures_list]


# --- running and reporting ---------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def report(figures: Sequence[Figure]) -> str:
    head = ("benchmark", "median", "floor", "floor median", "ratio", "target", "")
    rows = [head]
    for f in figures:
        rows.append(
            (
                f.name,
                _ms(f.seconds),
                f.floor_name,
                _ms(f.floor_seconds),
                f"{f.ratio:.2f}x",
                f"<= {f.target:.2f}x" if f.target is not None else "-",
                ("ok" if f.ok else "OVER TARGET") if f.target is not None else "",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    right = {1, 3, 4}
    lines = []
    for r in rows:
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-n", "--runs", type=int, default=21, help="runs per command (median)")
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="run only benchmarks whose function name contains NAME (repeatable)",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

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
    ctx = Context(runs=args.runs, work=work, env=env)

    print(f"python {sys.version.split()[0]}, {args.runs} runs each, median wall time")
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
