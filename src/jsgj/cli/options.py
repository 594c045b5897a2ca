"""Options shared by several commands, and parsing of their values."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from jsgj.cli.catalog import complete_department

AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Show what was known on this date (YYYY-MM-DD); default today.",
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


def date_or_none(text: str | None, where: str) -> dt.date | None:
    from jsgj.values import parse_date

    return parse_date(text, where=where) if text is not None else None


def as_of_date(text: str | None) -> dt.date:
    from jsgj.values import today

    return date_or_none(text, "--as-of") or today()
