"""The framework floor of a command that touches one task (issue 15): a minimal Typer
app, run by the same Python with the same installed packages, that opens the same
SQLite file and reads one row (``show``) or writes one row (``write``). Typer 0.29
coerces parameters through Pydantic (``typer._adapters``), so this floor imports
Pydantic as every jsgj command does; benchmarks/RESULTS.md says how much that is."""

from __future__ import annotations

import gc
import os
import sqlite3
from typing import Annotated

# FLOOR_GC=held: the cyclic garbage collector held off through start-up and resumed
# (start-up's objects frozen) as the command begins, as jsgj's console script does
# (jsgj.cli.main): the floor with the same process setting, for an unjudged comparison.
HELD = os.environ.get("FLOOR_GC") == "held"
if HELD:
    gc.disable()

import typer  # noqa: E402 - after the collector is held


def _begin() -> None:
    if HELD:
        gc.freeze()
        gc.enable()


app = typer.Typer(name="floor-db", add_completion=False, pretty_exceptions_enable=False)


@app.command("show")
def show(
    db: Annotated[str, typer.Argument(help="The database.")],
    task: Annotated[str, typer.Argument(help="A task id.")],
) -> None:
    """Print one task's row."""
    _begin()
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    row = conn.execute("SELECT * FROM tasks WHERE id = ?", [task]).fetchone()
    typer.echo(" ".join(map(str, row)))


@app.command("write")
def write(
    db: Annotated[str, typer.Argument(help="The database.")],
    note: Annotated[str, typer.Option("--note", help="What to write.")] = "floor",
) -> None:
    """Append one row, in one transaction."""
    _begin()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO bench_floor (note) VALUES (?)", [note])
    conn.execute("COMMIT")
    typer.echo("ok")


if __name__ == "__main__":
    app()
