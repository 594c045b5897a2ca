"""Reading: task states, now or on a date by what was known when (histories and the
event logs: ``store.history``; the listing's filters: ``store.listing``).

Two time axes (see ``jsgj.tasks.when``): ``as_of`` picks the state on a date by the
dates reports and events are about; ``known_on`` keeps only what had been recorded by
then. The current view reads the derived ``tasks`` table; any other reads the event
logs through ``STATE_SQL``, the one derivation of a task's state from its events,
which ``store.derived`` also uses to refresh the derived table and ``db check`` to
prove it.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields
from operator import itemgetter
from typing import Any

from jsgj.store.db import Store
from jsgj.tasks.aggregate import aggregate
from jsgj.tasks.ids import not_found, parse_task_id
from jsgj.tasks.records import DATES, TaskState, Urgency, built
from jsgj.tasks.when import When
from jsgj.values import Status

COLUMNS = (
    "id", "measure", "seq", "parent_id", "created_on", "title", "lead", "co", "start_date",
    "due_date", "cancelled", "urgency", "source", "status", "percent", "last_report_id",
    "last_report_date", "report_count", "contribution_count", "acknowledged_on", "contact",
    "claim_date", "returned_reason", "original_due_date", "extension_reason", "chase_count",
)  # fmt: skip
"""The derived columns of a task, in the order every state query returns them."""

_CURRENT_SQL = f"""
SELECT {", ".join(COLUMNS)}{{tag}} FROM tasks {{where}}
ORDER BY measure, seq, parent_id IS NOT NULL, rowid
"""


def current_sql(where: str = "", tag: str = "") -> str:
    """The current view's rows (the derived ``tasks`` table) in listing order:
    ``where`` a WHERE clause or nothing, ``tag`` an expression read as one more
    column (see ``tagged_states``) or nothing."""
    return _CURRENT_SQL.format(where=where, tag=f", {tag}" if tag else "")


_PACKED_SQL = f"""
SELECT CAST(json_array({", ".join(COLUMNS)}{{tag}}) AS BLOB) FROM tasks {{where}}
ORDER BY measure, seq, parent_id IS NOT NULL, rowid
"""


def current_rows(
    conn: sqlite3.Connection, where: str = "", params: Any = (), tag: str = ""
) -> Iterator[list[Any]]:
    """``current_sql``'s rows, each read as one JSON array (SQLite's ``json_array``,
    as UTF-8 bytes) that orjson parses: Python 3.11's sqlite3 releases the GIL around
    each column it reads (~1,000 instructions a column, 27 a row, 20,000 rows a
    province's listing); one column and the parse cost about a third of that. The
    values are the columns' own (text, integers, NULL as None: the table holds no
    REAL, which SQLite's JSON would write to 15 digits); a tag is read as text
    (tests/test_listing.py holds the two reads equal)."""
    import orjson

    sql = _PACKED_SQL.format(where=where, tag=f", '' || {tag}" if tag else "")
    return map(orjson.loads, map(itemgetter(0), conn.execute(sql, params)))


# The definition: the latest revision dated by :d (else the first: a task entered
# late but started earlier), and the first revision for the original due date.
# The progress: the valid reports (no correction known replaces them) dated by :d,
# grouped by task in one pass over the index progress_reports_task (task_id,
# report_date, recorded_on, role); the latest lead or office report is the greatest
# report_date, then id (a report_date is always 10 characters). A latest report of
# 已完成 is a claim: the latest review of it decides (approve: done; return: back in
# progress at the percent the office gave), else it awaits review.
STATE_SQL = """
WITH rev AS (
    SELECT task_id, COALESCE(MAX(CASE WHEN effective_date <= :d THEN id END), MIN(id)) AS id,
           MIN(id) AS first_id
    FROM task_revisions
    WHERE recorded_on <= :kd {kt} {family}
    GROUP BY task_id
),
valid AS (
    SELECT p.task_id, SUM(p.role != 'co') AS report_count,
           SUM(p.role = 'co') AS contribution_count,
           MAX(CASE WHEN p.role != 'co' THEN p.report_date || printf('%012d', p.id) END)
               AS latest
    FROM progress_reports p
    WHERE p.report_date <= :d AND p.recorded_on <= :kd {kt_p} {family_p}
      AND p.id NOT IN (
          SELECT c.corrects FROM progress_reports c
          WHERE c.corrects IS NOT NULL AND +c.recorded_on <= :kd {kt_c} {family_c}
      )
    GROUP BY p.task_id
)
SELECT t.id, t.measure, t.seq, t.parent_id, t.created_on, r.title, r.lead, r.co,
       r.start_date, r.due_date, r.cancelled, r.urgency, r.source,
       CASE WHEN l.status = 'done' THEN CASE v.kind WHEN 'approve' THEN 'done'
            WHEN 'return' THEN 'in_progress' ELSE 'pending_review' END
            ELSE COALESCE(l.status, 'not_started') END AS status,
       CASE WHEN l.status = 'done' AND v.kind = 'return' THEN v.percent
            ELSE COALESCE(l.percent, 0) END AS percent,
       l.id AS last_report_id, l.report_date AS last_report_date,
       COALESCE(k.report_count, 0) AS report_count,
       COALESCE(k.contribution_count, 0) AS contribution_count,
       a.event_date AS acknowledged_on,
       CASE WHEN a.id IS NOT NULL THEN trim(COALESCE(a.contact_name, '') || ' ' ||
            COALESCE(a.contact_phone, '')) END AS contact,
       CASE WHEN l.status = 'done' AND v.kind IS NOT 'return' THEN l.report_date END
           AS claim_date,
       CASE WHEN l.status = 'done' AND v.kind = 'return' THEN v.note END AS returned_reason,
       CASE WHEN f.due_date IS NOT NULL AND f.due_date IS NOT r.due_date THEN f.due_date END
           AS original_due_date,
       CASE WHEN f.due_date IS NOT NULL AND f.due_date IS NOT r.due_date THEN (
           SELECT x.reason FROM task_revisions x
           WHERE x.task_id = t.id AND x.id <= r.id AND x.kind = 'edit'
             AND json_extract(x.changes, '$.due_date') IS NOT NULL
           ORDER BY x.id DESC LIMIT 1) END AS extension_reason,
       (SELECT COUNT(*) FROM task_events e
        WHERE e.task_id = t.id AND e.kind = 'chase'
          AND e.event_date <= :d AND e.recorded_on <= :kd {kt_e}) AS chase_count
FROM rev
JOIN task_revisions r ON r.id = rev.id
JOIN task_revisions f ON f.id = rev.first_id
JOIN tasks t ON t.id = rev.task_id
LEFT JOIN valid k ON k.task_id = t.id
LEFT JOIN progress_reports l ON l.id = CAST(substr(k.latest, 11) AS INTEGER)
LEFT JOIN task_events v ON v.id = (
    SELECT MAX(e.id) FROM task_events e
    WHERE e.report_id = l.id AND e.kind IN ('approve', 'return')
      AND e.event_date <= :d AND e.recorded_on <= :kd {kt_e})
LEFT JOIN task_events a ON a.id = (
    SELECT MAX(e.id) FROM task_events e
    WHERE e.task_id = t.id AND e.kind = 'acknowledge'
      AND e.event_date <= :d AND e.recorded_on <= :kd {kt_e})
WHERE min(COALESCE(r.start_date, t.created_on), t.created_on) <= :d
ORDER BY t.measure, t.seq, t.parent_id IS NOT NULL, t.rowid
"""


def as_when(when: When | dt.date | None) -> When:
    """A view's time axes; a plain date means the view as it was seen on that date
    (both axes on it: what a report printed that day showed)."""
    if when is None:
        return When()
    if isinstance(when, When):
        return when
    return When(as_of=when, known_on=when)


_FAMILY = "task_id IN (SELECT id FROM tasks WHERE id IN ({ids}) OR parent_id IN ({ids}))"


def state_sql(*, by_timestamp: bool = False, families: str | None = None) -> str:
    """``STATE_SQL`` for a view. ``families``: an SQL expression listing task ids
    (e.g. ``:f`` or ``SELECT value FROM json_each(:ids)``): only those tasks and
    their city shares, read through the indexes."""
    fam = _FAMILY.format(ids=families) if families else ""
    return STATE_SQL.format(
        kt="AND recorded_at <= :kt" if by_timestamp else "",
        kt_p="AND p.recorded_at <= :kt" if by_timestamp else "",
        kt_c="AND c.recorded_at <= :kt" if by_timestamp else "",
        kt_e="AND e.recorded_at <= :kt" if by_timestamp else "",
        family=f"AND {fam}" if fam else "",
        family_p=f"AND p.{fam}" if fam else "",
        # A correction replaces a report of its own task: a family's list of them is
        # read through the family's reports, not through every correction ever made.
        family_c=f"AND c.{fam}" if fam else "",
    )


def rows_to_states(rows: Iterable[Sequence[Any]]) -> list[TaskState]:
    """Rows of ``COLUMNS`` as TaskStates (children not yet attached)."""
    return [s for s, _ in tagged_states(rows)]


def tagged_states(rows: Iterable[Sequence[Any]]) -> Iterator[tuple[TaskState, Any]]:
    """Rows of ``COLUMNS`` (and one more column, a tag the caller reads back, or
    none) as (TaskState, tag) pairs, one row at a time. Each distinct co list, date
    and status is parsed once: a province's 20,000 tasks share a few hundred of each."""
    cos: dict[str, tuple[str, ...]] = {}
    # The memo's lookup as a bound method: a subscript of a dict subclass goes
    # through a slot that costs twice the lookup (7 dates a row).
    day = DATES.__getitem__
    statuses = {s.value: s for s in Status}
    urgencies = {u.value: u for u in Urgency}
    blank = dict.fromkeys(f.name for f in fields(TaskState)).copy  # each set below
    for (
        task_id, measure, seq, parent_id, created_on, title, lead, co, start_date, due_date,
        cancelled, urgency, source, status, percent, _last_id, last_report_date,
        report_count, contribution_count, acknowledged_on, contact, claim_date,
        returned_reason, original_due_date, extension_reason, chase_count, *tag,
    ) in rows:  # fmt: skip
        co_ids = cos.get(co)
        if co_ids is None:
            co_ids = cos[co] = tuple(json.loads(co))
        created = day(created_on)
        assert created is not None
        # ``built``: the fields without a frozen __init__ (20,000 rows a province),
        # set in a copy of a dict that names them all (a 26-key dict display costs
        # ~3 times as much: it inserts each key anew).
        values = blank()
        values["id"] = task_id
        values["measure"] = measure
        values["seq"] = seq
        values["parent_id"] = parent_id
        values["title"] = title
        values["lead"] = lead
        values["co"] = co_ids
        values["start_date"] = day(start_date)
        values["due_date"] = day(due_date)
        values["cancelled"] = bool(cancelled)
        values["created_on"] = created
        values["status"] = statuses.get(status) or Status(status)
        values["percent"] = percent
        values["last_report_date"] = day(last_report_date)
        values["report_count"] = report_count
        values["urgency"] = urgencies.get(urgency) or Urgency(urgency)
        values["source"] = source
        values["contribution_count"] = contribution_count
        values["acknowledged_on"] = day(acknowledged_on)
        values["contact"] = contact or None
        values["claim_date"] = day(claim_date)
        values["returned_reason"] = returned_reason
        values["original_due_date"] = day(original_due_date)
        values["extension_reason"] = extension_reason
        values["chase_count"] = chase_count
        values["children"] = ()
        state = built(TaskState, values)
        yield state, (tag[0] if tag else None)


def families(
    pairs: Iterable[tuple[TaskState, Any]], *, aggregated: bool = False
) -> Iterator[tuple[TaskState, Any]]:
    """``tasks.aggregate.with_children`` on a stream in listing order (a fan-out parent
    directly above its city shares, as every state query returns them): each parent
    with its shares' progress, yielded once its last share has been read, so that at
    most one family (14 rows) is held. A share whose parent was not read stays as it
    is, as with ``with_children``. Tags (see ``tagged_states``) travel with their
    states. ``aggregated``: the rows are the derived table's, whose parents hold
    their shares' aggregate already (``store.derived``, proved by ``db check``): a
    parent only gets its shares' ids."""
    head: tuple[TaskState, Any] | None = None
    kids: list[tuple[TaskState, Any]] = []
    for state, tag in pairs:
        if head is not None and state.parent_id == head[0].id:
            kids.append((state, tag))
            continue
        if head is not None:
            yield from _family(head, kids, aggregated)
            head, kids = None, []
        if state.parent_id is None:
            head = (state, tag)
        else:
            yield state, tag
    if head is not None:
        yield from _family(head, kids, aggregated)


def _family(
    head: tuple[TaskState, Any], kids: list[tuple[TaskState, Any]], aggregated: bool
) -> Iterator[tuple[TaskState, Any]]:
    if not kids:
        yield head
        return
    if aggregated:
        yield with_shares(head[0], tuple(k.id for k, _ in kids)), head[1]
    else:
        yield aggregate(head[0], [k for k, _ in kids]), head[1]
    yield from kids


SHARES = """(SELECT json_group_array(k.id) FROM
    (SELECT id FROM tasks k WHERE k.parent_id = tasks.id ORDER BY k.rowid) k)"""
"""A current-view row's city shares' ids in listing order, as a JSON array: a
tag (``current_sql``) for a listing that reads a parent without its shares."""


def with_shares(state: TaskState, shares: tuple[str, ...]) -> TaskState:
    """A derived-table parent (its progress already its shares' aggregate) with its
    shares' ids."""
    if not shares:
        return state
    return built(TaskState, {**state.__dict__, "children": shares})


def iter_task_states(
    store: Store, when: When | dt.date | None = None, *, family: str | None = None
) -> Iterator[TaskState]:
    """``task_states`` one task at a time, read as the cursor goes (memory does not
    grow with the number of tasks). Read it to the end, or inside
    ``store.snapshot()`` when more than one read must agree."""
    when = as_when(when)
    conn = store.db.conn
    rows: Iterable[Sequence[Any]]
    if when.current:
        where = "WHERE id = :f OR parent_id = :f" if family else ""
        rows = current_rows(conn, where, {"f": family} if family else {})
    else:
        sql = state_sql(by_timestamp=when.by_timestamp, families=":f" if family else None)
        params: dict[str, str] = when.params()
        if family:
            params["f"] = family
        rows = conn.execute(sql, params)
    for state, _ in families(tagged_states(rows), aggregated=when.current):
        yield state


def task_states(
    store: Store, when: When | dt.date | None = None, *, family: str | None = None
) -> list[TaskState]:
    """Every task on ``when`` (the current view when None), in measure order, each
    fan-out parent with its cities' progress. ``family``: only that task and its city
    shares (what one task's view needs)."""
    return list(iter_task_states(store, when, family=family))


def task_id_of(store: Store, text: str) -> str:
    """The stored id of an existing task, or a clear error."""
    tid = parse_task_id(store.catalog, text)
    if store.db.execute("SELECT 1 FROM tasks WHERE id = ?", [tid]).fetchone() is None:
        raise not_found(store.catalog, text, tid)
    return tid


def task_state(store: Store, text: str, when: When | dt.date | None = None) -> TaskState:
    """One task (with its children, for a fan-out parent) on ``when``."""
    from jsgj.errors import NotFoundError
    from jsgj.i18n import _

    tid = task_id_of(store, text)
    when = as_when(when)
    found = [s for s in task_states(store, when, family=tid) if s.id == tid]
    if not found:
        raise NotFoundError(
            _("task {task} did not exist yet on {day}").format(task=tid, day=when.on)
        )
    return found[0]
