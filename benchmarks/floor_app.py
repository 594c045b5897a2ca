"""The framework floor: a minimal two-command Typer app with the same rich help as
jsgj (rich_markup_mode="rich"). `jsgj --help` cannot start faster than this app's
--help, nor a jsgj command that prints the catalogue (`measures list --json`) faster
than this app's `count --json` (running a command makes Typer 0.29 build each
parameter's Pydantic adapter, which printing help does not); the benchmark (run.py)
reports jsgj's figures as ratios of this app's, measured in the same run."""

from __future__ import annotations

import gc
import os
from typing import Annotated

# FLOOR_GC=held: the cyclic garbage collector held off through start-up and resumed
# (start-up's objects frozen) as the command begins, as jsgj's console script does
# (jsgj.cli.main): the floor with the same process setting, for an unjudged comparison.
HELD = os.environ.get("FLOOR_GC") == "held"
if HELD:
    gc.disable()

import typer  # noqa: E402 - after the collector is held

app = typer.Typer(
    name="floor",
    help="A minimal Typer app: the start-up floor for [bold]jsgj[/bold].",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.command("hello")
def hello(
    name: Annotated[str, typer.Argument(help="Who to greet.")] = "world",
    loud: Annotated[bool, typer.Option("--loud", help="Shout.")] = False,
) -> None:
    """Say hello."""
    text = f"hello {name}"
    typer.echo(text.upper() if loud else text)


@app.command("count")
def count(
    upto: Annotated[int, typer.Option("--upto", "-n", help="Count to this number.")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON only.")] = False,
) -> None:
    """Count from 1."""
    if HELD:
        gc.freeze()
        gc.enable()
    numbers = list(range(1, upto + 1))
    typer.echo(str(numbers) if as_json else " ".join(map(str, numbers)))


if __name__ == "__main__":
    app()
