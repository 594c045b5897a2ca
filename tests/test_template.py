"""`jsgj template`: the progress return form (进展填报表), .xlsx and .csv."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner, Result

from conftest import Invoke
from jsgj.cli.app import app

TODAY = "2025-06-29"  # a Sunday
HEADERS = [
    "任务编号",
    "措施",
    "任务名称",
    "角色",
    "截止日期",
    "当前状态",
    "当前进度%",
    "上次填报",
    "状态",
    "进度%",
    "日期",
    "进展情况",
    "佐证材料",
]
EDUCATION_TASKS = ["1-1", "1-2", "6-1"]
"""省教育厅's open tasks: 1-1 it leads, 1-2 (shared out to the cities) and 6-1 it co-owns,
as 配合 rows; never the cities' own shares of 1-2."""


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.stderr
    return result


SEED = [
    ["assign", "1", "--title", "制定全省职业学校招生计划", "--due", "2025-12-31", "--co", "人社厅"],
    ["assign", "1", "--title", "落实同批次并行招生", "--lead", "cities", "--co", "教育厅",
     "--due", "2025-09-30"],
    ["assign", "6", "--title", "培育市域产教联合体", "--co", "教育厅", "--due", "2025-10-31"],
    ["assign", "5", "--title", "保障技能人才用地", "--due", "2025-10-31"],
    ["assign", "5", "--title", "建设技能人才公寓", "--co", "各设区市", "--due", "2025-11-30"],
    ["assign", "2", "--title", "本科技师贯通培养", "--start", "2025-01-06", "--due", "2025-05-31"],
    ["progress", "2-1", "--status", "done", "--note", "试点启动", "--by", "教育厅",
     "--date", "2025-05-30", "--evidence", "苏教职〔2025〕5号"],
    ["review", "2-1", "--approve", "--date", "2025-05-30"],
    ["assign", "3", "--title", "已撤销的任务", "--due", "2025-12-31"],
    ["tasks", "cancel", "3-1", "--reason", "并入1-1"],
    ["progress", "1-1", "--status", "推进中", "--percent", "30", "--note", "开会部署",
     "--by", "教育厅", "--date", "2025-06-20"],
]  # fmt: skip
"""Tasks around 省教育厅 on 2025-06-29: 1-1 it leads; 1-2 led by the cities (one task
each, 1-2.nanjing ...) with 教育厅 co; 6-1 led by 发改委 with 教育厅 co; 5-1 (人社厅) and
5-2 (人社厅, the cities co) it has nothing to do with; 2-1 it led, done; 3-1 it led,
cancelled. Reports: #1 on 2-1, #2 on 1-1."""


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The SEED database, built once per session through the CLI."""
    base = tmp_path_factory.mktemp("seeded")
    env = {
        "JSGJ_DB": str(base / "jsgj.db"),
        "JSGJ_CACHE": str(base / "cache"),
        "JSGJ_TODAY": TODAY,
        "JSGJ_USER": "tester",
    }
    runner = CliRunner()
    for args in SEED:
        ok(runner.invoke(app, args, env=env, catch_exceptions=False))
    return base / "jsgj.db"


@pytest.fixture
def seeded(jsgj: Invoke, monkeypatch: pytest.MonkeyPatch, seeded_db: Path, db_path: Path) -> Invoke:
    """The CLI on a fresh copy of the SEED database, on 2025-06-29."""
    monkeypatch.setenv("JSGJ_TODAY", TODAY)
    for path in seeded_db.parent.glob(seeded_db.name + "*"):
        shutil.copy(path, db_path.parent / path.name.replace(seeded_db.name, db_path.name))
    return jsgj


def form_table(path: Path) -> tuple[int, list[list[Any]]]:
    """(header row number, rows from the header on) of a form workbook."""
    ws = openpyxl.load_workbook(path).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    head = next(i for i, r in enumerate(rows) if r and r[0] == "任务编号")
    return head + 1, rows[head:]


# --- xlsx ---------------------------------------------------------------------------


def test_xlsx_form_for_a_department(seeded: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "form.xlsx"
    result = ok(seeded("template", "省教育厅", "--output", str(out)))
    assert "3 tasks" in result.stdout
    assert "return by 2025-06-30" in result.stdout  # made on a Sunday: the next Monday

    wb = openpyxl.load_workbook(out)
    ws = wb.active
    block = {r[0]: r[1] for r in ws.iter_rows(min_row=2, max_row=5, values_only=True)}
    assert block["填报单位"] == "省教育厅"
    assert block["填报周期"] == "2025-06-23 至 2025-06-29"
    assert block["报送时限"] == dt.datetime(2025, 6, 30)
    head, rows = form_table(out)
    assert rows[0] == HEADERS
    by_id = {r[0]: r for r in rows[1:]}
    assert (
        list(by_id) == EDUCATION_TASKS
    )  # open tasks only: not approved 2-1, not cancelled 3-1, no city's share of 1-2
    assert by_id["1-1"][3] == "牵头" and by_id["6-1"][3] == "配合" and by_id["1-2"][3] == "配合"
    assert by_id["1-1"][4] == dt.datetime(2025, 12, 31)  # a real date
    assert by_id["1-1"][5:8] == ["推进中", 30, dt.datetime(2025, 6, 20)]
    assert by_id["6-1"][5:8] == ["未启动", 0, None]
    # Fill-in columns empty except the date, pre-filled with the form's date.
    assert by_id["1-1"][8:] == [None, None, dt.datetime(2025, 6, 29), None, None]


def test_xlsx_form_validation_and_protection(seeded: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "form.xlsx"
    ok(seeded("template", "教育厅", "--output", str(out)))
    ws = openpyxl.load_workbook(out).active
    head, rows = form_table(out)
    first, last = head + 1, head + len(rows) - 1
    validations = {dv.type: dv for dv in ws.data_validations.dataValidation}
    status = validations["list"]
    assert status.formula1 == '"未启动,推进中,已完成,受阻"'
    assert str(status.sqref) == f"I{first}:I{last}"
    percent = validations["whole"]
    assert (percent.operator, percent.formula1, percent.formula2) == ("between", "0", "100")
    assert str(percent.sqref) == f"J{first}:J{last}"
    assert str(validations["date"].sqref) == f"K{first}:K{last}"
    # The sheet is protected; the task columns are locked, the fill-in columns are not.
    assert ws.protection.sheet
    for j in range(1, 9):
        assert ws.cell(first, j).protection.locked
    for j in range(9, 14):
        assert not ws.cell(first, j).protection.locked
    assert ws.freeze_panes == f"B{first}"
    # Widths fit Chinese text (two units a character) without growing past a cap.
    assert ws.column_dimensions["C"].width >= 2 * len("落实同批次并行招生")
    assert ws.column_dimensions["L"].width >= 36  # room to write 进展情况 ...
    assert ws.row_dimensions[first].height >= 30  # ... on two lines at least


def test_city_gets_its_own_tasks_and_its_groups(seeded: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "nanjing.xlsx"
    ok(seeded("template", "南京市", "--output", str(out)))
    _, rows = form_table(out)
    by_id = {r[0]: r[3] for r in rows[1:]}
    # Its share of 1-2 (led by the cities: it leads its own), and 5-2 through 各设区市.
    assert by_id == {"1-2.nanjing": "牵头", "5-2": "配合"}


def test_group_is_refused(seeded: Invoke, tmp_path: Path) -> None:
    result = seeded("template", "各设区市", "--output", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 2
    assert "is a group" in result.stderr and "--all" in result.stderr


def test_department_without_open_tasks(seeded: Invoke, tmp_path: Path) -> None:
    result = seeded("template", "省妇联", "--output", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 1
    assert "no open tasks" in result.stderr
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--output", "x.xlsx"], "give a DEPARTMENT, or --all"),
        (["教育厅", "--all", "--output", "x"], "give a DEPARTMENT, or --all"),
        (["教育厅", "--output", "x.txt"], "name an .xlsx or .csv file"),
        (["教育厅", "--output", "x.xlsx", "--as-of", "2025-6-1"], "is not a date"),
        (["教育厅", "--output", "x.xlsx", "--return-by", "2025-06-01"], "is before"),
        (["--all", "--output", "d", "--format", "ods"], "use xlsx or csv"),
        (["无此单位", "--output", "x.xlsx"], "unknown department"),
        (["教育厅", "--output", "x.xlsx", "--format", "csv"], "make them agree"),
    ],
)
def test_usage_errors(seeded: Invoke, args: list[str], message: str) -> None:
    result = seeded("template", *args)
    assert result.exit_code in (1, 2)
    assert message in result.stderr
    assert result.stderr.startswith("jsgj: error: ")


def test_as_of_shows_the_state_then(seeded: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "form.xlsx"
    ok(
        seeded(
            "template",
            "教育厅",
            "--output",
            str(out),
            "--as-of",
            "2025-06-29",
            "--return-by",
            "2025-07-03",
        )
    )
    ws = openpyxl.load_workbook(out).active
    assert ws["B4"].value == dt.datetime(2025, 7, 3)


# --- csv ----------------------------------------------------------------------------


def test_csv_form(seeded: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "form.csv"
    ok(seeded("template", "省教育厅", "--output", str(out)))
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel shows UTF-8 with a BOM correctly
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    assert rows[1] == ["填报单位", "省教育厅"]
    assert rows[2] == ["填报周期", "2025-06-23 至 2025-06-29"]
    head = rows.index(HEADERS)
    ids = [r[0] for r in rows[head + 1 :]]
    assert ids == EDUCATION_TASKS
    first = rows[head + 1]
    assert first[:8] == [
        "1-1",
        "（一）完善职业教育招生机制",
        "制定全省职业学校招生计划",
        "牵头",
        "2025-12-31",
        "推进中",
        "30",
        "2025-06-20",
    ]
    assert first[8:] == ["", "", "2025-06-29", "", ""]


def test_formula_like_title_stays_text(seeded: Invoke, tmp_path: Path) -> None:
    ok(seeded("assign", "1", "--title", '=HYPERLINK("http://x","y")', "--due", "2025-12-31"))
    ok(seeded("template", "教育厅", "--output", str(tmp_path / "f.xlsx")))
    ok(seeded("template", "教育厅", "--output", str(tmp_path / "f.csv")))
    ws = openpyxl.load_workbook(tmp_path / "f.xlsx").active
    cells = [c for row in ws.iter_rows() for c in row if c.value == '=HYPERLINK("http://x","y")']
    assert cells and all(c.data_type == "s" for c in cells)
    text = (tmp_path / "f.csv").read_text(encoding="utf-8-sig")
    assert '"\'=HYPERLINK(""http://x"",""y"")"' in text


# --- --all --------------------------------------------------------------------------


def test_all_writes_one_form_per_department(seeded: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "forms"
    result = ok(seeded("template", "--all", "--output", str(out)))
    names = sorted(p.name for p in out.iterdir())
    assert "省教育厅-进展填报表-20250629.xlsx" in names
    assert "南京市人民政府-进展填报表-20250629.xlsx" in names
    assert "省人力资源社会保障厅-进展填报表-20250629.xlsx" in names
    assert not any(n.startswith("各设区市") for n in names)  # the group: each city instead
    assert len(names) == 3 + 13  # 教育厅, 人社厅 (co of 1-1, lead of 5-1), 发改委; the cities
    assert f"wrote {len(names)} forms" in result.stdout
    assert "no open tasks, no form:" in result.stderr and "省妇联" in result.stderr

    csv_dir = tmp_path / "csv"
    ok(seeded("template", "--all", "--format", "csv", "--output", str(csv_dir)))
    assert sorted(p.name for p in csv_dir.iterdir()) == [n.replace(".xlsx", ".csv") for n in names]


def test_all_without_open_tasks(jsgj: Invoke, tmp_path: Path) -> None:
    assert jsgj("db", "init").exit_code == 0
    result = jsgj("template", "--all", "--output", str(tmp_path / "forms"))
    assert result.exit_code == 1
    assert "no department has open tasks" in result.stderr
