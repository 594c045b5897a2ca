"""`jsgj validate`: one test per rule on a mutated copy of data/, each asserting the
error's code and exact line in all three output formats, plus exit codes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import Result

from conftest import Invoke

FORMATS = ("human", "json", "github")

HUMAN = re.compile(
    r"^(?P<file>.+):(?P<line>\d+):(?P<column>\d+): (?P<code>[A-Z]\d{3}) (?P<msg>.+)$"
)
GITHUB = re.compile(
    r"^::error file=(?P<file>[^,]+),line=(?P<line>\d+),col=(?P<column>\d+)"
    r"(?:,title=(?P<title>[A-Z]\d{3}))?::(?P<code>[A-Z]\d{3}) (?P<msg>.+)$"
)


@dataclass(frozen=True)
class Found:
    file: str
    line: int
    column: int
    code: str
    message: str


def line_of(path: Path, needle: str, after: str | None = None) -> int:
    """1-based line of the first ``needle`` in ``path`` (after ``after``, if given)."""
    text = path.read_text(encoding="utf-8")
    start = text.index(after) if after is not None else 0
    pos = text.index(needle, start)
    return text.count("\n", 0, pos) + 1


def edit(path: Path, old: str, new: str, after: str | None = None) -> None:
    """Replace the first ``old`` (after ``after``) in ``path``; fail if it is not there."""
    text = path.read_text(encoding="utf-8")
    start = text.index(after) if after is not None else 0
    pos = text.index(old, start)
    path.write_text(text[:pos] + new + text[pos + len(old) :], encoding="utf-8")


def run(jsgj: Invoke, data: Path, fmt: str) -> Result:
    return jsgj(
        "--measures",
        str(data / "measures.yaml"),
        "--departments",
        str(data / "departments.yaml"),
        "validate",
        "--format",
        fmt,
    )


def parse(result: Result, fmt: str) -> list[Found]:
    """The problems a validate run printed, in any of the three formats."""
    out = result.stdout
    if fmt == "json":
        items = json.loads(out)
        assert isinstance(items, list)
        for item in items:
            assert set(item) == {"file", "line", "column", "code", "message"}
        return [Found(**item) for item in items]
    pattern = HUMAN if fmt == "human" else GITHUB
    found: list[Found] = []
    lines = out.splitlines()
    if fmt == "human":
        assert re.fullmatch(r"\d+ problem\(s\) in \d file\(s\)", lines[-1]), lines[-1]
        lines = lines[:-1]
    for line in lines:
        match = pattern.match(line)
        assert match is not None, f"not a {fmt} problem line: {line!r}"
        if fmt == "github" and match["title"]:
            assert match["title"] == match["code"]
        found.append(
            Found(
                match["file"],
                int(match["line"]),
                int(match["column"]),
                match["code"],
                match["msg"],
            )
        )
    return found


def same_file(shown: str, path: Path) -> bool:
    return Path(shown).resolve() == path.resolve()


# --- the mutations ------------------------------------------------------------
# Each takes the data copy, breaks one rule, and returns
# (file that should be blamed, the code, the line, the full set of codes expected).

Mutation = Callable[[Path], tuple[Path, str, int, set[str]]]
MEASURES = "\nmeasures:\n"  # where the measures start, after the sections


def missing_measure(data: Path) -> tuple[Path, str, int, set[str]]:
    f = data / "measures.yaml"
    text = f.read_text(encoding="utf-8")
    body = text.index(MEASURES)
    start, end = text.index("  - number: 5\n", body), text.index("  - number: 6\n", body)
    f.write_text(text[:start] + text[end:], encoding="utf-8")
    # Reported where measure 5 belongs: at measure 6.
    return f, "M002", line_of(f, "  - number: 6\n", after=MEASURES), {"M002", "P004"}


def duplicated_number(data: Path) -> tuple[Path, str, int, set[str]]:
    f = data / "measures.yaml"
    edit(f, "  - number: 7\n", "  - number: 6\n", after=MEASURES)
    # The second measure 6 (formerly 7) is blamed; 7 is then missing, and measures[6]
    # no longer agrees with the official measure 6.
    line = line_of(f, "  - number: 6\n", after="    label: （六）")
    return f, "M001", line, {"M001", "M002", "M004", "P001", "P002", "P003", "P004"}


def unknown_department(data: Path) -> tuple[Path, str, int, set[str]]:
    f = data / "measures.yaml"
    edit(f, "      - 省国资委\n", "      - 省国资局\n", after="  - number: 6\n")
    return f, "D001", line_of(f, "省国资局"), {"D001", "P003"}


def swapped_departments(data: Path) -> tuple[Path, str, int, set[str]]:
    f = data / "measures.yaml"
    edit(
        f,
        "      - 省教育厅\n      - 省工业和信息化厅\n",
        "      - 省工业和信息化厅\n      - 省教育厅\n",
        after="  - number: 6\n",
    )
    # The first position that differs: departments[1].
    return f, "P003", line_of(f, "      - 省工业和信息化厅", after="  - number: 6\n"), {"P003"}


def changed_character(data: Path) -> tuple[Path, str, int, set[str]]:
    f = data / "measures.yaml"
    edit(f, "实施数字技能提升行动", "实施数字技术提升行动", after="  - number: 9\n")
    return f, "P002", line_of(f, "实施数字技术提升行动"), {"P002"}


def broken_yaml(data: Path) -> tuple[Path, str, int, set[str]]:
    f = data / "measures.yaml"
    edit(f, "    label: （九）\n", "    label: （九）: oops\n")
    return f, "Y001", line_of(f, "（九）: oops"), {"Y001"}


def python_tag(data: Path) -> tuple[Path, str, int, set[str]]:
    f = data / "measures.yaml"
    edit(
        f,
        '    title: "建强急需紧缺领域高技能人才队伍"\n',
        "    title: !!python/object:jsgj.errors.Problem "
        "{file: a, line: 1, column: 1, code: X, message: m}\n",
    )
    return f, "Y002", line_of(f, "!!python/object"), {"Y002"}


def extra_field(data: Path) -> tuple[Path, str, int, set[str]]:
    f = data / "measures.yaml"
    edit(f, "    label: （九）\n", "    label: （九）\n    owner: 某人\n")
    return f, "S001", line_of(f, "    owner: 某人"), {"S001"}


def schema_error(data: Path) -> tuple[Path, str, int, set[str]]:
    f = data / "measures.yaml"
    # measures[8] is measure 9; its departments[2] is 省工业和信息化厅.
    edit(f, "      - 省工业和信息化厅\n", '      - ""\n', after="  - number: 9\n")
    return f, "S001", line_of(f, '      - ""'), {"S001"}


def duplicate_alias(data: Path) -> tuple[Path, str, int, set[str]]:
    f = data / "departments.yaml"
    edit(f, "aliases: [无锡市, 无锡, 无锡市政府]", "aliases: [无锡市, 南京, 无锡市政府]")
    return f, "D003", line_of(f, "[无锡市, 南京, 无锡市政府]"), {"D003"}


def unknown_member(data: Path) -> tuple[Path, str, int, set[str]]:
    f = data / "departments.yaml"
    edit(f, "members: [nanjing, wuxi,", "members: [nanjing, wuxii,")
    return f, "D004", line_of(f, "wuxii"), {"D004"}


MUTATIONS: list[Mutation] = [
    missing_measure,
    duplicated_number,
    unknown_department,
    swapped_departments,
    changed_character,
    broken_yaml,
    python_tag,
    extra_field,
    schema_error,
    duplicate_alias,
    unknown_member,
]


@pytest.mark.parametrize("mutate", MUTATIONS, ids=lambda f: f.__name__)
def test_rule(jsgj: Invoke, data_copy: Path, mutate: Mutation) -> None:
    blamed, code, line, codes = mutate(data_copy)
    for fmt in FORMATS:
        result = run(jsgj, data_copy, fmt)
        assert result.exit_code == 1, (fmt, result.stdout, result.stderr)
        problems = parse(result, fmt)
        hits = [p for p in problems if p.code == code]
        assert hits, f"{fmt}: no {code} in {problems}"
        assert any(same_file(p.file, blamed) and p.line == line for p in hits), (
            f"{fmt}: {code} expected at {blamed.name}:{line}, got {hits}"
        )
        assert {p.code for p in problems} == codes, (fmt, problems)
        assert all(p.line >= 1 and p.column >= 1 and p.message for p in problems)


def test_messages_name_the_place(jsgj: Invoke, data_copy: Path) -> None:
    """The schema error names its path; the unsafe tag, the extra field and the swap say
    in words what is wrong."""
    schema_error(data_copy)
    (found,) = parse(run(jsgj, data_copy, "json"), "json")
    assert found.message.startswith("measures[8].departments[2]: ")

    edit(data_copy / "measures.yaml", '      - ""\n', "      - 省工业和信息化厅\n")
    assert run(jsgj, data_copy, "json").exit_code == 0

    swapped_departments(data_copy)
    (found,) = parse(run(jsgj, data_copy, "json"), "json")
    assert "different order" in found.message
    assert "position 2 should be 省教育厅" in found.message


def test_extra_field_message(jsgj: Invoke, data_copy: Path) -> None:
    extra_field(data_copy)
    (found,) = parse(run(jsgj, data_copy, "json"), "json")
    assert found.message == "measures[8].owner: unknown field (not part of the schema)"


def test_changed_character_message(jsgj: Invoke, data_copy: Path) -> None:
    changed_character(data_copy)
    (found,) = parse(run(jsgj, data_copy, "json"), "json")
    assert found.message.startswith("measure 9 text differs at character ")
    assert "技能提升" in found.message and "技术提升" in found.message


def test_python_tag_is_never_run(jsgj: Invoke, data_copy: Path, tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    f = data_copy / "measures.yaml"
    edit(
        f,
        '    title: "建强急需紧缺领域高技能人才队伍"\n',
        f'    title: !!python/object/apply:os.mkdir ["{marker}"]\n',
    )
    result = run(jsgj, data_copy, "json")
    assert result.exit_code == 1
    (found,) = parse(result, "json")
    assert found.code == "Y002"
    assert found.line == line_of(f, "!!python/object/apply")
    assert "python/object/apply:os.mkdir" in found.message
    assert not marker.exists()


def test_valid_in_every_format(jsgj: Invoke, data_copy: Path) -> None:
    human = run(jsgj, data_copy, "human")
    assert human.exit_code == 0
    assert human.stdout == "data files are valid\n"
    as_json = run(jsgj, data_copy, "json")
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout) == []
    github = run(jsgj, data_copy, "github")
    assert github.exit_code == 0
    assert github.stdout == ""


def test_shipped_files_are_valid(jsgj: Invoke) -> None:
    result = jsgj("validate")
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "data files are valid\n"


def test_bad_format_is_a_usage_error(jsgj: Invoke) -> None:
    result = jsgj("validate", "--format", "xml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--format" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_every_problem_in_one_run(jsgj: Invoke, data_copy: Path) -> None:
    """Two mutations, two errors: validation does not stop at the first."""
    _, _, text_line, _ = changed_character(data_copy)
    _, _, swap_line, _ = swapped_departments(data_copy)
    for fmt in FORMATS:
        result = run(jsgj, data_copy, fmt)
        assert result.exit_code == 1
        problems = parse(result, fmt)
        assert [(p.code, p.line) for p in problems] == [("P003", swap_line), ("P002", text_line)]
    assert run(jsgj, data_copy, "human").stdout.endswith("2 problem(s) in 1 file(s)\n")


def test_problems_in_both_files_in_one_run(jsgj: Invoke, data_copy: Path) -> None:
    _, _, broken_line, _ = broken_yaml(data_copy)
    _, _, member_line, _ = unknown_member(data_copy)
    problems = parse(run(jsgj, data_copy, "json"), "json")
    assert {(Path(p.file).name, p.code, p.line) for p in problems} == {
        ("measures.yaml", "Y001", broken_line),
        ("departments.yaml", "D004", member_line),
    }


def test_environment_variables_select_the_files(
    jsgj: Invoke, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, _, line, _ = changed_character(data_copy)
    monkeypatch.setenv("JSGJ_MEASURES", str(data_copy / "measures.yaml"))
    monkeypatch.setenv("JSGJ_DEPARTMENTS", str(data_copy / "departments.yaml"))
    result = jsgj("validate", "--format", "json")
    assert result.exit_code == 1
    (found,) = parse(result, "json")
    assert (found.code, found.line) == ("P002", line)
    assert same_file(found.file, data_copy / "measures.yaml")


def test_missing_file_is_reported(jsgj: Invoke, data_copy: Path) -> None:
    (data_copy / "departments.yaml").unlink()
    result = run(jsgj, data_copy, "json")
    assert result.exit_code == 1
    (found,) = parse(result, "json")
    assert found.code == "Y003"
    assert same_file(found.file, data_copy / "departments.yaml")


def test_github_escapes_property_values(jsgj: Invoke, tmp_path: Path, data_copy: Path) -> None:
    """A comma or colon in a path must not break the annotation's properties."""
    odd = tmp_path / "a,b:c"
    data_copy.rename(odd)
    changed_character(odd)
    result = run(jsgj, odd, "github")
    (line,) = result.stdout.splitlines()
    assert "file=" in line and "a%2Cb%3Ac" in line
    assert GITHUB.match(line)


@pytest.mark.parametrize("broken", ["missing", "not utf-8"])
@pytest.mark.parametrize("measures_readable", [True, False])
def test_an_unreadable_official_text_is_one_message(
    data_copy: Path, tmp_path: Path, broken: str, measures_readable: bool
) -> None:
    """The measures' provenance and the indicators' targets both compare with the
    official text: whichever needs it (the indicators alone when the measures do not
    load), an unreadable file is the same one error."""
    from jsgj.errors import DataFileError
    from jsgj.paths import PACKAGE_DATA
    from jsgj.validate import check_files

    source = tmp_path / "source.txt"
    if broken == "not utf-8":
        source.write_bytes("苏政办发".encode("gb18030"))
    if not measures_readable:
        (data_copy / "measures.yaml").unlink()
    with pytest.raises(DataFileError, match=r"source\.txt: cannot read the official text"):
        check_files(
            data_copy / "measures.yaml",
            data_copy / "departments.yaml",
            source,
            PACKAGE_DATA / "indicators.yaml",
        )
