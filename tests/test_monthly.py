"""The monthly 通报: ranking on the demo database, scores as data/scoring.yaml says
(a changed weight changes them by exactly what the file says), every format, and a
malformed scoring file rejected by `jsgj validate` with file:line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import DATA, Invoke
from report_helpers import demo_db

__all__ = ["demo_db"]


def monthly_json(jsgj: Invoke, db: Path) -> dict[str, object]:
    result = jsgj("--db", str(db), "report", "monthly", "--month", "2025-06", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def test_ranking_on_the_demo(jsgj: Invoke, demo_db: Path) -> None:
    data = monthly_json(jsgj, demo_db)
    rows = data["departments"]
    assert isinstance(rows, list) and len(rows) > 20
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True)
    assert rows[0]["rank"] == 1
    ids = {r["id"] for r in rows}
    assert {"suqian", "huaian"} <= ids  # cities ranked one by one
    lead = next(r for r in rows if r["id"] == "suqian")["lead"]
    assert lead["tasks"] == 5 and 0 <= lead["weeks_reported"] <= lead["weeks_open"]
    assert len(data["weeks"]) == 4  # ISO weeks whose Thursday is in June 2025


def test_a_weight_changes_the_scores_as_the_file_says(
    jsgj: Invoke, demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {r["id"]: r for r in monthly_json(jsgj, demo_db)["departments"]}  # type: ignore[union-attr]
    text = (DATA / "scoring.yaml").read_text(encoding="utf-8")
    assert "  overdue: -2 " in text
    copy = tmp_path / "scoring.yaml"
    copy.write_text(text.replace("  overdue: -2 ", "  overdue: -12 "), encoding="utf-8")
    monkeypatch.setenv("JSGJ_SCORING", str(copy))
    after = {r["id"]: r for r in monthly_json(jsgj, demo_db)["departments"]}  # type: ignore[union-attr]
    changed = 0
    for did, old in before.items():
        new = after[did]
        # lead counts 1.0, co 0.5: each overdue task costs 10 points more as lead, 5 as co
        delta = -10 * old["lead"]["overdue"] - 5 * old["co"]["overdue"]
        assert new["score"] == pytest.approx(old["score"] + delta, abs=0.11), did
        changed += delta != 0
    assert changed > 0


def test_every_format(jsgj: Invoke, demo_db: Path, tmp_path: Path) -> None:
    md = jsgj("--db", str(demo_db), "report", "monthly", "--month", "2025-06")
    assert md.exit_code == 0
    for heading in ("考核排名", "牵头任务情况", "配合任务情况", "表扬", "通报"):
        assert heading in md.stdout
    html = jsgj("--db", str(demo_db), "report", "monthly", "--month", "2025-06", "-f", "html")
    assert "考核排名" in html.stdout
    out = tmp_path / "通报-{month}.docx"
    docx = jsgj(
        "--db", str(demo_db), "report", "monthly", "--month", "2025-06", "-f", "docx",
        "-o", str(out),
    )  # fmt: skip
    assert docx.exit_code == 0, docx.stderr
    assert (tmp_path / "通报-06.docx").stat().st_size > 0
    moment = next(x for x in md.stdout.split() if x.startswith("数据时点："))[5:].split("（")[0]
    again = jsgj(
        "--db", str(demo_db), "report", "monthly", "--month", "2025-06", "--known-on", moment
    )  # fmt: skip
    assert again.stdout == md.stdout  # deterministic: the printed moment reproduces it


def test_bad_month_is_a_usage_error(jsgj: Invoke, demo_db: Path) -> None:
    result = jsgj("--db", str(demo_db), "report", "monthly", "--month", "June")
    assert result.exit_code == 2 and "--month" in result.stderr


def test_validate_rejects_a_malformed_scoring_file(
    jsgj: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (DATA / "scoring.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "scoring.yaml"
    bad.write_text(text.replace("  returned: -3 ", "  returned: lots "), encoding="utf-8")
    line = next(i for i, t in enumerate(bad.read_text().splitlines(), 1) if "returned:" in t)
    monkeypatch.setenv("JSGJ_SCORING", str(bad))
    result = jsgj("validate")
    assert result.exit_code == 1
    assert f"scoring.yaml:{line}:" in result.stdout
    assert "weights.returned" in result.stdout
    extra = tmp_path / "extra.yaml"
    extra.write_text(text + "bonus: 5\n", encoding="utf-8")
    monkeypatch.setenv("JSGJ_SCORING", str(extra))
    result = jsgj("validate")
    assert result.exit_code == 1 and "bonus" in result.stdout


def test_as_of_counts_the_month_to_that_day(jsgj: Invoke, demo_db: Path) -> None:
    whole = monthly_json(jsgj, demo_db)
    assert whole["as_of"] == "2025-06-30" and len(whole["weeks"]) == 4
    result = jsgj(
        "--db", str(demo_db), "report", "monthly", "--month", "2025-06", "--as-of", "2025-06-15",
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    half = json.loads(result.stdout)
    assert half["as_of"] == "2025-06-15"
    assert [w["end"] for w in half["weeks"]] == ["2025-06-08", "2025-06-15"]
    before = {r["id"]: r["lead"] for r in whole["departments"]}
    after = {r["id"]: r["lead"] for r in half["departments"]}
    assert all(after[d]["weeks_open"] <= before[d]["weeks_open"] for d in after)
    assert after != before


@pytest.mark.parametrize("day", ["2025-05-31", "2025-07-01", "2025-6-1"])
def test_as_of_outside_the_month_is_a_usage_error(jsgj: Invoke, demo_db: Path, day: str) -> None:
    before = demo_db.read_bytes()
    result = jsgj("--db", str(demo_db), "report", "monthly", "--month", "2025-06", "--as-of", day)
    assert result.exit_code == 2 and "--as-of" in result.stderr
    assert "Traceback" not in result.stderr
    assert demo_db.read_bytes() == before


def test_known_on_reproduces_the_report_after_later_entries(
    jsgj: Invoke, demo_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(demo_db, db)
    args = ("--db", str(db), "report", "monthly", "--month", "2025-06", "-f", "json")
    first = jsgj(*args)
    assert first.exit_code == 0, first.stderr
    moment = json.loads(first.stdout)["computed_at"]
    late = jsgj(
        "--db", str(db), "progress", "5-3", "--by", "自然资源厅", "--status", "推进中",
        "--percent", "70", "--note", "补报6月进展", "--date", "2025-06-27",
    )  # fmt: skip
    assert late.exit_code == 0, late.stderr
    now = json.loads(jsgj(*args).stdout)
    assert now["departments"] != json.loads(first.stdout)["departments"]
    again = jsgj(*args, "--known-on", moment)
    assert again.exit_code == 0, again.stderr
    assert again.stdout == first.stdout


def test_the_notice_and_the_monthly_follow_gb_t_9704(
    jsgj: Invoke, demo_db: Path, tmp_path: Path
) -> None:
    """Body, the sender (落款), the notes (附注), the annexes (附件), the 版记 last."""
    args = ("--db", str(demo_db), "report", "monthly", "--month", "2025-06")
    for fmt in ("markdown", "html", "table"):
        out = jsgj(*args, "-f", fmt).stdout
        marks = ["四、通报", "江苏工匠培育工程督查督办组", "说明：", "附件1", "附件2", "发："]
        places = [out.find(m) for m in marks]
        assert -1 not in places and places == sorted(places), (fmt, places)
