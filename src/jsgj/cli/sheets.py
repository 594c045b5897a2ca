"""`jsgj template`, `jsgj import` and `jsgj export`: return forms out, progress in,
the ledger (台账) out."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jsgj.cli.catalog import complete_department
from jsgj.cli.options import AsOfOption, KnownOnOption, date_or_none, when
from jsgj.cli.output import error_console, print_json
from jsgj.cli.state import state
from jsgj.errors import JsgjError, UsageError
from jsgj.files import is_dir

if TYPE_CHECKING:
    from jsgj.catalog.catalog import Catalog
    from jsgj.sheets.form import Form

OutputOption = Annotated[
    Path, typer.Option("--output", "-o", help="File or directory to write.", show_default=False)
]
DRY_RUN_ROWS = 200
"""A dry run lists this many rows at most (then says how many more)."""
PROGRESS_MIN_ROWS = 1000
"""Imports with fewer rows finish before a progress bar would be worth drawing."""


def template(
    ctx: typer.Context,
    output: OutputOption,
    department: Annotated[
        str | None,
        typer.Argument(
            help="Department: id, name or alias (e.g. 省教育厅, 南京市).",
            autocompletion=complete_department,
            show_default=False,
        ),
    ] = None,
    all_departments: Annotated[
        bool, typer.Option("--all", help="One form per department with open tasks, into DIR.")
    ] = False,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="xlsx or csv (default: --output's suffix; with --all, xlsx).",
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOption = None,
    ledger: Annotated[
        bool,
        typer.Option(
            "--ledger",
            help="An empty ledger (台账) to fill from the office's own records, for "
            "`jsgj import` (.xlsx).",
        ),
    ] = False,
    return_by: Annotated[
        str | None,
        typer.Option(
            "--return-by",
            help="Date the form is due back (default: that week's Friday).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write a department's progress return form (进展填报表), .xlsx or .csv.

    One row per open task the department leads or co-owns, with 状态 (drop-down),
    进度% (0-100), 日期, 进展情况 and 佐证材料 to fill in; the task columns are protected.
    A city gets its own tasks and those of 各设区市人民政府."""
    from jsgj.sheets import form as F
    from jsgj.store.queries import task_states

    if ledger:
        _ledger_template(output, department, all_departments)
        return
    if all_departments == (department is not None):
        raise UsageError("give a DEPARTMENT, or --all for every department (not both)")
    if all_departments:
        suffix = _suffix(fmt or "xlsx")
        if os.path.lexists(output) and not is_dir(output):
            raise UsageError(
                f"--output {output} is a file; --all writes one form per department "
                "into a directory"
            )
    else:
        suffix = output.suffix.lower()
        if suffix not in (".xlsx", ".csv"):
            raise UsageError(f"--output {output}: name an .xlsx or .csv file")
        if fmt is not None and _suffix(fmt) != suffix:
            raise UsageError(f"--format {fmt} but --output {output}: make them agree")
    st = state(ctx)
    catalog = st.catalog()
    moment = when(as_of, None)
    on = moment.on
    by = date_or_none(return_by, "--return-by")
    with st.store() as store:
        states = task_states(store, moment)
    if all_departments:
        forms, idle = F.build_forms(catalog, states, on, by)
        if not forms:
            raise JsgjError(f"no department has open tasks on {on}: no form written")
        for form in forms:
            _write_form(form, output / F.file_name(form, suffix))
        typer.echo(f"wrote {_n(len(forms), 'form')} to {output}")
        if idle:
            typer.echo(f"no open tasks, no form: {'、'.join(idle)}", err=True)
        return
    assert department is not None
    form = F.require_rows(F.build_form(catalog, states, department, on, by))
    _write_form(form, output)
    typer.echo(
        f"wrote {output}: {form.department}, {_n(len(form.rows), 'task')}, "
        f"return by {form.return_by}"
    )


def _ledger_template(output: Path, department: str | None, all_departments: bool) -> None:
    """`template --ledger`: the ledger's sheets with headers only, after a 说明 sheet."""
    from jsgj.sheets.ledger import INSTRUCTIONS, empty_ledger
    from jsgj.sheets.table import Column, Kind, Table
    from jsgj.sheets.xlsx import write_tables

    if department is not None or all_departments:
        raise UsageError("--ledger writes one empty ledger: give no DEPARTMENT and no --all")
    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"--output {output}: name an .xlsx file for --ledger")
    notes = Table("说明", "instructions", (Column("说明", Kind.wrap, "note"),))
    notes.rows.extend((line,) for line in INSTRUCTIONS)
    write_tables([notes, *empty_ledger()], output)
    typer.echo(f"wrote {output}: an empty ledger (台账) to fill, then `jsgj import {output}`")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _suffix(fmt: str) -> str:
    value = fmt.strip().lower().lstrip(".")
    if value not in ("xlsx", "csv"):
        raise UsageError(f"--format {fmt!r}: use xlsx or csv")
    return "." + value


def _write_form(form: Form, path: Path) -> None:
    if path.suffix.lower() == ".csv":
        from jsgj.sheets.csvfile import write_form
    else:
        from jsgj.sheets.xlsx import write_form
    write_form(form, path)


ImportProgress = Callable[[str, int, int], None]


@contextmanager
def _progress_bar() -> Iterator[ImportProgress | None]:
    """A rich progress bar on stderr for long imports, only on a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    labels = {"read": "读取", "check": "检查", "record": "录入"}
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
            help="A filled-in return (.xlsx or .csv), or a ledger (`jsgj export`'s .json, "
            ".xlsx or CSV directory).",
            show_default=False,
        ),
    ],
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Check and show what would be recorded; write nothing."),
    ] = False,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="Reporting department (or 'office'), when the file names none (填报单位).",
            autocompletion=complete_department,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Record a filled-in return form (.xlsx or .csv) as progress reports.

    Every row is checked first; then all rows are recorded in one transaction, or none
    (the problems are listed by row number). Rows already recorded are not recorded
    again, so importing the same file twice is harmless."""
    from jsgj.sheets.returns import read_return
    from jsgj.store.imports import ImportRejected, import_reports

    st = state(ctx)
    catalog = st.catalog()
    if _is_ledger(file):
        if by is not None:
            raise UsageError("--by is for return forms; a ledger names each row's department")
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
    skipped = f"; {_n(ret.skipped, 'row')} with nothing filled in skipped" if ret.skipped else ""
    counts = f"{result.new} new, {result.already} already recorded"
    if dry_run:
        if result.reports:
            from jsgj.cli.output import page, terminal_width
            from jsgj.sheets.render import planned_lines

            shown = result.reports[:DRY_RUN_ROWS]
            title = f"{file.name}：将录入的进展"
            page(planned_lines(catalog, shown, title, terminal_width()), no_pager=True)
            if len(result.reports) > len(shown):
                typer.echo(f"… and {len(result.reports) - len(shown)} more rows")
        typer.echo(f"dry run: {counts}{skipped}; nothing was written")
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
            error_console().print(visible(f"{p.field} 第{p.row}行：{p.message}"), markup=False)
        raise
    counts = (
        f"{_n(result.tasks, 'task')}, {_n(result.revisions, 'revision')}, "
        f"{_n(result.reports, 'report')}, {_n(result.events, 'event')}, "
        f"{_n(result.observations, 'observation')} new; "
        f"{result.already} already recorded"
    )
    if dry_run:
        typer.echo(f"dry run: {counts}; nothing was written")
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
    named = resolve(header, "the form's 填报单位") if header else None
    if chosen and named and chosen != named:
        raise UsageError(
            f"the form is {catalog.department(named).name}'s (填报单位) but --by says "
            f"{by}; fix the form's 填报单位 or leave out --by"
        )
    reporter = chosen or named
    if reporter is None and not per_row:
        raise UsageError(
            "the file does not say which department reports (no 填报单位); give --by DEPARTMENT, "
            "or --by office"
        )
    return reporter


def export(
    ctx: typer.Context,
    output: OutputOption,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="xlsx (one sheet each), csv (a directory of UTF-8 CSV files, one per sheet) "
            "or json; "
            "default from --output's suffix.",
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOption = None,
    known_on: KnownOnOption = None,
) -> None:
    """Write the ledger (台账) as xlsx, csv or json.

    Tables: 措施 (measures with their departments), 任务 (tasks with state, light and
    reason), 进展 (every progress report, corrections included), 修订 (revisions of the
    tasks), 事件 (签收/审核/催办) and 指标 (indicator observations): everything
    `jsgj import` needs to rebuild the database from it."""
    from jsgj.sheets.ledger import build_ledger, history_tables, ledger_json
    from jsgj.store.history import reports_between
    from jsgj.store.imports import report_sources
    from jsgj.store.ledger import stored_history, stored_observations
    from jsgj.store.queries import task_states

    kind = _export_format(fmt, output)
    if kind != "csv" and is_dir(output):
        raise UsageError(f"--output {output} is a directory; name an .{kind} file")
    st = state(ctx)
    catalog = st.catalog()
    moment = when(as_of, known_on)
    on = moment.on
    thresholds = st.thresholds()
    # One read transaction for the three reads: a clerk recording meanwhile must not
    # make a task's count disagree with its listed reports.
    with st.store() as store, store.snapshot():
        states = task_states(store, moment)
        last = dt.date.max if moment.current else on
        reports = reports_between(store, dt.date.min, last, moment)
        sources = report_sources(store)
        revisions, _reports, events = stored_history(store, [t.id for t in states], moment.params())
        observations = stored_observations(store, moment.params())
    if kind == "json":
        doc = ledger_json(
            catalog, states, reports, sources, on, thresholds, revisions, events, observations
        )
        if str(output) == "-":
            print_json(doc)
            return
        from jsgj.cli.output import write_json

        write_json(output, doc)
    else:
        tables = [
            *build_ledger(catalog, states, reports, sources, on, thresholds),
            *history_tables(catalog, revisions, events, observations),
        ]
        if kind == "xlsx":
            from jsgj.sheets.xlsx import write_tables

            write_tables(tables, output)
        else:
            from jsgj.sheets.csvfile import write_tables as write_csv

            write_csv(tables, output)
    typer.echo(
        f"wrote {output} ({kind}, as of {on}): {len(catalog.measures)} measures, "
        f"{_n(len(states), 'task')}, {_n(len(reports), 'report')}"
    )


def _export_format(fmt: str | None, output: Path) -> str:
    if fmt is not None:
        value = fmt.strip().lower().lstrip(".")
        if value not in ("xlsx", "csv", "json"):
            raise UsageError(f"--format {fmt!r}: use xlsx, csv or json")
        if str(output) == "-" and value != "json":
            raise UsageError("--output - (stdout) works with --format json only")
        return value
    if str(output) == "-":
        return "json"
    suffix = output.suffix.lower()
    if suffix in (".xlsx", ".json"):
        return suffix[1:]
    if suffix == "" or is_dir(output):
        return "csv"
    raise UsageError(f"--output {output}: give --format xlsx, csv or json")


def register(app: typer.Typer) -> None:
    app.command("template")(template)
    app.command("import")(import_)
    app.command("export")(export)
