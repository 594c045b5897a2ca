"""The root ``jsgj`` command: global options, sub-command registration, and the one
place where domain errors become a message on stderr and an exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

# Typer >= 0.29 vendors Click as typer._click; these are its exception classes.
from typer._click.core import Context
from typer._click.exceptions import ClickException, UsageError
from typer.core import TyperGroup

from jsgj import __version__
from jsgj.cli.state import State
from jsgj.errors import JsgjError


def report_error(message: str) -> None:
    """The single way an error reaches the user: one plain line on stderr."""
    sys.stderr.write("jsgj: error: " + " ".join(message.split()) + "\n")
    sys.stderr.flush()


class JsgjGroup(TyperGroup):
    """The edge where errors become messages and exit codes, for every command
    (sub-groups are invoked from inside the root's ``invoke``)."""

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except JsgjError as e:
            report_error(str(e))
            raise typer.Exit(e.exit_code) from None
        except (typer.Exit, typer.Abort, ClickException):
            raise
        except Exception as e:
            if os.environ.get("JSGJ_DEBUG"):
                raise
            # sqlite3 is imported here, not at the top: --help must stay light.
            import sqlite3

            if isinstance(e, sqlite3.DatabaseError):
                report_error(
                    f"database error: {e}; nothing was changed (`jsgj db check` checks the file)"
                )
                raise typer.Exit(1) from None
            report_error(
                f"internal error: {type(e).__name__}: {e} (run with JSGJ_DEBUG=1 for details)"
            )
            raise typer.Exit(70) from None

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        # Click's usage errors, shown as one line rather than a rich panel, exit 2.
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except ClickException as e:
            hint = ""
            if isinstance(e, UsageError) and e.ctx is not None:
                hint = f" (see '{e.ctx.command_path} --help')"
            report_error(e.format_message() + hint)
            sys.exit(e.exit_code)
        except typer.Abort:
            report_error("aborted")
            sys.exit(1)
        except BrokenPipeError:  # `jsgj ... | head`
            sys.exit(0)
        sys.exit(rv if isinstance(rv, int) else 0)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"jsgj {__version__}")
        raise typer.Exit()


app = typer.Typer(
    name="jsgj",
    cls=JsgjGroup,
    help="Track how 苏政办发〔2024〕37号 (深化“江苏工匠”培育工程 19 measures) is carried out.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="SQLite file (default: jsgj.db in the user's data directory).",
            envvar="JSGJ_DB",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    measures: Annotated[
        Path | None,
        typer.Option(
            "--measures",
            help="measures.yaml to use (default: the copy shipped with jsgj).",
            envvar="JSGJ_MEASURES",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    departments: Annotated[
        Path | None,
        typer.Option(
            "--departments",
            help="departments.yaml to use (default: the copy shipped with jsgj).",
            envvar="JSGJ_DEPARTMENTS",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Track how 苏政办发〔2024〕37号 is carried out: measures, departments, tasks,
    progress reports, traffic lights and the weekly report."""
    ctx.obj = State(db_option=db, measures_option=measures, departments_option=departments)


def _register() -> None:
    # Each module adds its commands to `app`; importing them is cheap (Typer only).
    from jsgj.cli import catalog, check, db, demo, indicators, tasks

    catalog.register(app)
    tasks.register(app)
    db.register(app)
    indicators.register(app)
    demo.register(app)
    check.register(app)


_register()


def main() -> None:
    app()
