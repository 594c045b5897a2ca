"""Options shared by several commands, parsing of their values, and shell completion.

Short options, one meaning each across every command: ``-d`` --department, ``-s``
--status, ``-m`` --measure (--measures in ``matrix``), ``-p`` --percent, ``-n`` --note,
``-e`` --evidence, ``-t`` --title, ``-r`` --reason, ``-f`` --format, ``-o`` --output,
``-h`` --help. Flags (``--dry-run``, ``--force``, ``--json``) have no short form, so
none can be mistaken for one that takes a value.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

from jsgj.cli.state import state
from jsgj.i18n import _

SHORT_OPTIONS: dict[str, str | tuple[str, ...]] = {
    "-d": "--department",
    "-s": "--status",
    "-m": ("--measure", "--measures"),
    "-p": "--percent",
    "-n": "--note",
    "-e": "--evidence",
    "-t": "--title",
    "-r": "--reason",
    "-f": "--format",
    "-o": "--output",
    "-h": "--help",
}
"""The one meaning of each short option (tests/test_help.py holds every command to it)."""

if TYPE_CHECKING:
    from jsgj.tasks.when import When


# Here, not in jsgj.cli.catalog: every command with a --department option names it, and
# importing that module built the measures and departments commands too (issue 15).
def complete_department(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion: department ids and names that start with what was typed."""
    try:
        catalog = state(ctx).catalog()
    except Exception:  # completion must never crash the shell
        return []
    out: list[str] = []
    for d in catalog.departments:
        for key in (d.id, d.name, *d.aliases):
            if key.startswith(incomplete) and key not in out:
                out.append(key)
    return out


AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help=_(
            "The state on this date (YYYY-MM-DD), by everything recorded until now; default today."
        ),
        show_default=False,
    ),
]
KnownOnOption = Annotated[
    str | None,
    typer.Option(
        "--known-on",
        help=_(
            "Only what had been recorded by then: a date (YYYY-MM-DD) or the timestamp a "
            "weekly report prints, to reproduce it exactly."
        ),
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help=_("Print JSON only (UTF-8)."))]
DepartmentOption = Annotated[
    str | None,
    typer.Option(
        "--department",
        "-d",
        help=_("Department: id, name or alias (e.g. hrss, 人社厅); tasks it leads or co-owns."),
        autocompletion=complete_department,
        show_default=False,
    ),
]


def when(as_of: str | None, known_on: str | None) -> When:
    """The two time axes of a view, parsed once (see ``jsgj.tasks.when``)."""
    from jsgj.tasks.when import parse_when

    return parse_when(as_of, known_on)


def date_or_none(text: str | None, where: str) -> dt.date | None:
    from jsgj.values import parse_date

    return parse_date(text, where=where) if text is not None else None


def as_of_date(text: str | None) -> dt.date:
    from jsgj.values import today

    return date_or_none(text, "--as-of") or today()


# --- shell completion: each fails silently (a broken completion must not break the shell)


def complete_reporter(ctx: typer.Context, incomplete: str) -> list[str]:
    """``--by``: the office (督查督办) or any department."""
    found = ["office"] if "office".startswith(incomplete) else []
    return found + complete_department(ctx, incomplete)


def complete_status(incomplete: str) -> list[str]:
    """``--status``: the English ids and the Chinese labels (a report's 已完成 too)."""
    from jsgj.values import Status

    words = list(dict.fromkeys(w for s in Status for w in (s.value, s.label, s.report_label)))
    return [w for w in words if w.startswith(incomplete)]


def complete_task(ctx: typer.Context, incomplete: str) -> list[str]:
    """Task ids from the database, read-only and without migrating or creating it."""
    import sqlite3

    from jsgj.cli.state import state

    try:
        path = state(ctx).db_path
        if not path.is_file():
            return []
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.2)
        try:
            rows = con.execute(
                "SELECT id FROM tasks WHERE substr(id, 1, ?) = ? ORDER BY measure, seq, id "
                "LIMIT 500",
                (len(incomplete), incomplete),
            ).fetchall()
        finally:
            con.close()
    except Exception:
        return []
    return [str(r[0]) for r in rows]


def complete_indicator(ctx: typer.Context, incomplete: str) -> list[str]:
    """Indicator ids from data/indicators.yaml."""
    from jsgj.cli.state import state

    try:
        indicators = state(ctx).indicators().indicators
    except Exception:
        return []
    return [i.id for i in indicators if i.id.startswith(incomplete)]


# --- tasks (jsgj.cli.tasks and jsgj.cli.lifecycle) ---------------------------------

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
UrgencyHelp = _("Urgency (缓急): normal 一般 | urgent 急 | very_urgent 特急.")
