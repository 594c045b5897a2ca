"""Nothing lost, nothing forged (issue 11 items 1 and 3): writes re-check inside their
transaction, so an interleaving forced by a held lock never loses a change or revives a
cancelled task; `db check` derives every task afresh from the events and names each
derived value that disagrees; reports, renderers and the light rules import nothing
from the store."""

from __future__ import annotations

import ast
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import Invoke
from jsgj.catalog.load import load_catalog
from jsgj.paths import departments_path, measures_path
from jsgj.store.db import Store
from jsgj.store.revisions import cancel_task

SRC = Path(__file__).resolve().parent.parent / "src" / "jsgj"


def ok(result: object) -> str:
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    return str(result.stdout)  # type: ignore[attr-defined]


@pytest.fixture
def seeded(jsgj: Invoke, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JSGJ_TODAY", "2025-06-02")
    ok(jsgj("assign", "7", "--title", "推行企业新型学徒制", "--due", "2025-12-31"))
    ok(jsgj("assign", "1", "--title", "并行招生", "--lead", "各设区市", "--due", "2025-09-30"))
    ok(jsgj("progress", "7-1", "--by", "人社厅", "-s", "推进中", "-p", "20", "-n", "启动"))
    return db_path


def start(*args: str) -> subprocess.Popen[str]:
    """A jsgj command in its own process (it waits for the write lock the test holds)."""
    return subprocess.Popen(
        [sys.executable, "-m", "jsgj", *args],
        env={**os.environ},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def held(path: Path) -> Store:
    """The database with its write lock held (BEGIN IMMEDIATE), as another clerk's
    long write would hold it."""
    store = Store.open(path, load_catalog(measures_path(), departments_path()))
    store.db.conn.execute("BEGIN IMMEDIATE")
    return store


def settle() -> None:
    time.sleep(1.0)  # let the waiting commands start and block on the lock


def task(jsgj: Invoke, task_id: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(ok(jsgj("tasks", "show", task_id, "--json")))["task"]
    return data


def test_two_edits_of_different_fields_both_land(jsgj: Invoke, seeded: Path) -> None:
    holder = held(seeded)
    try:
        a = start("tasks", "edit", "7-1", "--title", "全面推行企业新型学徒制", "-r", "规范名称")
        b = start("tasks", "edit", "7-1", "--due", "2025-11-30", "-r", "按要求提前")
        settle()
    finally:
        holder.db.conn.execute("COMMIT")
        holder.close()
    assert a.wait(60) == 0, a.stderr.read() if a.stderr else ""
    assert b.wait(60) == 0, b.stderr.read() if b.stderr else ""
    t = task(jsgj, "7-1")
    assert (t["title"], t["due_date"]) == ("全面推行企业新型学徒制", "2025-11-30")


def test_an_edit_that_waited_for_a_cancel_does_not_revive_the_task(
    jsgj: Invoke, seeded: Path
) -> None:
    holder = held(seeded)
    try:
        edit = start("tasks", "edit", "7-1", "--title", "新名称", "-r", "调整")
        report = start("progress", "7-1", "--by", "人社厅", "-s", "推进中", "-p", "30", "-n", "x")
        settle()
        cancel_task(holder, "7-1", reason="并入其他任务")  # inside the held transaction
    finally:
        holder.db.conn.execute("COMMIT")
        holder.close()
    assert edit.wait(60) == 1 and report.wait(60) == 1
    assert edit.stderr is not None and "cancelled" in edit.stderr.read()
    assert report.stderr is not None and "cancelled" in report.stderr.read()
    t = task(jsgj, "7-1")
    assert (t["cancelled"], t["title"], t["percent"]) == (True, "推行企业新型学徒制", 20)


def test_an_import_that_waited_for_a_cancel_records_nothing(
    jsgj: Invoke, seeded: Path, tmp_path: Path
) -> None:
    ret = tmp_path / "return.csv"
    ret.write_text(
        "填报单位,省人力资源社会保障厅\n\n任务编号,状态,进度%,日期,进展情况\n"
        "7-1,推进中,40,2025-06-02,开班\n",
        encoding="utf-8",
    )
    before = sqlite3.connect(seeded).execute("SELECT COUNT(*) FROM progress_reports").fetchone()
    holder = held(seeded)
    try:
        imported = start("import", str(ret))
        settle()
        cancel_task(holder, "7-1", reason="并入其他任务")
    finally:
        holder.db.conn.execute("COMMIT")
        holder.close()
    assert imported.wait(60) == 1
    assert imported.stderr is not None and "nothing was recorded" in imported.stderr.read()
    after = sqlite3.connect(seeded).execute("SELECT COUNT(*) FROM progress_reports").fetchone()
    assert after == before


TAMPERED = [
    ("status", "'done'"),
    ("percent", "99"),
    ("title", "'改过的标题'"),
    ("lead", "'education'"),
    ("due_date", "'2030-01-01'"),
    ("cancelled", "1"),
    ("report_count", "7"),
    ("contribution_count", "3"),
    ("acknowledged_on", "'2025-01-01'"),
    ("claim_date", "'2025-06-01'"),
    ("urgency", "'very_urgent'"),
]


@pytest.mark.parametrize(("column", "value"), TAMPERED)
def test_db_check_names_each_tampered_derived_column(
    jsgj: Invoke, seeded: Path, column: str, value: str
) -> None:
    assert ok(jsgj("db", "check")).strip() == "ok"
    conn = sqlite3.connect(seeded)
    conn.execute(f"UPDATE tasks SET {column} = {value} WHERE id = '7-1'")
    conn.commit()
    conn.close()
    result = jsgj("db", "check")
    assert result.exit_code == 1
    assert f"task 7-1: {column} is" in result.stdout + result.stderr


def test_db_check_names_a_forged_responsibility_row(jsgj: Invoke, seeded: Path) -> None:
    conn = sqlite3.connect(seeded)
    conn.execute("INSERT INTO task_departments VALUES ('7-1', 'finance', 'co')")
    conn.commit()
    conn.close()
    result = jsgj("db", "check")
    assert result.exit_code == 1
    assert "(7-1, finance, co) is not in the task's definition" in result.stdout + result.stderr


LAYERS = ("reports", "render", "document", "tasks")


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_views_and_rules_never_import_the_store() -> None:
    files = [SRC / "status.py"] + [p for layer in LAYERS for p in (SRC / layer).rglob("*.py")]
    offenders = {
        str(p.relative_to(SRC)): sorted(m for m in _imports(p) if m.startswith("jsgj.store"))
        for p in files
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_every_row_of_the_event_log_is_inserted_by_store_events() -> None:
    """One route for a new event row (jsgj.store.events.append/append_many): no other
    module writes an INSERT into an event table or ``tasks``, nor goes round it by a
    row helper (``Store.insert``, sqlite-utils' ``table().insert``)."""
    from jsgj.store.chain import EVENT_TABLES

    tables = "|".join([*EVENT_TABLES, "tasks"])
    insert = re.compile(rf"INSERT\s+(?:OR\s+\w+\s+)?INTO\s+\[?(?:{tables})\b", re.I)
    helper = re.compile(r"\.insert\(|\.table\(|\.insert_all\(")
    allowed = {"store/events.py", "store/migrations.py"}
    offenders = sorted(
        name
        for p in SRC.rglob("*.py")
        if (name := str(p.relative_to(SRC))) not in allowed
        and (insert.search(text := p.read_text(encoding="utf-8")) or helper.search(text))
    )
    assert offenders == []
