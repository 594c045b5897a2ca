"""`jsgj assign`, `progress`, `acknowledge` and `review`: a task's lifecycle (交办,
进展, 签收, 审核), each a thin command over a writer in jsgj.store.tasks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from jsgj.cli.options import StatusHelp, TaskArg, UrgencyHelp, complete_department, date_or_none
from jsgj.cli.state import state
from jsgj.i18n import _

if TYPE_CHECKING:
    from jsgj.tasks.records import Urgency


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
    """Dates and urgency are parsed before the write; store.tasks.assign checks
    the rest inside its transaction and, for a lead of 各设区市人民政府, creates a share
    for every city: the ids after the first are said on stderr, so stdout stays the one
    id a script reads."""
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
    """The rules (role, status against percent, a claim of 已完成 needing
    evidence) are tasks.rules', applied by store.tasks.record_progress inside its
    transaction; this parses the options and says on stderr that a done report is a
    claim awaiting review."""
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
    """A thin wrapper: store.tasks.acknowledge checks the contact and the task
    (open; a task shared out is acknowledged share by share) inside its transaction.
    Prints the event id for scripts."""
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
    """--approve and --return are two flags, not a choice argument, so the
    command reads as clerks say it; exactly one must be given. That only the office
    reviews is checked by store.tasks.review."""
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
