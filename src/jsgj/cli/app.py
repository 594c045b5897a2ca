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
from typer._click.core import Command, Context
from typer._click.exceptions import ClickException, UsageError
from typer._click.formatting import HelpFormatter
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandInfo, TyperInfo

from jsgj import __version__
from jsgj.cli.state import State
from jsgj.errors import JsgjError


def report_error(message: str) -> None:
    """The single way an error reaches the user: one plain line on stderr. Line breaks
    become spaces; other control and format characters (escape sequences, bidi and
    zero-width marks a user or a file slipped in) are shown escaped, as text."""
    from jsgj.render.text import one_line

    sys.stderr.write("jsgj: error: " + one_line(message) + "\n")
    sys.stderr.flush()


def _quiet_stdout() -> None:
    """After a closed pipe: stdout goes nowhere, so that Python does not report the
    pipe again when it flushes stdout at exit."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


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
        except BrokenPipeError:  # `jsgj ... | head`: the reader has all it wants
            _quiet_stdout()
            raise typer.Exit(0) from None
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

    # --- sub-commands, converted to Click commands only when used -----------------
    # Typer turns every function's signature into Click parameters when the app is
    # built; for all of jsgj's commands that is most of the cost of `jsgj --help`
    # beyond the framework's own. The commands are registered on `app.registry`
    # (see _Root); the root help lists them from their registration alone, and a
    # command is converted when it runs or shows its own help.

    _listing = False

    def list_commands(self, ctx: Context) -> list[str]:
        names = super().list_commands(ctx)
        return names + [n for n in _registered() if n not in self.commands]

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        found = super().get_command(ctx, cmd_name)
        if found is not None:
            return found
        info = _registered().get(cmd_name)
        if info is None:
            return None
        if self._listing:
            return _listing_entry(cmd_name, info)
        command = _convert(info)
        self.add_command(command, cmd_name)
        return command

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

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
            _quiet_stdout()
            sys.exit(0)
        sys.exit(rv if isinstance(rv, int) else 0)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"jsgj {__version__}")
        raise typer.Exit()


class _Root(typer.Typer):
    """The root app. Commands and groups added to it (``app.command``, ``app.add_typer``)
    are kept on ``registry`` rather than built with the root: ``JsgjGroup`` builds each
    one when it is used."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.registry = typer.Typer()

    def command(self, *args: Any, **kwargs: Any) -> Any:
        return self.registry.command(*args, **kwargs)

    def add_typer(self, *args: Any, **kwargs: Any) -> None:
        self.registry.add_typer(*args, **kwargs)


app = _Root(
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
    from jsgj.cli import catalog, check, db, demo, indicators, matrix, report, search, sheets, tasks

    catalog.register(app)
    tasks.register(app)
    db.register(app)
    indicators.register(app)
    demo.register(app)
    sheets.register(app)
    matrix.register(app)
    report.register(app)
    check.register(app)
    search.register(app)


_register()

_infos: dict[str, CommandInfo | TyperInfo] = {}


def _registered() -> dict[str, CommandInfo | TyperInfo]:
    """Name -> registration, in the order Typer would list them (commands, then groups)."""
    if not _infos:
        from typer.main import get_command_name, solve_typer_info_defaults

        for command in app.registry.registered_commands:
            assert command.callback is not None
            _infos[command.name or get_command_name(command.callback.__name__)] = command
        for group in app.registry.registered_groups:
            name = solve_typer_info_defaults(group).name
            assert isinstance(name, str)
            _infos[name] = group
    return _infos


def _convert(info: CommandInfo | TyperInfo) -> Command:
    """What Typer builds for the registration when it builds the whole app."""
    from typer.main import get_command_from_info, get_group_from_info

    if isinstance(info, CommandInfo):
        return get_command_from_info(
            info,
            pretty_exceptions_short=app.pretty_exceptions_short,
            rich_markup_mode=app.rich_markup_mode,
        )
    return get_group_from_info(
        info,
        pretty_exceptions_short=app.pretty_exceptions_short,
        rich_markup_mode=app.rich_markup_mode,
        suggest_commands=app.suggest_commands,
    )


def _listing_entry(name: str, info: CommandInfo | TyperInfo) -> Command:
    """A command's line in the root help: its name and help, without its parameters."""
    import inspect

    if isinstance(info, CommandInfo):
        text = inspect.getdoc(info.callback) if info.help is None else inspect.cleandoc(info.help)
        shown: CommandInfo | TyperInfo = info
    else:
        from typer.main import solve_typer_info_defaults

        shown = solve_typer_info_defaults(info)
        text = shown.help
    return TyperCommand(
        name=name,
        help=text,
        short_help=shown.short_help,
        hidden=bool(shown.hidden),
        deprecated=bool(shown.deprecated),
        rich_markup_mode=app.rich_markup_mode,
        rich_help_panel=shown.rich_help_panel,
    )


def main() -> None:
    app()
