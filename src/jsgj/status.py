"""Traffic lights (红黄绿灯), computed, never typed in: pure functions of a task's
state, a date and the thresholds in data/lights.yaml. Every light carries its reason
in words, as the reports print it ("逾期12天，进度60%")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from jsgj.errors import DataFileError
from jsgj.store.records import TaskState
from jsgj.values import Status


class Color(StrEnum):
    red = "red"
    yellow = "yellow"
    green = "green"
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
    Color.green: "绿灯",
    Color.done: "已完成",
    Color.cancelled: "已撤销",
}


@dataclass(frozen=True, slots=True)
class Thresholds:
    pace_margin: int = 20
    """Yellow when the reported percent trails the expected pace by more points than this."""
    due_soon_days: int = 14
    stalled_days: int = 30


@dataclass(frozen=True, slots=True)
class Light:
    color: Color
    reason: str


def load_thresholds(path: Path) -> Thresholds:
    """Read data/lights.yaml: three non-negative integers, nothing else."""
    import yaml

    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except OSError as e:
        raise DataFileError(f"{path}: cannot read the file ({e.strerror or e})") from e
    except UnicodeDecodeError as e:
        raise DataFileError(f"{path}: not UTF-8 (byte {e.start})") from e
    except yaml.YAMLError as e:
        raise DataFileError(f"{path}: YAML syntax error ({e})") from e
    if not isinstance(data, dict):
        raise DataFileError(f"{path}: expected a mapping of thresholds")
    known = set(Thresholds.__dataclass_fields__)
    for key, value in data.items():
        if key not in known:
            raise DataFileError(
                f"{path}: unknown threshold {key!r}; known: {', '.join(sorted(known))}"
            )
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise DataFileError(f"{path}: {key} must be a whole number >= 0, not {value!r}")
    return Thresholds(**data)


def expected_percent(task: TaskState, on: dt.date) -> int | None:
    """序时进度: the share of the time from start to due date that has passed, 0-100."""
    if task.due_date is None:
        return None
    start = task.start_date or task.created_on
    if task.due_date <= start:
        return 100 if on >= task.due_date else 0
    elapsed = (on - start).days / (task.due_date - start).days
    return max(0, min(100, round(elapsed * 100)))


def days_since_report(task: TaskState, on: dt.date) -> int:
    """Days since the last report, or since the task started when it has none."""
    last = task.last_report_date or task.start_date or task.created_on
    return max(0, (on - last).days)


def light(task: TaskState, on: dt.date, t: Thresholds) -> Light:
    if task.cancelled:
        return Light(Color.cancelled, "任务已撤销")
    if task.status is Status.done:
        return Light(Color.done, f"已完成（{task.last_report_date}报告）")
    progress = f"进度{task.percent}%"
    red: list[str] = []
    if task.due_date is not None and task.due_date < on:
        red.append(f"逾期{(on - task.due_date).days}天，{progress}")
    if task.status is Status.blocked:
        red.append(f"报告受阻，{progress}")
    if red:
        return Light(Color.red, "；".join(red))
    start = task.start_date or task.created_on
    if start > on:
        return Light(Color.green, f"尚未开始（{start}开始）")
    yellow: list[str] = []
    expected = expected_percent(task, on)
    if expected is not None and expected - task.percent > t.pace_margin:
        yellow.append(f"{progress}，落后序时进度{expected}%")
    if task.due_date is not None and (task.due_date - on).days <= t.due_soon_days:
        days = (task.due_date - on).days
        yellow.append(("今天到期" if days == 0 else f"{days}天后到期") + f"，{progress}")
    silent = days_since_report(task, on)
    if silent >= t.stalled_days:
        yellow.append(
            f"{silent}天未报送进展" if task.last_report_date else f"开始后{silent}天未报送进展"
        )
    if yellow:
        return Light(Color.yellow, "；".join(yellow))
    if expected is None:
        return Light(Color.green, f"{progress}，未设截止日期")
    return Light(Color.green, f"{progress}，序时进度{expected}%")
