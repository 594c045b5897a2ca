"""The search index in SQLite: one FTS5 table per event table, filled by triggers.

Each event table that holds text a clerk may look for is a ``Source``. For each, the
migration creates (``create_index``):

* ``<fts>_text``, a view giving every event's indexed text (``jsgj_fold`` of each
  column, see ``jsgj.search.fold``) under the event's id;
* ``<fts>``, an FTS5 table whose external content is that view (so the text is not
  stored twice: the index holds tokens only) and whose rowid is the event's id;
* ``<fts>_index``, an AFTER INSERT trigger that indexes each new event in the same
  transaction as the event itself, so the index never lags behind (the event tables
  are append-only: nothing is ever updated or deleted).

``jsgj_fold`` is a Python function that ``Store.open`` registers on every connection
(``register_functions``); a program that writes events through another connection must
register it too (benchmarks/generate.py does). ``check_index`` recomputes every
event's text and compares it with the index (``db check``).

Adding an event table to search: one ``Source`` in ``SOURCES`` and, in a new migration,
``create_index(db, source_named("table"))``.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from jsgj.i18n import _
from jsgj.search.fold import index_text, tokens

FOLD_FUNCTION = "jsgj_fold"


@dataclass(frozen=True, slots=True)
class Source:
    """An event table that search reads. SQL expressions are written over the alias
    ``e`` (the event row; ``NEW`` in the trigger)."""

    table: str
    fts: str
    columns: tuple[tuple[str, str], ...]
    """(FTS column, SQL giving the text indexed for it, or NULL)."""
    kind: str
    """SQL: the kind of hit, one of KINDS."""
    day: str
    """SQL: the date a hit is shown with and filtered by (--from/--to)."""
    department: str
    """SQL: the department a hit is shown with (the reporter, the task's lead ...)."""


KINDS = ("measures", "tasks", "reports", "reviews", "chases")

SOURCES: tuple[Source, ...] = (
    Source(
        table="task_revisions",
        fts="search_revisions",
        columns=(
            # A title when it is new: the task's creation (not a city share's: it is
            # its fan-out parent's title) or an edit that changed it.
            (
                "title",
                "CASE WHEN e.kind = 'create' AND instr(e.task_id, '.') = 0 THEN e.title "
                "WHEN json_type(e.changes, '$.title') IS NOT NULL THEN e.title END",
            ),
            ("reason", "e.reason"),
        ),
        kind="'tasks'",
        day="e.effective_date",
        department="e.lead",
    ),
    Source(
        table="progress_reports",
        fts="search_reports",
        columns=(("note", "e.note"), ("evidence", "e.evidence")),
        kind="'reports'",
        day="e.report_date",
        department="e.reporter",
    ),
    Source(
        table="task_events",
        fts="search_events",
        columns=(
            ("note", "e.note"),
            (
                "contact",
                "trim(COALESCE(e.contact_name, '') || ' ' || COALESCE(e.contact_phone, ''))",
            ),
        ),
        kind="CASE WHEN e.kind = 'chase' THEN 'chases' WHEN e.kind IN ('approve', 'return') "
        "THEN 'reviews' ELSE 'tasks' END",
        day="e.event_date",
        department="e.actor",
    ),
)


def source_named(table: str) -> Source:
    return next(s for s in SOURCES if s.table == table)


def register_functions(conn: sqlite3.Connection) -> None:
    """What the index's triggers and views call; on every connection that writes events."""
    conn.create_function(FOLD_FUNCTION, 1, index_text, deterministic=True)


def _trigger_expr(sql: str) -> str:
    return re.sub(r"\be\.", "NEW.", sql)


def create_index(db: Any, source: Source) -> None:
    """Create ``source``'s view, FTS5 table and trigger, and index every existing event.
    For migrations (``db`` is the migrating sqlite-utils Database)."""
    cols = ", ".join(name for name, _sql in source.columns)
    folded = ", ".join(f"{FOLD_FUNCTION}({sql}) AS {name}" for name, sql in source.columns)
    db.execute(
        f"CREATE VIEW {source.fts}_text AS SELECT e.id AS rowid, {folded} FROM {source.table} e"
    )
    db.execute(
        f"CREATE VIRTUAL TABLE {source.fts} USING fts5({cols}, tokenize='ascii', "
        f"content='{source.fts}_text', content_rowid='rowid')"
    )
    values = ", ".join(f"{FOLD_FUNCTION}({_trigger_expr(sql)})" for _name, sql in source.columns)
    db.execute(
        f"CREATE TRIGGER {source.fts}_index AFTER INSERT ON {source.table} BEGIN "
        f"INSERT INTO {source.fts}(rowid, {cols}) VALUES (NEW.id, {values}); END"
    )
    db.execute(f"INSERT INTO {source.fts}({source.fts}) VALUES ('rebuild')")


def indexed_sources(conn: sqlite3.Connection) -> list[Source]:
    """The sources whose index this database has (all of them once migrated)."""
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    return [s for s in SOURCES if s.fts in names]


# --- reading ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What narrows event hits; None means no constraint."""

    kinds: frozenset[str]
    holders: tuple[str, ...] | None = None
    """Department ids that make a hit match: the department given, its cities or group."""
    measure: int | None = None
    date_from: str | None = None
    date_to: str | None = None
    as_of: str | None = None


@dataclass(frozen=True, slots=True)
class EventRow:
    """One matching event, with the texts of its indexed columns (None when empty)."""

    kind: str
    table: str
    event_id: int
    task_id: str
    day: str
    recorded_at: str
    department: str
    fields: tuple[tuple[str, str | None], ...]
    rank: float


def _select(source: Source, f: EventFilter, relevance: bool) -> tuple[str, dict[str, Any]]:
    originals = ", ".join(f"{sql} AS {name}" for name, sql in source.columns)
    where = [f"{source.fts} MATCH :match"]
    params: dict[str, Any] = {}
    kinds = sorted(f.kinds)
    params.update({f"k{i}": k for i, k in enumerate(kinds)})
    where.append(f"{source.kind} IN ({', '.join(f':k{i}' for i in range(len(kinds)))})")
    if f.date_from is not None:
        where.append(f"{source.day} >= :date_from")
        params["date_from"] = f.date_from
    if f.date_to is not None:
        where.append(f"{source.day} <= :date_to")
        params["date_to"] = f.date_to
    if f.as_of is not None:
        where.append("e.recorded_on <= :as_of")
        params["as_of"] = f.as_of
    if f.measure is not None:
        where.append("substr(e.task_id, 1, length(:measure_prefix)) = :measure_prefix")
        params["measure_prefix"] = f"{f.measure}-"
    if f.holders is not None:
        marks = ", ".join(f":h{i}" for i in range(len(f.holders)))
        params.update({f"h{i}": h for i, h in enumerate(f.holders)})
        where.append(
            f"({source.department} IN ({marks}) OR EXISTS (SELECT 1 FROM task_departments d "
            f"WHERE d.task_id = e.task_id AND d.department_id IN ({marks})))"
        )
    order = "s.rank, s.rowid DESC" if relevance else "s.rowid DESC"
    # CROSS JOIN: the full-text match drives, in the order asked; each match then costs
    # one lookup of its event by primary key.
    sql = (
        f"SELECT {source.kind} AS kind, e.id, e.task_id, {source.day} AS day, e.recorded_at, "
        f"{source.department} AS department, {'s.rank' if relevance else '0.0'} AS rank, "
        f"{originals} FROM {source.fts} s CROSS JOIN {source.table} e ON e.id = s.rowid "
        f"WHERE {' AND '.join(where)} ORDER BY {order} LIMIT :limit OFFSET :offset"
    )
    return sql, params


def find_events(
    conn: sqlite3.Connection,
    match: str,
    f: EventFilter,
    *,
    relevance: bool,
    batch: int,
) -> list[Iterator[EventRow]]:
    """For each source, the events whose index matches the FTS5 expression ``match``,
    newest first (or best first), read ``batch`` rows at a time, then twice as many,
    for as long as the caller iterates."""
    out: list[Iterator[EventRow]] = []
    for source in indexed_sources(conn):
        sql, params = _select(source, f, relevance)
        out.append(_pages(conn, source, sql, {**params, "match": match}, batch))
    return out


def _pages(
    conn: sqlite3.Connection, source: Source, sql: str, params: dict[str, Any], batch: int
) -> Iterator[EventRow]:
    offset = 0
    names = [name for name, _sql in source.columns]
    while True:
        rows = conn.execute(sql, {**params, "limit": batch, "offset": offset}).fetchall()
        for kind, eid, task_id, day, recorded_at, department, rank, *texts in rows:
            yield EventRow(
                kind=kind,
                table=source.table,
                event_id=eid,
                task_id=task_id,
                day=day,
                recorded_at=recorded_at,
                department=department,
                fields=tuple(zip(names, texts, strict=True)),
                rank=float(rank),
            )
        if len(rows) < batch:
            return
        offset += batch
        batch *= 2


# --- checking ---------------------------------------------------------------------


def _varints(blob: bytes) -> list[int]:
    out: list[int] = []
    value = shift = 0
    for byte in blob:
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            out.append(value)
            value = shift = 0
    return out


def check_index(conn: sqlite3.Connection) -> list[str]:
    """The search index against the events: every event indexed once, no entry without
    its event, and the index holding exactly the tokens of each event's text computed
    anew (FTS5's integrity-check against its content view, which calls ``jsgj_fold``:
    one pass over the events). Problems name the event."""
    problems: list[str] = []
    present = set(indexed_sources(conn))
    for source in SOURCES:
        if source not in present:
            problems.append(
                _("search index: {index} is missing (run jsgj to migrate)").format(index=source.fts)
            )
            continue
        problems.extend(_check_source(conn, source))
    return problems


def _check_source(conn: sqlite3.Connection, source: Source) -> list[str]:
    missing = conn.execute(
        f"SELECT id FROM {source.table} EXCEPT SELECT id FROM {source.fts}_docsize ORDER BY 1"
    ).fetchall()
    problems = [
        _("search index: {table} {id} is not indexed").format(table=source.table, id=eid)
        for (eid,) in missing
    ]
    extra = conn.execute(
        f"SELECT id FROM {source.fts}_docsize EXCEPT SELECT id FROM {source.table} ORDER BY 1"
    ).fetchall()
    problems += [
        _("search index: entry {id} of {index} has no event in {table}").format(
            id=eid, index=source.fts, table=source.table
        )
        for (eid,) in extra
    ]
    if problems:
        return problems
    try:
        conn.execute(f"INSERT INTO {source.fts}({source.fts}, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError:
        return [
            _("search index: {table} {id} is indexed with other text than it holds").format(
                table=source.table, id=eid
            )
            for eid in _differing(conn, source)
        ] or [
            _("search index: {index} does not hold the tokens of its events' text").format(
                index=source.fts
            )
        ]
    return []


def _differing(conn: sqlite3.Connection, source: Source) -> list[int]:
    """The events whose entry differs from their text (only after the whole-table
    check failed): by token count per column, else token by token (slow: reads every
    token of the index)."""
    originals = ", ".join(sql for _name, sql in source.columns)
    rows = conn.execute(
        f"SELECT e.id, d.sz, {originals} FROM {source.table} e "
        f"JOIN {source.fts}_docsize d ON d.id = e.id ORDER BY e.id"
    ).fetchall()
    bad = [
        eid
        for eid, size, *texts in rows
        if _varints(size) != [0 if t is None else len(tokens(str(t))) for t in texts]
    ]
    if bad:
        return bad
    vocab = f"temp.{source.fts}_check_vocab"
    conn.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {vocab} USING fts5vocab(main, {source.fts}, instance)"
    )
    try:
        found: dict[tuple[int, str], list[tuple[int, str]]] = {}
        for term, doc, col, offset in conn.execute(f"SELECT term, doc, col, offset FROM {vocab}"):
            found.setdefault((doc, col), []).append((offset, term))
    finally:
        conn.execute(f"DROP TABLE IF EXISTS {vocab}")
    for eid, _rowid, *texts in rows:
        for (name, _sql), text in zip(source.columns, texts, strict=True):
            want = list(enumerate(tokens(str(text)))) if text is not None else []
            if sorted(found.get((eid, name), [])) != want:
                bad.append(eid)
                break
    return bad
