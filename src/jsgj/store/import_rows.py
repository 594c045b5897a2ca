"""A return's rows as the import checks and records them: what a row says
(:class:`ReportRow`), what is wrong with one (:class:`RowProblem`, gathered into
:class:`ImportRejected`), and a checked row as it is recorded (:class:`PlannedReport`)
with its fingerprint.

Idempotence: each row has a fingerprint, a hash of what it says (task, reporter, date,
status, percent, note, evidence) - not of where it came from. The ``fingerprint``
column has a unique index, so a row already recorded (by an earlier import of the same
file, or of a copy of it) is counted and skipped: importing a file twice records
nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from jsgj.errors import JsgjError
from jsgj.i18n import _
from jsgj.tasks.records import Role
from jsgj.values import Status

Progress = Callable[[str, int, int], None]
"""``progress(phase, done, total)``; phase is ``"check"`` or ``"record"``."""

CHUNK = 1000
"""Rows per ``executemany`` call (and per progress update)."""


class ReportRow(NamedTuple):
    """One report as a return states it. ``row`` is the row number the user sees.
    (A named tuple, as cheap to make as a plain tuple: imports make thousands.)"""

    row: int
    task: str
    status: Status
    note: str
    report_date: dt.date
    percent: int | None = None
    evidence: str | None = None
    reporter: str | None = None
    """Department (id, name or alias) or 'office'; None: the batch's reporter."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    """What is wrong with one row. ``field`` names the column: task, reporter, status,
    percent, date, note, evidence, or row (the row as a whole)."""

    row: int
    field: str
    message: str


class ImportRejected(JsgjError):
    """At least one row is wrong: nothing was recorded. Carries every problem."""

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.row)
        rows = len({p.row for p in self.problems})
        super().__init__(
            (
                _("{rows} row with problems ({n} in all); nothing was recorded")
                if rows == 1
                else _("{rows} rows with problems ({n} in all); nothing was recorded")
            ).format(rows=rows, n=len(self.problems))
        )


class PlannedReport(NamedTuple):
    """A checked row, as it will be (or was) recorded. (A named tuple: 10,000 of them
    are made per large import, and a frozen dataclass costs three times as much.)"""

    row: int
    task_id: str
    reporter: str
    status: Status
    percent: int
    report_date: dt.date
    note: str
    evidence: str | None
    fingerprint: str
    already: bool = False
    """True when the same report is already in the database."""
    role: Role = Role.lead
    """Lead or office: sets the task's progress; co: a contribution (配合)."""


def fingerprint(
    task_id: str,
    reporter: str,
    report_date: dt.date,
    status: Status,
    percent: int | None,
    note: str,
    evidence: str | None,
) -> str:
    """What a report says, hashed: equal for the same row imported again.

    Fields are joined with a unit separator; the two free texts are prefixed with their
    length, so no note or evidence can make two different reports hash alike."""
    return _fingerprint(task_id, reporter, report_date.isoformat(), status, percent, note, evidence)


def _fingerprint(
    task_id: str,
    reporter: str,
    day: str,
    status: Status,
    percent: int | None,
    note: str,
    evidence: str | None,
    _blake2b: Callable[..., Any] = hashlib.blake2b,
) -> str:
    evidence = evidence or ""
    text = (
        f"v1\x1f{task_id}\x1f{reporter}\x1f{day}\x1f{status}"
        f"\x1f{'' if percent is None else percent}\x1f{len(note)}:{note}"
        f"\x1f{len(evidence)}:{evidence}"
    )
    return str(_blake2b(text.encode("utf-8"), digest_size=16).hexdigest())


def _isoformat() -> Callable[[dt.date], str]:
    """``date.isoformat``, memoised: a batch holds few distinct dates."""
    seen: dict[dt.date, str] = {}

    def iso(day: dt.date) -> str:
        text = seen.get(day)
        if text is None:
            text = seen[day] = day.isoformat()
        return text

    return iso
