"""`jsgj import`: filled-in return forms in as progress reports, or a whole ledger
(台账) moved in; every row checked first, then all recorded or none."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jsgj.cli.options import complete_department
from jsgj.cli.output import error_console
from jsgj.cli.sheets import counted
from jsgj.cli.state import state
from jsgj.errors import UsageError
from jsgj.i18n import _

if TYPE_CHECKING:
    from jsgj.catalog.catalog import Catalog

DRY_RUN_ROWS = 200
"""A dry run lists this many rows at most (then says how many more)."""
PROGRESS_MIN_ROWS = 1000
"""Imports with fewer rows finish before a progress bar would be worth drawing."""


ImportProgress = Callable[[str, int, int], None]


@contextmanager
def _progress_bar() -> Iterator[ImportProgress | None]:
    """A rich progress bar on stderr for long imports, only on a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    labels = {"read": _("reading"), "check": _("checking"), "record": _("recording")}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=error_console(),
        transient=True,
    ) as bar:
        ids: dict[str, object] = {}

        def update(phase: str, done: int, total: int) -> None:
            """``total`` 0: unknown (a workbook without its dimensions), shown as a pulse."""
            if max(total, done) < PROGRESS_MIN_ROWS:
                return
            if phase not in ids:
                ids[phase] = bar.add_task(labels.get(phase, phase), total=total or None)
            bar.update(ids[phase], completed=done, total=total or None)  # type: ignore[arg-type]

        yield update


def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            metavar=_("FILE"),
            help=_(
                "A filled-in return (.xlsx or .csv), or a ledger (`jsgj export`'s .json, "
                ".xlsx or CSV directory)."
            ),
            show_default=False,
        ),
    ],
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help=_("Check and show what would be recorded; write nothing.")),
    ] = False,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help=_("Reporting department (or 'office'), when the file names none (填报单位)."),
            autocompletion=complete_department,
            show_default=False,
        ),
    ] = None,
) -> None:
    """One command for two kinds of file: a return form (sheets.returns ->
    store.imports, rows of progress) or a ledger (what `jsgj export` writes ->
    store.ledger_import, tasks and their history), told apart by _is_ledger. Both
    check everything before writing; the rejected rows are printed here, the error
    itself is raised for app.py to turn into the exit code."""
    from jsgj.sheets.returns import read_return
    from jsgj.store.imports import ImportRejected, import_reports

    st = state(ctx)
    catalog = st.catalog()
    if _is_ledger(file):
        if by is not None:
            raise UsageError(_("--by is for return forms; a ledger names each row's department"))
        _import_ledger(ctx, file, dry_run)
        return
    with _progress_bar() as progress:
        ret = read_return(file, progress)
        reporter = _reporter(catalog, by, ret.department, "reporter" in ret.columns)
        rejected: ImportRejected | None = None
        try:
            with st.store(write=not dry_run) as store:
                result = import_reports(
                    store,
                    ret.rows,
                    reporter=reporter,
                    source=file.name,
                    dry_run=dry_run,
                    problems=ret.problems,
                    unparsed=ret.unparsed,
                    progress=progress,
                )
        except ImportRejected as e:
            rejected = e
    if rejected is not None:
        from jsgj.cli.output import terminal_width
        from jsgj.sheets.render import problem_lines

        for line in problem_lines(ret, rejected.problems, terminal_width()):
            typer.echo(line, err=True)
        raise rejected
    skipped = (
        _("; {rows} with nothing filled in skipped").format(rows=counted(ret.skipped, "row"))
        if ret.skipped
        else ""
    )
    counts = _("{new} new, {already} already recorded").format(
        new=result.new, already=result.already
    )
    if dry_run:
        if result.reports:
            from jsgj.cli.output import page, terminal_width
            from jsgj.sheets.render import planned_lines

            shown = result.reports[:DRY_RUN_ROWS]
            title = _("{file}: the reports to be recorded").format(file=file.name)
            page(planned_lines(catalog, shown, title, terminal_width()), no_pager=True)
            if len(result.reports) > len(shown):
                more = len(result.reports) - len(shown)
                typer.echo(_("… and {n} more rows").format(n=more))
        typer.echo(_("dry run: {counts}; nothing was written").format(counts=counts + skipped))
    else:
        typer.echo(f"{file.name}: {counts}{skipped}")


def _is_ledger(file: Path) -> bool:
    """A ledger (what `jsgj export` writes: JSON, a CSV directory, or a workbook with
    the 任务 and 修订 sheets) rather than a return form."""
    from jsgj.sheets.ledger_read import is_ledger_json, is_tabular_ledger

    return is_ledger_json(file) or is_tabular_ledger(file)


def _import_ledger(ctx: typer.Context, file: Path, dry_run: bool) -> None:
    """Move in: record a whole ledger (tasks and their dated history), all or nothing."""
    from jsgj.sheets.ledger_read import is_ledger_json, read_ledger_json, read_tabular_ledger
    from jsgj.store.imports import ImportRejected
    from jsgj.store.ledger_import import import_ledger

    st = state(ctx)
    read = read_ledger_json if is_ledger_json(file) else read_tabular_ledger
    ledger = read(file, st.catalog())
    indicators = frozenset(i.id for i in st.indicators().indicators)
    try:
        with st.store(write=not dry_run) as store:
            result = import_ledger(store, ledger, dry_run=dry_run, indicators=indicators)
    except ImportRejected as e:
        from jsgj.render.text import visible

        for p in e.problems:  # 任务·lead 第3行: ...
            line = _("{field} row {row}: {message}").format(
                field=p.field, row=p.row, message=p.message
            )
            error_console().print(visible(line), markup=False)
        raise
    counts = _(
        "{tasks}, {revisions}, {reports}, {events}, {observations} new; {already} already recorded"
    ).format(
        tasks=counted(result.tasks, "task"),
        revisions=counted(result.revisions, "revision"),
        reports=counted(result.reports, "report"),
        events=counted(result.events, "event"),
        observations=counted(result.observations, "observation"),
        already=result.already,
    )
    if dry_run:
        typer.echo(_("dry run: {counts}; nothing was written").format(counts=counts))
    else:
        typer.echo(f"{file.name}: {counts}")


def _reporter(catalog: Catalog, by: str | None, header: str | None, per_row: bool) -> str | None:
    """The reporting department: --by, or the form's 填报单位; they must agree."""
    from jsgj.errors import NotFoundError
    from jsgj.tasks.roles import resolve_actor

    def resolve(text: str, where: str) -> str:
        try:
            return resolve_actor(catalog, text)
        except NotFoundError as e:
            raise UsageError(f"{where}: {e}") from None

    chosen = resolve(by, "--by") if by else None
    named = resolve(header, _("the form's 填报单位")) if header else None
    if chosen and named and chosen != named:
        raise UsageError(
            _(
                "the form is {department}'s (填报单位) but --by says {by}; fix the form's "
                "填报单位 or leave out --by"
            ).format(department=catalog.department(named).name, by=by)
        )
    reporter = chosen or named
    if reporter is None and not per_row:
        raise UsageError(
            _(
                "the file does not say which department reports (no 填报单位); "
                "give --by DEPARTMENT, or --by office"
            )
        )
    return reporter


def register(app: typer.Typer) -> None:
    app.command(
        "import",
        help=_(
            "Record a filled-in return form (.xlsx or .csv) as progress reports.\n\n"
            "Every row is checked first; then all rows are recorded in one transaction, or "
            "none (the problems are listed by row number). Rows already recorded are not "
            "recorded again, so importing the same file twice is harmless."
        ),
    )(import_)
