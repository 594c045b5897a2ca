"""Validation problems as text for people and as GitHub workflow annotations."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from jsgj.errors import Problem
from jsgj.i18n import _


def human_lines(problems: list[Problem]) -> Iterator[str]:
    for p in problems:
        yield str(p)
    if problems:
        files = len({p.file for p in problems})
        yield _("{n} problem(s) in {files} file(s)").format(n=len(problems), files=files)
    else:
        yield _("data files are valid")


def _escape_property(value: str) -> str:
    # GitHub's workflow-command escaping for property values and messages.
    return (
        value.replace("%", "%25")
        .replace("\r", "%0D")
        .replace("\n", "%0A")
        .replace(":", "%3A")
        .replace(",", "%2C")
    )


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_lines(problems: Iterable[Problem]) -> Iterator[str]:
    for p in problems:
        yield (
            f"::error file={_escape_property(p.file)},line={p.line},col={p.column},"
            f"title={p.code}::{_escape_data(p.code + ' ' + p.message)}"
        )
