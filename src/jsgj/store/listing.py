"""What ``tasks list`` reads: the tasks a filter selects, streamed in listing order.

On the current view the filters run in SQL over the derived tables and their indexes
(``task_departments``, ``tasks_measure_seq``), following the one rule of each filter
(``tasks.filters``; tests/test_filters_sql.py proves they agree); on another view the
states are derived from the event logs (``queries.STATE_SQL``) and filtered by the
rule itself. (The current view's parents hold their shares' aggregate in the
derived table: a filtered listing reads a parent's shares' ids, not the shares.)
Either way one row is read at a time: memory does not grow with the number of tasks.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from jsgj.store.db import Store
from jsgj.store.queries import (
    SHARES,
    as_when,
    current_rows,
    iter_task_states,
    tagged_states,
    with_shares,
)
from jsgj.tasks.filters import TaskFilter
from jsgj.tasks.records import TaskState
from jsgj.tasks.when import When
from jsgj.values import Status

_COUNTED_BY = """
id IN (SELECT d.task_id FROM task_departments d
       WHERE d.department_id IN (SELECT value FROM json_each(:mine)))
AND (parent_id IS NULL OR lead IN (SELECT value FROM json_each(:mine)))
AND (NOT EXISTS (SELECT 1 FROM tasks k WHERE k.parent_id = tasks.id)
     OR EXISTS (SELECT 1 FROM task_departments d WHERE d.task_id = tasks.id
                AND d.role = 'co' AND d.department_id IN (SELECT value FROM json_each(:mine))))"""
"""``roles.counting_role`` over ``task_departments``: a city share is its lead's (the
city and, through it, its group); a task not shared out is its lead's and its co
departments'; a task shared out to the cities is its co departments' only."""


def listed_states(
    store: Store, f: TaskFilter, when: When | dt.date | None = None
) -> Iterator[TaskState]:
    """The tasks ``f`` selects on ``when`` (``tasks.filters.filter_tasks``), in listing
    order, each fan-out parent with its shares' progress, one at a time."""
    from jsgj.tasks.filters import iter_filter

    when = as_when(when)
    if when.current:
        return _current(store, f, when.on)
    return iter_filter(store.catalog, iter_task_states(store, when), f, when.on)


def listing_widths(store: Store) -> tuple[dict[int, int], dt.date | None]:
    """What the task table's columns must hold before its first row: each measure's
    longest task id, and the oldest date a task's 未报 can count from (its start, its
    creation or its last report). Over every task, in any view: a column is at most
    a little wider than the rows it shows need."""
    # One pass over the table (read in its own order: faster than through the
    # measure index, which holds no id).
    rows = store.db.conn.execute(
        "SELECT measure, max(length(id)), min(created_on), min(start_date),"
        " min(last_report_date) FROM tasks NOT INDEXED GROUP BY measure"
    ).fetchall()
    ids = {measure: width for measure, width, *_ in rows}
    known = [d for *_, created, start, last in rows for d in (created, start, last) if d]
    return ids, dt.date.fromisoformat(min(known)) if known else None


def filtered_task_states(store: Store, f: TaskFilter, on: dt.date) -> list[TaskState]:
    """The current view's tasks that ``tasks.filters.filter_tasks`` would select on
    ``on``, chosen by SQL (``listed_states``)."""
    return list(_current(store, f, on))


def _current(store: Store, f: TaskFilter, on: dt.date) -> Iterator[TaskState]:
    from jsgj.tasks.filters import CANCELLED
    from jsgj.tasks.roles import counted_for

    where: list[str] = []
    params: dict[str, Any] = {}
    if f.measure is not None:
        where.append("measure = :measure")
        params["measure"] = f.measure
    if f.department is not None:
        where.append(_COUNTED_BY)
        params["mine"] = json.dumps(sorted(counted_for(store.catalog, f.department)))
    if f.status == CANCELLED:
        where.append("cancelled = 1")
    elif isinstance(f.status, Status):
        where.append("status = :status AND cancelled = 0")
        params["status"] = f.status.value
    if f.overdue:
        where.append(
            "cancelled = 0 AND status NOT IN ('done', 'pending_review') AND due_date < :on"
            " AND (parent_id IS NOT NULL OR NOT EXISTS"
            " (SELECT 1 FROM tasks k WHERE k.parent_id = tasks.id))"
        )
        params["on"] = on.isoformat()
    if not where:
        return iter_task_states(store)
    return _chosen(store, " AND ".join(where), params)


def _chosen(store: Store, where: str, params: dict[str, Any]) -> Iterator[TaskState]:
    # The chosen tasks, each tagged with its city shares' ids (a parent's row holds
    # its shares' aggregate already: the shares themselves are not read).
    rows = current_rows(store.db.conn, f"WHERE {where}", params, tag=SHARES)
    for state, shares in tagged_states(rows):
        yield with_shares(state, tuple(json.loads(shares))) if shares != "[]" else state
