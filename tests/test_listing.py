"""`tasks list` streams: states are read one family at a time and agree with the
whole-list reads, the table's heading counts by the one counting rule, and the first
rows and JSON records go out before the rest are read."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from jsgj import paths
from jsgj.cli.output import json_chunks
from jsgj.demo import DEMO_AS_OF
from jsgj.render.tasks import tasks_table
from jsgj.status import load_thresholds
from jsgj.store.db import Store
from jsgj.store.listing import listed_states, listing_widths
from jsgj.store.queries import (
    COLUMNS,
    SHARES,
    current_rows,
    current_sql,
    families,
    rows_to_states,
    state_sql,
    tagged_states,
)
from jsgj.tasks.aggregate import with_children
from jsgj.tasks.counting import counted, tally
from jsgj.tasks.filters import TaskFilter, filter_tasks
from jsgj.tasks.line import task_line
from jsgj.tasks.records import TaskState
from jsgj.tasks.when import When
from report_helpers import demo_db, fresh_catalog

__all__ = ["demo_db"]  # the session fixture, imported for pytest


@pytest.fixture(scope="module")
def store(demo_db: Path) -> Iterator[Store]:
    with Store.open(demo_db, fresh_catalog(), create=False) as opened:
        yield opened


WHENS = [
    When(),
    When(as_of=DEMO_AS_OF, known_on=DEMO_AS_OF),
    When(as_of=dt.date(2025, 3, 31)),
    When(known_on=dt.date(2025, 5, 1)),
]


@pytest.mark.parametrize("when", WHENS, ids=str)
def test_families_stream_what_with_children_attaches(store: Store, when: When) -> None:
    conn = store.db.conn
    if when.current:
        rows = conn.execute(current_sql()).fetchall()
    else:
        rows = conn.execute(state_sql(by_timestamp=when.by_timestamp), when.params()).fetchall()
    assert any(r[3] for r in rows)  # the demo has city shares
    streamed = [s for s, _ in families(tagged_states(rows))]
    assert streamed == with_children(rows_to_states(rows))
    assert any(s.is_parent for s in streamed)


@pytest.mark.parametrize("when", WHENS, ids=str)
def test_listed_states_are_the_rule_s_selection(store: Store, when: When) -> None:
    from jsgj.store.queries import task_states

    every = task_states(store, when)
    for f in (TaskFilter(), TaskFilter(department="hrss"), TaskFilter(overdue=True)):
        assert list(listed_states(store, f, when)) == filter_tasks(store.catalog, every, f, when.on)


def test_the_footer_counts_what_tally_counts(store: Store) -> None:
    on = DEMO_AS_OF
    thresholds = load_thresholds(paths.lights_path())
    states = list(listed_states(store, TaskFilter(), When(as_of=on, known_on=on)))
    t = tally(counted(task_line(store.catalog, s, on, thresholds) for s in states))
    assert t.cancelled  # the demo has cancelled tasks
    last = list(tasks_table(store.catalog, states, on, thresholds))[-1]
    assert last.startswith(f"共{t.tasks}项，另有已撤销{t.cancelled}项")
    sliced = list(tasks_table(store.catalog, states, on, thresholds, offset=2, limit=3))
    assert sliced[-1].startswith(f"共{t.tasks}项，另有已撤销{t.cancelled}项")


def test_the_table_prints_its_first_rows_before_reading_the_rest(store: Store) -> None:
    on = DEMO_AS_OF
    thresholds = load_thresholds(paths.lights_path())
    states = list(listed_states(store, TaskFilter(), When(as_of=on, known_on=on)))
    read = 0

    def tracked() -> Iterator[TaskState]:
        nonlocal read
        for s in states:
            read += 1
            yield s

    id_widths, oldest = listing_widths(store)
    lines = tasks_table(
        store.catalog, tracked(), on, thresholds, id_widths=id_widths, oldest=oldest, width=120
    )
    for line in lines:
        if line.startswith(states[0].id + " "):
            break
    assert read == 1  # one pass: the first row is out before the second is read
    rest = list(lines)
    assert read == len(states) and len(rest) > len(states)


def test_the_widths_known_before_the_rows_hold_every_row(store: Store) -> None:
    on = DEMO_AS_OF
    thresholds = load_thresholds(paths.lights_path())
    states = list(listed_states(store, TaskFilter(), When(as_of=on, known_on=on)))
    id_widths, oldest = listing_widths(store)
    assert oldest is not None
    for s in states:
        x = task_line(store.catalog, s, on, thresholds)
        assert len(x.id) <= id_widths[x.measure]
        assert len(str(x.days_since_report)) <= max(4, len(str((on - oldest).days)))


def test_json_records_go_out_before_the_rest_are_made() -> None:
    made = 0

    def records() -> Iterator[dict[str, object]]:
        nonlocal made
        for i in range(5000):
            made += 1
            yield {"id": f"1-{i}", "title": "标题" * 20, "co": ["hrss"]}

    chunks = json_chunks(records())
    first = next(chunks)
    assert first.decode().startswith('[\n  {"id":"1-0","title":"标题') and made < 5000
    rest = b"".join(chunks)
    assert json.loads(first + rest)[4999]["id"] == "1-4999"


def test_built_records_equal_the_init_s_and_stay_frozen(store: Store) -> None:
    import dataclasses

    from jsgj.tasks.line import TaskLine
    from jsgj.tasks.records import built

    on = DEMO_AS_OF
    thresholds = load_thresholds(paths.lights_path())
    for s in listed_states(store, TaskFilter(), When(as_of=on, known_on=on)):
        again = TaskState(**{f.name: getattr(s, f.name) for f in dataclasses.fields(s)})
        assert s == again and hash(s) == hash(again)
        x = task_line(store.catalog, s, on, thresholds)
        assert x == TaskLine(**{f.name: getattr(x, f.name) for f in dataclasses.fields(x)})
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.percent = 1  # type: ignore[misc]
    values = {f.name: getattr(s, f.name) for f in dataclasses.fields(s)}
    del values["chase_count"]
    with pytest.raises(TypeError, match="chase_count"):
        built(TaskState, values)
    with pytest.raises(TypeError, match="extra"):
        built(TaskState, {**values, "chase_count": 0, "extra": 1})


@pytest.mark.parametrize("when", WHENS, ids=str)
def test_a_record_is_the_task_and_its_line_merged(store: Store, when: When) -> None:
    """``task_record`` builds in one dict what its definition merges: the task's
    keys and values, then the line's (the line's value where both have a key)."""
    from jsgj.reports.tasks import task_record
    from jsgj.tasks.records import Role

    thresholds = load_thresholds(paths.lights_path())
    on = when.on
    states = list(listed_states(store, TaskFilter(), when))
    assert {s.cancelled for s in states} == {True, False} and any(s.is_parent for s in states)
    for s in states:
        for role in (None, Role.lead, Role.co):
            line = task_line(store.catalog, s, on, thresholds, role=role)
            expected = {**s.to_json(), **line.to_json()}
            record = task_record(store.catalog, s, on, thresholds, role)
            assert record == expected
            assert list(record) == list(expected)  # the key order scripts may rely on


@pytest.mark.parametrize("when", WHENS, ids=str)
def test_a_weekly_record_is_the_line_record_cut_to_its_keys(store: Store, when: When) -> None:
    """``weekly_json.weekly_task`` writes 23 of a task line's keys in one dict (some
    6,000 records a province's weekly report): each value as ``TaskLine.to_json``
    writes it, so that the report and ``tasks show --json`` never disagree."""
    from jsgj.reports.weekly_json import weekly_task

    thresholds = load_thresholds(paths.lights_path())
    for s in listed_states(store, TaskFilter(), when):
        line = task_line(store.catalog, s, when.on, thresholds)
        full = line.to_json()
        record = weekly_task(line)
        assert len(record) == 23 and record == {k: full[k] for k in record}


def test_the_packed_read_gives_the_columns_values(store: Store) -> None:
    """The current view is read as one JSON array a row (``current_rows``): the same
    values, of the same types, as the columns read one by one, for the demo's tasks
    with their shares' tags, and for any text a user may type (quotes, backslashes,
    controls, bidi marks, emoji, line separators, long text) and integers."""
    conn = store.db.conn
    plain = [list(r) for r in conn.execute(current_sql(tag=SHARES))]
    assert list(current_rows(conn, tag=SHARES)) == plain
    assert {type(v) for r in current_rows(conn) for v in r} == {str, int, type(None)}

    odd: list[object] = ['q"uo\\te', "c\x00\x01\x1f\x7f", "\u202e\u200d", "😀", "", "\u2028"]
    odd += ["中" * 3000, None, 0, -(2**63), 2**63 - 1]
    memory = sqlite3.connect(":memory:")
    memory.execute(f"CREATE TABLE tasks ({', '.join(COLUMNS)})")
    for seq, value in enumerate(odd):
        row = [value] * len(COLUMNS)
        row[COLUMNS.index("measure")], row[COLUMNS.index("seq")] = 1, seq
        memory.execute(f"INSERT INTO tasks VALUES ({', '.join('?' * len(COLUMNS))})", row)
    plain = [list(r) for r in memory.execute(current_sql())]
    packed = list(current_rows(memory))
    assert packed == plain
    assert [list(map(type, r)) for r in packed] == [list(map(type, r)) for r in plain]


def test_a_state_read_from_a_row_sets_every_field() -> None:
    """``tagged_states`` fills a copy of a dict naming every field (cheaper than a dict
    display), so a field it forgot to set would stay None rather than fail: a row with
    every column set must give a state with no field None."""
    from dataclasses import fields

    from jsgj.tasks.records import Urgency

    row: dict[str, object] = {c: f"text of {c}" for c in COLUMNS}
    row.update(measure=3, seq=1, co='["hrss"]', cancelled=0, status="in_progress")
    row.update(urgency=next(iter(Urgency)).value, percent=40, last_report_id=5)
    row.update(report_count=2, contribution_count=1, chase_count=1)
    for n, day in enumerate(("created_on", "start_date", "due_date", "last_report_date")):
        row[day] = f"2025-0{n + 1}-15"
    for n, day in enumerate(("acknowledged_on", "claim_date", "original_due_date")):
        row[day] = f"2025-0{n + 5}-15"
    ((state, tag),) = tagged_states([tuple(row[c] for c in COLUMNS)])
    assert tag is None
    assert [f.name for f in fields(TaskState) if getattr(state, f.name) is None] == []
    assert state.co == ("hrss",) and state.children == ()
