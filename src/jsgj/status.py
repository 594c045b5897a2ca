"""Traffic lights (红黄蓝绿灯), computed, never typed in: pure functions of a task's
state, a date and the thresholds in data/lights.yaml. Every light carries its reason
in the words officials use, each fact once ("序时进度65%，实际35%，滞后30个百分点";
"逾期29天（原定2025-05-31），推进受阻").

red     overdue (not approved as done by its due date), or blocked (受阻);
yellow  behind the expected pace (序时进度) by more than ``pace_margin`` points, or no
        report from the lead for ``stalled_days``, or not acknowledged (签收) within
        ``ack_days`` of being assigned;
blue    临期: due within ``due_soon_days`` and on pace;
green   on pace;
and, outside the traffic lights, 待审核 (a claim of completion awaiting the office),
已办结 (approved, 销号) and 已撤销.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

from jsgj.errors import DataFileError
from jsgj.tasks.records import ISO, TaskState
from jsgj.values import Status


class Color(StrEnum):
    red = "red"
    yellow = "yellow"
    blue = "blue"
    green = "green"
    pending = "pending"
    done = "done"
    cancelled = "cancelled"

    @property
    def label(self) -> str:
        return COLOR_LABELS[self]

    @property
    def rank(self) -> int:
        """Sort order: the lights that need action first."""
        return _RANKS[self]


_RANKS = {c: i for i, c in enumerate(Color)}
COLOR_LABELS = {
    Color.red: "红灯",
    Color.yellow: "黄灯",
    Color.blue: "蓝灯",
    Color.green: "绿灯",
    Color.pending: "待审核",
    Color.done: "已办结",
    Color.cancelled: "已撤销",
}

# What the light rule reads of the enums, as module globals: on Python 3.11 an enum
# class's attribute (``Color.red``) goes through ``EnumType.__getattr__``'s hook (~900
# instructions), a global is a dict read; a province's listing judges 20,000 tasks.
_RED, _YELLOW, _BLUE, _GREEN = Color.red, Color.yellow, Color.blue, Color.green
_PENDING, _DONE, _CANCELLED = Color.pending, Color.done, Color.cancelled
_APPROVED, _CLAIMED, _BLOCKED = Status.done, Status.pending_review, Status.blocked


@dataclass(frozen=True, slots=True)
class Thresholds:
    pace_margin: int = 20
    """Yellow when the lead's percent trails the expected pace by more points than this."""
    due_soon_days: int = 14
    """Blue (临期) when due within this many days and on pace."""
    stalled_days: int = 30
    """Yellow when the lead has not reported for this many days."""
    ack_days: int = 3
    """Yellow when the lead has not acknowledged (签收) the task this many days after
    it was assigned (a report from the lead counts as acknowledging it)."""
    chase_escalation: tuple[int, int, int] = (1, 2, 3)
    """催办 escalation: how many chases make 一次催办, 二次催办 and 通报点名 (ascending)."""


CHASE_LEVELS = ("一次催办", "二次催办", "通报点名")
"""The escalation of repeated chasing, in the order of ``Thresholds.chase_escalation``."""


def chase_level(count: int, t: Thresholds) -> str | None:
    """The escalation a task has reached after ``count`` chases (催办), or None."""
    if count < t.chase_escalation[0]:  # most tasks: never chased
        return None
    reached = None
    for level, at in zip(CHASE_LEVELS, t.chase_escalation, strict=True):
        if count >= at:
            reached = level
    return reached


class Light(NamedTuple):
    """A light and its reason. (A named tuple: cheaper to define than a dataclass.)"""

    color: Color
    reason: str


def load_thresholds(path: Path) -> Thresholds:
    """Read data/lights.yaml: non-negative integers named as in Thresholds, nothing else."""
    import yaml

    from jsgj.catalog.wording import yaml_problem
    from jsgj.i18n import _

    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except OSError as e:
        raise DataFileError(
            _("{path}: cannot read the file ({reason})").format(path=path, reason=e.strerror or e)
        ) from e
    except UnicodeDecodeError as e:
        raise DataFileError(
            _("{path}: not UTF-8 (byte {n}): save the file as UTF-8").format(path=path, n=e.start)
        ) from e
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        place = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        what = yaml_problem(getattr(e, "problem", None), getattr(e, "context", None))
        raise DataFileError(f"{place}: {what}") from e
    if not isinstance(data, dict):
        raise DataFileError(_("{path}: expected a mapping of thresholds").format(path=path))
    known = set(Thresholds.__dataclass_fields__)
    for key, value in data.items():
        if key not in known:
            raise DataFileError(
                _("{path}: unknown threshold {key!r}; known: {known}").format(
                    path=path, key=key, known=", ".join(sorted(known))
                )
            )
        if key == "chase_escalation":
            data[key] = _escalation(path, value)
            continue
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise DataFileError(
                _("{path}: {key} must be a whole number >= 0, not {value!r}").format(
                    path=path, key=key, value=value
                )
            )
    return Thresholds(**data)


def _escalation(path: Path, value: object) -> tuple[int, int, int]:
    ok = (
        isinstance(value, list)
        and len(value) == len(CHASE_LEVELS)
        and all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in value)
        and all(a < b for a, b in zip(value, value[1:], strict=False))
    )
    if not ok:
        from jsgj.i18n import _

        raise DataFileError(
            _(
                "{path}: chase_escalation must be three whole numbers >= 1 in ascending order "
                "(一次催办, 二次催办, 通报点名), not {value!r}"
            ).format(path=path, value=value)
        )
    assert isinstance(value, list)
    return (value[0], value[1], value[2])


def expected_percent(task: TaskState, on: dt.date) -> int | None:
    """序时进度: the share of the time from start to due date that has passed, 0-100."""
    due = task.due_date
    if due is None:
        return None
    if on >= due:  # all the time has passed (a province's listing: most of its tasks)
        return 100
    start = task.start_date or task.created_on
    if due <= start:
        return 0
    elapsed = (on - start).days / (due - start).days
    return max(0, min(100, round(elapsed * 100)))


def days_since_report(task: TaskState, on: dt.date) -> int:
    """Days since the last report, or since the task started when it has none."""
    last = task.last_report_date or task.start_date or task.created_on
    return max(0, (on - last).days)


def acknowledged(task: TaskState) -> bool:
    """签收 recorded, or the lead has reported (which it could not without the task)."""
    return task.acknowledged_on is not None or task.last_report_date is not None


def light(task: TaskState, on: dt.date, t: Thresholds) -> Light:
    """The task's light and its reason on ``on``."""
    color, reason = judge(task, on, t, expected_percent(task, on), days_since_report(task, on))
    return Light(color, reason)


def judge(
    task: TaskState,
    on: dt.date,
    t: Thresholds,
    expected: int | None,
    silent: int,
) -> tuple[Color, str]:
    """The one light rule: the colour and its reason. ``expected`` and ``silent`` are
    ``expected_percent(task, on)`` and ``days_since_report(task, on)``, which a task
    line computes anyway (so neither is computed twice)."""
    if task.cancelled:
        return _CANCELLED, "任务已撤销"
    status = task.status
    if status is _APPROVED:
        when = f"（{ISO[task.claim_date]}申请）" if task.claim_date else ""
        return _DONE, f"已审核销号{when}"
    if status is _CLAIMED:
        when = ISO[task.claim_date] or ""
        return _PENDING, f"{when}申请办结，待审核"
    due = task.due_date
    late = due is not None and due < on
    if late or status is _BLOCKED:
        red: list[str] = []
        if late:
            assert due is not None
            red.append(f"逾期{(on - due).days}天（原定{ISO[due]}）")
        if status is _BLOCKED:
            red.append("推进受阻")
        return _RED, "，".join(red) + f"，进度{task.percent}%"
    start = task.started_on
    if start > on:
        return _GREEN, f"尚未开始（{ISO[start]}开始）"
    behind = expected is not None and expected - task.percent > t.pace_margin
    stalled = silent >= t.stalled_days
    unacknowledged = (
        not task.is_parent and not acknowledged(task) and (on - task.created_on).days > t.ack_days
    )
    if behind or stalled or unacknowledged:
        yellow: list[str] = []
        if behind:
            assert expected is not None
            yellow.append(
                f"序时进度{expected}%，实际{task.percent}%，滞后{expected - task.percent}个百分点"
            )
        if stalled:
            yellow.append(
                f"{silent}天未报送进展" if task.last_report_date else f"开始后{silent}天未报送进展"
            )
        if unacknowledged:
            yellow.append(f"交办{(on - task.created_on).days}天未签收")
        return _YELLOW, "；".join(yellow)
    if due is not None and (due - on).days <= t.due_soon_days:
        days = (due - on).days
        when = "今天到期" if days == 0 else f"{days}天后到期"
        return _BLUE, f"{when}，进度{task.percent}%"
    if expected is None:
        return _GREEN, f"进度{task.percent}%，未设截止日期"
    return _GREEN, f"序时进度{expected}%，实际{task.percent}%"
