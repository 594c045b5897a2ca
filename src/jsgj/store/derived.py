"""The derived tables, ``tasks`` (state columns) and ``task_departments``, kept equal
to what the event logs say: refreshed in the same transaction as each event, from
the one derivation (``queries.STATE_SQL``) and the one aggregation of city shares
(``tasks.aggregate``); and proved by ``db check``, which derives every task afresh
and compares every column.

A write touches only its task's rows (issue 15): ``refresh`` derives the written
tasks from their own events and aggregates a city share's parent from the stored rows
of its shares; an import's appended reports update their tasks in one set-based
statement (``appended``). Neither reads the whole task table or the whole history
(tests/test_write_cost.py counts the steps); both give what the full derivation gives
(tests/test_derived_incremental.py).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from jsgj.i18n import _
from jsgj.store.queries import COLUMNS, state_sql
from jsgj.tasks.aggregate import aggregate
from jsgj.tasks.records import TaskState
from jsgj.tasks.when import When

_STATE = COLUMNS[COLUMNS.index("cancelled") :]  # what events decide besides identity
_DEFINITION = ("title", "lead", "co", "start_date", "due_date")
_UPDATED = (*_DEFINITION, *_STATE)
_PROGRESS = (
    "status", "percent", "last_report_id", "last_report_date", "report_count", "claim_date",
    "returned_reason",
)  # fmt: skip
"""What a fan-out parent takes from its city shares (``_with_progress``)."""


def derive(
    conn: sqlite3.Connection, task_ids: Sequence[str] | None = None
) -> list[tuple[Any, ...]]:
    """The derived rows (``COLUMNS``) of the given tasks' families, or of every task,
    as the events say now, parents aggregated from their shares."""
    params = When().params()
    if task_ids is None:
        rows = conn.execute(state_sql(), params).fetchall()
    else:
        params["ids"] = json.dumps(list(task_ids))
        rows = conn.execute(
            state_sql(families="SELECT value FROM json_each(:ids)"), params
        ).fetchall()
    return _aggregated(rows)


def _aggregated(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Rows with each fan-out parent's progress columns replaced by the aggregate of
    its shares (``tasks.aggregate``), converted back to column values."""
    from jsgj.store.queries import rows_to_states

    kids: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        if row[3]:
            kids.setdefault(row[3], []).append(i)
    if not kids:
        return rows
    states = rows_to_states(rows)
    out = list(rows)
    for i, row in enumerate(rows):
        if row[0] in kids:
            parent = aggregate(states[i], [states[j] for j in kids[row[0]]])
            out[i] = _with_progress(row, parent)
    return out


def _with_progress(row: tuple[Any, ...], s: TaskState) -> tuple[Any, ...]:
    values = dict(zip(COLUMNS, row, strict=True))
    values.update(
        status=s.status.value,
        percent=s.percent,
        last_report_id=None,
        last_report_date=s.last_report_date.isoformat() if s.last_report_date else None,
        report_count=s.report_count,
        claim_date=s.claim_date.isoformat() if s.claim_date else None,
        returned_reason=s.returned_reason,
    )
    return tuple(values[c] for c in COLUMNS)


def refresh(conn: sqlite3.Connection, task_ids: Iterable[str], *, departments: bool = True) -> None:
    """Bring the derived rows of these tasks (with the city shares of a parent among
    them) up to date with their events, then their parents' aggregates (call inside
    the write transaction).

    Only these tasks' events are read (``STATE_SQL`` for their families, through the
    indexes); a city share's parent is aggregated from the stored rows of its shares,
    not derived again from their reports. ``departments``: rewrite ``task_departments``
    too (for a write that may change a lead or co departments: assign, edit, a ledger)."""
    ids = sorted(set(task_ids))
    if not ids:
        return
    rows = derive(conn, ids)
    _write(conn, rows, departments=departments)
    done = {row[0] for row in rows}
    aggregate_parents(conn, {row[3] for row in rows if row[3] and row[3] not in done})


def aggregate_parents(conn: sqlite3.Connection, parents: Iterable[str]) -> None:
    """Re-aggregate these fan-out parents' progress from the stored rows of their city
    shares (``tasks.aggregate``): after a write to some shares, the others and the
    parent's own columns are as the events say already."""
    ids = sorted(set(parents))
    if not ids:
        return
    rows = conn.execute(
        f"""SELECT {", ".join(COLUMNS)} FROM tasks
            WHERE id IN (SELECT value FROM json_each(:ids))
               OR parent_id IN (SELECT value FROM json_each(:ids))""",
        {"ids": json.dumps(ids)},
    ).fetchall()
    wanted = set(ids)
    at = [COLUMNS.index(c) for c in _PROGRESS]
    conn.executemany(
        f"UPDATE tasks SET {', '.join(f'{c} = ?' for c in _PROGRESS)} WHERE id = ?",
        [(*(row[i] for i in at), row[0]) for row in _aggregated(rows) if row[0] in wanted],
    )


_NEWER = "n.latest > COALESCE(tasks.last_report_date || printf('%012d', tasks.last_report_id), '')"
_APPENDED = f"""
UPDATE tasks SET
    report_count = tasks.report_count + n.reports,
    contribution_count = tasks.contribution_count + n.contributions,
    status = CASE WHEN {_NEWER} THEN
        CASE l.status WHEN 'done' THEN 'pending_review' ELSE l.status END ELSE tasks.status END,
    percent = CASE WHEN {_NEWER} THEN l.percent ELSE tasks.percent END,
    claim_date = CASE WHEN {_NEWER} THEN
        CASE l.status WHEN 'done' THEN l.report_date END ELSE tasks.claim_date END,
    returned_reason = CASE WHEN {_NEWER} THEN NULL ELSE tasks.returned_reason END,
    last_report_date = CASE WHEN {_NEWER} THEN l.report_date ELSE tasks.last_report_date END,
    last_report_id = CASE WHEN {_NEWER} THEN l.id ELSE tasks.last_report_id END
FROM (
    SELECT task_id, SUM(role != 'co') AS reports, SUM(role = 'co') AS contributions,
           MAX(CASE WHEN role != 'co' THEN report_date || printf('%012d', id) END) AS latest
    FROM progress_reports NOT INDEXED WHERE id > :after GROUP BY task_id
) AS n  -- NOT INDEXED: the new rows by rowid, not a pass over progress_reports_task
LEFT JOIN progress_reports l ON l.id = CAST(substr(n.latest, 11) AS INTEGER)
WHERE tasks.id = n.task_id
"""


def appended(conn: sqlite3.Connection, after_id: int) -> None:
    """Bring the derived rows up to date with the progress reports appended after
    report ``after_id`` (call inside the write transaction that appended them), from
    those rows alone, in one statement: each task's counts grow by its new reports,
    and its latest report (by report date, then id: ``STATE_SQL``'s rule) is the
    newest of them when it is later than the stored one - a claim (已完成) awaiting
    review, since no review names a report not yet recorded. Then the parents of the
    tasks reported on are aggregated again. For reports that correct none (a
    correction invalidates an earlier report: ``refresh`` the task instead); db check
    proves the result equal to the full derivation."""
    conn.execute(_APPENDED, {"after": after_id})
    parents = conn.execute(
        """SELECT DISTINCT t.parent_id FROM tasks t
           WHERE t.parent_id IS NOT NULL AND t.id IN (
               SELECT task_id FROM progress_reports WHERE id > :after)""",
        {"after": after_id},
    ).fetchall()
    aggregate_parents(conn, [r[0] for r in parents])


def refresh_all(conn: sqlite3.Connection) -> None:
    # Only the columns the table has: an earlier migration refreshes the derived rows
    # before a later one adds its column (m004 before m008's chase_count). Asked here,
    # not in _write, which every single write goes through after the migrations.
    present = {r[1] for r in conn.execute("PRAGMA table_info(tasks)")}
    _write(conn, derive(conn), updated=[c for c in _UPDATED if c in present])


def _write(
    conn: sqlite3.Connection,
    rows: Sequence[tuple[Any, ...]],
    *,
    departments: bool = True,
    updated: Sequence[str] = _UPDATED,
) -> None:
    sets = ", ".join(f"{c} = ?" for c in updated)
    where = [COLUMNS.index(c) for c in updated]
    conn.executemany(
        f"UPDATE tasks SET {sets} WHERE id = ?",
        [tuple(row[i] for i in where) + (row[0],) for row in rows],
    )
    if not departments:
        return
    conn.executemany("DELETE FROM task_departments WHERE task_id = ?", [(row[0],) for row in rows])
    conn.executemany(
        "INSERT INTO task_departments (task_id, department_id, role) VALUES (?, ?, ?)",
        [
            (row[0], did, role)
            for row in rows
            for did, role in _departments(row[COLUMNS.index("lead")], row[COLUMNS.index("co")])
        ],
    )


def _departments(lead: str, co: str) -> list[tuple[str, str]]:
    return [(lead, "lead"), *((d, "co") for d in json.loads(co))]


def differences(conn: sqlite3.Connection) -> list[str]:
    """Every derived value that disagrees with the events: 'task 3-1: percent is 40,
    the events say 35'. Empty when the derived tables are sound."""
    derived = {row[0]: row for row in derive(conn)}
    stored = {
        row[0]: row for row in conn.execute(f"SELECT {', '.join(COLUMNS)} FROM tasks").fetchall()
    }
    out: list[str] = []
    for tid in sorted(set(derived) | set(stored)):
        want, have = derived.get(tid), stored.get(tid)
        if want is None:
            out.append(_("task {id}: in the tasks table but not in the event log").format(id=tid))
            continue
        if have is None:
            out.append(_("task {id}: in the event log but not in the tasks table").format(id=tid))
            continue
        for i, column in enumerate(COLUMNS):
            if want[i] != have[i]:
                out.append(
                    _("task {id}: {column} is {have!r}, the events say {want!r}").format(
                        id=tid, column=column, have=have[i], want=want[i]
                    )
                )
    expected = {
        (row[0], did, role)
        for row in derived.values()
        for did, role in _departments(row[COLUMNS.index("lead")], row[COLUMNS.index("co")])
    }
    actual = set(conn.execute("SELECT task_id, department_id, role FROM task_departments"))
    for tid, did, role in sorted(actual - expected):
        out.append(
            _(
                "task_departments: ({id}, {department}, {role}) is not in the task's definition"
            ).format(id=tid, department=did, role=role)
        )
    for tid, did, role in sorted(expected - actual):
        out.append(
            _("task_departments: ({id}, {department}, {role}) is missing").format(
                id=tid, department=did, role=role
            )
        )
    return out
