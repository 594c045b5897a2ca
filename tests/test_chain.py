"""The event log's hash chain: an untampered database checks ok; every way of rewriting
history through raw SQLite (UPDATE, INSERT OR REPLACE, DELETE, an insert past the
triggers, an edited link) is refused by the triggers or, once they are dropped as a
tamperer would, found and named by `jsgj db check` with exit 1."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import Invoke
from jsgj.store.chain import EVENT_TABLES, link_hash, sha256
from jsgj.store.db import Store
from jsgj.store.events import append
from jsgj.store.functions import register_functions
from report_helpers import build_small, demo_db, fresh_catalog

__all__ = ["demo_db"]  # the session fixture, imported for pytest


@pytest.fixture(scope="module")
def small_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("chain") / "small.db"
    build_small(path)
    with Store.open(path, fresh_catalog()) as store:  # an indicator value too
        store.write(
            lambda: append(
                store,
                "indicator_observations",
                {
                    "indicator": "skilled_share_of_employed",
                    "region": "province",
                    "observed_on": "2025-06-30",
                    "value": 30.2,
                    "source": "统计快报",
                    "recorded_at": "2025-07-01T09:00:00+00:00",
                    "recorded_on": "2025-07-01",
                    "os_user": "tester",
                },
            )
        )
    return path


@pytest.fixture
def db(small_file: Path, db_path: Path) -> Path:
    """A copy of the small database at JSGJ_DB."""
    shutil.copyfile(small_file, db_path)
    return db_path


@pytest.fixture
def raw(db: Path) -> Iterator[sqlite3.Connection]:
    """A tamperer's connection: plain sqlite3, autocommit, with the SQL function."""
    conn = sqlite3.connect(db, isolation_level=None)
    register_functions(conn)
    yield conn
    conn.close()


def last_id(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT MAX(id) FROM {table}").fetchone()[0])


def check_names(jsgj: Invoke, *expected: str) -> list[str]:
    result = jsgj("db", "check")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    for text in expected:
        assert any(text in line for line in lines), (text, lines)
    return lines


def test_an_untampered_demo_database_checks_ok(jsgj: Invoke, demo_db: Path) -> None:
    result = jsgj("--db", str(demo_db), "db", "check")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "ok\n", "")
    conn = sqlite3.connect(demo_db)
    try:
        chained = conn.execute("SELECT COUNT(*) FROM event_chain").fetchone()[0]
        events = sum(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in EVENT_TABLES)
    finally:
        conn.close()
    assert chained == events > 1000


def test_every_event_is_chained_in_its_own_transaction(jsgj: Invoke, db: Path) -> None:
    assert (
        jsgj("progress", "8-1", "--status", "推进中", "--percent", "50", "--note", "x").exit_code
        == 0
    )
    assert jsgj("db", "check").stdout == "ok\n"


@pytest.mark.parametrize("table", EVENT_TABLES)
def test_a_rewritten_event_is_named(jsgj: Invoke, raw: sqlite3.Connection, table: str) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute(f"UPDATE {table} SET os_user = 'forger'")
    raw.execute(f"DROP TRIGGER {table}_no_update")
    event = last_id(raw, table)
    raw.execute(f"UPDATE {table} SET os_user = 'forger' WHERE id = ?", [event])
    check_names(
        jsgj,
        f"{table} id {event} was changed after it was recorded",
        f"trigger {table}_no_update is missing",
    )


def replace_sql(conn: sqlite3.Connection, table: str, event: int) -> str:
    """INSERT OR REPLACE of event ``event`` with another os_user."""
    columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    changed = ", ".join("'forger'" if c == "os_user" else c for c in columns)
    return f"INSERT OR REPLACE INTO {table} SELECT {changed} FROM {table} WHERE id = {event}"


@pytest.mark.parametrize("table", EVENT_TABLES)
@pytest.mark.parametrize("chained", [True, False], ids=["chain-trigger-kept", "dropped"])
def test_insert_or_replace_is_refused_and_when_forced_named(
    jsgj: Invoke, raw: sqlite3.Connection, table: str, chained: bool
) -> None:
    event = 1
    # Refused by the event table's guard, then (that dropped) by the chain's own.
    for guard in (f"{table}_no_replace", "event_chain_no_replace"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            raw.execute(replace_sql(raw, table, event))
        raw.execute(f"DROP TRIGGER {guard}")
    if not chained:
        raw.execute(f"DROP TRIGGER {table}_chain")
    raw.execute(replace_sql(raw, table, event))
    assert raw.execute(f"SELECT os_user FROM {table} WHERE id = {event}").fetchone()[0] == "forger"
    if chained:  # its link was re-made at the end and the old one is gone: still named
        check_names(
            jsgj,
            f"({table} id {event})"
            if table == "indicator_observations"
            else f"{table} id {event} was chained again",
        )
    else:
        check_names(jsgj, f"{table} id {event} was changed after it was recorded")


@pytest.mark.parametrize("table", EVENT_TABLES)
def test_a_deleted_event_is_named(jsgj: Invoke, raw: sqlite3.Connection, table: str) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute(f"DELETE FROM {table}")
    raw.execute(f"DROP TRIGGER {table}_no_delete")
    raw.execute("PRAGMA foreign_keys = OFF")
    event = last_id(raw, table)
    raw.execute(f"DELETE FROM {table} WHERE id = ?", [event])
    check_names(jsgj, f"{table} id {event} was deleted")


@pytest.mark.parametrize("table", EVENT_TABLES)
def test_an_event_written_past_the_chain_is_named(
    jsgj: Invoke, raw: sqlite3.Connection, table: str
) -> None:
    raw.execute(f"DROP TRIGGER {table}_chain")
    columns = [r[1] for r in raw.execute(f"PRAGMA table_info({table})") if r[1] != "id"]
    cols = ", ".join(columns)
    raw.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {table} WHERE id = 1")
    check_names(jsgj, f"{table} id {last_id(raw, table)} is not in the chain")


def test_an_edited_or_deleted_link_is_named(jsgj: Invoke, raw: sqlite3.Connection) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("UPDATE event_chain SET hash = 'x' WHERE seq = 3")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("DELETE FROM event_chain WHERE seq = 3")
    raw.execute("DROP TRIGGER event_chain_no_delete")
    table, event = raw.execute(
        "SELECT event_table, event_id FROM event_chain WHERE seq = 4"
    ).fetchone()
    raw.execute("DELETE FROM event_chain WHERE seq = 3")
    check_names(jsgj, f"link 4 ({table} id {event}) does not follow from the one before")


def test_a_rebuilt_chain_still_needs_the_events_it_had(
    jsgj: Invoke, raw: sqlite3.Connection
) -> None:
    """A tamperer who rewrites an event and recomputes its content hash must also
    recompute every later link: the first rewritten link no longer follows."""
    raw.execute("DROP TRIGGER progress_reports_no_update")
    raw.execute("DROP TRIGGER event_chain_no_update")
    raw.execute("UPDATE progress_reports SET percent = 100 WHERE id = 1")
    (content,) = raw.execute(
        "SELECT jsgj_sha256('progress_reports', 'id', id, 'task_id', task_id) "
        "FROM progress_reports WHERE id = 1"
    ).fetchone()
    raw.execute(
        "UPDATE event_chain SET content_hash = ? "
        "WHERE event_table = 'progress_reports' AND event_id = 1",
        [content],
    )
    check_names(jsgj, "progress_reports id 1 was changed", "does not follow from the one before")


@given(
    st.lists(
        st.one_of(st.none(), st.integers(), st.floats(allow_nan=False), st.text(), st.binary()),
        max_size=6,
    )
)
def test_the_hash_tells_values_and_types_apart(values: list[object]) -> None:
    pairs = [x for i, v in enumerate(values) for x in (f"c{i}", v)]
    digest = sha256("t", *pairs)
    assert digest == sha256("t", *pairs) and len(digest) == 64
    texts = [x for i, v in enumerate(values) for x in (f"c{i}", None if v is None else str(v))]
    if any(v is not None and not isinstance(v, str) for v in values):
        assert sha256("t", *texts) != digest  # 30 is not '30'
    assert sha256("t", *pairs, "extra", None) == digest  # a NULL column added later
    assert link_hash("", digest) != link_hash(digest, "")
