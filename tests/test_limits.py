"""Hostile returns are refused early, on one line, exit 1, nothing recorded: a zip
bomb before openpyxl parses it, too many rows or columns, overlong cells and notes,
control characters, a CSV mixing encodings, a formula without its value. And a
percentage cell reads as what it shows."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from conftest import Invoke
from jsgj import limits
from jsgj.sheets import table
from jsgj.tasks.rules import MAX_TEXT

HEADER = ["任务编号", "状态", "进度%", "日期", "进展情况", "佐证材料"]


@pytest.fixture
def db(jsgj: Invoke, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JSGJ_TODAY", "2025-06-30")
    assert jsgj("assign", "3", "--title", "发布需求目录", "--due", "2025-12-31").exit_code == 0
    return db_path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(jsgj: Invoke, db: Path, file: Path) -> str:
    """Import ``file``: exit 1, the database unchanged; the last stderr line."""
    before = digest(db)
    result = jsgj("import", str(file), "--by", "教育厅")
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert digest(db) == before
    last = result.stderr.splitlines()[-1]
    assert last.startswith("jsgj: error: ")
    return result.stderr


def xlsx(path: Path, rows: list[list[object]], formats: dict[str, str] | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["填报单位", "省教育厅"])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    for cell, fmt in (formats or {}).items():
        ws[cell].number_format = fmt
    wb.save(path)
    return path


def csv_file(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    text = "填报单位,省教育厅\n" + ",".join(HEADER) + "\n" + "\n".join(lines) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


def one_line_refusal(jsgj: Invoke, db: Path, file: Path) -> str:
    stderr = refused(jsgj, db, file)
    assert len(stderr.splitlines()) == 1, stderr
    return stderr


# --- xlsx: sizes from the zip directory -------------------------------------------


def bomb(path: Path, member: str, megabytes: int) -> Path:
    """A valid return whose ``member`` is replaced by ``megabytes`` of one repeated
    character (it compresses a thousandfold)."""
    base = xlsx(path.with_suffix(".base.xlsx"), [["3-1", "推进中", 10, "2025-06-30", "x", None]])
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename != member:
                out.writestr(info, src.read(info))
        with out.open(member, "w", force_zip64=True) as f:
            f.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            f.write(b"<si><t>")
            chunk = b"A" * (1 << 20)
            for _ in range(megabytes):
                f.write(chunk)
            f.write(b"</t></si></sst>")
    return path


def test_shared_strings_that_expand_too_far_are_refused_unparsed(
    jsgj: Invoke, db: Path, tmp_path: Path
) -> None:
    size = limits.XLSX_SHARED_STRINGS_MAX_BYTES // limits.MB + 2
    path = bomb(tmp_path / "bomb.xlsx", "xl/sharedStrings.xml", size)
    assert path.stat().st_size < limits.MB  # small on disk
    err = one_line_refusal(jsgj, db, path)
    assert "shared strings would expand" in err


@pytest.mark.stress
def test_a_200_mb_bomb_is_refused_in_little_memory(db: Path, tmp_path: Path) -> None:
    path = bomb(tmp_path / "bomb.xlsx", "xl/sharedStrings.xml", 200)
    code = (
        "import resource, sys\n"
        "from jsgj.cli.app import app\n"
        "try:\n"
        f"    app(['import', {str(path)!r}, '--by', '教育厅'])\n"
        "except SystemExit as e:\n"
        "    print(e.code, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    code_line = done.stderr.splitlines()[-1].split()
    assert code_line[0] == "1"
    assert int(code_line[1]) < 100 * 1024  # KiB: under 100 MB
    assert "would expand" in done.stderr


def test_an_oversized_file_is_refused(
    jsgj: Invoke, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jsgj.sheets.xlsx_read as X

    path = xlsx(tmp_path / "r.xlsx", [["3-1", "推进中", 10, "2025-06-30", "x", None]])
    monkeypatch.setattr(X, "XLSX_MAX_BYTES", path.stat().st_size - 1)
    assert "a return may be at most" in one_line_refusal(jsgj, db, path)


# --- rows, columns, cells ----------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_too_many_rows_are_refused(
    jsgj: Invoke, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    monkeypatch.setattr(table, "ROWS_MAX", 50)
    rows = [["3-1", "推进中", 10, "2025-06-30", f"第{i}次", None] for i in range(60)]
    if kind == "csv":
        path = csv_file(tmp_path / "r.csv", [",".join(str(c or "") for c in r) for r in rows])
    else:
        path = xlsx(tmp_path / "r.xlsx", rows)  # type: ignore[arg-type]
    assert "more than 50 rows" in one_line_refusal(jsgj, db, path)


@pytest.mark.stress
def test_a_million_rows_stop_at_the_limit(jsgj: Invoke, db: Path, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    line = "3-1,推进中,10,2025-06-30,一行,\n"
    head = "填报单位,省教育厅\n" + ",".join(HEADER) + "\n"
    path.write_text(head + line * (limits.ROWS_MAX + 10), encoding="utf-8")
    assert "rows" in one_line_refusal(jsgj, db, path)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_too_many_columns_are_refused(jsgj: Invoke, db: Path, tmp_path: Path, kind: str) -> None:
    row: list[object] = ["3-1", "推进中", 10, "2025-06-30", "x", None]
    row += ["多"] * (limits.COLUMNS_MAX + 1)
    if kind == "csv":
        path = csv_file(tmp_path / "r.csv", [",".join(str(c or "") for c in row)])
    else:
        path = xlsx(tmp_path / "r.xlsx", [row])
    assert f"more than {limits.COLUMNS_MAX} columns" in one_line_refusal(jsgj, db, path)


def test_a_cell_longer_than_excel_holds_is_refused_by_name(
    jsgj: Invoke, db: Path, tmp_path: Path
) -> None:
    path = csv_file(tmp_path / "r.csv", ["3-1,推进中,10,2025-06-30,x," + "长" * 40_000])
    assert "cell F3 holds 40,000 characters" in one_line_refusal(jsgj, db, path)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_note_and_evidence_length_is_the_same_limit_in_every_file(
    jsgj: Invoke, db: Path, tmp_path: Path, kind: str
) -> None:
    """The task core's rule (MAX_TEXT), as for `progress --note`."""
    note = "进" * (MAX_TEXT + 1)
    evidence = "证" * (MAX_TEXT + 1)
    rows: list[list[object]] = [["3-1", "推进中", 10, "2025-06-30", note, evidence]]
    path = (
        csv_file(tmp_path / "r.csv", [",".join(str(c) for c in rows[0])])
        if kind == "csv"
        else xlsx(tmp_path / "r.xlsx", rows)
    )
    err = refused(jsgj, db, path)
    assert err.count(f"is {MAX_TEXT + 1} characters long") == 2
    # At the limit: accepted.
    rows = [["3-1", "推进中", 10, "2025-06-30", note[:-1], evidence[:-1]]]
    path = xlsx(tmp_path / "ok.xlsx", rows)
    assert jsgj("import", str(path), "--by", "教育厅").exit_code == 0


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07", "\x85", "\u202e"])
def test_control_characters_in_a_note_are_refused_naming_row_and_column(
    jsgj: Invoke, db: Path, tmp_path: Path, char: str
) -> None:
    path = csv_file(tmp_path / "r.csv", [f"3-1,推进中,10,2025-06-30,完成{char}调研,"])
    err = refused(jsgj, db, path)
    assert f"U+{ord(char):04X}" in err and "进展情况 (E)" in err


def test_line_breaks_and_tabs_in_a_note_are_kept(jsgj: Invoke, db: Path, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "r.xlsx", [["3-1", "推进中", 10, "2025-06-30", "一\n二\t三", None]])
    assert jsgj("import", str(path), "--by", "教育厅").exit_code == 0


# --- encodings, formulas, percentages -------------------------------------------------


def test_a_gb18030_csv_with_one_utf8_line_is_refused_naming_the_line(
    jsgj: Invoke, db: Path, tmp_path: Path
) -> None:
    head = ("填报单位,省教育厅\n" + ",".join(HEADER) + "\n").encode("gb18030")
    good = "3-1,推进中,10,2025-06-29,完成调研报告,\n".encode("gb18030")
    pasted = "3-1,推进中,20,2025-06-30,完成调研报告,\n".encode()
    path = tmp_path / "r.csv"
    path.write_bytes(head + good + pasted)
    err = one_line_refusal(jsgj, db, path)
    assert "line 4 is UTF-8" in err and "line 1 is not" in err


def test_a_plain_gb18030_csv_still_reads(jsgj: Invoke, db: Path, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "r.csv", ["3-1,推进中,10,2025-06-30,完成调研报告,"], "gb18030")
    result = jsgj("import", str(path), "--by", "教育厅")
    assert result.exit_code == 0, result.stderr
    shown = jsgj("tasks", "show", "3-1", "--json").stdout
    assert "完成调研报告" in shown


def test_a_formula_without_a_cached_value_is_refused_by_its_cell(
    jsgj: Invoke, db: Path, tmp_path: Path
) -> None:
    rows: list[list[object]] = [["3-1", "推进中", "=5*2", "2025-06-30", "x", None]]
    path = xlsx(tmp_path / "r.xlsx", rows)  # openpyxl stores no value: as a program would
    assert "cell C3 holds a formula without a value" in one_line_refusal(jsgj, db, path)


def test_a_percentage_cell_reads_as_it_shows(jsgj: Invoke, db: Path, tmp_path: Path) -> None:
    rows: list[list[object]] = [["3-1", "推进中", 0.6, "2025-06-30", "过半", None]]
    path = xlsx(tmp_path / "r.xlsx", rows, {"C3": "0%"})
    result = jsgj("import", str(path), "--by", "教育厅")
    assert result.exit_code == 0, result.stderr
    assert json.loads(jsgj("tasks", "show", "3-1", "--json").stdout)["task"]["percent"] == 60
