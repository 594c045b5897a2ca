"""Options shared by several commands, and parsing of their values."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

from jsgj.cli.catalog import complete_department

if TYPE_CHECKING:
    from jsgj.tasks.when import When

AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="The state on this date (YYYY-MM-DD), by everything recorded until now; "
        "default today.",
        show_default=False,
    ),
]
KnownOnOption = Annotated[
    str | None,
    typer.Option(
        "--known-on",
        help="Only what had been recorded by then: a date (YYYY-MM-DD) or the timestamp a "
        "weekly report prints, to reproduce it exactly.",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON only (UTF-8).")]
DepartmentOption = Annotated[
    str | None,
    typer.Option(
        "--department",
        "-d",
        help="Department: id, name or alias; matches tasks it leads or co-owns.",
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
