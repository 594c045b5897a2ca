"""`jsgj chase`: 催办 as an act (recorded, counted, escalating) and the 催办通知单."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from jsgj.cli.options import complete_department, date_or_none
from jsgj.cli.output import OutputOption, check_format, deliver, format_help
from jsgj.cli.state import state
from jsgj.i18n import _

NOTICE_FORMATS = ("markdown", "html", "docx", "json", "table")


def chase(
    ctx: typer.Context,
    department: Annotated[
        str,
        typer.Argument(
            metavar=_("DEPARTMENT"),
            help=_("The department chased, e.g. 宿迁 or 省教育厅."),
            autocompletion=complete_department,
            show_default=False,
        ),
    ],
    tasks: Annotated[
        list[str] | None,
        typer.Option(
            "--tasks",
            help=_(
                "Chase only these tasks (repeat the option); default: the department's "
                "red, yellow and unreported tasks."
            ),
            show_default=False,
        ),
    ] = None,
    method: Annotated[
        str | None,
        typer.Option(
            "--method", help=_("How it was chased: 电话 | 书面 | 系统."), show_default=False
        ),
    ] = None,
    note: Annotated[
        str | None,
        typer.Option("--note", "-n", help=_("What was said or asked."), show_default=False),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date", help=_("Date of the 催办, YYYY-MM-DD (default today)."), show_default=False
        ),
    ] = None,
    notice: Annotated[
        bool,
        typer.Option(
            "--notice", help=_("Write the 催办通知单 instead of recording a 催办."), metavar=""
        ),
    ] = False,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help=format_help(NOTICE_FORMATS), show_default=True),
    ] = "markdown",
    output: OutputOption = None,
) -> None:
    """Two acts under one name, as clerks say 催办 for both: without --notice it
    records (store.chase: one task_events row a task, the escalation step counted from
    the earlier ones); with --notice it only reads, and the options that belong to
    recording are refused rather than ignored."""
    from jsgj.errors import UsageError
    from jsgj.store.chase import chase as record_chase

    st = state(ctx)
    day = date_or_none(date, "--date")
    if notice:
        if method or tasks or note:
            raise UsageError(
                _("--notice writes the notice; --method, --tasks and --note record a 催办")
            )
        chosen = check_format(fmt, NOTICE_FORMATS)
        write_notice(ctx, department, day, chosen, output)
        return
    if not method:
        raise UsageError(_("give --method 电话|书面|系统 to record a 催办, or --notice"))
    thresholds = st.thresholds()
    with st.store(write=True) as store:
        done = record_chase(
            store, department, method=method.strip(), thresholds=thresholds,
            tasks=tasks or (), note=note, day=day,
        )  # fmt: skip
    for task_id, event_id in done:
        typer.echo(f"#{event_id}\t{task_id}")


def write_notice(
    ctx: typer.Context, department: str, day: dt.date | None, fmt: str, output: str | None
) -> None:
    from jsgj.render.chase import Notice, build_notice_document
    from jsgj.store.chase import chase_group
    from jsgj.store.contacts import contacts
    from jsgj.values import today

    st = state(ctx)
    thresholds = st.thresholds()
    office = st.office()
    on = day or today()
    with st.store() as store:
        dept = store.catalog.resolve(department)
        group = chase_group(store, dept.id, thresholds, on)
        contact = next((c for c in contacts(store) if c.department == dept.id), None)
    who = (
        " ".join(x for x in (contact.contact_name, contact.contact_phone) if x) if contact else None
    )
    doc = build_notice_document(
        Notice(
            department=dept.name,
            group=group,
            office=office.name,
            on=on,
            reply_by=on + dt.timedelta(days=office.chase_reply_days),
            contact=who,
        )
    )
    deliver(doc, fmt, output)


def register(app: typer.Typer) -> None:
    app.command(
        "chase",
        help=_(
            "催办: record that the office chased a department (one event per task; chasing "
            "again escalates 一次催办 -> 二次催办 -> 通报点名, data/lights.yaml), or with "
            "--notice write its 催办通知单: its red, yellow and unreported tasks with titles "
            "and reasons, a reply-by date (data/office.yaml), addressed to its 联络员."
        ),
    )(chase)
