"""The two time axes of every view, parsed once per command.

``as_of`` (application time): the state on that date by report dates, event dates and
task dates. ``known_on`` (system time): only what had been recorded by then, a date
(recorded on or before it) or a timestamp (at or before it, as a weekly report's
footer prints it). With neither, the current view: everything, as of today.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from jsgj.errors import UsageError
from jsgj.i18n import _
from jsgj.values import parse_date, today

FAR = "9999-12-31"


class When(NamedTuple):
    """The two time axes of a view: the state on ``as_of`` by what was recorded by
    ``known_on`` (None: today, everything recorded). A named tuple: every command that
    reads tasks defines it, and a frozen dataclass costs ~5 M instructions (issue 15)."""

    as_of: dt.date | None = None
    known_on: dt.date | dt.datetime | None = None

    @property
    def on(self) -> dt.date:
        """The date lights, pace and overdue days are computed on."""
        if self.as_of is not None:
            return self.as_of
        if isinstance(self.known_on, dt.datetime):
            return self.known_on.date()
        if isinstance(self.known_on, dt.date):
            return self.known_on
        return today()

    @property
    def current(self) -> bool:
        """No axis given: the derived tables answer."""
        return self.as_of is None and self.known_on is None

    def params(self) -> dict[str, str]:
        """The SQL parameters :d (application date), :kd (known date) and, for a
        timestamp, :kt (known UTC timestamp)."""
        out = {"d": self.on.isoformat() if self.as_of or self.known_on else FAR, "kd": FAR}
        if isinstance(self.known_on, dt.datetime):
            out["kt"] = stamp(self.known_on)
            # recorded_on is the local date: allow the day after (UTC+14 at most).
            out["kd"] = (self.known_on.date() + dt.timedelta(days=1)).isoformat()
        elif isinstance(self.known_on, dt.date):
            out["kd"] = self.known_on.isoformat()
        return out

    @property
    def by_timestamp(self) -> bool:
        return isinstance(self.known_on, dt.datetime)


def stamp(moment: dt.datetime) -> str:
    """A moment as events store it: UTC ISO 8601 with microseconds."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def parse_known_on(text: str, *, where: str = "--known-on") -> dt.date | dt.datetime:
    """A date (YYYY-MM-DD) or a timestamp (2025-06-29T09:15:02.123456+00:00; without a
    zone, UTC)."""
    value = text.strip()
    if len(value) == 10:
        return parse_date(value, where=where)
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            _("{where}: {text!r} is neither a date (YYYY-MM-DD) nor a timestamp").format(
                where=where, text=text
            )
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def parse_when(as_of: str | None, known_on: str | None) -> When:
    return When(
        as_of=parse_date(as_of, where="--as-of") if as_of is not None else None,
        known_on=parse_known_on(known_on) if known_on is not None else None,
    )
