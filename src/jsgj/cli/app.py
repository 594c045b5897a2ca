"""The root ``jsgj`` command: global options, the lazily built sub-commands, and the one
place where domain errors become a message on stderr and an exit code.

Only Typer's public API is used: ``typer.Typer(cls=...)`` with a subclass of
``typer.core.TyperGroup`` (the documented base for ``cls``), whose ``list_commands`` and
``get_command`` add each sub-command when it is needed, built from a small Typer app of
its own with ``typer.main.get_command`` (what ``Typer.__call__`` and ``typer.testing``
use) — the pattern of Typer's own ``typer`` command. Errors are told apart through
``typer.TyperException`` (the base of every usage error), ``typer.Exit`` and
``typer.Abort``; nothing is imported from ``typer._click``.
"""

from __future__ import annotations

import copy
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, NamedTuple

import typer
from typer.core import TyperGroup

from jsgj import __version__
from jsgj.cli import begins_with_start_command
from jsgj.cli.state import State
from jsgj.errors import JsgjError
from jsgj.i18n import N_, _


class Entry(NamedTuple):
    """One sub-command of the root: the module whose ``register(app)`` adds it, and its
    line in the root listing (a msgid, translated when shown). A named tuple: every
    command defines it (a frozen dataclass costs ~5 M instructions; issue 15)."""

    name: str
    module: str
    summary: str


# The root listing, in the order a clerk meets the commands. Each module's register()
# adds the entries that name it (a module may add several).
ENTRIES: tuple[Entry, ...] = (
    Entry("measures", "jsgj.cli.catalog", N_("Browse the 19 measures (措施).")),
    Entry("departments", "jsgj.cli.catalog", N_("Browse the responsible departments (责任单位).")),
    Entry("assign", "jsgj.cli.lifecycle", N_("Create a task under a measure and print its id.")),
    Entry("progress", "jsgj.cli.lifecycle", N_("Record a progress report (进展填报) on a task.")),
    Entry(
        "acknowledge",
        "jsgj.cli.lifecycle",
        N_("签收: the lead acknowledges a task, names a contact."),
    ),
    Entry(
        "review", "jsgj.cli.lifecycle", N_("审核: approve (销号) or return a claim of completion.")
    ),
    Entry(
        "chase", "jsgj.cli.chase", N_("催办: chase a department (recorded) or write its notice.")
    ),
    Entry("tasks", "jsgj.cli.tasks", N_("List, show, edit and cancel tasks (任务).")),
    Entry("indicators", "jsgj.cli.indicators", N_("Track the document's indicators (指标监测).")),
    Entry("matrix", "jsgj.cli.matrix", N_("Who leads (牵头) and co-owns (配合) each measure.")),
    Entry("report", "jsgj.cli.report", N_("Reports for the office's leaders (周报).")),
    Entry("template", "jsgj.cli.sheets", N_("Write return forms (进展填报表) for departments.")),
    Entry("import", "jsgj.cli.importing", N_("Record filled-in return forms as progress reports.")),
    Entry("export", "jsgj.cli.sheets", N_("Write the ledger (台账) as xlsx, csv or json.")),
    Entry("search", "jsgj.cli.search", N_("Find words in the measures, tasks and reports (检索).")),
    Entry("db", "jsgj.cli.db", N_("The database file: info, backup, integrity check.")),
    Entry("demo", "jsgj.cli.demo", N_("Build a demo database (half a year of made-up progress).")),
    Entry("validate", "jsgj.cli.check", N_("Check the data files against the official text.")),
    Entry("schema", "jsgj.cli.check", N_("Write the JSON Schemas of the data files.")),
)
_BY_NAME = {e.name: e for e in ENTRIES}


def report_error(message: str) -> None:
    """The single way an error reaches the user: one plain line on stderr. Line breaks
    become spaces; other control and format characters (escape sequences, bidi and
    zero-width marks a user or a file slipped in) are shown escaped, as text."""
    from jsgj.render.text import one_line

    sys.stderr.write(_("jsgj: error: ") + one_line(message) + "\n")
    sys.stderr.flush()


def _quiet_stdout() -> None:
    """After a closed pipe: stdout goes nowhere, so that Python does not report the
    pipe again when it flushes stdout at exit."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


# Help texts of the options Click and Typer add themselves, by parameter name.
_LIBRARY_HELP = {
    "install_completion": N_("Install completion for the current shell."),
    "show_completion": N_("Show completion for the current shell, to copy it or customize it."),
}


class _Folding:
    """Typer's help highlighter, with every text it returns set to fold."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __call__(self, text: Any) -> Any:
        out = self.inner(text)
        out.overflow = "fold"
        return out


def _fold_help() -> None:
    """Rich wraps an option's help at spaces and cuts a word longer than the column with
    an ellipsis; a Chinese sentence has no spaces, so it was cut. Every help text passes
    through Typer's help highlighter (``typer.rich_utils.highlighter``): wrapped, it
    marks each text to fold (break anywhere) instead. Done only when help is shown:
    typer.rich_utils is not imported otherwise."""
    from typer import rich_utils

    if not isinstance(rich_utils.highlighter, _Folding):
        setattr(rich_utils, "highlighter", _Folding(rich_utils.highlighter))  # noqa: B010
    # The help's own words (Typer's documented constants), in the clerk's language.
    for name, text in _HELP_WORDS.items():
        setattr(rich_utils, name, _(text))


_HELP_WORDS = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "DEFAULT_STRING": N_("[default: {}]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
}


def _folding_help(command: Any) -> None:
    """``command`` (and its sub-commands) fold their help text (see ``_fold_help``)."""
    original = command.format_help

    def format_help(ctx: Any, formatter: Any) -> None:
        _fold_help()
        original(ctx, formatter)

    command.format_help = format_help
    for sub in getattr(command, "commands", {}).values():
        _folding_help(sub)


def _plain_flags(command: Any, ctx: Any) -> None:
    """Each parameter's help as the clerk should read it. Typer 0.29's rich help prints
    a ``<bool>`` type after every flag (``--force <bool>``, even ``--help <bool>``), as
    if it took a value: an empty metavar (an Option's documented ``metavar``) shows the
    flag alone. The options Click and Typer add (--help, completion) get jsgj's
    translated help. Recurses into groups."""
    help_option = command.get_help_option(ctx)
    for param in command.get_params(ctx):
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
        if param is help_option:
            param.help = _("Show this message and exit.")
        elif param.name in _LIBRARY_HELP:
            param.help = _(_LIBRARY_HELP[param.name])
    for sub in getattr(command, "commands", {}).values():
        _plain_flags(sub, ctx)


def _unwrap_help(command: Any) -> None:
    """Help texts come from docstrings wrapped at the source's line length; a paragraph
    is one line on the screen (the terminal wraps it), so single line breaks inside a
    paragraph are joined. Recurses into groups."""
    if command.help:
        paragraphs = command.help.split("\n\n")
        command.help = "\n\n".join(" ".join(p.split()) for p in paragraphs)
    for sub in getattr(command, "commands", {}).values():
        _unwrap_help(sub)


def _lean(group: Any, word: str | None) -> Any:
    """A group (``tasks``) with only the sub-command ``word`` names, when it names one:
    Typer builds every command of a group it builds, inspecting each parameter's
    annotations (``tasks show`` built the group's four commands; issue 15, start-up).
    Anything else (``tasks --help``, a bare ``tasks``, a misspelt or completed word)
    gets the whole group. The module's own Typer app is copied, never changed."""
    chosen = [c for c in group.typer_instance.registered_commands if c.name == word]
    if word is None or not chosen:
        return group
    lean = copy.copy(group.typer_instance)
    lean.registered_commands = chosen
    lean.registered_groups = []
    info = copy.copy(group)
    info.typer_instance = lean
    return info


def _placeholder() -> None:
    """The body of a listing entry; never run (the real command replaces it)."""


class JsgjGroup(TyperGroup):
    """The root group: adds each sub-command when it is used, and is the edge where
    errors become messages and exit codes for every command (sub-commands are invoked
    from inside the root's ``invoke``)."""

    _listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return [e.name for e in ENTRIES]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        found = self.commands.get(cmd_name)
        if found is not None:
            return found
        entry = _BY_NAME.get(cmd_name)
        if entry is None:
            return None
        if self._listing:
            return _summary(entry)
        self._load(entry.module, ctx, cmd_name)
        return self.commands.get(cmd_name)

    def _load(self, module_name: str, ctx: Any, name: str) -> None:
        """Build the command ``name`` that the module registers (in one small Typer app)
        and add it. Only that one: building a command inspects every parameter of every
        command built, and a module registers several (jsgj.cli.lifecycle: four)."""
        module = importlib.import_module(module_name)
        sub = typer.Typer(add_completion=False, rich_markup_mode="rich")
        module.register(sub)
        sub.registered_commands = [c for c in sub.registered_commands if c.name == name]
        sub.registered_groups = [
            _lean(g, self._next) for g in sub.registered_groups if g.name == name
        ]
        built = typer.main.get_command(sub)
        begins_with_start_command(built)
        _plain_flags(built, ctx)
        _unwrap_help(built)
        _folding_help(built)
        commands = getattr(built, "commands", None)
        if commands is None:  # a module with a single command
            commands = {built.name: built}
        for name, command in commands.items():
            self.commands.setdefault(name, command)

    _next: str | None = None
    """The word after the command's name (``jsgj tasks show``: "show")."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        self._next = args[1] if len(args) > 1 else None
        return super().resolve_command(ctx, args)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _plain_flags(self, ctx)
        _fold_help()
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def shell_complete(self, ctx: Any, incomplete: str) -> Any:
        # Offering command names needs only their listing lines, not every module.
        self._listing = True
        try:
            return super().shell_complete(ctx, incomplete)
        finally:
            self._listing = False

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except JsgjError as e:
            report_error(str(e))
            raise typer.Exit(e.exit_code) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
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
                    _(
                        "database error: {error}; nothing was changed "
                        "(`jsgj db check` checks the file)"
                    ).format(error=e)
                )
                raise typer.Exit(1) from None
            report_error(
                _("internal error: {kind}: {error} (run with JSGJ_DEBUG=1 for details)").format(
                    kind=type(e).__name__, error=e
                )
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
        argv = list(sys.argv[1:] if args is None else args)
        # Usage errors, shown as one line in jsgj's words rather than a rich panel, exit 2.
        try:
            rv = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except typer.TyperException as e:
            if type(e).__name__ == "NoArgsIsHelpError":
                # A bare `jsgj` or group: its help is printed; asking for it is no error.
                # (Typer itself tells this exception apart by its name.)
                sys.exit(0)
            from jsgj.cli.usage import usage_message

            report_error(usage_message(e, argv))
            sys.exit(e.exit_code)
        except typer.Abort:
            report_error(_("aborted"))
            sys.exit(1)
        except BrokenPipeError:  # `jsgj ... | head`
            _quiet_stdout()
            sys.exit(0)
        sys.exit(rv if isinstance(rv, int) else 0)


def _summary(entry: Entry) -> Any:
    """A sub-command's line in the root listing, without building the command: a
    parameterless stand-in with the entry's (translated) summary as its help."""
    stub = typer.Typer(add_completion=False, rich_markup_mode="rich")
    stub.command(entry.name, help=_(entry.summary))(_placeholder)
    return typer.main.get_command(stub)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"jsgj {__version__}")
        raise typer.Exit()


app = typer.Typer(
    name="jsgj",
    cls=JsgjGroup,
    help=_("Track how 苏政办发〔2024〕37号 (深化“江苏工匠”培育工程, 19 measures) is carried out."),
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
            help=_("SQLite file (default: jsgj.db in the user's data directory)."),
            envvar="JSGJ_DB",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    measures: Annotated[
        Path | None,
        typer.Option(
            "--measures",
            help=_("measures.yaml to use (default: the copy shipped with jsgj)."),
            envvar="JSGJ_MEASURES",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    departments: Annotated[
        Path | None,
        typer.Option(
            "--departments",
            help=_("departments.yaml to use (default: the copy shipped with jsgj)."),
            envvar="JSGJ_DEPARTMENTS",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=_("Show the version.")),
    ] = False,
) -> None:
    ctx.obj = State(db_option=db, measures_option=measures, departments_option=departments)


def main() -> None:
    app()
