"""Moving in (台账导入): `jsgj import` of a ledger that `jsgj export` wrote."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from conftest import Invoke
from report_helpers import demo_db

__all__ = ["demo_db"]  # the session fixture, imported for pytest

AS_OF = ("2025-03-31", "2025-05-15", "2025-06-29")
TIMES = ("recorded_at", "recorded_on", "computed_at")
"""The recording time: now for an import, so left out of the comparison."""


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.stderr
    return result


def without_times(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_times(v) for k, v in value.items() if k not in TIMES}
    if isinstance(value, list):
        return [without_times(v) for v in value]
    return value


def views(jsgj: Invoke, db: Path, as_of: str, tmp: Path) -> dict[str, Any]:
    def run(*args: str) -> Any:
        return json.loads(ok(jsgj("--db", str(db), *args, "--as-of", as_of)).stdout)

    out = tmp / f"{db.stem}-{as_of}.json"
    ok(jsgj("--db", str(db), "export", "--output", str(out), "--as-of", as_of))
    return {
        "tasks": run("tasks", "list", "--json"),
        "matrix": run("matrix", "--tasks", "--format", "json"),
        "weekly": without_times(run("report", "weekly", "--format", "json")),
        "export": without_times(json.loads(out.read_text(encoding="utf-8"))),
    }


def counts(db: Path) -> tuple[int, ...]:
    with sqlite3.connect(db) as conn:
        return tuple(
            conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("tasks", "task_revisions", "progress_reports", "task_events")
        )


@pytest.fixture
def exported(jsgj: Invoke, demo_db: Path, tmp_path: Path) -> Path:
    out = tmp_path / "ledger.json"
    ok(jsgj("--db", str(demo_db), "export", "--output", str(out)))
    return out


def test_export_then_import_into_an_empty_database_gives_identical_views(
    jsgj: Invoke, demo_db: Path, exported: Path, tmp_path: Path
) -> None:
    moved = tmp_path / "moved.db"
    ok(jsgj("db", "init", str(moved)))
    first = ok(jsgj("--db", str(moved), "import", str(exported))).stdout
    assert "119 tasks" in first and "0 already recorded" in first
    for day in AS_OF:
        original, copy = views(jsgj, demo_db, day, tmp_path), views(jsgj, moved, day, tmp_path)
        for name in original:
            assert copy[name] == original[name], (day, name)
    ok(jsgj("--db", str(moved), "db", "check"))
    # A second import records nothing.
    before = counts(moved)
    again = ok(jsgj("--db", str(moved), "import", str(exported))).stdout
    assert "0 tasks, 0 revisions, 0 reports, 0 events, 0 observations new" in again
    assert counts(moved) == before
    # Nor does importing the ledger into the database it came from.
    home = ok(jsgj("--db", str(demo_db), "import", str(exported), "--dry-run")).stdout
    assert "0 tasks, 0 revisions, 0 reports, 0 events, 0 observations new" in home


def test_every_row_is_checked_and_nothing_is_recorded(
    jsgj: Invoke, exported: Path, tmp_path: Path
) -> None:
    doc = json.loads(exported.read_text(encoding="utf-8"))
    doc["reports"][2]["by"] = "不存在的厅"
    doc["reports"][4]["percent"] = 140
    doc["revisions"][0]["lead"] = "nowhere"
    doc["events"][0]["date"] = "2025-13-01"
    doc["events"][1]["percent"] = -5
    doc["reports"].append({**doc["reports"][0], "id": 99999, "corrects": 88888})
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "x.db"
    ok(jsgj("db", "init", str(db)))
    result = jsgj("--db", str(db), "import", str(bad))
    assert result.exit_code == 1
    err = result.stderr
    assert "进展·by row 3" in err and "进展·percent row 5" in err
    assert "修订·lead row 1" in err and "事件·date row 1" in err
    assert "事件·percent row 2" in err
    assert f"进展·corrects row {len(doc['reports'])}" in err
    assert "nothing was recorded" in err.splitlines()[-1]
    assert counts(db) == (0, 0, 0, 0)


def test_a_task_with_another_history_is_refused(
    jsgj: Invoke, exported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "other.db"
    monkeypatch.setenv("JSGJ_TODAY", "2025-01-06")
    ok(jsgj("--db", str(db), "assign", "7", "--title", "另一项任务"))
    monkeypatch.delenv("JSGJ_TODAY")
    before = counts(db)
    result = jsgj("--db", str(db), "import", str(exported))
    assert result.exit_code == 1
    assert "task 7-1 is already in the database with another history" in result.stderr
    assert counts(db) == before


def test_a_clerk_enters_last_years_reports_and_sees_them_as_of_then(
    jsgj: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Moving in by hand: today is December 2026, the reports are dated January-June
    2025; they show as of then, and --known-on yesterday shows none of them."""
    monkeypatch.setenv("JSGJ_TODAY", "2026-12-01")
    db = tmp_path / "fresh.db"
    ok(jsgj("db", "init", str(db)))
    ok(jsgj("--db", str(db), "assign", "7", "--title", "全面推行企业新型学徒制",
            "--start", "2025-01-01", "--due", "2025-12-31"))  # fmt: skip
    for day, percent in (("01-20", 10), ("03-20", 30), ("06-25", 60)):
        ok(jsgj("--db", str(db), "progress", "7-1", "--status", "in_progress", "--percent",
                str(percent), "--note", f"{day[:2]}月进展", "--date", f"2025-{day}"))  # fmt: skip

    def listed(*axes: str) -> list[dict[str, Any]]:
        out = ok(jsgj("--db", str(db), "tasks", "list", "--json", *axes)).stdout
        return list(json.loads(out))

    march = listed("--as-of", "2025-03-31")
    assert [(t["id"], t["percent"], t["last_report_date"]) for t in march] == [
        ("7-1", 30, "2025-03-20")
    ]
    week = json.loads(ok(jsgj("--db", str(db), "report", "weekly", "--as-of", "2025-06-29",
                              "--format", "json")).stdout)  # fmt: skip
    assert "06月进展" in json.dumps(week, ensure_ascii=False)
    assert week["as_of"] == "2025-06-29"
    known = ("--as-of", "2025-06-29", "--known-on", "2026-11-30", "--format", "json")
    yesterday = json.loads(ok(jsgj("--db", str(db), "report", "weekly", *known)).stdout)
    assert "06月进展" not in json.dumps(yesterday, ensure_ascii=False)
    assert listed("--as-of", "2025-03-31", "--known-on", "2026-11-30") == []
    assert listed("--known-on", "2026-11-30") == []


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_the_xlsx_and_csv_ledgers_move_a_database_too(
    jsgj: Invoke, demo_db: Path, tmp_path: Path, kind: str
) -> None:
    ledger = tmp_path / ("ledger.xlsx" if kind == "xlsx" else "ledger")
    ok(jsgj("--db", str(demo_db), "export", "--output", str(ledger), "--format", kind))
    moved = tmp_path / "moved.db"
    ok(jsgj("db", "init", str(moved)))
    ok(jsgj("--db", str(moved), "import", str(ledger)))
    day = AS_OF[-1]
    original, copy = views(jsgj, demo_db, day, tmp_path), views(jsgj, moved, day, tmp_path)
    assert copy == original
    again = ok(jsgj("--db", str(moved), "import", str(ledger))).stdout
    assert " 0 events, 0 observations new" in again


def test_an_office_fills_the_ledger_template_from_its_own_records(
    jsgj: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    monkeypatch.setenv("JSGJ_TODAY", "2026-12-01")
    template = tmp_path / "台账.xlsx"
    ok(jsgj("template", "--ledger", "--output", str(template)))
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames[:3] == ["说明", "任务", "进展"]

    def fill(sheet: str, values: dict[str, Any]) -> None:
        ws = wb[sheet]
        headers = [c.value for c in ws[1]]
        ws.append([values.get(str(h)) for h in headers])

    fill("任务", {"任务编号": "7-1", "措施": 7, "任务名称": "全面推行企业新型学徒制",
                "牵头单位": "人社厅", "配合单位": "总工会", "开始日期": "2025-01-06",
                "截止日期": "2025-12-31", "缓急": "急"})  # fmt: skip
    fill("进展", {"任务编号": "7-1", "报告日期": "2025-02-28", "填报单位": "人社厅",
                "状态": "推进中", "进度%": 20, "进展情况": "已印发实施方案"})  # fmt: skip
    fill("进展", {"任务编号": "7-1", "报告日期": "2025-03-14", "填报单位": "总工会",
                "状态": "推进中", "进度%": 10, "进展情况": "配合开展宣传"})  # fmt: skip
    wb.save(template)
    db = tmp_path / "office.db"
    ok(jsgj("db", "init", str(db)))
    ok(jsgj("--db", str(db), "import", str(template)))
    shown = json.loads(ok(jsgj("--db", str(db), "tasks", "list", "--json",
                               "--as-of", "2025-03-31")).stdout)  # fmt: skip
    assert [(t["id"], t["percent"], t["urgency"], t["contribution_count"]) for t in shown] == [
        ("7-1", 20, "urgent", 1)
    ]
    # A wrong row: named by sheet and row, nothing recorded.
    fill("进展", {"任务编号": "7-9", "报告日期": "2025-03-20", "填报单位": "人社厅",
                "状态": "推进中", "进度%": 30, "进展情况": "x"})  # fmt: skip
    wb.save(template)
    refused = jsgj("--db", str(db), "import", str(template))
    assert refused.exit_code == 1 and "进展·task row 3" in refused.stderr
