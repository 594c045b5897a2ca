"""What the weekly report reads beyond the counts and the week's reports: the tasks it
shows a line of (``listed_states``, current view), those it only names (the chase
list's tasks not reported this week and the tasks of the week's report lines:
``named``) and the reports behind each blocked task's 受阻 (``blocked_spells``).

Read newest first through the index ``progress_reports_task (task_id, report_date,
...)`` and stopped at the first report that is not 受阻, so that the work grows with
the length of the spells, not with the task's history (a task of ten years' reports
reads its last few)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from jsgj.reports.weekly_data import TaskName
from jsgj.store.db import Store
from jsgj.store.history import P_COLUMNS, _report
from jsgj.store.queries import as_when, current_rows, families, tagged_states
from jsgj.tasks.history import Report
from jsgj.tasks.line import task_label
from jsgj.tasks.records import TaskState
from jsgj.tasks.roles import short
from jsgj.tasks.when import When
from jsgj.values import Status

_PARENTS_DUE = """
SELECT p.id FROM tasks p
WHERE p.due_date BETWEEN :on AND :horizon
  AND p.id IN (SELECT parent_id FROM tasks WHERE parent_id IS NOT NULL)
"""

_SHOWN = f"""
WHERE ((NOT cancelled
        AND (id IN (SELECT value FROM json_each(:flagged))
             OR status = 'pending_review' OR returned_reason IS NOT NULL
             OR (status != 'done'
                 AND (original_due_date IS NOT NULL OR due_date BETWEEN :on AND :horizon)))
        OR id IN (SELECT value FROM json_each(:ids)))
       AND (parent_id IS NOT NULL
            OR id NOT IN (SELECT parent_id FROM tasks WHERE parent_id IS NOT NULL)))
   OR id IN ({_PARENTS_DUE}) OR parent_id IN ({_PARENTS_DUE})
"""


def listed_states(
    store: Store,
    on: dt.date,
    horizon: dt.date,
    ids: Iterable[str],
    flagged: Iterable[str],
) -> list[TaskState]:
    """The current view's tasks that the weekly report shows a line of, in listing
    order (what ``reports.weekly.weekly_of`` asks when given the tasks it names):
    ``flagged``, the red and yellow counting units (``store.aggregates.flagged_groups``),
    each task not cancelled that awaits review or was returned, or is not done and
    extended or due between ``on`` and ``horizon``, and ``ids`` (those approved this
    week); each fan-out parent due by ``horizon`` with all its city shares (its
    progress is theirs). The tasks it only names (``named``) and the closed ones,
    most of a province's, are not read."""
    params = {
        "on": on.isoformat(),
        "horizon": horizon.isoformat(),
        "ids": json.dumps(sorted(ids)),
        "flagged": json.dumps(sorted(flagged)),
    }
    # Read the table through (NOT INDEXED) and sort the part it keeps: faster than
    # walking the whole (measure, seq) index to every row (~48 ms -> ~35 ms a province).
    rows = current_rows(store.db.conn, "NOT INDEXED " + _SHOWN.lstrip(), params)
    return [state for state, _ in families(tagged_states(rows), aggregated=True)]


_PARENT = "EXISTS (SELECT 1 FROM tasks k WHERE k.parent_id = tasks.id)"
"""A fan-out parent: a seek in the index ``tasks_parent``, made only for the rows that
ask (a list of every parent, built by ``id IN (SELECT parent_id ...)``, cost ~30 M
instructions more a province)."""

_SILENT = f"""NOT cancelled AND status NOT IN ('done', 'pending_review')
  AND COALESCE(start_date, created_on) < :start
  AND id NOT IN (SELECT value FROM json_each(:reported))
  AND (parent_id IS NOT NULL OR NOT {_PARENT})"""

_IDS = "id IN (SELECT value FROM json_each(:ids))"

_NAMED = f"""
SELECT id, measure, title, lead,
       CASE WHEN parent_id IS NOT NULL THEN 'city' WHEN {_PARENT} THEN 'total' ELSE 'task' END,
       CASE WHEN {_IDS} THEN {_SILENT} ELSE 1 END
FROM tasks NOT INDEXED
WHERE {_SILENT} OR {_IDS}
ORDER BY measure, seq, parent_id IS NOT NULL, rowid
"""
"""Each task's id, measure, title, lead, level (``TaskLine.level``: a fan-out parent
is the province total) and whether the chase list names it as not reported: a row
not among ``:ids`` is there because it is (the WHERE), so only the tasks of the
week's report lines are asked again (~30 M instructions a province)."""


def named(
    store: Store, start: dt.date, reported: Iterable[str], ids: Iterable[str]
) -> tuple[dict[str, list[TaskName]], dict[str, TaskName]]:
    """The tasks the current view's weekly report only names (no task line is made: a
    province has thousands): the chase list's tasks not reported, by lead department
    in listing order (``reports.weekly_chase.unreported_of``: the counting units
    neither cancelled, done nor awaiting review, started before ``start``, the week's
    first day, and not in ``reported``, the tasks their lead reported on that week),
    and the tasks of ``ids`` (the week's report lines), by id."""
    params = {
        "start": start.isoformat(),
        "reported": json.dumps(sorted(reported)),
        "ids": json.dumps(sorted(ids)),
    }
    catalog = store.catalog
    shorts: dict[str, str] = {}
    silent: dict[str, list[TaskName]] = {}
    by_id: dict[str, TaskName] = {}
    for task_id, measure, title, lead, level, unreported in store.db.conn.execute(_NAMED, params):
        if level == "task":
            label = title
        else:
            found = shorts.get(lead)
            if found is None:
                found = shorts[lead] = short(catalog, lead)
            label = task_label(title, level, found)
        name = by_id[task_id] = TaskName(task_id, measure, label)
        if unreported:
            silent.setdefault(lead, []).append(name)
    return silent, by_id


_SPELL_SQL = """
SELECT {columns} FROM progress_reports p
WHERE p.task_id = :t AND p.role != 'co' AND p.report_date <= :d
  AND p.recorded_on <= :kd {kt}
  AND NOT EXISTS (
      SELECT 1 FROM progress_reports c
      WHERE c.corrects = p.id AND c.report_date <= :d AND c.recorded_on <= :kd {kt_c}
  )
ORDER BY p.report_date DESC, p.id DESC
"""
"""A task's valid reports by its lead and the office, newest first. Valid as
``task_history`` counts them for ``reports.weekly.blocked_spell``: no correction dated
and recorded by the view's dates replaces them."""


def blocked_spells(
    store: Store, task_ids: Iterable[str], when: When | None = None
) -> dict[str, tuple[Report, ...]]:
    """For each task, its latest valid lead/office reports back to the one before
    the current run of 受阻 (oldest first): what ``blocked_spell`` needs to say why
    and since when a task is blocked, and nothing older."""
    when = as_when(when)
    kt = "AND p.recorded_at <= :kt" if when.by_timestamp else ""
    kt_c = "AND c.recorded_at <= :kt" if when.by_timestamp else ""
    sql = _SPELL_SQL.format(columns=P_COLUMNS, kt=kt, kt_c=kt_c)
    params = when.params()
    conn = store.db.conn
    out: dict[str, tuple[Report, ...]] = {}
    for tid in task_ids:
        cursor = conn.execute(sql, {**params, "t": tid})
        found: list[Report] = []
        for row in cursor:
            report = _report(row, None)
            found.append(report)
            if report.status is not Status.blocked:
                break
        cursor.close()
        out[tid] = tuple(reversed(found))
    return out
