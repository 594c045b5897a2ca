"""Tasks and their histories as plain records (the shape of ``--json``)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from jsgj.catalog.catalog import Catalog
from jsgj.status import Thresholds
from jsgj.tasks.line import LIGHT_JSON, ROLE_JSON, judged
from jsgj.tasks.records import ISO, Role, TaskState

if TYPE_CHECKING:
    from jsgj.tasks.history import TaskHistory


def task_record(
    catalog: Catalog,
    task: TaskState,
    on: dt.date,
    thresholds: Thresholds,
    role: Role | None = None,
) -> dict[str, Any]:
    """The task with its line (light, reason, pace) as one JSON object; ``role``: the
    part of the department a listing is for (牵头 or 配合), when it is for one.

    It is ``{**task.to_json(), **line.to_json()}`` (the task's keys in their order,
    then the line's others; where both have a key, the line's value: a cancelled
    task's status is ``cancelled``), built as one dict (20,000 records a province's
    listing; tests/test_listing.py holds it to that definition), from the task and
    what its line adds (``tasks.line.judged``), without building the line."""
    x = judged(catalog, task, on, thresholds)
    # The memo's bound lookup: a dict subclass's subscript costs a slot call.
    iso = _iso
    light, light_label = LIGHT_JSON[x.light]
    return {
        "id": task.id,
        "measure": task.measure,
        "parent": task.parent_id,
        "children": list(task.children),
        "title": task.title,
        "lead": task.lead,
        "co": list(task.co),
        "urgency": x.urgency,
        "urgency_label": x.urgency_label,
        "source": task.source,
        "start_date": iso(task.start_date),
        "due_date": iso(task.due_date),
        "original_due_date": iso(task.original_due_date),
        "extension_reason": task.extension_reason,
        "cancelled": task.cancelled,
        "created_on": iso(task.created_on),
        "acknowledged_on": iso(task.acknowledged_on),
        "contact": task.contact,
        "status": x.status,
        "status_label": x.status_label,
        "percent": task.percent,
        "claim_date": iso(task.claim_date),
        "returned_reason": task.returned_reason,
        "last_report_date": iso(task.last_report_date),
        "report_count": task.report_count,
        "contribution_count": task.contribution_count,
        "chase_count": task.chase_count,
        "level": x.level,
        "lead_name": x.lead_name,
        "co_short": list(x.co_short),
        "expected_percent": x.expected_percent,
        "days_since_report": x.days_since_report,
        "light": light,
        "light_label": light_label,
        "reason": x.reason,
        "overdue_days": x.overdue_days,
        "counted": x.counted,
        "role": ROLE_JSON[role],
        "chase_level": x.chase_level,
    }


_iso = ISO.__getitem__


def history_record(
    catalog: Catalog, history: TaskHistory, on: dt.date, thresholds: Thresholds
) -> dict[str, Any]:
    return {
        "as_of": on.isoformat(),
        "task": task_record(catalog, history.task, on, thresholds),
        "timeline": [e.to_json() for e in history.timeline()],
    }
