"""催办 as an act: `jsgj chase` records one event per task, the derived count
escalates (data/lights.yaml), the task line, `tasks show` and the weekly report name
it, and `chase --notice` writes the 催办通知单 with task titles."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import Invoke
from report_helpers import demo_db

__all__ = ["demo_db"]


@pytest.fixture
def demo_copy(demo_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo-copy.db"
    shutil.copy(demo_db, target)
    return target


def test_chasing_twice_escalates_everywhere(jsgj: Invoke, demo_copy: Path) -> None:
    db = str(demo_copy)
    first = jsgj("--db", db, "chase", "宿迁", "--method", "电话")
    assert first.exit_code == 0, first.stderr
    chased = [line.split("\t")[1] for line in first.stdout.splitlines()]
    assert "3-3.suqian" in chased and all(t.endswith(".suqian") for t in chased)
    second = jsgj("--db", db, "chase", "宿迁", "--method", "电话", "--note", "请本周内报送")
    assert second.exit_code == 0, second.stderr
    show = jsgj("--db", db, "tasks", "show", "3-3.suqian")
    assert "二次催办" in show.stdout
    assert "请本周内报送" in show.stdout
    weekly = jsgj("--db", db, "report", "weekly", "--format", "json")
    data = json.loads(weekly.stdout)
    text = json.dumps(data, ensure_ascii=False)
    assert '"chase_level": "二次催办"' in text
    md = jsgj("--db", db, "report", "weekly").stdout
    chase_part = md.split("催办清单", 1)[1]
    assert "各设区市整合设立校企合作专项资金（宿迁市）" in chase_part
    assert "二次催办（已催办2次）" in chase_part
    listed = jsgj("--db", db, "tasks", "show", "3-3.suqian", "--json")
    assert json.loads(listed.stdout)["task"]["chase_count"] == 2
    check = jsgj("--db", db, "db", "check")
    assert check.exit_code == 0, check.stdout + check.stderr
    third = jsgj("--db", db, "chase", "宿迁", "--tasks", "3-3.suqian", "--method", "书面")
    assert third.exit_code == 0 and third.stdout.count("\t") == 1
    show = jsgj("--db", db, "tasks", "show", "3-3.suqian")
    assert "通报点名" in show.stdout


def test_notice_lists_titles_and_contact(jsgj: Invoke, demo_copy: Path, tmp_path: Path) -> None:
    db = str(demo_copy)
    out = tmp_path / "notice.md"
    result = jsgj("--db", db, "chase", "宿迁", "--notice", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "催办通知单" in text
    assert "各设区市整合设立校企合作专项资金" in text
    assert "联络员" in text and "前回复" in text
    for fmt in ("html", "docx", "json", "table"):
        target = tmp_path / f"notice.{fmt}"
        r = jsgj("--db", db, "chase", "宿迁", "--notice", "-f", fmt, "-o", str(target))
        assert r.exit_code == 0, r.stderr
        assert target.stat().st_size > 0


def test_bad_chase_changes_nothing(jsgj: Invoke, demo_copy: Path) -> None:
    db = str(demo_copy)
    before = demo_copy.read_bytes()
    bad = jsgj("--db", db, "chase", "宿迁", "--method", "传真")
    assert bad.exit_code == 2 and "--method" in bad.stderr
    foreign = jsgj("--db", db, "chase", "宿迁", "--tasks", "1-1", "--method", "电话")
    assert foreign.exit_code == 1 and "1-1" in foreign.stderr
    missing = jsgj("--db", db, "chase", "宿迁")
    assert missing.exit_code == 2
    assert demo_copy.read_bytes() == before


def test_escalation_thresholds_are_validated(tmp_path: Path) -> None:
    from jsgj.errors import DataFileError
    from jsgj.status import Thresholds, chase_level, load_thresholds

    t = Thresholds(chase_escalation=(1, 3, 5))
    assert [chase_level(n, t) for n in (0, 1, 2, 3, 5)] == [
        None, "一次催办", "一次催办", "二次催办", "通报点名",
    ]  # fmt: skip
    for bad in ("[1, 2]", "[2, 1, 3]", "[0, 1, 2]", "3", "[1, 2, true]"):
        path = tmp_path / "lights.yaml"
        path.write_text(f"chase_escalation: {bad}\n", encoding="utf-8")
        with pytest.raises(DataFileError, match="chase_escalation"):
            load_thresholds(path)
