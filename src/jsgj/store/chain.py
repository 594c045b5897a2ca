"""The event log's hash chain: history that cannot be rewritten unnoticed.

Every row of an append-only event table gets a link in ``event_chain``: the SHA-256 of
its content, the previous link's hash, and the hash of both. The links are written by
AFTER INSERT triggers, so every insert path (the CLI, an import, the demo) is chained
in the same transaction as its event without the write code knowing. Triggers also
refuse UPDATE, DELETE and REPLACE (REPLACE deletes the old row without firing a DELETE
trigger, so a BEFORE INSERT guard refuses an id that already exists).

The triggers call ``jsgj_sha256``, a deterministic SQL function every connection that
inserts events must register (``register_functions``; ``Store.open`` does). Someone who
drops the triggers and rewrites, replaces or deletes an event is found by
``verify_chain`` (``jsgj db check``), which names the table and id.

Adding an event table: one entry in ``EVENT_TABLES`` and one ``protect(db, table)`` in
the migration that creates it. The hash covers the listed columns' non-NULL values by
name, so a nullable column added later (listed last, with ``protect`` run again in its
migration) leaves the hashes of the rows before it valid.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from typing import Any

from jsgj.i18n import _

Database = Any  # sqlite_utils.Database; the package ships without type hints

EVENT_TABLES: dict[str, tuple[str, ...]] = {
    "task_revisions": (
        "task_id", "kind", "recorded_at", "recorded_on", "effective_date", "actor", "os_user",
        "reason", "changes", "title", "lead", "co", "start_date", "due_date", "cancelled",
        "urgency", "source",
    ),
    "progress_reports": (
        "task_id", "recorded_at", "recorded_on", "report_date", "reporter", "os_user", "status",
        "percent", "note", "evidence", "corrects", "source", "fingerprint", "role",
    ),
    "task_events": (
        "task_id", "kind", "event_date", "recorded_at", "recorded_on", "actor", "os_user", "note",
        "report_id", "percent", "contact_name", "contact_phone", "method", "source",
        "fingerprint",
    ),
    "indicator_observations": (
        "indicator", "region", "observed_on", "value", "source", "recorded_at", "recorded_on",
        "os_user",
    ),
}  # fmt: skip
"""Append-only event tables (each with an INTEGER PRIMARY KEY ``id``) and the columns
their hash covers."""

CHAIN_TABLE = "event_chain"
SQL_FUNCTION = "jsgj_sha256"


def _piece(name: object, value: object) -> str:
    if isinstance(value, str):  # length-prefixed: no text can fake a boundary
        return f"{name}=s{len(value)}:{value}"
    if isinstance(value, int):
        return f"{name}=i{value}"
    if isinstance(value, float):  # exact, and the same on every platform
        return f"{name}=r{value.hex()}"
    if isinstance(value, bytes):
        return f"{name}=b{value.hex()}"
    raise TypeError(f"cannot hash {type(value).__name__}")


def sha256(label: str, *pairs: object) -> str:
    """``jsgj_sha256(label, name1, value1, name2, value2, ...)``: the SHA-256 (hex) of the
    label and the named non-NULL values, each typed (30 is not '30') and text
    length-prefixed, one per line in argument order."""
    pieces = [label]
    for i in range(0, len(pairs) - 1, 2):
        if pairs[i + 1] is not None:
            pieces.append(_piece(pairs[i], pairs[i + 1]))
    return hashlib.sha256("\n".join(pieces).encode("utf-8", "surrogatepass")).hexdigest()


def link_hash(prev: str, content: str) -> str:
    return sha256("link", "prev", prev, "content", content)


def register_functions(conn: sqlite3.Connection) -> None:
    """Register ``jsgj_sha256`` on ``conn``: without it, inserting an event fails."""
    conn.create_function(SQL_FUNCTION, -1, sha256, deterministic=True)


def _content_sql(table: str, alias: str) -> str:
    """The SQL expression of an event's content hash; ``alias`` is NEW in a trigger."""
    args = ", ".join(f"'{c}', {alias}.[{c}]" for c in ("id", *EVENT_TABLES[table]))
    return f"{SQL_FUNCTION}('{table}', {args})"


def _refuse(db: Database, table: str, action: str, when: str = "") -> None:
    db.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action.lower()}")
    event = "INSERT" if action == "REPLACE" else action
    db.execute(
        f"""CREATE TRIGGER {table}_no_{action.lower()} BEFORE {event} ON {table} {when}
        BEGIN SELECT RAISE(ABORT, '{table} is append-only: record a new event instead'); END"""
    )


def protect(db: Database, table: str) -> None:
    """(Re)create ``table``'s chain trigger and its REPLACE guard (UPDATE and DELETE are
    refused by the triggers its migration made)."""
    if table == CHAIN_TABLE:
        # A second link for an event is refused here, by RAISE: an INSERT OR REPLACE
        # would also turn the unique index's conflict into a silent replacement.
        _refuse(
            db,
            table,
            "REPLACE",
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE seq = NEW.seq) OR EXISTS (SELECT 1 "
            f"FROM {table} WHERE event_table = NEW.event_table AND event_id = NEW.event_id)",
        )
        return
    _refuse(db, table, "REPLACE", f"WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id)")
    db.execute(f"DROP TRIGGER IF EXISTS {table}_chain")
    db.execute(
        f"""CREATE TRIGGER {table}_chain AFTER INSERT ON {table} BEGIN
            INSERT INTO {CHAIN_TABLE} (event_table, event_id, content_hash, prev_hash, hash)
            SELECT '{table}', NEW.id, c, p, {SQL_FUNCTION}('link', 'prev', p, 'content', c)
            FROM (SELECT {_content_sql(table, "NEW")} AS c, COALESCE(
                (SELECT hash FROM {CHAIN_TABLE} ORDER BY seq DESC LIMIT 1), '') AS p);
        END"""
    )


def create_chain(db: Database) -> None:
    """The chain table, the links of every event already recorded (table by table, in
    id order, as the triggers would have made them), then the triggers. Run by a
    migration."""
    register_functions(db.conn)
    db.execute(
        f"""CREATE TABLE {CHAIN_TABLE} (  -- append-only: one link per event
            seq INTEGER PRIMARY KEY,
            event_table TEXT NOT NULL,
            event_id INTEGER NOT NULL,
            content_hash TEXT NOT NULL,  -- {SQL_FUNCTION} of the event's columns
            prev_hash TEXT NOT NULL,     -- the previous link's hash ('' for the first)
            hash TEXT NOT NULL           -- {SQL_FUNCTION}('link', prev_hash, content_hash)
        )"""
    )
    db.execute(f"CREATE UNIQUE INDEX {CHAIN_TABLE}_event ON {CHAIN_TABLE}(event_table, event_id)")
    existing = " UNION ALL ".join(
        f"SELECT {n} AS n, '{t}' AS t, id, {_content_sql(t, 'e')} AS c FROM {t} e"
        for n, t in enumerate(EVENT_TABLES)
    )
    prev = ""
    links = []
    for _n, table, event_id, content in db.execute(f"{existing} ORDER BY n, id"):
        new = link_hash(prev, content)
        links.append((table, event_id, content, prev, new))
        prev = new
    db.conn.executemany(
        f"INSERT INTO {CHAIN_TABLE} (event_table, event_id, content_hash, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?)",
        links,
    )
    for action in ("UPDATE", "DELETE"):
        _refuse(db, CHAIN_TABLE, action)
    protect(db, CHAIN_TABLE)
    for table in EVENT_TABLES:
        protect(db, table)


def chain_head(db: Database) -> str:
    """The last link's hash: noted elsewhere (a weekly report, a letter), it also pins
    the history's length."""
    row = db.execute(f"SELECT hash FROM {CHAIN_TABLE} ORDER BY seq DESC LIMIT 1").fetchone()
    return str(row[0]) if row else ""


def verify_chain(db: Database) -> list[str]:
    """Every event rewritten, replaced, deleted or written past the chain, and every
    broken link or missing trigger, named; empty when the history is intact."""
    try:
        register_functions(db.conn)
    except sqlite3.OperationalError:
        pass  # busy with an open transaction: Store.open registered it already
    problems = list(_missing_triggers(db))
    problems += _links(db)
    for table in EVENT_TABLES:
        problems += _events(db, table)
    return problems


def _missing_triggers(db: Database) -> Iterator[str]:
    present = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    for table in (*EVENT_TABLES, CHAIN_TABLE):
        kinds = ("no_update", "no_delete", "no_replace")
        for kind in (*kinds, "chain") if table != CHAIN_TABLE else kinds:
            if f"{table}_{kind}" not in present:
                yield _("event chain: trigger {name} is missing (history is unguarded)").format(
                    name=f"{table}_{kind}"
                )


def _links(db: Database) -> list[str]:
    problems: list[str] = []
    prev = ""
    last_seq = 0
    newest: dict[str, int] = {}  # each table's highest event id chained so far
    late: list[tuple[str, int]] = []  # events chained after a later one of their table
    gaps = False
    rows = db.execute(
        f"SELECT seq, event_table, event_id, content_hash, prev_hash, hash FROM {CHAIN_TABLE} "
        "ORDER BY seq"
    )
    for seq, table, event_id, content, prev_hash, hash_ in rows:
        if seq != last_seq + 1:
            gaps = True
            problems.append(
                _("event chain: links {first} to {last} are missing (deleted, or replaced by "
                  "INSERT OR REPLACE)").format(first=last_seq + 1, last=seq - 1)
            )  # fmt: skip
        if event_id < newest.get(table, 0):
            late.append((table, event_id))
        newest[table] = max(newest.get(table, 0), event_id)
        last_seq = seq
        if prev_hash != prev or hash_ != link_hash(prev_hash, content):
            problems.append(
                _("event chain: link {seq} ({table} id {id}) does not follow from the one "
                  "before it: the chain was edited").format(seq=seq, table=table, id=event_id)
            )  # fmt: skip
        if table not in EVENT_TABLES:
            problems.append(
                _("event chain: link {seq} names an unknown table {table}").format(
                    seq=seq, table=table
                )
            )
        prev = hash_
    if gaps:  # a link deleted, and one re-made at the end for an old event
        problems += [
            _("event chain: {table} id {id} was chained again after later events "
              "(replaced)").format(table=table, id=event_id)
            for table, event_id in late
        ]  # fmt: skip
    return problems


def _events(db: Database, table: str) -> list[str]:
    problems: list[str] = []
    seen: set[int] = set()
    rows = db.execute(
        f"SELECT c.event_id, c.content_hash, e.id IS NULL, {_content_sql(table, 'e')} "
        f"FROM {CHAIN_TABLE} c LEFT JOIN {table} e ON e.id = c.event_id "
        "WHERE c.event_table = ? ORDER BY c.seq",
        [table],
    )
    for event_id, recorded, gone, now in rows:
        if event_id in seen:
            problems.append(
                _("event chain: {table} id {id} was recorded twice (replaced)").format(
                    table=table, id=event_id
                )
            )
        elif gone:
            problems.append(
                _("event chain: {table} id {id} was deleted").format(table=table, id=event_id)
            )
        elif now != recorded:
            problems.append(
                _("event chain: {table} id {id} was changed after it was recorded").format(
                    table=table, id=event_id
                )
            )
        seen.add(event_id)
    unchained = db.execute(
        f"SELECT id FROM {table} e WHERE NOT EXISTS (SELECT 1 FROM {CHAIN_TABLE} c "
        "WHERE c.event_table = ? AND c.event_id = e.id) ORDER BY id",
        [table],
    )
    for (event_id,) in unchained:
        problems.append(
            _("event chain: {table} id {id} is not in the chain (written past the "
              "triggers)").format(table=table, id=event_id)
        )  # fmt: skip
    return problems
