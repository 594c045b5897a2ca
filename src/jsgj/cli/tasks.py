"""`jsgj tasks list|show|edit|cancel`. The lifecycle writes (assign, progress,
acknowledge, review) are in jsgj.cli.lifecycle."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from jsgj.cli.options import (
    AsOfOption,
    DepartmentOption,
    JsonOption,
    KnownOnOption,
    TaskArg,
    complete_department,
    date_or_none,
    when,
)
from jsgj.cli.output import console, print_json, rich_output, write
from jsgj.cli.state import state
from jsgj.i18n import _

if TYPE_CHECKING:
    from jsgj.tasks.records import Role, TaskState

tasks_app = typer.Typer(help=_("List, show, edit and cancel tasks (任务)."), no_args_is_help=True)

ListStatusHelp = _(
    "Only this status: not_started 未启动 | in_progress 推进中 | blocked 受阻 | "
    "pending_review 待审核 | done 已办结 | cancelled 已撤销."
)


@tasks_app.command(
    "list",
    help=_(
        "Tasks grouped by measure: lead, due date, status, percent, days since the lead's "
        "last report. Counted by the one counting rule (see README). On a terminal a long "
        "listing goes through $PAGER (else less -R; JSGJ_PAGER=cat or --no-pager: none)."
    ),
)
def tasks_list(
    ctx: typer.Context,
    measure: Annotated[
        int | None,
        typer.Option("--measure", "-m", help=_("Only this measure, 1-19."), show_default=False),
    ] = None,
    department: DepartmentOption = None,
    status: Annotated[
        str | None, typer.Option("--status", "-s", help=ListStatusHelp, show_default=False)
    ] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help=_("Only overdue tasks (逾期)."))
    ] = False,
    as_of: AsOfOption = None,
    known_on: KnownOnOption = None,
    as_json: JsonOption = False,
    limit: Annotated[
        int | None,
        typer.Option("--limit", min=0, help=_("Show at most N rows."), show_default=False),
    ] = None,
    offset: Annotated[
        int, typer.Option("--offset", min=0, help=_("Skip the first N rows."), show_default=False)
    ] = 0,
    no_pager: Annotated[
        bool, typer.Option("--no-pager", help=_("Print straight to the terminal, no pager."))
    ] = False,
) -> None:
    """Streams: the rows are rendered as they are read (store.listing), inside
    one snapshot so the column widths and the rows see the same tasks; the filter is
    applied in SQL (TaskFilter). --offset/--limit slice the JSON array as they slice
    the table's rows."""
    from jsgj.reports.tasks import task_record
    from jsgj.store.listing import listed_states
    from jsgj.tasks.filters import TaskFilter, parse_list_status

    st = state(ctx)
    catalog = st.catalog()
    moment = when(as_of, known_on)
    on = moment.on
    wanted = TaskFilter(
        measure=catalog.measure(measure).number if measure is not None else None,
        department=catalog.resolve(department).id if department else None,
        status=parse_list_status(status) if status else None,
        overdue=overdue,
    )
    thresholds = st.thresholds()
    # One read transaction: the table's widths and its rows must see the same tasks.
    # Rows are written as read; the counts come last.
    with st.store() as store, store.snapshot():
        if as_json:
            from jsgj.tasks.roles import counted_for, role_among

            # ``counting_role`` of each task, the department's holders worked out once.
            mine = counted_for(catalog, wanted.department) if wanted.department else None

            def role(t: TaskState) -> Role | None:
                return role_among(mine, t) if mine is not None else None

            from itertools import islice

            stop = None if limit is None else offset + limit
            print_json(
                task_record(catalog, t, on, thresholds, role(t))
                for t in islice(listed_states(store, wanted, moment), offset, stop)
            )
            return
        from jsgj.cli.output import page, terminal_width, wants_colour
        from jsgj.render.tasks import tasks_table
        from jsgj.store.listing import listing_widths

        id_widths, oldest = listing_widths(store)
        page(
            tasks_table(
                catalog, listed_states(store, wanted, moment), on, thresholds,
                id_widths=id_widths, oldest=oldest, width=terminal_width(),
                colour=wants_colour(), offset=offset, limit=limit,
            ),
            no_pager=no_pager,
        )  # fmt: skip


@tasks_app.command(
    "show", help=_("One task: its definition, lifecycle, light with reason, and its whole history.")
)
def tasks_show(
    ctx: typer.Context,
    task: TaskArg,
    as_of: AsOfOption = None,
    known_on: KnownOnOption = None,
    as_json: JsonOption = False,
) -> None:
    """One read (store.history.task_history) on both time axes; the card is
    rich on a terminal (or FORCE_COLOR), plain lines in a pipe (rich_output)."""
    from jsgj.store.history import task_history

    st = state(ctx)
    catalog = st.catalog()
    moment = when(as_of, known_on)
    on = moment.on
    thresholds = st.thresholds()
    with st.store() as store:
        history = task_history(store, task, moment)
    if as_json:
        from jsgj.reports.tasks import history_record

        print_json(history_record(catalog, history, on, thresholds))
        return

    from jsgj.render.card import card, card_lines, card_panel

    found = card(catalog, history, on, thresholds)
    if rich_output():
        console().print(card_panel(found))
    else:
        write("".join(f"{line}\n" for line in card_lines(found)))


@tasks_app.command(
    "edit",
    help=_("Change a task's title, dates or departments; each change is kept with its reason."),
)
def tasks_edit(
    ctx: typer.Context,
    task: TaskArg,
    reason: Annotated[
        str, typer.Option("--reason", "-r", help=_("Why the task changes."), show_default=False)
    ],
    title: Annotated[
        str | None, typer.Option("--title", "-t", help=_("The new title."), show_default=False)
    ] = None,
    due: Annotated[
        str | None, typer.Option("--due", help=_("New due date, YYYY-MM-DD."), show_default=False)
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--start", help=_("New start date, YYYY-MM-DD."), show_default=False),
    ] = None,
    lead: Annotated[
        str | None,
        typer.Option(
            "--lead",
            help=_("The new lead department (not for a task shared out to the cities)."),
            autocompletion=complete_department,
            show_default=False,
        ),
    ] = None,
    co: Annotated[
        list[str] | None,
        typer.Option(
            "--co",
            help=_("The new co-responsible list (repeat); replaces the old one."),
            autocompletion=complete_department,
        ),
    ] = None,
    no_co: Annotated[
        bool, typer.Option("--no-co", help=_("Remove every co-responsible department."))
    ] = False,
) -> None:
    """store.revisions.edit_task re-reads the task inside its transaction, so
    two edits of different fields both land and a cancelled task is never revived;
    --no-co is a flag because an empty --co cannot be told from no --co."""
    from jsgj.store.revisions import edit_task

    st = state(ctx)
    with st.store(write=True) as store:
        ids = edit_task(
            store,
            task,
            reason=reason,
            title=title,
            due=date_or_none(due, "--due"),
            start=date_or_none(start, "--start"),
            lead=lead,
            co=[] if no_co else co,
        )
    typer.echo(_("recorded {n} change(s)").format(n=len(ids)))


@tasks_app.command(
    "cancel", help=_("Cancel a task (撤销). It stays in the history and shows as cancelled.")
)
def tasks_cancel(
    ctx: typer.Context,
    task: TaskArg,
    reason: Annotated[
        str,
        typer.Option(
            "--reason", "-r", help=_("Why the task is cancelled (撤销)."), show_default=False
        ),
    ],
) -> None:
    """A cancel is a revision (store.revisions.cancel_task), never a delete: the
    task and its history stay, and a task shared out cancels its city shares too."""
    from jsgj.store.revisions import cancel_task

    st = state(ctx)
    with st.store(write=True) as store:
        ids = cancel_task(store, task, reason=reason)
    typer.echo(_("cancelled {ids}").format(ids=", ".join(ids)))


def register(app: typer.Typer) -> None:
    app.add_typer(tasks_app, name="tasks")
