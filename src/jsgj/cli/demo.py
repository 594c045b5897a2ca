"""`jsgj demo`: build a fresh demo database (half a year of tasks and reports)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from jsgj.cli.state import state
from jsgj.i18n import _

DEFAULT_DEMO_DB = Path("demo/jsgj-demo.db")
_SIDECARS = ("-wal", "-shm", "-journal")


def _remove(path: Path) -> None:
    """A database file and its WAL/shared-memory/journal companions."""
    for p in (path, *(path.with_name(path.name + s) for s in _SIDECARS)):
        p.unlink(missing_ok=True)


def demo(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help=_(
                "Where to write the demo database, a file name (default {path}). The global "
                "--db and JSGJ_DB are not used, so the demo never touches your real database."
            ).format(path=DEFAULT_DEMO_DB),
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help=_("Replace the file if it exists."))
    ] = False,
) -> None:
    """Never touches the user's database: the global --db is ignored and the
    file is built beside the target and renamed into place (see the comments below),
    so an interrupted or failed build leaves the old file as it was."""
    from jsgj.demo import build_demo, demo_summary
    from jsgj.errors import JsgjError
    from jsgj.i18n import _
    from jsgj.store.db import Store

    target = db or DEFAULT_DEMO_DB
    if target.is_dir():
        raise JsgjError(_("{path}: is a directory, not a database file").format(path=target))
    if target.exists() and not force:
        raise JsgjError(_("{path} already exists; add --force to replace it").format(path=target))
    catalog = state(ctx).catalog()
    # Built beside the target and renamed into place: an interrupted build leaves no
    # half-filled demo, and a failed one leaves the old file as it was.
    building = target.with_name(f".{target.name}.building")
    _remove(building)
    try:
        with Store.open(building, catalog) as store:
            # A scratch file until renamed into place: no need to sync each of its
            # ~1,700 transactions to disk (keeps the build around a second).
            store.db.execute("PRAGMA synchronous=OFF")
            as_of = build_demo(store).calendar.as_of
            counts = demo_summary(store)
            store.db.execute("PRAGMA synchronous=NORMAL")  # the closing checkpoint syncs
        _remove(target)  # an old -wal beside the new file would be replayed into it
        os.replace(building, target)
    finally:
        _remove(building)
    # What the database holds, counted in it (not what the plans meant it to hold), and
    # the plans' as-of date: nothing in them happens later (demo/checks.py).
    typer.echo(
        _(
            "{path}: {tasks} tasks and {city_shares} city shares, {reports} progress reports "
            "({corrections} corrections), {edits} due-date edits, {cancelled} cancelled, "
            "{figures} indicator figures, as of {as_of}; try: "
            "jsgj --db {path} tasks list --as-of {as_of}"
        ).format(path=target, as_of=as_of, **counts)
    )


def register(app: typer.Typer) -> None:
    app.command(
        "demo",
        help=_(
            "Build a fresh demo database from the demo's plans (data/demo/plans.yaml): tasks "
            "for the 19 measures, city shares, half a year of progress (overdue, blocked, "
            "stalled and corrected reports) and indicator figures. The plans are checked "
            "first; a mistake in them is reported as file:line:column and nothing is built."
        ),
    )(demo)
