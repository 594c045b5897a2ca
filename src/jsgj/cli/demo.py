"""`jsgj demo`: build a fresh demo database (half a year of tasks and reports)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from jsgj.cli.state import state

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
            help=f"Where to write the demo database (default {DEFAULT_DEMO_DB}). The global "
            "--db and JSGJ_DB are not used, so the demo never touches your real database.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
) -> None:
    """Build a fresh demo database: tasks for all 19 measures, city shares and half a year
    of progress (overdue, blocked, stalled and corrected reports), as of 2025-06-29."""
    from jsgj.demo import DEMO_AS_OF, build_demo, demo_summary
    from jsgj.errors import JsgjError
    from jsgj.store.db import Store

    target = db or DEFAULT_DEMO_DB
    if target.is_dir():
        raise JsgjError(f"{target}: is a directory, not a database file")
    if target.exists() and not force:
        raise JsgjError(f"{target} already exists; add --force to replace it")
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
            build_demo(store)
            counts = demo_summary(store)
            store.db.execute("PRAGMA synchronous=NORMAL")  # the closing checkpoint syncs
        _remove(target)  # an old -wal beside the new file would be replayed into it
        os.replace(building, target)
    finally:
        _remove(building)
    shown = str(target)
    typer.echo(
        f"{shown}: {counts['tasks']} tasks and {counts['city_shares']} city shares, "
        f"{counts['reports']} progress reports ({counts['corrections']} corrections), "
        f"{counts['cancelled']} cancelled, as of {DEMO_AS_OF}; try: "
        f"jsgj --db {shown} tasks list --as-of {DEMO_AS_OF}"
    )


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
