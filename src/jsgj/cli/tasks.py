"""`jsgj assign`, `jsgj progress` and `jsgj tasks list|show|edit|cancel`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from jsgj.cli.catalog import complete_department
from jsgj.cli.options import (
    AsOfOption,
    DepartmentOption,
    JsonOption,
    KnownOnOption,
    date_or_none,
    when,
)
from jsgj.cli.output import console, print_json, write
from jsgj.cli.state import state
from jsgj.i18n import _

if TYPE_CHECKING:
    from jsgj.tasks.records import Role, TaskState, Urgency

tasks_app = typer.Typer(help=_("List, show, edit and cancel tasks (任务)."), no_args_is_help=True)

TaskArg = Annotated[
    str,
    typer.Argument(
        metavar=_("TASK"),
        help=_("Task id, e.g. 7-3, or 1-2.nanjing for a city's share."),
        show_default=False,
    ),
]
StatusHelp = _(
    "not_started 未启动 | in_progress 推进中 | blocked 受阻 | done 已完成 "
    "(by the lead: a claim of completion, needs --evidence, awaits the office's review)."
)
ListStatusHelp = _(
    "Only this status: not_started 未启动 | in_progress 推进中 | blocked 受阻 | "
    "pending_review 待审核 | done 已办结 | cancelled 已撤销."
)
UrgencyHelp = _("Urgency (缓急): normal 一般 | urgent 急 | very_urgent 特急.")


def assign(
    ctx: typer.Context,
    measure: Annotated[
        int,
        typer.Argument(metavar=_("MEASURE"), help=_("Measure number, 1-19."), show_default=False),
    ],
    title: Annotated[
        str, typer.Option("--title", "-t", help=_("What is to be done."), show_default=False)
    ],
    lead: Annotated[
        str | None,
        typer.Option(
            "--lead",
            help=_(
                "Lead department (default: the measure's lead); "
                "'cities' gives every city its own task."
            ),
            autocompletion=complete_department,
            show_default=False,
        ),
    ] = None,
    co: Annotated[
        list[str] | None,
        typer.Option(
            "--co",
            help=_("Co-responsible department (repeat for more)."),
            autocompletion=complete_department,
        ),
    ] = None,
    due: Annotated[
        str | None, typer.Option("--due", help=_("Due date, YYYY-MM-DD."), show_default=False)
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--start", help=_("Start date, YYYY-MM-DD (default today)."), show_default=False
        ),
    ] = None,
    urgency: Annotated[str, typer.Option("--urgency", help=UrgencyHelp)] = "normal",
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help=_("Source (来源): where the task comes from, e.g. 领导批示, 会议纪要."),
            show_default=False,
        ),
    ] = None,
) -> None:
    """Create a task under a measure (交办) and print its id."""
    from jsgj.store.tasks import assign as assign_task

    st = state(ctx)
    due_date = date_or_none(due, "--due")
    start_date = date_or_none(start, "--start")
    level = parse_urgency(urgency)
    with st.store(write=True) as store:
        ids = assign_task(
            store, measure, title, lead=lead, co=co or [], due=due_date, start=start_date,
            urgency=level, source=source,
        )  # fmt: skip
    typer.echo(ids[0])
    if len(ids) > 1:
        typer.echo(
            _("  shared out to {n} cities: {first} … {last}").format(
                n=len(ids) - 1, first=ids[1], last=ids[-1]
            ),
            err=True,
        )


def parse_urgency(text: str) -> Urgency:
    from jsgj.errors import UsageError
    from jsgj.tasks.records import Urgency

    for u in Urgency:
        if text.strip() in (u.value, u.label):
            return u
    raise UsageError(
        _("--urgency: unknown urgency {text!r}; use one of {choices}").format(
            text=text, choices="、".join(f"{u.label} ({u.value})" for u in Urgency)
        )
    )


def progress(
    ctx: typer.Context,
    task: TaskArg,
    status: Annotated[str, typer.Option("--status", "-s", help=StatusHelp, show_default=False)],
    note: Annotated[
        str, typer.Option("--note", "-n", help=_("What was done (进展情况)."), show_default=False)
    ],
    percent: Annotated[
        int | None,
        typer.Option(
            "--percent",
            "-p",
            min=0,
            max=100,
            help=_("Percent done, 0-100 (done means 100)."),
            show_default=False,
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help=_("The date the report is about, YYYY-MM-DD (default today)."),
            show_default=False,
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help=_("Reporting department, or 'office' (督查督办, the default)."),
            autocompletion=complete_department,
            show_default=False,
        ),
    ] = None,
    evidence: Annotated[
        str | None,
        typer.Option(
            "--evidence",
            "-e",
            help=_("Evidence (佐证材料): document number, link or file name."),
            show_default=False,
        ),
    ] = None,
    corrects: Annotated[
        int | None,
        typer.Option(
            "--corrects",
            help=_("Id of an earlier report of this task that this one corrects."),
            show_default=False,
        ),
    ] = None,
) -> None:
    """Record a progress report (进展填报) on a task; prints the report's id."""
    from jsgj.store.tasks import record_progress
    from jsgj.values import parse_status

    st = state(ctx)
    parsed = parse_status(status)
    when = date_or_none(date, "--date")
    with st.store(write=True) as store:
        report_id = record_progress(
            store,
            task,
            status=parsed,
            note=note,
            percent=percent,
            report_date=when,
            by=by,
            evidence=evidence,
            corrects=corrects,
        )
    typer.echo(f"#{report_id}")
    if parsed.value == "done":
        typer.echo(_("applied for completion (申请办结): awaiting the office's review"), err=True)


def acknowledge(
    ctx: typer.Context,
    task: TaskArg,
    by: Annotated[
        str,
        typer.Option(
            "--by",
            help=_("The lead department acknowledging the task (签收)."),
            autocompletion=complete_department,
            show_default=False,
        ),
    ],
    contact: Annotated[
        str,
        typer.Option("--contact", help=_("Contact person (联络员): name."), show_default=False),
    ],
    phone: Annotated[
        str | None, typer.Option("--phone", help=_("The contact's phone."), show_default=False)
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help=_("Date of acknowledgement, YYYY-MM-DD (default today)."),
            show_default=False,
        ),
    ] = None,
) -> None:
    """签收: the lead acknowledges a task and names its contact person (联络员)."""
    from jsgj.store.tasks import acknowledge as ack

    st = state(ctx)
    with st.store(write=True) as store:
        event_id = ack(
            store, task, by=by, contact=contact, phone=phone, day=date_or_none(date, "--date")
        )
    typer.echo(f"#{event_id}")


def review(
    ctx: typer.Context,
    task: TaskArg,
    approve: Annotated[
        bool, typer.Option("--approve", help=_("Approve the claim: 已办结 (销号)."))
    ] = False,
    send_back: Annotated[
        bool, typer.Option("--return", help=_("Return the claim: back in progress (退回)."))
    ] = False,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            "-r",
            help=_("Why it is returned (required with --return)."),
            show_default=False,
        ),
    ] = None,
    percent: Annotated[
        int | None,
        typer.Option(
            "--percent",
            "-p",
            help=_(
                "With --return: the percent (0-100) it goes back to "
                "(default: the lead's last percent before the claim)."
            ),
            show_default=False,
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by", help=_("Who reviews: only the office (督查督办) may."), show_default=False
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date", help=_("Date of the review, YYYY-MM-DD (default today)."), show_default=False
        ),
    ] = None,
) -> None:
    """审核: approve a claim of completion (销号) or return it with a reason. Office only."""
    from jsgj.errors import UsageError
    from jsgj.store.tasks import review as do_review

    if approve == send_back:
        raise UsageError(_("give exactly one of --approve and --return"))
    st = state(ctx)
    with st.store(write=True) as store:
        event_id = do_review(
            store, task, approve=approve, reason=reason, percent=percent, by=by,
            day=date_or_none(date, "--date"),
        )  # fmt: skip
    typer.echo(f"#{event_id}")


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
    """Tasks grouped by measure: lead, due date, status, percent, days since the lead's
    last report. Counted by the one counting rule (see README). On a terminal a long
    listing goes through $PAGER (else less -R; JSGJ_PAGER=cat or --no-pager: none)."""
    from jsgj.reports.tasks import task_record
    from jsgj.store.queries import filtered_task_states, task_states
    from jsgj.tasks.filters import TaskFilter, filter_tasks, parse_list_status

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
    with st.store() as store:
        if moment.current:  # the derived tables answer, through their indexes
            chosen = filtered_task_states(store, wanted, on)
        else:
            chosen = filter_tasks(catalog, task_states(store, moment), wanted, on)
    if as_json:
        from jsgj.tasks.roles import counting_role

        def role(t: TaskState) -> Role | None:
            return counting_role(catalog, t, wanted.department) if wanted.department else None

        print_json([task_record(catalog, t, on, thresholds, role(t)) for t in chosen])
        return
    from jsgj.cli.output import page, terminal_width, wants_colour
    from jsgj.render.tasks import tasks_table

    page(
        tasks_table(
            catalog, chosen, on, thresholds, width=terminal_width(), colour=wants_colour(),
            offset=offset, limit=limit,
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
    """One task: its definition, lifecycle, light with reason, and its whole history."""
    from jsgj.reports.tasks import history_record
    from jsgj.store.queries import task_history

    st = state(ctx)
    catalog = st.catalog()
    moment = when(as_of, known_on)
    on = moment.on
    thresholds = st.thresholds()
    with st.store() as store:
        history = task_history(store, task, moment)
    if as_json:
        print_json(history_record(catalog, history, on, thresholds))
        return
    import os
    import sys

    from jsgj.render.card import card, card_lines, card_panel

    found = card(catalog, history, on, thresholds)
    # rich only for a terminal (or FORCE_COLOR, as rich counts it): issue 15, start-up.
    if sys.stdout.isatty() or os.environ.get("FORCE_COLOR"):
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
    """Change a task's title, dates or departments; each change is kept with its reason."""
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
    """Cancel a task (撤销). It stays in the history and shows as cancelled."""
    from jsgj.store.revisions import cancel_task

    st = state(ctx)
    with st.store(write=True) as store:
        ids = cancel_task(store, task, reason=reason)
    typer.echo(_("cancelled {ids}").format(ids=", ".join(ids)))


def register(app: typer.Typer) -> None:
    app.command("assign", help=_("Create a task under a measure (交办) and print its id."))(assign)
    app.command(
        "progress", help=_("Record a progress report (进展填报) on a task; prints the report's id.")
    )(progress)
    app.command(
        "acknowledge",
        help=_("签收: the lead acknowledges a task and names its contact person (联络员)."),
    )(acknowledge)
    app.command(
        "review",
        help=_(
            "审核: approve a claim of completion (销号) or return it with a reason. Office only."
        ),
    )(review)
    app.add_typer(tasks_app, name="tasks")
