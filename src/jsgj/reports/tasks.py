"""Tasks and their histories as plain records (the shape of ``--json``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jsgj.status import Thresholds, days_since_report, expected_percent, light
from jsgj.store.queries import TaskHistory
from jsgj.store.records import TaskState


def task_record(task: TaskState, on: dt.date, thresholds: Thresholds) -> dict[str, Any]:
    lt = light(task, on, thresholds)
    return {
        **task.to_json(),
        "light": lt.color.value,
        "light_label": lt.color.label,
        "reason": lt.reason,
        "expected_percent": expected_percent(task, on),
        "days_since_report": days_since_report(task, on),
    }


def history_record(history: TaskHistory, on: dt.date, thresholds: Thresholds) -> dict[str, Any]:
    return {
        "as_of": on.isoformat(),
        "task": task_record(history.task, on, thresholds),
        "timeline": [e.to_json() for e in history.timeline()],
    }
