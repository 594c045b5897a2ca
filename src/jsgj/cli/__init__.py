"""The command-line interface: one module per command group.

Modules here import only Typer and the standard library at top level; anything
heavier (Pydantic, sqlite-utils, YAML, openpyxl) is imported inside the command
that needs it, so ``jsgj --help`` stays as fast as a bare Typer app.

This module is also where the process's garbage-collection policy lives (issue 15):
a jsgj command is a short process whose objects mostly live to its end, and Python's
cyclic collector, run every few hundred allocations, walked them again and again.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_owned = False
"""Whether this process is one jsgj command run by ``main`` (not tests or a library
caller, whose collector is theirs)."""
_held = False
"""Whether ``main`` holds the collector off until a command begins."""


def main() -> None:
    """The ``jsgj`` console script (and ``python -m jsgj``): the CLI with Python's
    cyclic garbage collector kept out of start-up.

    Start-up (importing Typer, jsgj, and Pydantic, which Typer 0.29 imports to
    coerce the parameters; parsing the command line) creates a few hundred thousand
    objects that all live until the process ends, and each collection meanwhile
    walked them again: ~65 M of the ~830 M instructions of ``tasks show`` (issue 15,
    benchmarks/RESULTS.md). So the collector is off until the command's own code
    begins (``start_command``); a command that never begins (``--help``, a usage
    error) ends the process first."""
    global _owned, _held
    _owned = True
    if gc.isenabled():
        gc.disable()
        _held = True
    from jsgj.cli.app import main as run

    run()


def start_command() -> None:
    """Start-up is over (each command's body calls this first: ``cli.app`` wraps
    them with ``begins_with_start_command``): its objects are moved to the permanent
    generation (``gc.freeze``: no collection looks at them again) and the collector
    is on for the command's own objects, so that a long command (an import, the
    demo) collects its cycles as before. Nothing when ``main`` did not hold the
    collector."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()


def begins_with_start_command(command: Any) -> None:
    """Make each command's body (a group's leaves) call ``start_command`` first:
    ``cli.app`` applies it to every command it builds."""
    for sub in getattr(command, "commands", {}).values():
        begins_with_start_command(sub)
    body = command.callback
    if body is None or getattr(command, "commands", None) is not None:
        return

    @functools.wraps(body)
    def begun(*args: Any, **kwargs: Any) -> Any:
        start_command()
        return body(*args, **kwargs)

    command.callback = begun


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector paused while a report is read, built and written: tens of
    thousands of young containers (rows, task states and lines, records) all live to
    the end, and each collection would walk them again only to keep them (~145 M
    instructions, 3% of a province's weekly report). When the block ends collection
    resumes; in a jsgj process (``main``) what the block made is frozen first, as
    start-up's was (a report is the command's last work: one more walk over it would
    only find it alive, ~30 M instructions)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            if _owned:
                gc.freeze()
            gc.enable()
