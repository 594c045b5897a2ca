"""The checks on what departments and the office record, as pure functions.

Each returns problems, never raises: a problem names the field it is about and a
code, with a message in the user's language that does not say where the field came
from. The CLI prefixes an option (``--note``), the spreadsheet import a column and a
row number (``第7行 进展情况``). The store calls these inside its write transaction,
on the task as it stands then, so a task cancelled while a clerk waited for the lock
is refused, not written to.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import NamedTuple

from jsgj.catalog.catalog import Catalog
from jsgj.errors import JsgjError, UsageError
from jsgj.i18n import _
from jsgj.tasks.records import Role, TaskState
from jsgj.tasks.roles import name, reporter_role
from jsgj.values import Status

MAX_TEXT = 4000
"""Characters at most in a note, evidence, reason or contact (every input path)."""


class Problem(NamedTuple):
    """What is wrong with one value. ``usage``: a malformed value (exit 2) rather than
    one the task's state refuses (exit 1). (This and CheckedReport are named tuples:
    every write defines them, and a frozen dataclass costs ~5 M instructions.)"""

    field: str
    code: str
    message: str
    usage: bool = False


class CheckedReport(NamedTuple):
    """A report as it will be recorded."""

    status: Status
    percent: int
    role: Role
    note: str
    evidence: str | None


def text_problem(field: str, text: str | None, *, required: bool) -> Problem | None:
    """Free text: present when required, not too long, no control characters (a
    terminal would obey them; a NUL truncates the text in other tools)."""
    value = (text or "").strip()
    if not value:
        if not required:
            return None
        return Problem(field, "empty", _("must not be empty: say what was done"), usage=True)
    if len(value) > MAX_TEXT:
        return Problem(
            field,
            "too_long",
            _("is {n} characters long; at most {max} are allowed").format(
                n=len(value), max=MAX_TEXT
            ),
            usage=True,
        )
    if value.isprintable():  # no control or format character: the common case, in C
        return None
    for ch in value:
        if ch in "\n\t":
            continue
        if unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\u200d":
            return Problem(
                field,
                "control",
                _("holds the control character U+{code:04X}; remove it").format(code=ord(ch)),
                usage=True,
            )
    return None


def check_open(task: TaskState) -> Problem | None:
    """The task still takes reports and lifecycle steps."""
    if task.cancelled:
        return Problem(
            "task",
            "cancelled",
            _("task {task} was cancelled (撤销); it takes no more reports").format(task=task.id),
        )
    if task.status is Status.done:
        return Problem(
            "task",
            "closed",
            _("task {task} was approved as done (已办结); it takes no more reports").format(
                task=task.id
            ),
        )
    return None


def check_report(
    catalog: Catalog,
    task: TaskState,
    *,
    reporter: str,
    status: Status,
    percent: int | None,
    note: str,
    evidence: str | None,
    report_date: dt.date,
    today: dt.date,
) -> tuple[CheckedReport | None, list[Problem]]:
    """A progress report on ``task`` as it stands: every problem, and the report as
    it would be recorded when there is none. A blank percent keeps the task's current
    one (0 for 未启动, 100 for 已完成)."""
    problems: list[Problem] = []
    closed = check_open(task)
    if closed is not None:
        problems.append(closed)
    role = reporter_role(catalog, task, reporter)
    if role is None:
        problems.append(
            Problem(
                "reporter",
                "not_responsible",
                _(
                    "{who} is not responsible for task {task}; it may be reported by {owners} "
                    "or the office (督查督办)"
                ).format(
                    who=name(catalog, reporter),
                    task=task.id,
                    owners="、".join(f"{name(catalog, d)}({d})" for d in task.departments),
                ),
            )
        )
    elif task.is_parent and role is not Role.co:
        problems.append(
            Problem(
                "task",
                "shared_out",
                _(
                    "task {task} is shared out to the cities: report on each city's task, "
                    "e.g. {task}.nanjing"
                ).format(task=task.id),
            )
        )
    if percent is None:
        if status is Status.done:
            percent = 100
        elif status is Status.not_started:
            percent = 0
        elif role is not Role.co:
            percent = task.percent
        else:
            percent = 0
    elif not 0 <= percent <= 100:
        problems.append(
            Problem("percent", "range", _("{n} is outside 0-100").format(n=percent), usage=True)
        )
    elif status is Status.done and percent != 100:
        problems.append(
            Problem("percent", "done_not_100", _("已完成 means 100%, not {n}%").format(n=percent))
        )
    elif percent == 100 and status is not Status.done:
        problems.append(
            Problem(
                "status",
                "100_not_done",
                _("100% means done: the status should be 已完成, not {label}").format(
                    label=status.report_label
                ),
            )
        )
    if report_date > today:
        problems.append(
            Problem("date", "future", _("{day} is in the future").format(day=report_date))
        )
    for field, text, required in (("note", note, True), ("evidence", evidence, False)):
        found = text_problem(field, text, required=required)
        if found is not None:
            problems.append(found)
    evidence = (evidence or "").strip() or None
    if status is Status.done and role in (Role.lead, Role.office) and evidence is None:
        problems.append(
            Problem(
                "evidence",
                "claim_without_evidence",
                _(
                    "reporting 已完成 applies for completion (申请办结) and needs evidence "
                    "(佐证材料): a document number, link or file name"
                ),
            )
        )
    if problems or role is None:
        return None, problems
    return CheckedReport(status, percent, role, note.strip(), evidence), problems


def check_review(task: TaskState, *, approve: bool, reason: str | None) -> list[Problem]:
    """审核: only a claim awaiting review can be approved or returned; a return says why."""
    problems: list[Problem] = []
    closed = check_open(task)
    if closed is not None:
        problems.append(closed)
    elif task.status is not Status.pending_review:
        problems.append(
            Problem(
                "task",
                "no_claim",
                _("task {task} has no claim of completion awaiting review (it is {label})").format(
                    task=task.id, label=task.status.label
                ),
            )
        )
    if not approve:
        found = text_problem("reason", reason, required=True)
        if found is not None:
            problems.append(found)
    return problems


def raise_first(problems: list[Problem], options: dict[str, str]) -> None:
    """For a command line: the first problem as one error, prefixed with the option
    that holds the value (``--note: is empty``), or as is for the task itself."""
    if not problems:
        return
    p = problems[0]
    where = options.get(p.field)
    # "--note must not be empty", "--date: 2025-07-01 is in the future"
    joint = " " if p.code in ("empty", "too_long", "control") else ": "
    message = f"{where}{joint}{p.message}" if where else p.message
    raise (UsageError if p.usage else JsgjError)(message)
