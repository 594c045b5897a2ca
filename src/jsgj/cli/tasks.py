"""`jsgj assign`, `jsgj progress` and `jsgj tasks list|show|edit|cancel`."""

from __future__ import annotations

from typing import Annotated

import typer

from jsgj.cli.catalog import complete_department
from jsgj.cli.options import AsOfOption, DepartmentOption, JsonOption, as_of_date, date_or_none
from jsgj.cli.output import console, print_json
from jsgj.cli.state import state

tasks_app = typer.Typer(help="List, show, edit and cancel tasks (任务).", no_args_is_help=True)

TaskArg = Annotated[
    str,
    typer.Argument(
        help="Task id, e.g. 7-3, or 1-2.nanjing for a city's share.", show_default=False
    ),
]
StatusHelp = "not_started 未启动 | in_progress 推进中 | done 已完成 | blocked 受阻"


def assign(
    ctx: typer.Context,
    measure: Annotated[int, typer.Argument(help="Measure number, 1-19.", show_default=False)],
    title: Annotated[
        str, typer.Option("--title", "-t", help="What is to be done.", show_default=False)
    ],
    lead: Annotated[
        str | None,
        typer.Option(
            "--lead",
            help="Lead department (default: the measure's lead); "
            "'cities' gives every city its own task.",
            autocompletion=complete_department,
            show_default=False,
        ),
    ] = None,
    co: Annotated[
        list[str] | None,
        typer.Option(
            "--co",
            help="Co-responsible department (repeat for more).",
            autocompletion=complete_department,
        ),
    ] = None,
    due: Annotated[
        str | None, typer.Option("--due", help="Due date YYYY-MM-DD.", show_default=False)
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--start", help="Start date YYYY-MM-DD (default today).", show_default=False),
    ] = None,
) -> None:
    """Create a task under a measure and print its id."""
    from jsgj.store.tasks import assign as assign_task

    st = state(ctx)
    due_date = date_or_none(due, "--due")
    start_date = date_or_none(start, "--start")
    with st.store(write=True) as store:
        ids = assign_task(
            store, measure, title, lead=lead, co=co or [], due=due_date, start=start_date
        )
    typer.echo(ids[0])
    if len(ids) > 1:
        typer.echo(f"  shared out to {len(ids) - 1} cities: {ids[1]} … {ids[-1]}", err=True)


def progress(
    ctx: typer.Context,
    task: TaskArg,
    status: Annotated[str, typer.Option("--status", "-s", help=StatusHelp, show_default=False)],
    note: Annotated[
        str, typer.Option("--note", "-n", help="What was done (进展情况).", show_default=False)
    ],
    percent: Annotated[
        int | None,
        typer.Option(
            "--percent", "-p", min=0, max=100, help="0-100; done means 100.", show_default=False
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date", help="The date the report is about (default today).", show_default=False
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="Reporting department, or 'office' (督查督办, the default).",
            autocompletion=complete_department,
            show_default=False,
        ),
    ] = None,
    evidence: Annotated[
        str | None,
        typer.Option(
            "--evidence",
            "-e",
            help="佐证材料: document number, link or file name.",
            show_default=False,
        ),
    ] = None,
    corrects: Annotated[
        int | None,
        typer.Option(
            "--corrects",
            help="Id of an earlier report of this task that this one corrects.",
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


@tasks_app.command("list")
def tasks_list(
    ctx: typer.Context,
    measure: Annotated[
        int | None, typer.Option("--measure", "-m", help="Only this measure.")
    ] = None,
    department: DepartmentOption = None,
    status: Annotated[
        str | None, typer.Option("--status", "-s", help=StatusHelp, show_default=False)
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue tasks (逾期).")] = False,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
) -> None:
    """Tasks grouped by measure: lead, due date, status, percent, days since the last report."""
    from jsgj.reports.tasks import task_record
    from jsgj.store.queries import TaskFilter, filter_tasks, task_states
    from jsgj.values import parse_status

    st = state(ctx)
    catalog = st.catalog()
    on = as_of_date(as_of)
    wanted = TaskFilter(
        measure=catalog.measure(measure).number if measure is not None else None,
        department=catalog.resolve(department).id if department else None,
        status=parse_status(status) if status else None,
        overdue=overdue,
    )
    thresholds = st.thresholds()
    with st.store() as store:
        states = task_states(store, as_of=date_or_none(as_of, "--as-of"))
    chosen = filter_tasks(catalog, states, wanted, on)
    if as_json:
        print_json([task_record(t, on, thresholds) for t in chosen])
        return
    from jsgj.render.tasks import tasks_table

    console().print(tasks_table(catalog, chosen, on, thresholds))


@tasks_app.command("show")
def tasks_show(
    ctx: typer.Context, task: TaskArg, as_of: AsOfOption = None, as_json: JsonOption = False
) -> None:
    """One task: its definition, light with reason, and whole history as a timeline."""
    from jsgj.reports.tasks import history_record
    from jsgj.store.queries import task_history

    st = state(ctx)
    catalog = st.catalog()
    on = as_of_date(as_of)
    thresholds = st.thresholds()
    with st.store() as store:
        history = task_history(store, task, date_or_none(as_of, "--as-of"))
    if as_json:
        print_json(history_record(history, on, thresholds))
        return
    from jsgj.render.tasks import task_card

    console().print(task_card(catalog, history, on, thresholds))


@tasks_app.command("edit")
def tasks_edit(
    ctx: typer.Context,
    task: TaskArg,
    reason: Annotated[
        str, typer.Option("--reason", "-r", help="Why the task changes.", show_default=False)
    ],
    title: Annotated[str | None, typer.Option("--title", "-t", show_default=False)] = None,
    due: Annotated[
        str | None, typer.Option("--due", help="New due date YYYY-MM-DD.", show_default=False)
    ] = None,
    start: Annotated[
        str | None, typer.Option("--start", help="New start date.", show_default=False)
    ] = None,
    lead: Annotated[
        str | None, typer.Option("--lead", autocompletion=complete_department, show_default=False)
    ] = None,
    co: Annotated[
        list[str] | None,
        typer.Option(
            "--co",
            help="The new co-responsible list (repeat); replaces the old one.",
            autocompletion=complete_department,
        ),
    ] = None,
    no_co: Annotated[
        bool, typer.Option("--no-co", help="Remove every co-responsible department.")
    ] = False,
) -> None:
    """Change a task's title, dates or departments; each change is kept with its reason."""
    from jsgj.store.tasks import edit_task

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
    typer.echo(f"recorded {len(ids)} change(s)")


@tasks_app.command("cancel")
def tasks_cancel(
    ctx: typer.Context,
    task: TaskArg,
    reason: Annotated[
        str,
        typer.Option(
            "--reason", "-r", help="Why the task is cancelled (撤销).", show_default=False
        ),
    ],
) -> None:
    """Cancel a task (撤销). It stays in the history and shows as cancelled."""
    from jsgj.store.tasks import cancel_task

    st = state(ctx)
    with st.store(write=True) as store:
        ids = cancel_task(store, task, reason=reason)
    typer.echo(f"cancelled {', '.join(ids)}")


def register(app: typer.Typer) -> None:
    app.command("assign")(assign)
    app.command("progress")(progress)
    app.add_typer(tasks_app, name="tasks")
