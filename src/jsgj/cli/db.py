"""`jsgj db info|backup|check`: the SQLite file itself."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jsgj.cli.options import JsonOption
from jsgj.cli.output import console, print_json
from jsgj.cli.state import state
from jsgj.i18n import _

db_app = typer.Typer(
    help=_("The SQLite file: create, info, consistent backup, integrity check."),
    no_args_is_help=True,
)


@db_app.command(
    "init",
    help=_(
        "Create an empty database, bound to the measures file's document. Refuses an "
        "existing file: no other command creates a database unasked."
    ),
)
def init(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(
            metavar=_("PATH"),
            help=_("File to create (default: --db, JSGJ_DB or the user's jsgj.db)."),
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
) -> None:
    """The one command that creates a database: every other opens with
    create=False (Store.open), so a mistyped --db fails instead of making an empty
    file. Opening applies the migrations and records the document binding."""
    from jsgj.errors import StoreError
    from jsgj.store.db import Store
    from jsgj.store.document import stored_binding

    st = state(ctx)
    target = path if path is not None else st.db_path
    if target.exists() or target.is_symlink():
        raise StoreError(
            _("{path}: already exists; `jsgj db init` creates a new database only").format(
                path=target
            )
        )
    with Store.open(target, st.catalog(), create=True) as store:
        bound = stored_binding(store.db)
        version = store.schema_version()
    typer.echo(
        _("created {path} (schema {version}), tracking {document}").format(
            path=target, version=version, document=bound.number if bound else "?"
        )
    )


@db_app.command("info", help=_("Path, schema version and counts."))
def info(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Read-only: store.admin.database_info does the counting; this prints it as
    a two-column grid or, with --json, as one object."""
    from jsgj.store.admin import database_info

    with state(ctx).store() as store:
        data = database_info(store)
    if as_json:
        print_json(data)
        return
    from rich.table import Table

    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for key, value in data.items():
        table.add_row(key, str(value))
    console().print(table)


@db_app.command(
    "backup", help=_("A consistent copy, safe while others write (SQLite's backup API).")
)
def backup(
    ctx: typer.Context,
    target: Annotated[
        Path,
        typer.Argument(
            metavar=_("TARGET"),
            help=_("File to write the copy to."),
            dir_okay=False,
            show_default=False,
        ),
    ],
) -> None:
    """SQLite's online backup (store.admin.backup_to), not a file copy: a copy
    of the .db alone misses pages still in the -wal and can catch a half-written page."""
    from jsgj.store.admin import backup_to

    with state(ctx).store() as store:
        backup_to(store, target)
    typer.echo(_("backed up to {path}").format(path=target))


@db_app.command(
    "check",
    help=_(
        "Integrity and foreign-key checks, the derived tables against the event log, and "
        "the event log's hash chain (any rewritten, replaced or deleted event is named)."
    ),
)
def check(ctx: typer.Context) -> None:
    """Both checks run and every problem is printed (on stderr) before the exit
    code: store.admin.check_database (integrity, foreign keys, the derived tables
    recomputed from the events) and store.chain.verify_chain (the hash chain)."""
    from jsgj.store.admin import check_database
    from jsgj.store.chain import verify_chain

    with state(ctx).store() as store:
        problems = check_database(store) + verify_chain(store.db)
    for p in problems:
        typer.echo(p, err=True)
    if problems:
        raise typer.Exit(1)
    typer.echo(_("ok"))


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
