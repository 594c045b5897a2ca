"""`jsgj matrix`: roles equal the official text, 80 columns, the task overlay and its
counting rule, sorting and measure selection, the department sheet, every format
(golden files on the demo database)."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from conftest import Invoke
from jsgj import paths
from jsgj.catalog.official import parse_official
from jsgj.errors import UsageError
from jsgj.reports.matrix import measures_label, parse_measures
from report_helpers import build_small, check_golden, demo_db, fresh_catalog, xlsx_snapshot

__all__ = ["demo_db"]  # the session fixture, imported for pytest

AS_OF = "2025-06-29"


def matrix_json(jsgj: Invoke, *args: str) -> dict[str, Any]:
    result = jsgj("matrix", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.fixture(autouse=True)
def empty_db(db_path: Path) -> Path:
    """JSGJ_DB holds an empty database: the matrix reads one, and never creates one."""
    from jsgj.store.db import Store

    Store.open(db_path, fresh_catalog(), create=True).close()
    return db_path


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    path = tmp_path / "small.db"
    build_small(path)
    return path


# --- the document's department lists ---------------------------------------------


def test_roles_equal_the_official_department_lists_for_all_19_measures(jsgj: Invoke) -> None:
    official = parse_official(paths.source_path().read_text(encoding="utf-8"))
    assert sorted(official.measures) == list(range(1, 20))
    by_name = {d.name: d.id for d in fresh_catalog().departments}
    data = matrix_json(jsgj)
    rows = {r["id"]: r for r in data["departments"]}
    assert [m["number"] for m in data["measures"]] == list(range(1, 20))
    for number, measure in official.measures.items():
        ids = [by_name[name] for name in measure.departments]  # exact names from the text
        expected = {ids[0]: "lead", **dict.fromkeys(ids[1:], "co")}
        for did, row in rows.items():
            assert row["cells"][str(number)]["role"] == expected.get(did), (number, did)
        assert set(expected) <= set(rows), number
        column = data["measures"][number - 1]
        assert column["departments"] == len(ids)


def test_every_named_body_is_a_row_in_document_order(jsgj: Invoke) -> None:
    data = matrix_json(jsgj)
    named = [d.id for d in fresh_catalog().named()]
    assert [r["id"] for r in data["departments"]] == named
    assert len(named) == 21
    assert sum(r["led"] for r in data["departments"]) == 19


def test_csv_and_markdown_cells_carry_the_roles(jsgj: Invoke) -> None:
    csv_text = jsgj("matrix", "--format", "csv").stdout
    lines = csv_text.splitlines()
    assert lines[0].startswith("单位,1,2,3")
    hrss = next(line for line in lines if line.startswith("省人力资源社会保障厅,"))
    cells = hrss.split(",")[1:20]
    assert cells[4] == "牵" and cells[0] == "配"  # leads measure 5, co-owns measure 1
    md = jsgj("matrix", "--format", "markdown").stdout
    assert "| 省教育厅 | 牵 | 牵 | 牵 | 牵 |" in md


# --- the terminal ------------------------------------------------------------------


def widest(text: str) -> int:
    return max(cell_len(line) for line in text.splitlines())


def test_the_plain_matrix_fits_80_columns_in_one_table(jsgj: Invoke) -> None:
    result = jsgj("matrix")
    assert result.exit_code == 0
    assert widest(result.stdout) <= 80
    assert "措施1-10" not in result.stdout  # not split
    header = next(line for line in result.stdout.splitlines() if line.startswith("单位"))
    assert header.split()[1:] == [*map(str, range(1, 20)), "牵头", "配合", "任务"]
    assert "\x1b[" not in result.stdout  # no colour when not a terminal


def test_the_matrix_refuses_a_missing_database_and_creates_none(
    jsgj: Invoke, tmp_path: Path
) -> None:
    missing = tmp_path / "typo.db"
    result = jsgj("--db", str(missing), "matrix", "--tasks")
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert "no such database" in result.stderr
    assert not missing.exists()


def test_the_task_overlay_is_split_to_fit_80_columns(jsgj: Invoke, demo_db: Path) -> None:
    result = jsgj("--db", str(demo_db), "matrix", "--tasks", "--as-of", AS_OF)
    assert result.exit_code == 0
    assert widest(result.stdout) <= 80
    assert "措施1-10" in result.stdout and "措施11-19" in result.stdout


def test_a_wide_terminal_gets_one_table(
    jsgj: Invoke, demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    result = jsgj("--db", str(demo_db), "matrix", "--tasks", "--as-of", AS_OF)
    assert "措施1-10" not in result.stdout
    assert widest(result.stdout) <= 160


# --- the overlay's counts -------------------------------------------------------------


def cell(data: dict[str, Any], department: str, measure: int) -> dict[str, Any]:
    row = next(r for r in data["departments"] if r["id"] == department)
    c: dict[str, Any] = row["cells"][str(measure)]
    return c


def test_cells_count_reportable_tasks_with_their_worst_light(jsgj: Invoke, small_db: Path) -> None:
    result = jsgj("--db", str(small_db), "matrix", "--tasks", "--as-of", AS_OF, "--format", "json")
    data = json.loads(result.stdout)
    assert cell(data, "hrss", 7) == {
        "role": "lead", "tasks": 1, "done": 0, "light": "red", "lead_tasks": 1, "co_tasks": 0
    }  # fmt: skip
    assert cell(data, "trade_unions", 7) == {
        "role": "co", "tasks": 1, "done": 0, "light": "red", "lead_tasks": 0, "co_tasks": 1
    }  # fmt: skip
    assert cell(data, "hrss", 12)["light"] == "blue"  # due in 3 days, on pace: 临期
    assert cell(data, "hrss", 8)["light"] == "green"
    # The shared-out task counts as its 13 city tasks for the cities, who lead them;
    # its co-owner counts it once, on the parent, as 配合.
    cities = cell(data, "cities", 1)
    assert (cities["tasks"], cities["done"], cities["lead_tasks"], cities["co_tasks"]) == (
        13, 1, 13, 0
    )  # fmt: skip
    education = cell(data, "education", 1)
    assert (education["tasks"], education["lead_tasks"], education["co_tasks"]) == (1, 0, 1)
    # Cancelled tasks are left out.
    assert cell(data, "hrss", 9) == {
        "role": "lead", "tasks": 0, "done": 0, "light": None, "lead_tasks": 0, "co_tasks": 0
    }  # fmt: skip
    assert data["totals"] == {"tasks": 16, "done": 1}
    hrss = next(r for r in data["departments"] if r["id"] == "hrss")
    assert hrss["tasks"] == 3  # 7-1, 12-1, 8-1


def test_the_terminal_overlay_marks_red_and_yellow(jsgj: Invoke, small_db: Path) -> None:
    out = jsgj("--db", str(small_db), "matrix", "--tasks", "--as-of", AS_OF).stdout
    hrss = " ".join(line for line in out.splitlines() if line.startswith("人社厅"))
    assert "0/1!" in hrss  # measure 7 is red
    assert "!=有红灯" in out


def test_as_of_shows_what_was_known_then(jsgj: Invoke, small_db: Path) -> None:
    before = json.loads(
        jsgj("--db", str(small_db), "matrix", "--as-of", "2025-06-05", "--format", "json").stdout
    )
    assert cell(before, "hrss", 9)["tasks"] == 1  # not yet cancelled
    assert cell(before, "cities", 1)["done"] == 0


# --- options --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        (None, tuple(range(1, 20))),
        ("1-9", tuple(range(1, 10))),
        ("1,3,5", (1, 3, 5)),
        ("11-13, 2", (2, 11, 12, 13)),
        ("19", (19,)),
        ("3，1", (1, 3)),
    ],
)
def test_parse_measures(text: str | None, numbers: tuple[int, ...]) -> None:
    assert parse_measures(text, fresh_catalog()) == numbers


@pytest.mark.parametrize("text", ["0", "20", "5-3", "a", "1-", "1..3"])
def test_parse_measures_refuses(text: str) -> None:
    with pytest.raises(UsageError):
        parse_measures(text, fresh_catalog())


def test_measures_label() -> None:
    assert measures_label((1, 2, 3, 5, 7, 8)) == "1-3、5、7-8"


def test_measures_option_narrows_columns_and_rows(jsgj: Invoke) -> None:
    data = matrix_json(jsgj, "--measures", "1-4")
    assert [m["number"] for m in data["measures"]] == [1, 2, 3, 4]
    assert [r["id"] for r in data["departments"]] == [
        "education",
        "hrss",
        "cities",
        "organization",
        "finance",
    ]
    result = jsgj("matrix", "-m", "1-4")
    assert "措施1-4" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--measures", "0"), "no measure 0"),
        (("--sort", "size"), "unknown order"),
        (("--format", "pdf"), "unknown format"),
        (("--as-of", "29.6.2025"), "is not a date"),
        (("--department", "外交部"), "unknown department"),
    ],
)
def test_bad_options_fail_with_one_line(jsgj: Invoke, args: tuple[str, ...], message: str) -> None:
    result = jsgj("matrix", *args)
    assert result.exit_code != 0
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_sort_orders(jsgj: Invoke, demo_db: Path) -> None:
    kind = [r["kind"] for r in matrix_json(jsgj, "--sort", "kind")["departments"]]
    order = [
        "provincial_department",
        "party_organ",
        "peoples_organisation",
        "vertical_agency",
        "local_government",
    ]
    assert kind == sorted(kind, key=order.index)
    names = [r["name"] for r in matrix_json(jsgj, "--sort", "name")["departments"]]
    assert names == sorted(names)
    result = jsgj(
        "--db", str(demo_db), "matrix", "--sort", "load", "--as-of", AS_OF, "--format", "json"
    )
    rows = json.loads(result.stdout)["departments"]
    loads = [(r["tasks"], r["led"]) for r in rows]
    assert loads == sorted(loads, key=lambda x: (-x[0], -x[1]))
    # Without tasks the load is the measures led and co-owned.
    first = matrix_json(jsgj, "--sort", "load")["departments"][0]
    assert first["id"] == "hrss"


# --- the department sheet ------------------------------------------------------------------


def sheet(jsgj: Invoke, db: Path, department: str) -> dict[str, Any]:
    result = jsgj("--db", str(db), "matrix", "-d", department, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_sheet_of_a_department(jsgj: Invoke, small_db: Path) -> None:
    data = sheet(jsgj, small_db, "人社厅")
    assert data["department"]["name"] == "省人力资源社会保障厅"
    assert data["tasks"] == 3
    m7 = next(m for m in data["measures"] if m["number"] == 7)
    (task,) = m7["tasks"]
    assert (task["id"], task["role"], task["light"], task["reason"]) == (
        "7-1",
        "lead",
        "red",
        "逾期9天（原定2025-06-20），进度40%",
    )
    assert task["due_date"] == "2025-06-20" and task["last_report_date"] == "2025-06-24"
    m9 = next(m for m in data["measures"] if m["number"] == 9)
    assert m9["tasks"][0]["status"] == "cancelled" and not m9["tasks"][0]["counted"]
    # Measures it has no task under are still listed (its responsibility).
    assert len(data["measures"]) == data["led"] + data["co"] == 19


def test_sheet_of_the_cities_shows_the_total_line_and_each_city(
    jsgj: Invoke, small_db: Path
) -> None:
    data = sheet(jsgj, small_db, "各设区市")
    m1 = next(m for m in data["measures"] if m["number"] == 1)
    levels = [t["level"] for t in m1["tasks"]]
    assert levels == ["total"] + ["city"] * 13
    assert not m1["tasks"][0]["counted"]
    assert data["tasks"] == 13 and data["done"] == 1


def test_sheet_of_one_city(jsgj: Invoke, small_db: Path) -> None:
    data = sheet(jsgj, small_db, "南京")
    m1 = next(m for m in data["measures"] if m["number"] == 1)
    assert [t["id"] for t in m1["tasks"]] == ["1-1", "1-1.nanjing"]
    assert data["tasks"] == 1 and data["done"] == 1


def test_sheet_table_prints_the_reason(jsgj: Invoke, small_db: Path) -> None:
    out = jsgj("--db", str(small_db), "matrix", "-d", "hrss", "--as-of", AS_OF).stdout
    # the reason sits under the task's name, wrapped within its column at 80 columns
    # (on the lines under a row, which start in the task column)
    task_column = "".join(line.strip() for line in out.splitlines() if line.startswith("  "))
    assert "部门责任清单" in out and "逾期9天（原定2025-06-20），进度40%" in task_column
    assert widest(out) <= 80


# --- files --------------------------------------------------------------------------------


def test_csv_file_has_a_bom_for_excel(jsgj: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "m.csv"
    assert jsgj("matrix", "-f", "csv", "-o", str(target)).exit_code == 0
    assert target.read_bytes().startswith("\ufeff单位".encode())
    assert not jsgj("matrix", "-f", "csv").stdout.startswith("\ufeff")


def test_xlsx(jsgj: Invoke, tmp_path: Path, demo_db: Path) -> None:
    from openpyxl import load_workbook

    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for target in (a, b):
        args = ("--db", str(demo_db), "matrix", "--tasks", "--as-of", AS_OF, "-f", "xlsx")
        assert jsgj(*args, "-o", str(target)).exit_code == 0
    assert a.read_bytes() == b.read_bytes()  # deterministic, even the zip
    ws = load_workbook(BytesIO(a.read_bytes())).active
    assert ws.title == "责任分工矩阵"
    assert ws.freeze_panes == "B4"
    assert ws["A3"].value == "单位" and ws["B3"].value == "1 完善职业教育招生机制"
    assert ws["A4"].value == "省教育厅" and ws["B4"].value == "牵 1/4 红灯"
    assert ws.column_dimensions["A"].width >= 20  # wide enough for 省人力资源社会保障厅


def test_xlsx_goes_to_a_pipe(jsgj: Invoke) -> None:
    result = jsgj("matrix", "-f", "xlsx")  # stdout is not a terminal here: bytes go out
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"PK")


# --- golden files on the demo database -----------------------------------------------------

TEXT_FORMATS = {"table": "txt", "csv": "csv", "markdown": "md", "json": "json", "html": "html"}


@pytest.mark.parametrize("fmt", list(TEXT_FORMATS))
def test_golden_matrix_with_tasks(jsgj: Invoke, demo_db: Path, fmt: str) -> None:
    result = jsgj("--db", str(demo_db), "matrix", "--tasks", "--as-of", AS_OF, "-f", fmt)
    assert result.exit_code == 0, result.stderr
    check_golden(f"matrix-tasks.{TEXT_FORMATS[fmt]}", result.stdout)


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_golden_matrix_without_tasks(jsgj: Invoke, demo_db: Path, fmt: str) -> None:
    result = jsgj("--db", str(demo_db), "matrix", "--as-of", AS_OF, "-f", fmt)
    assert result.exit_code == 0, result.stderr
    check_golden(f"matrix.{TEXT_FORMATS[fmt]}", result.stdout)


def test_golden_matrix_xlsx(jsgj: Invoke, demo_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "m.xlsx"
    args = ("--db", str(demo_db), "matrix", "--tasks", "--as-of", AS_OF, "-f", "xlsx")
    assert jsgj(*args, "-o", str(target)).exit_code == 0
    check_golden("matrix-tasks.xlsx.json", xlsx_snapshot(target.read_bytes()))


@pytest.mark.parametrize("fmt", list(TEXT_FORMATS))
def test_golden_department_sheet(jsgj: Invoke, demo_db: Path, fmt: str) -> None:
    result = jsgj("--db", str(demo_db), "matrix", "-d", "财政厅", "--as-of", AS_OF, "-f", fmt)
    assert result.exit_code == 0, result.stderr
    check_golden(f"sheet-finance.{TEXT_FORMATS[fmt]}", result.stdout)


def test_golden_department_sheet_xlsx(jsgj: Invoke, demo_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "s.xlsx"
    args = ("--db", str(demo_db), "matrix", "-d", "财政厅", "--as-of", AS_OF, "-f", "xlsx")
    assert jsgj(*args, "-o", str(target)).exit_code == 0
    check_golden("sheet-finance.xlsx.json", xlsx_snapshot(target.read_bytes()))
