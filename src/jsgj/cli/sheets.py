"""`jsgj template` and `jsgj export`: return forms out, the ledger (台账) out
(`jsgj import`, progress in, is cli/importing.py)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jsgj.cli.options import AsOfOption, KnownOnOption, complete_department, date_or_none, when
from jsgj.cli.output import print_json
from jsgj.cli.state import state
from jsgj.errors import JsgjError, UsageError
from jsgj.files import is_dir
from jsgj.i18n import N_, _

if TYPE_CHECKING:
    from jsgj.sheets.form import Form

OutputOption = Annotated[
    Path, typer.Option("--output", "-o", help=_("File or directory to write."), show_default=False)
]


def template(
    ctx: typer.Context,
    output: OutputOption,
    department: Annotated[
        str | None,
        typer.Argument(
            metavar=_("DEPARTMENT"),
            help=_("Department: id, name or alias (e.g. 省教育厅, 南京市)."),
            autocompletion=complete_department,
            show_default=False,
        ),
    ] = None,
    all_departments: Annotated[
        bool,
        typer.Option(
            "--all", help=_("One form per department with open tasks, into the --output directory.")
        ),
    ] = False,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help=_("Format: xlsx or csv (default: --output's suffix; with --all, xlsx)."),
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOption = None,
    ledger: Annotated[
        bool,
        typer.Option(
            "--ledger",
            help=_(
                "An empty ledger (台账) to fill from the office's own records, for "
                "`jsgj import` (.xlsx)."
            ),
        ),
    ] = False,
    return_by: Annotated[
        str | None,
        typer.Option(
            "--return-by",
            help=_("Date the form is due back, YYYY-MM-DD (default: that week's Friday)."),
            show_default=False,
        ),
    ] = None,
) -> None:
    """Three outputs behind one command: --ledger an empty ledger, --all one
    form per department into a directory, else one form; the format follows
    --output's suffix unless --format says otherwise. Forms are built by sheets.form
    and written by sheets.xlsx or sheets.csvfile."""
    from jsgj.sheets import form as F
    from jsgj.store.queries import task_states

    if ledger:
        _ledger_template(output, department, all_departments)
        return
    if all_departments == (department is not None):
        raise UsageError(_("give a DEPARTMENT, or --all for every department (not both)"))
    if all_departments:
        suffix = _suffix(fmt or "xlsx")
        if os.path.lexists(output) and not is_dir(output):
            raise UsageError(
                _(
                    "--output {path} is a file; --all writes one form per department "
                    "into a directory"
                ).format(path=output)
            )
    else:
        suffix = output.suffix.lower()
        if suffix not in (".xlsx", ".csv"):
            raise UsageError(_("--output {path}: name an .xlsx or .csv file").format(path=output))
        if fmt is not None and _suffix(fmt) != suffix:
            raise UsageError(
                _("--format {fmt} but --output {path}: make them agree").format(
                    fmt=fmt, path=output
                )
            )
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
            raise JsgjError(
                _("no department has open tasks on {day}: no form written").format(day=on)
            )
        for form in forms:
            _write_form(form, output / F.file_name(form, suffix))
        typer.echo(
            _("wrote {forms} to {path}").format(forms=counted(len(forms), "form"), path=output)
        )
        if idle:
            typer.echo(_("no open tasks, no form: {names}").format(names="、".join(idle)), err=True)
        return
    assert department is not None
    form = F.require_rows(F.build_form(catalog, states, department, on, by))
    _write_form(form, output)
    typer.echo(
        _("wrote {path}: {department}, {tasks}, return by {day}").format(
            path=output,
            department=form.department,
            tasks=counted(len(form.rows), "task"),
            day=form.return_by,
        )
    )


def _ledger_template(output: Path, department: str | None, all_departments: bool) -> None:
    """`template --ledger`: the ledger's sheets with headers only, after a 说明 sheet."""
    from jsgj.sheets.ledger import INSTRUCTIONS, empty_ledger
    from jsgj.sheets.table import Column, Kind, Table
    from jsgj.sheets.xlsx import write_tables

    if department is not None or all_departments:
        raise UsageError(_("--ledger writes one empty ledger: give no DEPARTMENT and no --all"))
    if output.suffix.lower() != ".xlsx":
        raise UsageError(_("--output {path}: name an .xlsx file for --ledger").format(path=output))
    notes = Table("说明", "instructions", (Column("说明", Kind.wrap, "note"),))
    notes.rows.extend((line,) for line in INSTRUCTIONS)
    write_tables([notes, *empty_ledger()], output)
    typer.echo(
        _("wrote {path}: an empty ledger (台账) to fill, then `jsgj import {path}`").format(
            path=output
        )
    )


_NOUNS = {
    "form": (N_("{n} form"), N_("{n} forms")),
    "task": (N_("{n} task"), N_("{n} tasks")),
    "row": (N_("{n} row"), N_("{n} rows")),
    "revision": (N_("{n} revision"), N_("{n} revisions")),
    "report": (N_("{n} report"), N_("{n} reports")),
    "event": (N_("{n} event"), N_("{n} events")),
    "observation": (N_("{n} observation"), N_("{n} observations")),
}


def counted(count: int, noun: str) -> str:
    """``count`` of ``noun`` in the user's language (one form, two forms; 2份填报表)."""
    one, many = _NOUNS[noun]
    return _(one if count == 1 else many).format(n=count)


def _suffix(fmt: str) -> str:
    value = fmt.strip().lower().lstrip(".")
    if value not in ("xlsx", "csv"):
        raise UsageError(_("--format {fmt!r}: use xlsx or csv").format(fmt=fmt))
    return "." + value


def _write_form(form: Form, path: Path) -> None:
    if path.suffix.lower() == ".csv":
        from jsgj.sheets.csvfile import write_form
    else:
        from jsgj.sheets.xlsx import write_form
    write_form(form, path)


def export(
    ctx: typer.Context,
    output: OutputOption,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help=_(
                "Format: xlsx (one sheet each), csv (a directory of UTF-8 CSV files, one per "
                "sheet) or json; default from --output's suffix."
            ),
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOption = None,
    known_on: KnownOnOption = None,
) -> None:
    """All reads happen in one snapshot, so a report recorded meanwhile cannot
    make a task's count disagree with its listed reports; sheets.ledger builds the
    tables and the format's writer writes them, atomically (jsgj.files)."""
    from jsgj.sheets.ledger import build_ledger, history_tables, ledger_json
    from jsgj.store.history import reports_between
    from jsgj.store.imports import report_sources
    from jsgj.store.ledger import stored_history, stored_observations
    from jsgj.store.queries import task_states

    kind = _export_format(fmt, output)
    if kind != "csv" and is_dir(output):
        raise UsageError(
            _("--output {path} is a directory; name an .{kind} file").format(path=output, kind=kind)
        )
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
        _("wrote {path} ({kind}, as of {day}): {measures} measures, {tasks}, {reports}").format(
            path=output,
            kind=kind,
            day=on,
            measures=len(catalog.measures),
            tasks=counted(len(states), "task"),
            reports=counted(len(reports), "report"),
        )
    )


def _export_format(fmt: str | None, output: Path) -> str:
    if fmt is not None:
        value = fmt.strip().lower().lstrip(".")
        if value not in ("xlsx", "csv", "json"):
            raise UsageError(_("--format {fmt!r}: use xlsx, csv or json").format(fmt=fmt))
        if str(output) == "-" and value != "json":
            raise UsageError(_("--output - (stdout) works with --format json only"))
        return value
    if str(output) == "-":
        return "json"
    suffix = output.suffix.lower()
    if suffix in (".xlsx", ".json"):
        return suffix[1:]
    if suffix == "" or is_dir(output):
        return "csv"
    raise UsageError(_("--output {path}: give --format xlsx, csv or json").format(path=output))


def register(app: typer.Typer) -> None:
    app.command(
        "template",
        help=_(
            "Write a department's progress return form (进展填报表), .xlsx or .csv.\n\n"
            "One row per open task the department leads or co-owns, with 状态 (drop-down), "
            "进度% (0-100), 日期, 进展情况 and 佐证材料 to fill in; the task columns are "
            "protected. A city gets its own tasks and those of 各设区市人民政府."
        ),
    )(template)
    app.command(
        "export",
        help=_(
            "Write the ledger (台账) as xlsx, csv or json.\n\n"
            "Tables: 措施 (measures with their departments), 任务 (tasks with state, light "
            "and reason), 进展 (every progress report, corrections included), 修订 "
            "(revisions of the tasks), 事件 (签收/审核/催办) and 指标 (indicator "
            "observations): everything `jsgj import` needs to rebuild the database from it."
        ),
    )(export)
