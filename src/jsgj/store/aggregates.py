"""The current view counted in SQL, for views that only count (the matrix, the weekly
report's figures): the derived ``tasks`` table read once, each task's light and overdue
days computed by SQLite (``LIGHT_SQL``) and added up in groups of tasks that count
alike (``GROUPS_SQL``, ``reports.groups``); no ``TaskState`` or ``TaskLine`` built.

The rules are ``status.light`` (the colour, not its reason), ``counting.is_overdue``
and ``counting.tally``; this is their transcription for the derived table, held to
them task by task and group by group by ``tests/test_aggregates.py`` (the demo
database on many dates, a small one on each day and a generated province): change
one, change the other. Python's ``round`` (half to even) is written
out, so that a pace of exactly 12.5% rounds as the Python rule does.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from jsgj.reports.groups import STATUS_ORDER, Group, group_key
from jsgj.status import Thresholds
from jsgj.store.db import Store
from jsgj.tasks.counting import Tally

LIGHT_SQL = """
WITH base AS (
    SELECT t.id, t.measure, t.seq, t.rowid AS rid, t.parent_id, t.lead, t.co,
           t.cancelled, t.status, t.percent, t.due_date, t.created_on,
           EXISTS (SELECT 1 FROM tasks k WHERE k.parent_id = t.id) AS is_parent,
           COALESCE(t.start_date, t.created_on) AS started,
           t.acknowledged_on IS NOT NULL OR t.last_report_date IS NOT NULL AS acked,
           MAX(0, CAST(julianday(:d) - julianday(
               COALESCE(t.last_report_date, t.start_date, t.created_on)) AS INTEGER))
               AS silent
    FROM tasks t
),
pace AS (
    SELECT base.*,
           CASE WHEN due_date IS NULL OR due_date <= started THEN NULL
                ELSE (julianday(:d) - julianday(started))
                     / (julianday(due_date) - julianday(started)) * 100 END AS x
    FROM base
),
expected AS (
    SELECT pace.*,
           CASE WHEN due_date IS NULL THEN NULL
                WHEN due_date <= started THEN CASE WHEN :d >= due_date THEN 100 ELSE 0 END
                ELSE MAX(0, MIN(100,
                    CASE WHEN x - CAST(x AS INTEGER) > 0.5 THEN CAST(x AS INTEGER) + 1
                         WHEN x - CAST(x AS INTEGER) < 0.5 THEN CAST(x AS INTEGER)
                         ELSE CAST(x AS INTEGER) + CAST(x AS INTEGER) % 2 END))
           END AS expected
    FROM pace
)
SELECT id, measure, parent_id, lead, co, cancelled, is_parent, percent, status,
       CASE WHEN NOT cancelled AND status NOT IN ('done', 'pending_review')
                 AND due_date IS NOT NULL AND due_date < :d
            THEN CAST(julianday(:d) - julianday(due_date) AS INTEGER) ELSE 0 END
           AS overdue_days,
       CASE
           WHEN cancelled THEN 'cancelled'
           WHEN status = 'done' THEN 'done'
           WHEN status = 'pending_review' THEN 'pending'
           WHEN (due_date IS NOT NULL AND due_date < :d) OR status = 'blocked' THEN 'red'
           WHEN started > :d THEN 'green'
           WHEN (expected IS NOT NULL AND expected - percent > :pace)
                OR silent >= :stalled
                OR (NOT is_parent AND NOT acked
                    AND CAST(julianday(:d) - julianday(created_on) AS INTEGER) > :ack)
               THEN 'yellow'
           WHEN due_date IS NOT NULL
                AND CAST(julianday(due_date) - julianday(:d) AS INTEGER) <= :soon
               THEN 'blue'
           ELSE 'green'
       END AS light
FROM expected
"""
"""Each task's light (and what counting reads of it) from the derived table, in no
particular order, with ``light_params``; ``LISTING_ORDER`` orders it as the listings."""


LISTING_ORDER = "ORDER BY measure, seq, parent_id IS NOT NULL, rid"

_STATUS_SUMS = ",\n       ".join(
    f"SUM(NOT cancelled AND status = '{s.value}')" for s in STATUS_ORDER
)


def _groups_sql(more: str = "") -> str:
    return f"""
WITH light AS MATERIALIZED ({LIGHT_SQL})
SELECT measure, lead, co, parent_id IS NOT NULL AS city, is_parent,
       id IN (SELECT value FROM json_each(:reported)) AS reported,
       SUM(NOT cancelled), SUM(light = 'done'), SUM(light = 'pending'),
       SUM(NOT cancelled AND overdue_days > 0),
       SUM(CASE WHEN cancelled THEN 0 ELSE overdue_days END),
       SUM(light = 'red'), SUM(light = 'yellow'), SUM(light = 'blue'), SUM(light = 'green'),
       SUM(cancelled), SUM(CASE WHEN cancelled THEN 0 ELSE percent END),
       {_STATUS_SUMS}{more}
FROM light
GROUP BY 1, 2, 3, 4, 5, 6
"""


GROUPS_SQL = _groups_sql()
"""``reports.groups.groups_of`` in SQL: each group's ``counting.tally`` (the cancelled
counted apart, overdue days and percent summed over the others) and statuses. The
light is ``LIGHT_SQL``'s, computed once per task (materialized), not once per SUM."""

FLAGGED_SQL = _groups_sql(
    ",\n       json_group_array(id) FILTER (WHERE light IN ('red', 'yellow') AND NOT is_parent)"
)
"""``GROUPS_SQL`` with one more column: the ids of the group's red and yellow
counting units (a JSON array), the tasks the weekly report's chase list shows."""


def light_params(on: dt.date, thresholds: Thresholds) -> dict[str, object]:
    return {
        "d": on.isoformat(),
        "pace": thresholds.pace_margin,
        "stalled": thresholds.stalled_days,
        "ack": thresholds.ack_days,
        "soon": thresholds.due_soon_days,
    }


def task_groups(
    store: Store, on: dt.date, thresholds: Thresholds, reported: Iterable[str] = ()
) -> list[Group]:
    """The current view's tasks on ``on`` as ``reports.groups.Group``s, in key order
    (as ``groups_of`` orders them); ``reported``: the ids of the tasks reported on
    this week."""
    return _groups(store, on, thresholds, reported, None)


def flagged_groups(
    store: Store, on: dt.date, thresholds: Thresholds, reported: Iterable[str] = ()
) -> tuple[list[Group], set[str]]:
    """``task_groups`` and, from the same pass, the ids of the red and yellow counting
    units (what the weekly report's chase list shows)."""
    flagged: list[str] = []
    groups = _groups(store, on, thresholds, reported, flagged)
    return groups, set(flagged)


def _groups(
    store: Store,
    on: dt.date,
    thresholds: Thresholds,
    reported: Iterable[str],
    flagged: list[str] | None,
) -> list[Group]:
    """The groups of ``GROUPS_SQL``, or with ``flagged`` a list, of ``FLAGGED_SQL``:
    then the red and yellow ids of its last column are added to ``flagged``."""
    sql = GROUPS_SQL if flagged is None else FLAGGED_SQL
    params = {**light_params(on, thresholds), "reported": json.dumps(sorted(reported))}
    co_lists: dict[str, tuple[str, ...]] = {}
    # Tallies are frozen: groups with the same figures share one (a province's 3,000
    # groups have 1,500 distinct tallies; a frozen dataclass's __init__ is ~11 setattr).
    tallies: dict[tuple[int, ...], Tally] = {}
    n = len(STATUS_ORDER)
    out = []
    for measure, lead, co, city, is_parent, reported_, *sums in store.db.conn.execute(sql, params):
        cos = co_lists.get(co)
        if cos is None:
            cos = co_lists[co] = tuple(json.loads(co))
        if flagged is not None and sums[-1] != "[]":
            flagged += json.loads(sums[-1])
        key = (measure, lead, cos, bool(city), bool(is_parent), bool(reported_))
        figures = tuple(sums[:11])
        tally = tallies.get(figures)
        if tally is None:
            tally = tallies[figures] = Tally(*figures)
        out.append(Group(group_key(*key), *key, tally=tally, statuses=tuple(sums[11 : 11 + n])))
    out.sort(key=lambda g: (g.measure, g.lead, g.co, g.city, g.is_parent, g.reported))
    return out
