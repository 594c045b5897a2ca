"""``jsgj search``: the measures (from the catalogue) and the events (from the index),
filtered, confirmed, marked and merged into one list of hits.

The measures are not in the database: their titles and text come from
data/measures.yaml, which may change under a database. Rather than keep a copy indexed
in step with the file, each search loads the 19 measures into a private in-memory FTS5
table (about a millisecond) and runs the same expression over it: one matching rule for
everything, nothing to go stale.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Literal

from jsgj.catalog.catalog import Catalog
from jsgj.search.fold import index_text
from jsgj.search.query import Passage, Query, passage
from jsgj.store.db import Store
from jsgj.store.search import KINDS, EventFilter, EventRow, find_events
from jsgj.tasks.roles import counted_for

Sort = Literal["newest", "relevance"]


@dataclass(frozen=True, slots=True)
class SearchOptions:
    kinds: frozenset[str] = frozenset(KINDS)
    department: str | None = None
    """A department id (already resolved)."""
    measure: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    as_of: dt.date | None = None
    limit: int = 20
    sort: Sort = "newest"


@dataclass(frozen=True, slots=True)
class Hit:
    kind: str
    """One of KINDS."""
    day: str
    """The date the hit is about: the report's date, the edit's effective date, the
    document's date for a measure."""
    recorded_at: str
    """When it was recorded (the document's date for a measure): newest first sorts by it."""
    department: str | None
    """Department id: the reporter, the task's lead, a measure's lead."""
    task_id: str | None
    measure: int
    source: str
    """'measures', or the event table."""
    event_id: int | None
    """The event's id (a report's #id), or the measure's number."""
    passages: tuple[Passage, ...]
    rank: float


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: Query
    hits: tuple[Hit, ...]
    more: bool
    """More hits exist beyond the limit."""


def search(store: Store, typed: str | Query, options: SearchOptions) -> SearchResult:
    from jsgj.search.query import parse

    query = parse(typed) if isinstance(typed, str) else typed
    catalog = store.catalog
    held = tuple(sorted(counted_for(catalog, options.department))) if options.department else None
    want = options.limit + 1
    hits: list[Hit] = []
    if "measures" in options.kinds:
        hits += _measure_hits(catalog, query, options, held)
    f = EventFilter(
        kinds=options.kinds - {"measures"},
        holders=held,
        measure=options.measure,
        date_from=_iso(options.date_from),
        date_to=_iso(options.date_to),
        as_of=_iso(options.as_of),
    )
    if f.kinds:
        relevance = options.sort == "relevance"
        for rows in find_events(store.db.conn, query.match, f, relevance=relevance, batch=want):
            hits += islice(_event_hits(rows, query), want)
    if options.sort == "relevance":
        hits.sort(key=lambda h: (h.rank, h.recorded_at), reverse=False)
    else:
        hits.sort(key=lambda h: (h.recorded_at, h.event_id or 0), reverse=True)
    return SearchResult(query, tuple(hits[: options.limit]), len(hits) > options.limit)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _passages(fields: Iterable[tuple[str, str | None]], query: Query) -> tuple[Passage, ...]:
    """A passage for each field with a match; the first field when none has one
    (a match the marking cannot place, e.g. a word inside punctuation)."""
    present = [(name, text) for name, text in fields if text]
    found = [p for p in (passage(n, t, query) for n, t in present) if p.spans]
    if found:
        return tuple(found)
    return tuple(passage(n, t, query) for n, t in present[:1])


def _event_hits(rows: Iterator[EventRow], query: Query) -> Iterator[Hit]:
    for row in rows:
        texts = [t for _, t in row.fields if t]
        if not query.confirms(texts):
            continue
        yield Hit(
            kind=row.kind,
            day=row.day,
            recorded_at=row.recorded_at,
            department=row.department,
            task_id=row.task_id,
            measure=int(row.task_id.split("-", 1)[0]),
            source=row.table,
            event_id=row.event_id,
            passages=_passages(row.fields, query),
            rank=row.rank,
        )


def _measure_hits(
    catalog: Catalog, query: Query, options: SearchOptions, held: tuple[str, ...] | None
) -> list[Hit]:
    issued = catalog.document.issued
    if (options.date_from and issued < options.date_from) or (
        options.date_to and issued > options.date_to
    ):
        return []
    measures = [
        m
        for m in catalog.measures
        if (options.measure is None or m.number == options.measure)
        and (held is None or any(catalog.role(m, d) for d in held))
    ]
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE m USING fts5(title, text, tokenize='ascii')")
        conn.executemany(
            "INSERT INTO m(rowid, title, text) VALUES (?, ?, ?)",
            [(m.number, index_text(m.title), index_text(m.text)) for m in measures],
        )
        ranked = conn.execute(
            "SELECT rowid, rank FROM m WHERE m MATCH ? ORDER BY rank", [query.match]
        ).fetchall()
    finally:
        conn.close()
    by_number = {m.number: m for m in measures}
    hits: list[Hit] = []
    for number, rank in ranked:
        m = by_number[number]
        if not query.confirms([m.title, m.text]):
            continue
        hits.append(
            Hit(
                kind="measures",
                day=issued.isoformat(),
                recorded_at=issued.isoformat(),
                department=catalog.lead_id(m),
                task_id=None,
                measure=m.number,
                source="measures",
                event_id=m.number,
                passages=_passages([("title", m.title), ("text", m.text)], query),
                rank=float(rank),
            )
        )
    return hits
