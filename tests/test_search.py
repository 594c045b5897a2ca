"""`jsgj search`: what a clerk finds on the demo database, the index kept in step with
each event, `db check` against a tampered index, and Chinese substrings (Hypothesis)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Invoke
from jsgj.search.fold import index_text, tokens
from jsgj.search.query import parse
from jsgj.store.db import Store
from jsgj.store.functions import register_functions
from report_helpers import demo_db, fresh_catalog

__all__ = ["demo_db"]  # the session fixture, imported for pytest


@pytest.fixture
def demo(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the demo database, as JSGJ_DB."""
    copy = tmp_path / "demo-copy.db"
    shutil.copy(demo_db, copy)
    monkeypatch.setenv("JSGJ_DB", str(copy))
    return copy


def hits(jsgj: Invoke, *args: str) -> list[dict[str, Any]]:
    result = jsgj("search", *args, "--json")
    assert result.exit_code == 0, result.stderr
    found: list[dict[str, Any]] = json.loads(result.stdout)["hits"]
    return found


def mentions(db: Path, word: str) -> set[tuple[str, int]]:
    """(table, id) of every report and task revision whose text holds ``word``: the
    truth, by a plain scan."""
    conn = sqlite3.connect(db)
    try:
        like = f"%{word}%"
        reports = conn.execute(
            "SELECT id FROM progress_reports WHERE note LIKE ? OR evidence LIKE ?", [like, like]
        ).fetchall()
        return {("progress_reports", i) for (i,) in reports}
    finally:
        conn.close()


def test_a_two_character_word_finds_every_report_and_the_task_history(
    jsgj: Invoke, demo: Path
) -> None:
    found = hits(jsgj, "用地", "--limit", "500")
    reports = {(h["source"], h["id"]) for h in found if h["source"] == "progress_reports"}
    assert reports == mentions(demo, "用地") and reports
    history = [h for h in found if h["task_id"] == "5-3"]
    assert {h["kind"] for h in history} == {"tasks", "reports"}
    assert all("**用地**" in h["snippet"] for h in found)
    assert any(h["kind"] == "measures" and h["measure"] == 5 for h in found)
    dates = [h["recorded_at"] for h in found]
    assert dates == sorted(dates, reverse=True)


def test_the_listing_marks_the_match_and_carries_the_same_hits(jsgj: Invoke, demo: Path) -> None:
    listing = jsgj("search", "用地")
    assert listing.exit_code == 0
    lines = listing.stdout.splitlines()
    heads = [line for line in lines if not line.startswith(" ")][:-1]  # the last is the count
    found = hits(jsgj, "用地")
    assert len(heads) == len(found)
    for head, hit in zip(heads, found, strict=True):
        assert head.startswith(hit["task_id"] or f"措施{hit['measure']}")
        assert hit["date"] in head
    assert any(line.startswith("5-3 ") for line in heads)
    assert "**用地**" in listing.stdout


def test_the_terminal_and_the_pipe_print_the_same_lines(
    jsgj: Invoke, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rich listing (a terminal, here FORCE_COLOR) and the plain one (a pipe) are
    built from the same head, label and count lines: only the marking differs (bold
    against **…**)."""
    import re

    plain = jsgj("search", "用地", "--limit", "5")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "400")
    rich = jsgj("search", "用地", "--limit", "5")
    assert plain.exit_code == rich.exit_code == 0
    unstyled = re.sub(r"\x1b\[[0-9;]*m", "", rich.stdout)
    assert "\x1b[" in rich.stdout and "**" not in unstyled
    assert unstyled.splitlines() == plain.stdout.replace("**", "").splitlines()
    assert "进展情况：" in unstyled and unstyled.splitlines()[-1].startswith("matches:")


def test_department_and_date_narrow(jsgj: Invoke, demo: Path) -> None:
    everything = hits(jsgj, "招生", "--limit", "500")
    narrowed = hits(jsgj, "招生", "--department", "南京", "--from", "2025-03-01", "--limit", "500")
    assert narrowed and len(narrowed) < len(everything)
    assert all(h["date"] >= "2025-03-01" for h in narrowed)
    for h in narrowed:
        assert (
            h["department"] in ("nanjing", "cities")
            or (h["task_id"] or "").endswith(".nanjing")
            or h["kind"] == "tasks"
        ), h
    nanjing_reports = [
        h
        for h in everything
        if h["kind"] == "reports" and h["department"] == "nanjing" and h["date"] >= "2025-03-01"
    ]
    assert all(h in narrowed for h in nanjing_reports)
    assert hits(jsgj, "招生", "--department", "南京", "--to", "2024-01-01") == []


def test_an_exact_phrase_finds_the_phrase_only(jsgj: Invoke, demo: Path) -> None:
    apart = jsgj("progress", "1-3", "--status", "推进中", "--note", "并行推进招生宣传")
    rid = int(apart.stdout.strip().lstrip("#"))
    phrase = hits(jsgj, '"并行招生"', "--limit", "500")
    words = hits(jsgj, "并行", "招生", "--limit", "500")
    assert phrase and rid in {h["id"] for h in words} - {h["id"] for h in phrase}
    for h in phrase:
        texts = [s["text"].replace("**", "") for s in h["snippets"]]
        assert any("并行招生" in t for t in texts)
    assert all("**并行招生**" in h["snippet"] for h in phrase)


def test_exclusion_and_bad_queries(jsgj: Invoke, demo: Path) -> None:
    with_ = hits(jsgj, "招生", "--limit", "500")
    without = hits(jsgj, "招生", "-并行", "--limit", "500")
    assert without and len(without) < len(with_)
    assert not any("并行" in s["text"] for h in without for s in h["snippets"])
    for bad in ("-招生", "  ", "，。"):
        result = jsgj("search", "--", bad)
        assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    empty = jsgj("search", "不存在的词语")
    assert empty.exit_code == 0 and empty.stdout.strip() and empty.stdout.count("\n") == 1


def test_full_width_and_case_fold(jsgj: Invoke, demo: Path) -> None:
    jsgj("progress", "7-1", "--status", "推进中", "--note", "ＨＲＳＳ系统上线，完成１２３家")
    assert hits(jsgj, "hrss系统")
    assert hits(jsgj, "123家")


def test_a_report_recorded_now_is_found_by_the_next_search(jsgj: Invoke, demo: Path) -> None:
    assert hits(jsgj, "鸭嘴兽") == []
    recorded = jsgj("progress", "7-1", "--status", "推进中", "--note", "调研鸭嘴兽养殖基地")
    assert recorded.exit_code == 0, recorded.stderr
    found = hits(jsgj, "鸭嘴兽")
    assert [h["task_id"] for h in found] == ["7-1"]
    assert found[0]["id"] == int(recorded.stdout.strip().lstrip("#"))
    assert jsgj("db", "check").stdout.strip() == "ok"


def test_db_check_names_a_tampered_index_row(jsgj: Invoke, demo: Path) -> None:
    assert jsgj("db", "check").exit_code == 0
    conn = sqlite3.connect(demo)
    register_functions(conn)
    rid, note, evidence = conn.execute(
        "SELECT id, note, evidence FROM progress_reports ORDER BY id LIMIT 1 OFFSET 10"
    ).fetchone()
    with conn:  # replace the entry's tokens with other text
        conn.execute(
            "INSERT INTO search_reports(search_reports, rowid, note, evidence) "
            "VALUES ('delete', ?, ?, ?)",
            [rid, index_text(note), index_text(evidence)],
        )
        conn.execute(
            "INSERT INTO search_reports(rowid, note, evidence) VALUES (?, ?, ?)",
            [rid, index_text("别的内容" + note[4:]), index_text(evidence)],
        )
    conn.close()
    result = jsgj("db", "check")
    assert result.exit_code == 1
    assert f"progress_reports {rid}" in result.stderr


def test_db_check_names_an_event_missing_from_the_index(jsgj: Invoke, demo: Path) -> None:
    conn = sqlite3.connect(demo)
    register_functions(conn)
    rid, note, evidence = conn.execute(
        "SELECT id, note, evidence FROM progress_reports ORDER BY id DESC LIMIT 1"
    ).fetchone()
    with conn:
        conn.execute(
            "INSERT INTO search_reports(search_reports, rowid, note, evidence) "
            "VALUES ('delete', ?, ?, ?)",
            [rid, index_text(note), index_text(evidence)],
        )
    conn.close()
    result = jsgj("db", "check")
    assert result.exit_code == 1 and f"progress_reports {rid} is not indexed" in result.stderr


def test_the_migration_indexes_an_existing_database(tmp_path: Path) -> None:
    """A database written before the index (m004) is indexed when opened."""
    path = tmp_path / "old.db"
    catalog = fresh_catalog()
    with Store.open(path, catalog) as store:
        from jsgj.store.tasks import assign, record_progress
        from jsgj.values import Status

        assign(store, 5, "落实技工院校用地政策")
        record_progress(store, "5-1", status=Status.in_progress, note="核实用地性质")
        conn = store.db.conn
        for name in ("search_reports", "search_revisions", "search_events"):
            conn.execute(f"DROP TRIGGER {name}_index")
            conn.execute(f"DROP TABLE {name}")
            conn.execute(f"DROP VIEW {name}_text")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm007_create_search_index'")
        conn.commit()
    with Store.open(path, catalog) as store:
        from jsgj.search.engine import SearchOptions, search

        result = search(store, "用地", SearchOptions(kinds=frozenset({"tasks", "reports"})))
        assert {h.kind for h in result.hits} == {"tasks", "reports"}
        from jsgj.store.admin import check_database

        assert check_database(store) == []


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
NOTE = (
    st.lists(
        st.one_of(
            st.text(CJK, min_size=1, max_size=8), st.sampled_from(["，", "。", " ", "2025", "A"])
        ),
        min_size=1,
        max_size=8,
    )
    .map("".join)
    .filter(str.strip)
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A database with one task, on which the property records its notes."""
    from jsgj.store.tasks import assign

    path = tmp_path_factory.mktemp("search") / "property.db"
    with Store.open(path, fresh_catalog()) as opened:
        assign(opened, 7, "全面推行企业新型学徒制")
        yield opened


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(note=NOTE, data=st.data())
def test_any_chinese_substring_finds_the_note(store: Store, note: str, data: st.DataObject) -> None:
    """Record a note; any run of two or more CJK characters taken from it finds it,
    typed as a word or quoted as a phrase."""
    from jsgj.search.engine import SearchOptions, search
    from jsgj.store.tasks import record_progress
    from jsgj.values import Status

    rid = record_progress(store, "7-1", status=Status.in_progress, note=note)
    runs = [r for r in _cjk_runs(note) if len(r) >= 2]
    if not runs:
        return
    run = data.draw(st.sampled_from(runs))
    start = data.draw(st.integers(0, len(run) - 2))
    word = run[start : data.draw(st.integers(start + 2, len(run)))]
    options = SearchOptions(kinds=frozenset({"reports"}), limit=10_000)
    for typed in (word, f'"{word}"'):
        found = {h.event_id for h in search(store, typed, options).hits}
        assert rid in found, (note, typed, parse(typed).match)
    assert index_text(note) == " ".join(tokens(note))


def _cjk_runs(text: str) -> list[str]:
    runs: list[str] = []
    current = ""
    for ch in text:
        if "\u4e00" <= ch <= "\u9fff":
            current += ch
        elif current:
            runs.append(current)
            current = ""
    return runs + ([current] if current else [])


# The index's tokens as the str pattern defined them before the pattern moved to bytes
# (issue 15: compiling this class costs ~37 M instructions at every write's start-up).
# A database indexed by either must read the same: `db check` recomputes the text.
_REFERENCE_CJK = (
    "\u3005\u3007\u3021-\u3029\u3038-\u303b\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003ffff"
)


def _reference_tokens(text: str) -> list[str]:
    import re
    import unicodedata

    pattern = re.compile(rf"([{_REFERENCE_CJK}]+)|([^\W_{_REFERENCE_CJK}]+)")
    out: list[str] = []
    for cjk, word in pattern.findall(unicodedata.normalize("NFKC", text).casefold()):
        out += [cjk[i : i + 2] for i in range(len(cjk) - 1)] + [cjk[-1]] if cjk else [word]
    return out


@pytest.mark.stress
def test_every_character_is_tokenized_as_the_str_pattern_did() -> None:
    """Each code point (a lone surrogate too) alone, between letters and between CJK."""
    for cp in range(0x110000):
        ch = chr(cp)
        for text in (ch, f"a{ch}b", f"中{ch}{ch}文", f"1{ch}中", f"{ch}_x{ch}"):
            assert tokens(text) == _reference_tokens(text), (hex(cp), text)


MIXED = st.text(
    st.one_of(
        st.characters(max_codepoint=0x24F),
        st.characters(min_codepoint=0x3000, max_codepoint=0x30FF),
        st.characters(min_codepoint=0x4DB0, max_codepoint=0x4E10),
        st.characters(min_codepoint=0xD790, max_codepoint=0xFB10),
        st.characters(min_codepoint=0xFF00, max_codepoint=0xFF70),
        st.characters(min_codepoint=0x1F600, max_codepoint=0x40010),
    ),
    max_size=30,
)


@settings(max_examples=2000, deadline=None)
@given(text=MIXED)
def test_mixed_text_is_tokenized_as_the_str_pattern_did(text: str) -> None:
    from jsgj.search.fold import fold, segments

    assert tokens(text) == _reference_tokens(text)
    words = [w for kind, run in segments(fold(text)) for w in ([run] if kind == "word" else [])]
    assert words == [t for t in _reference_tokens(text) if not _is_cjk(t[0])]


def _is_cjk(ch: str) -> bool:
    import re

    return re.fullmatch(f"[{_REFERENCE_CJK}]", ch) is not None
