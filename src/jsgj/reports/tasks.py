"""Tasks and their histories as plain records (the shape of ``--json``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jsgj.catalog.catalog import Catalog
from jsgj.status import Thresholds
from jsgj.tasks.line import task_line
from jsgj.tasks.records import Role, TaskHistory, TaskState


def task_record(
    catalog: Catalog,
    task: TaskState,
    on: dt.date,
    thresholds: Thresholds,
    role: Role | None = None,
) -> dict[str, Any]:
    """The task with its line (light, reason, pace) as one JSON object; ``role``: the
    part of the department a listing is for (牵头 or 配合), when it is for one."""
    return {**task.to_json(), **task_line(catalog, task, on, thresholds, role=role).to_json()}


def history_record(
    catalog: Catalog, history: TaskHistory, on: dt.date, thresholds: Thresholds
) -> dict[str, Any]:
    return {
        "as_of": on.isoformat(),
        "task": task_record(catalog, history.task, on, thresholds),
        "timeline": [e.to_json() for e in history.timeline()],
    }
