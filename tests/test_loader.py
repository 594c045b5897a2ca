"""The loader and the validator on the shipped files, and the loader's own guarantees:
safe YAML only, a place (file, line, column) on every error, duplicate keys refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jsgj import paths
from jsgj.catalog.loader import Mark, load_departments, load_measures, read_yaml
from jsgj.catalog.models import DepartmentKind, Direction
from jsgj.catalog.structure import measure_label
from jsgj.errors import InvalidDataError
from jsgj.validate import check_files

MEASURES = paths.PACKAGE_DATA / "measures.yaml"
DEPARTMENTS = paths.PACKAGE_DATA / "departments.yaml"


def line_of(path: Path, needle: str, after: str | None = None) -> int:
    text = path.read_text(encoding="utf-8")
    start = text.index(after) if after is not None else 0
    return text.count("\n", 0, text.index(needle, start)) + 1


def problems_of(path: Path, text: str) -> list[tuple[str, int, int]]:
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidDataError) as info:
        read_yaml(path)
    return [(p.code, p.line, p.column) for p in info.value.problems]


# --- the shipped files ----------------------------------------------------------


def test_shipped_files_are_valid() -> None:
    assert check_files(MEASURES, DEPARTMENTS, paths.source_path()) == []


def test_shipped_document() -> None:
    doc = load_measures(MEASURES).data.document
    assert doc.number == "苏政办发〔2024〕37号"
    assert doc.issuer == "江苏省人民政府办公厅"
    assert doc.issued == dt.date(2024, 12, 20)
    assert doc.publication == "此件公开发布"
    assert doc.title == "关于深化“江苏工匠”培育工程加强高技能人才队伍建设的若干措施"
    targets = {t.id: t for t in doc.targets}
    employed = targets["skilled_share_of_employed"]
    assert (employed.name, employed.direction, employed.value, employed.unit) == (
        "技能人才占就业人员的比例",
        Direction.at_least,
        30,
        "%",
    )
    high = targets["high_skilled_share_of_skilled"]
    assert (high.name, high.value) == ("高技能人才占技能人才的比例", 35)
    assert {t.deadline for t in doc.targets} == {dt.date(2025, 12, 31)}
    assert doc.aim_2035.startswith("到2035年")


def test_shipped_sections_and_measures() -> None:
    data = load_measures(MEASURES).data
    assert [(s.number, s.label) for s in data.sections] == list(
        zip(range(1, 6), "一二三四五", strict=True)
    )
    assert [m.number for m in data.measures] == list(range(1, 20))
    assert [m.label for m in data.measures] == [measure_label(n) for n in range(1, 20)]
    assert measure_label(19) == "（十九）" and measure_label(10) == "（十）"
    assert [m.section for m in data.measures] == [1] * 5 + [2] * 4 + [3] * 2 + [4] * 4 + [5] * 4
    assert all(m.departments and m.text and m.title for m in data.measures)


def test_shipped_departments() -> None:
    depts = load_departments(DEPARTMENTS).data.departments
    assert len(depts) == 34  # 21 bodies the document names + 13 city governments
    (group,) = [d for d in depts if d.members]
    assert group.name == "各设区市人民政府"
    assert len(group.members) == 13
    ids = {d.id for d in depts}
    assert set(group.members) <= ids
    cities = [d for d in depts if d.id in group.members]
    assert {d.kind for d in cities} == {DepartmentKind.local_government}
    assert cities[0].name == "南京市人民政府" and cities[-1].name == "宿迁市人民政府"


def test_marks_point_into_the_file() -> None:
    loaded = load_measures(MEASURES)
    mark = loaded.mark("measures", 8, "departments", 2)
    assert mark.line == line_of(MEASURES, "      - 省工业和信息化厅", after="  - number: 9\n")
    assert mark.column == 9  # the scalar after "      - "
    # A key that does not exist falls back to its nearest ancestor.
    assert loaded.mark("measures", 8, "nope") == loaded.mark("measures", 8)
    # The root is the document's first mapping, after the leading comments.
    assert loaded.mark("nope") == Mark(line_of(MEASURES, "document:"), 1)


# --- the loader on broken input -------------------------------------------------


def test_syntax_error_has_its_place(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "x.yaml", "a: 1\nb: [1, 2\nc: 3\n")[0][0] == "Y001"
    assert problems_of(tmp_path / "x.yaml", "a: 1\nb: c: d\n") == [("Y001", 2, 5)]


def test_unsafe_tag_is_an_error_and_never_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f'a: 1\nb: !!python/object/apply:os.mkdir ["{marker}"]\n'
    assert problems_of(tmp_path / "x.yaml", text) == [("Y002", 2, 4)]
    assert not marker.exists()
    text = "a: !!python/object:jsgj.errors.Problem {file: f}\n"
    assert problems_of(tmp_path / "x.yaml", text) == [("Y002", 1, 4)]


def test_duplicate_key_is_an_error(tmp_path: Path) -> None:
    """PyYAML would keep the last value silently; the loader refuses both."""
    f = tmp_path / "x.yaml"
    f.write_text("a:\n  b: 1\n  c: 2\n  b: 3\n", encoding="utf-8")
    with pytest.raises(InvalidDataError) as info:
        read_yaml(f)
    (p,) = info.value.problems
    assert (p.code, p.line, p.column) == ("Y004", 4, 3)
    assert p.message == "a.b: duplicate key"


def test_not_utf8_and_missing_file(tmp_path: Path) -> None:
    f = tmp_path / "x.yaml"
    f.write_bytes(b"a: \xff\n")
    with pytest.raises(InvalidDataError) as info:
        read_yaml(f)
    assert info.value.problems[0].code == "Y003"
    with pytest.raises(InvalidDataError) as info:
        read_yaml(tmp_path / "absent.yaml")
    assert info.value.problems[0].code == "Y003"
    assert "cannot read" in info.value.problems[0].message


def test_empty_file_is_a_schema_error(tmp_path: Path) -> None:
    f = tmp_path / "departments.yaml"
    f.write_text("# nothing\n", encoding="utf-8")
    with pytest.raises(InvalidDataError) as info:
        load_departments(f)
    (p,) = info.value.problems
    assert p.code == "S001"
    assert p.message.startswith("the file: ")


def test_schema_errors_all_reported_with_lines(tmp_path: Path) -> None:
    f = tmp_path / "departments.yaml"
    f.write_text(
        "departments:\n"
        "  - id: a\n"
        "    name: 甲\n"
        "    full_name: 甲甲\n"
        "    kind: nonsense\n"
        "  - id: b\n"
        "    name: 乙\n"
        "    colour: red\n"
        "    kind: party_organ\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidDataError) as info:
        load_departments(f)
    found = {(p.line, p.message) for p in info.value.problems}
    assert (
        5,
        "departments[0].kind: must be one of 'provincial_department', "
        "'party_organ', 'peoples_organisation', 'vertical_agency', "
        "'local_government', not 'nonsense'",
    ) in found
    assert (8, "departments[1].colour: unknown field (not part of the schema)") in found
    # A missing field points at the mapping that lacks it.
    assert (6, "departments[1].full_name: required field is missing") in found
    assert len(found) == 3
    assert all(
        p.code == "S001" and p.file.endswith("departments.yaml") for p in info.value.problems
    )
    assert str(info.value).startswith(info.value.problems[0].file)
    assert "(and 2 more; run `jsgj validate`)" in str(info.value)
