"""Values users type: dates, statuses, percents. Parsing errors are usage errors."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum

from jsgj.errors import UsageError


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


def parse_status(text: str, *, where: str = "--status") -> Status:
    """A status a report may state: English id or Chinese label (已完成 and 已办结 both
    name done: reported, either is a claim of completion)."""
    value = text.strip()
    for status in REPORTABLE:
        if value in (status.value, status.label, status.report_label):
            return status
    choices = "、".join(f"{s.report_label} ({s.value})" for s in REPORTABLE)
    raise UsageError(f"{where}: unknown status {text!r}; use one of {choices}")


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
        raise UsageError(f"{where}: {text!r} is not a date; write YYYY-MM-DD") from None
    if not EARLIEST <= day <= LATEST:
        raise UsageError(f"{where}: {text!r} is out of range ({EARLIEST} to {LATEST})")
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
