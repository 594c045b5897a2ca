"""The derived tables, ``tasks`` (state columns) and ``task_departments``, kept equal
to what the event logs say: refreshed in the same transaction as each event, from
the one derivation (``queries.STATE_SQL``) and the one aggregation of city shares
(``tasks.aggregate``); and proved by ``db check``, which derives every task afresh
and compares every column.
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


def refresh(conn: sqlite3.Connection, task_ids: Iterable[str]) -> None:
    """Bring the derived rows of these tasks, their parents and their city shares up
    to date with the events (call inside the write transaction)."""
    ids = sorted(set(task_ids))
    if not ids:
        return
    parents = [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT parent_id FROM tasks WHERE id IN (SELECT value FROM json_each(?)) "
            "AND parent_id IS NOT NULL",
            [json.dumps(ids)],
        )
    ]
    _write(conn, derive(conn, sorted({*ids, *parents})))


def refresh_all(conn: sqlite3.Connection) -> None:
    _write(conn, derive(conn))


def _write(conn: sqlite3.Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    # Only the columns the table has: an earlier migration refreshes the derived rows
    # before a later one adds its column (m004 before m008's chase_count).
    present = {r[1] for r in conn.execute("PRAGMA table_info(tasks)")}
    updated = [c for c in _UPDATED if c in present]
    sets = ", ".join(f"{c} = ?" for c in updated)
    where = [COLUMNS.index(c) for c in updated]
    conn.executemany(
        f"UPDATE tasks SET {sets} WHERE id = ?",
        [tuple(row[i] for i in where) + (row[0],) for row in rows],
    )
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
