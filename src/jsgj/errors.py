"""Domain errors. Library code raises these; the CLI turns them into a message and
an exit code in one place (``jsgj.cli.app``)."""

from __future__ import annotations

from typing import NamedTuple


class JsgjError(Exception):
    """Something the user can fix. ``str(error)`` is the one line shown on stderr."""

    exit_code = 1


class UsageError(JsgjError):
    """A malformed argument or option value: exit 2, like Click's own usage errors."""

    exit_code = 2


class NotFoundError(JsgjError):
    """An unknown task, department, measure, indicator, ..."""


class DataFileError(JsgjError):
    """The measures or departments file cannot be read or is invalid."""


class StoreError(JsgjError):
    """The database file cannot be used (not SQLite, newer schema, locked, ...)."""


class Problem(NamedTuple):
    """One finding about a data file, with its place. Line and column are 1-based. (A
    named tuple: every command imports this module, few validate a file; issue 15.)"""

    file: str
    line: int
    column: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.code} {self.message}"


class InvalidDataError(DataFileError):
    """The data files break one or more rules; every problem is carried."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0]
        from jsgj.i18n import _

        more = (
            _(" (and {n} more; run `jsgj validate`)").format(n=len(problems) - 1)
            if len(problems) > 1
            else ""
        )
        super().__init__(f"{first}{more}")
