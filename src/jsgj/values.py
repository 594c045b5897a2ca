"""Values users type: dates, statuses, percents. Parsing errors are usage errors."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum

from jsgj.errors import UsageError
from jsgj.i18n import _


class Status(StrEnum):
    """A task's status. Departments report the first four; ``done`` reported is a
    claim of completion (申请办结), and the task is ``pending_review`` (待审核) until the
    office approves it (``done``: 已办结, 销号) or returns it."""

    not_started = "not_started"
    in_progress = "in_progress"
    done = "done"
    blocked = "blocked"
    pending_review = "pending_review"

    @property
    def label(self) -> str:
        """The task's status as every view names it."""
        return STATUS_LABELS[self]

    @property
    def report_label(self) -> str:
        """The status as a report states it (a report of done is a claim: 已完成)."""
        return REPORT_LABELS.get(self, STATUS_LABELS[self])


STATUS_LABELS: dict[Status, str] = {
    Status.not_started: "未启动",
    Status.in_progress: "推进中",
    Status.done: "已办结",
    Status.blocked: "受阻",
    Status.pending_review: "待审核",
}
REPORT_LABELS: dict[Status, str] = {Status.done: "已完成"}
REPORTABLE = (Status.not_started, Status.in_progress, Status.done, Status.blocked)
"""The statuses a report may state."""
CANCELLED_LABEL = "已撤销"


def find_status(text: str) -> Status | None:
    """A status a report may state, by English id or Chinese label (已完成 and 已办结 both
    name done: reported, either is a claim of completion); None if ``text`` is none."""
    value = text.strip()
    for status in REPORTABLE:
        if value in (status.value, status.label, status.report_label):
            return status
    return None


def parse_status(text: str, *, where: str = "--status") -> Status:
    """``find_status``, or a usage error naming the choices."""
    found = find_status(text)
    if found is not None:
        return found
    choices = "、".join(f"{s.report_label} ({s.value})" for s in REPORTABLE)
    raise UsageError(
        _("{where}: unknown status {status}; use one of {choices}").format(
            where=where, status=repr(text), choices=choices
        )
    )


EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2999, 12, 31)
"""The dates jsgj takes: far enough either way for any plan, and far from the calendar's
ends (year 1 and 9999), where a week or a deadline horizon would not exist."""


def parse_date(text: str, *, where: str = "date") -> dt.date:
    """Strict YYYY-MM-DD, from EARLIEST to LATEST."""
    try:
        if len(text.strip()) != 10:
            raise ValueError
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            _("{where}: {value} is not a date; write YYYY-MM-DD").format(
                where=where, value=repr(text)
            )
        ) from None
    if not EARLIEST <= day <= LATEST:
        raise UsageError(
            _("{where}: {value} is out of range ({earliest} to {latest})").format(
                where=where, value=repr(text), earliest=EARLIEST, latest=LATEST
            )
        )
    return day


_frozen: list[dt.date] = []


@contextmanager
def frozen_today(day: dt.date) -> Iterator[None]:
    """Record events as if on ``day``: the demo builder replays months of history."""
    _frozen.append(day)
    try:
        yield
    finally:
        _frozen.pop()


def _pinned() -> dt.date | None:
    if _frozen:
        return _frozen[-1]
    pinned = os.environ.get("JSGJ_TODAY")
    return parse_date(pinned, where="JSGJ_TODAY") if pinned else None


def today() -> dt.date:
    """Today's date; JSGJ_TODAY (YYYY-MM-DD) pins it for tests and reproducible demos."""
    return _pinned() or dt.date.today()


def now() -> dt.datetime:
    """The recording time of events (UTC). On a pinned day, the real time of day, so that
    events recorded one after another keep their order."""
    real = dt.datetime.now(dt.UTC)
    day = _pinned()
    return real if day is None else dt.datetime.combine(day, real.timetz())


def os_user() -> str:
    """Who is at the keyboard: JSGJ_USER, else the login name."""
    import getpass

    try:
        return os.environ.get("JSGJ_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
