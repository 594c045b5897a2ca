"""The monthly 通报: ranking on the demo database, scores as data/scoring.yaml says
(a changed weight changes them by exactly what the file says), every format, and a
malformed scoring file rejected by `jsgj validate` with file:line."""

from __future__ import annotations

import json
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
    again = jsgj("--db", str(demo_db), "report", "monthly", "--month", "2025-06")
    assert again.stdout == md.stdout  # deterministic


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
