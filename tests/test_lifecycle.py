"""The 督办 lifecycle as a clerk and a department live it: 交办, 签收, 进展 (the lead's
and a co department's), 申请办结 with evidence, 审核 (approve = 销号, return with a
reason), 延期 - each step through the CLI, each refusal one line with the database
unchanged."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from conftest import Invoke

DAY = "2025-06-10"


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


def dump(path: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return [
            row
            for table in ("tasks", "task_revisions", "progress_reports", "task_events")
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY rowid")
        ]
    finally:
        conn.close()


def task(jsgj: Invoke, task_id: str, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(jsgj("tasks", "show", task_id, "--json", *args)))
    return data


def weekly(jsgj: Invoke) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(jsgj("report", "weekly", "--format", "json")))
    return data


@pytest.fixture
def office(jsgj: Invoke, monkeypatch: pytest.MonkeyPatch, db_path: Path) -> Path:
    """3-1 led by 财政厅 with 教育厅 co (assigned 2025-06-02, due 2025-06-30), which the
    lead acknowledges and reports on; today is 2025-06-10."""
    monkeypatch.setenv("JSGJ_TODAY", "2025-06-02")
    ok(jsgj("db", "init"))
    ok(
        jsgj(
            "assign", "3", "--title", "落实职业学校生均拨款", "--lead", "财政厅", "--co",
            "教育厅", "--due", "2025-06-30", "--urgency", "急", "--source", "领导批示",
        )
    )  # fmt: skip
    monkeypatch.setenv("JSGJ_TODAY", "2025-06-03")
    ok(jsgj("acknowledge", "3-1", "--by", "财政厅", "--contact", "王晓明", "--phone", "025-1"))
    monkeypatch.setenv("JSGJ_TODAY", "2025-06-05")
    ok(jsgj("progress", "3-1", "--by", "财政厅", "-s", "推进中", "-p", "30", "-n", "测算资金"))
    monkeypatch.setenv("JSGJ_TODAY", DAY)
    return db_path


def test_a_co_report_is_a_contribution(jsgj: Invoke, office: Path) -> None:
    before = task(jsgj, "3-1")["task"]
    ok(jsgj("progress", "3-1", "--by", "教育厅", "-s", "推进中", "-p", "5", "-n", "提供学校名单"))
    after = task(jsgj, "3-1")
    t = after["task"]
    # status, percent, light and the lead's silence as they were
    for key in ("status", "percent", "light", "reason", "last_report_date", "days_since_report"):
        assert t[key] == before[key], key
    assert (t["contribution_count"], t["report_count"]) == (1, 1)
    co = [e for e in after["timeline"] if e["event"] == "report" and e["role"] == "co"]
    assert [(e["by"], e["percent"], e["note"]) for e in co] == [("education", 5, "提供学校名单")]
    assert "〔配合〕" in ok(jsgj("tasks", "show", "3-1"))


def test_a_claim_needs_evidence_and_the_offices_review(jsgj: Invoke, office: Path) -> None:
    before = dump(office)
    refused = jsgj("progress", "3-1", "--by", "财政厅", "-s", "已完成", "-n", "资金已拨付")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        "jsgj: error: --evidence: reporting 已完成 applies for completion (申请办结) and "
        "needs evidence (佐证材料): a document number, link or file name"
    ]
    assert dump(office) == before

    done_before = weekly(jsgj)["summary"]["lights"]["done"]
    ok(jsgj("progress", "3-1", "--by", "财政厅", "-s", "已完成", "-n", "资金已拨付",
            "-e", "苏财教〔2025〕12号"))  # fmt: skip
    t = task(jsgj, "3-1")["task"]
    assert (t["status"], t["status_label"], t["light"]) == ("pending_review", "待审核", "pending")
    summary = weekly(jsgj)["summary"]
    assert summary["lights"]["done"] == done_before  # a claim is not done
    assert summary["lights"]["pending"] == 1

    # only the office reviews
    before = dump(office)
    for by in ("财政厅", "教育厅"):
        refused = jsgj("review", "3-1", "--approve", "--by", by)
        assert refused.exit_code == 1 and len(refused.stderr.splitlines()) == 1
        assert "only the office" in refused.stderr
    assert dump(office) == before

    ok(jsgj("review", "3-1", "--approve"))
    t = task(jsgj, "3-1")["task"]
    assert (t["status"], t["status_label"], t["light"]) == ("done", "已办结", "done")
    assert weekly(jsgj)["summary"]["lights"]["done"] == done_before + 1
    # closed: no more reports, no second review
    late = jsgj("progress", "3-1", "--by", "财政厅", "-s", "推进中", "-n", "x")
    assert late.exit_code == 1 and "已办结" in late.stderr
    again = jsgj("review", "3-1", "--approve")
    assert again.exit_code == 1 and len(again.stderr.splitlines()) == 1


def test_a_returned_claim_goes_back_with_its_reason(jsgj: Invoke, office: Path) -> None:
    ok(jsgj("progress", "3-1", "--by", "财政厅", "-s", "done", "-n", "资金已拨付", "-e", "文件"))
    refused = jsgj("review", "3-1", "--return")
    assert refused.exit_code == 2 and "--reason" in refused.stderr
    ok(jsgj("review", "3-1", "--return", "--reason", "佐证材料不全，缺拨付凭证"))
    t = task(jsgj, "3-1")
    assert (t["task"]["status"], t["task"]["percent"]) == ("in_progress", 30)  # the lead's last
    assert t["task"]["returned_reason"] == "佐证材料不全，缺拨付凭证"
    shown = ok(jsgj("tasks", "show", "3-1"))
    assert "办结申请被退回：佐证材料不全，缺拨付凭证" in shown
    assert "审核退回" in shown
    report = ok(jsgj("report", "weekly", "--format", "markdown"))
    assert "佐证材料不全，缺拨付凭证" in report


def test_acknowledgement_names_the_contact(jsgj: Invoke, office: Path) -> None:
    t = task(jsgj, "3-1")["task"]
    assert (t["acknowledged_on"], t["contact"]) == ("2025-06-03", "王晓明 025-1")
    listed = json.loads(ok(jsgj("departments", "contacts", "--json")))
    assert [(c["department"], c["contact_name"], c["tasks"]) for c in listed] == [
        ("finance", "王晓明", ["3-1"])
    ]
    # only the lead acknowledges
    refused = jsgj("acknowledge", "3-1", "--by", "教育厅", "--contact", "李四")
    assert refused.exit_code == 1 and "is not the lead" in refused.stderr


def test_an_unacknowledged_task_turns_yellow_after_ack_days(
    jsgj: Invoke, office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JSGJ_TODAY", "2025-06-02")
    ok(jsgj("assign", "3", "--title", "制定办学质量评价办法", "--lead", "教育厅",
            "--due", "2025-12-31"))  # fmt: skip
    monkeypatch.setenv("JSGJ_TODAY", DAY)
    t = task(jsgj, "3-2")["task"]
    assert (t["light"], t["reason"]) == ("yellow", "交办8天未签收")


def test_an_extension_shows_its_original_date_and_reason(jsgj: Invoke, office: Path) -> None:
    ok(jsgj("tasks", "edit", "3-1", "--due", "2025-09-30", "--reason", "省政府同意延期"))
    t = task(jsgj, "3-1")["task"]
    assert (t["due_date"], t["original_due_date"], t["extension_reason"]) == (
        "2025-09-30",
        "2025-06-30",
        "省政府同意延期",
    )
    assert "已延期（原定2025-06-30）" in t["reason"] or "原定2025-06-30" in ok(
        jsgj("tasks", "show", "3-1")
    )


def test_the_task_carries_its_urgency_and_source(jsgj: Invoke, office: Path) -> None:
    t = task(jsgj, "3-1")["task"]
    assert (t["urgency"], t["urgency_label"], t["source"]) == ("urgent", "急", "领导批示")
