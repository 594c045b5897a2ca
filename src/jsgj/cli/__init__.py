"""The command-line interface: one module per command group.

Modules here import only Typer and the standard library at top level; anything
heavier (Pydantic, sqlite-utils, YAML, openpyxl) is imported inside the command
that needs it, so ``jsgj --help`` stays as fast as a bare Typer app.
"""

from __future__ import annotations

_held = False
"""Whether ``main`` holds the cyclic garbage collector off until a command begins."""


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
    global _held
    import gc

    if gc.isenabled():
        gc.disable()
        _held = True
    from jsgj.cli.app import main as run

    run()


def start_command() -> None:
    """Start-up is over (each command's body calls this first; ``cli.app`` wraps
    them): its objects are moved to the permanent generation (``gc.freeze``: no
    collection looks at them again) and the collector is on for the command's own
    objects, so that a long command (an import, the demo) collects its cycles as
    before. Nothing when ``main`` did not hold the collector (tests, a library
    caller)."""
    global _held
    if _held:
        import gc

        _held = False
        gc.freeze()
        gc.enable()
