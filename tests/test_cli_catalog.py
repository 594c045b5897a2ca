"""Browsing through the CLI: `jsgj measures ...` and `jsgj departments ...`, as tables
at 80 columns and as JSON, plus their errors."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from typer.testing import Result

from conftest import Invoke
from jsgj import paths

MEASURE_KEYS = {"number", "label", "section", "title", "text", "departments", "lead"}
DEPARTMENT_KEYS = {"id", "name", "full_name", "aliases", "kind", "members"}


def ok(result: Result) -> str:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert result.stderr == ""
    return result.stdout


def as_json(result: Result) -> Any:
    out = ok(result)
    assert "\\u" not in out, "JSON must not be ASCII-escaped"
    return json.loads(out)


def fails(result: Result) -> str:
    """A refused command: exit 1, nothing on stdout, one line on stderr."""
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("jsgj: error: ")
    return lines[0]


def fits_80(text: str) -> None:
    assert text.strip()
    for line in text.splitlines():
        assert cell_len(line) <= 80, f"{cell_len(line)} cells: {line!r}"


def official_lists() -> list[list[str]]:
    text = paths.source_path().read_text(encoding="utf-8")
    flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return [
        [x for x in re.split(r"[、,]", item) if x]
        for item in re.findall(r"\(([^()]+?)按职责分工负责\)", flat)
    ]


# --- measures -------------------------------------------------------------------


def test_measures_list_json_matches_the_document(jsgj: Invoke) -> None:
    records = as_json(jsgj("measures", "list", "--json"))
    assert len(records) == 19
    assert [r["number"] for r in records] == list(range(1, 20))
    assert all(MEASURE_KEYS <= set(r) for r in records)
    assert [r["department_names"] for r in records] == official_lists()
    departments = {d["id"]: d for d in as_json(jsgj("departments", "list", "--json"))}
    for r in records:
        assert [departments[i]["name"] for i in r["departments"]] == r["department_names"]
        assert r["lead"] == r["departments"][0]
        assert r["co"] == r["departments"][1:]
    assert records[5]["departments"][:3] == ["development_reform", "education", "industry_it"]
    assert records[0]["label"] == "（一）"


def test_measures_list_table(jsgj: Invoke) -> None:
    out = ok(jsgj("measures", "list"))
    fits_80(out)
    assert "措施清单（19项）" in out
    for title in ("完善职业教育招生机制", "加强保障体系建设"):
        assert title in out
    assert "人社厅" in out  # departments by their short form


def test_measures_list_by_section(jsgj: Invoke) -> None:
    records = as_json(jsgj("measures", "list", "--section", "2", "--json"))
    assert [r["number"] for r in records] == [6, 7, 8, 9]
    assert {r["section"] for r in records} == {2}
    out = ok(jsgj("measures", "list", "--section", "3"))
    fits_80(out)
    assert "措施清单（2项）" in out


def test_measures_list_by_department(jsgj: Invoke) -> None:
    records = as_json(jsgj("measures", "list", "--department", "民政厅", "--json"))
    assert [r["number"] for r in records] == [9]
    # A city counts through 各设区市人民政府.
    records = as_json(jsgj("measures", "list", "-d", "南京", "--json"))
    assert [r["number"] for r in records] == [1, 3, 5, 6, 19]
    records = as_json(jsgj("measures", "list", "-d", "人社厅", "--section", "1", "--json"))
    assert [r["number"] for r in records] == [1, 2, 3, 4, 5]
    fits_80(ok(jsgj("measures", "list", "-d", "hrss")))


def test_measures_list_refusals(jsgj: Invoke) -> None:
    assert "no section 9" in fails(jsgj("measures", "list", "--section", "9"))
    line = fails(jsgj("measures", "list", "--department", "人设厅"))
    assert "did you mean 省人力资源社会保障厅 (hrss)" in line


def test_measures_show(jsgj: Invoke) -> None:
    out = ok(jsgj("measures", "show", "9"))
    fits_80(out)
    assert "措施（九）建强急需紧缺领域高技能人才队伍" in out
    assert "二、加大高技能人才培养力度" in out
    assert "省人力资源社会保障厅" in out  # lead by full document name
    flat = "".join(line.strip("│ ") for line in out.splitlines())
    assert "围绕智改数转网联，实施数字技能提升行动" in flat
    assert "遗产保护修缮技艺传承人和工匠培养。" in flat  # the whole text, wrapped


def test_measures_show_json(jsgj: Invoke) -> None:
    record = as_json(jsgj("measures", "show", "9", "--json"))
    assert MEASURE_KEYS <= set(record)
    assert record["number"] == 9 and record["label"] == "（九）" and record["section"] == 2
    assert record["lead"] == "hrss"
    assert record["departments"][0] == "hrss" and len(record["departments"]) == 12
    assert record["text"].startswith("围绕智改数转网联")
    assert record == as_json(jsgj("measures", "list", "--json"))[8]


@pytest.mark.parametrize("number", ["0", "20"])
def test_measures_show_unknown(jsgj: Invoke, number: str) -> None:
    assert fails(jsgj("measures", "show", number)) == (
        f"jsgj: error: no measure {number}: the document has measures 1-19"
    )


def test_measures_show_not_a_number(jsgj: Invoke) -> None:
    result = jsgj("measures", "show", "nine")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1


# --- departments ----------------------------------------------------------------


def test_departments_list_json(jsgj: Invoke) -> None:
    records = as_json(jsgj("departments", "list", "--json"))
    assert len(records) == 34
    assert all(DEPARTMENT_KEYS <= set(r) for r in records)
    by_id = {r["id"]: r for r in records}
    cities = by_id["cities"]
    assert cities["name"] == "各设区市人民政府"
    assert cities["kind"] == "local_government"
    assert len(cities["members"]) == 13
    assert cities["members"][0] == "nanjing" and cities["members"][-1] == "suqian"
    assert all(by_id[m]["group"] == "cities" for m in cities["members"])
    hrss = by_id["hrss"]
    assert hrss["full_name"] == "江苏省人力资源和社会保障厅"
    assert "人社厅" in hrss["aliases"]
    assert hrss["members"] == []


def test_departments_list_table(jsgj: Invoke) -> None:
    out = ok(jsgj("departments", "list"))
    fits_80(out)
    row = next(line for line in out.splitlines() if line.split()[:1] == ["hrss"])
    assert row.split()[1:] == ["省人力资源社会保障厅", "省政府组成部门", "12", "7"]
    assert "宿迁市人民政府" in out


@pytest.mark.parametrize("typed", ["人社厅", "hrss", "江苏省人力资源和社会保障厅"])
def test_departments_show(jsgj: Invoke, typed: str) -> None:
    out = ok(jsgj("departments", "show", typed))
    fits_80(out)
    assert "省人力资源社会保障厅" in out
    assert "牵头 12项措施" in out and "配合 7项措施" in out


def test_departments_show_json(jsgj: Invoke) -> None:
    record = as_json(jsgj("departments", "show", "人社厅", "--json"))
    assert DEPARTMENT_KEYS <= set(record)
    assert (record["id"], record["name"]) == ("hrss", "省人力资源社会保障厅")
    assert len(record["leads"]) == 12 and len(record["co_owns"]) == 7


def test_departments_show_group(jsgj: Invoke) -> None:
    record = as_json(jsgj("departments", "show", "各设区市", "--json"))
    assert record["id"] == "cities" and len(record["members"]) == 13
    assert record["co_owns"] == [1, 3, 5, 6, 19]
    out = ok(jsgj("departments", "show", "cities"))
    fits_80(out)
    assert "成员" in out and "宿迁市" in out


def test_departments_show_city(jsgj: Invoke) -> None:
    record = as_json(jsgj("departments", "show", "苏州", "--json"))
    assert (record["id"], record["group"]) == ("suzhou", "cities")
    assert record["co_owns"] == [1, 3, 5, 6, 19]
    out = ok(jsgj("departments", "show", "苏州"))
    fits_80(out)
    assert "各设区市人民政府（通过其承担责任）" in out


def test_departments_show_unknown(jsgj: Invoke) -> None:
    line = fails(jsgj("departments", "show", "人设厅"))
    assert line.startswith("jsgj: error: unknown department '人设厅'; did you mean ")
    assert "省人力资源社会保障厅 (hrss)" in line
    assert "shows them all" in fails(jsgj("departments", "show", "xyzzy"))


# --- data files and the cache -------------------------------------------------


def test_invalid_data_is_refused_with_its_place(jsgj: Invoke, data_copy: Path) -> None:
    m = data_copy / "measures.yaml"
    text = m.read_text(encoding="utf-8")
    m.write_text(text.replace("      - 省财政厅\n", "      - 省财政局\n", 1), encoding="utf-8")
    line_no = m.read_text(encoding="utf-8").split("省财政局")[0].count("\n") + 1
    line = fails(
        jsgj(
            "--measures",
            str(m),
            "--departments",
            str(data_copy / "departments.yaml"),
            "measures",
            "list",
        )
    )
    assert f"measures.yaml:{line_no}:" in line and "D001" in line


def test_alternative_files_by_option(jsgj: Invoke, data_copy: Path) -> None:
    d = data_copy / "departments.yaml"
    text = d.read_text(encoding="utf-8")
    d.write_text(text.replace("aliases: [民政厅]", "aliases: [民政厅, 民政]"), encoding="utf-8")
    args = ("--measures", str(data_copy / "measures.yaml"), "--departments", str(d))
    assert as_json(jsgj(*args, "departments", "show", "民政", "--json"))["id"] == "civil_affairs"
    # The shipped copy does not know the new alias.
    assert "unknown department" in fails(jsgj("departments", "show", "民政"))


def test_warm_cache_gives_the_same_answer(jsgj: Invoke, isolated: Path) -> None:
    cold = ok(jsgj("measures", "list", "--json"))
    assert list((isolated / "cache").glob("catalog-*.json"))
    assert ok(jsgj("measures", "list", "--json")) == cold
