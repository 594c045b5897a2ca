"""`jsgj export`: the ledger (台账) as xlsx, a directory of CSV files, or JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import Invoke
from jsgj.sheets.table import Column, Kind, column_widths, csv_safe, display_width, unquote_csv
from test_template import ok, seeded, seeded_db  # noqa: F401  (fixtures)

FORMULA = '=HYPERLINK("http://x","y")'
MEASURE_HEADERS = [
    "编号",
    "序号",
    "部分",
    "措施",
    "牵头单位",
    "配合单位",
    "任务数",
    "已办结",
    "待审核",
    "逾期",
    "红灯",
    "黄灯",
    "蓝灯",
    "绿灯",
    "已撤销",
]
TASK_HEADERS = [
    "任务编号",
    "措施",
    "上级任务",
    "任务名称",
    "牵头单位",
    "配合单位",
    "开始日期",
    "截止日期",
    "状态",
    "进度%",
    "序时进度%",
    "最近填报",
    "填报次数",
    "灯",
    "灯说明",
    "计数",
    "缓急",
    "来源",
    "签收日期",
    "联络员",
    "申请办结日期",
    "退回原因",
    "原定截止日期",
    "延期原因",
    "配合报送次数",
    "创建日期",
]
REPORT_HEADERS = [
    "编号",
    "任务编号",
    "报告日期",
    "填报单位",
    "状态",
    "进度%",
    "进展情况",
    "佐证材料",
    "更正",
    "被更正",
    "有效",
    "录入日期",
    "录入时间",
    "录入人",
    "来源",
    "角色",
]


@pytest.fixture
def ledger(seeded: Invoke) -> Invoke:  # noqa: F811
    """The seeded tasks plus: a report whose note is a formula and whose evidence starts
    with @, and a corrected report (#4 corrected by #5)."""
    ok(
        seeded(
            "progress",
            "6-1",
            "--status",
            "推进中",
            "--percent",
            "20",
            "--note",
            FORMULA,
            "--evidence",
            "@SUM(A1)",
            "--by",
            "发改委",
            "--date",
            "2025-06-25",
        )
    )
    ok(
        seeded(
            "progress",
            "6-1",
            "--status",
            "推进中",
            "--percent",
            "25",
            "--note",
            "-1 项待办",
            "--by",
            "发改委",
            "--date",
            "2025-06-26",
        )
    )
    ok(
        seeded(
            "progress",
            "6-1",
            "--status",
            "推进中",
            "--percent",
            "20",
            "--note",
            "+更正：20%",
            "--by",
            "发改委",
            "--corrects",
            "4",
        )
    )
    return seeded


def sheet_rows(ws: Any) -> list[list[Any]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


# --- xlsx ---------------------------------------------------------------------------


def test_xlsx_ledger(ledger: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"
    result = ok(ledger("export", "--output", str(out)))
    assert "(xlsx, as of 2025-06-29): 19 measures, 20 tasks, 5 reports" in result.stdout
    wb = openpyxl.load_workbook(out)
    # The three sheets first; then what `jsgj import` needs to rebuild the database.
    assert wb.sheetnames == ["措施", "任务", "进展", "修订", "事件", "指标"]
    measures, tasks, history = (sheet_rows(wb[name]) for name in wb.sheetnames[:3])
    assert measures[0] == MEASURE_HEADERS and tasks[0] == TASK_HEADERS
    assert history[0] == REPORT_HEADERS
    for ws in wb:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref.startswith("A1:")

    assert len(measures) == 20
    m1 = measures[1]
    assert m1[:6] == [
        1,
        "（一）",
        "一、夯实高技能人才培养基础",
        "完善职业教育招生机制",
        "省教育厅",
        "省人力资源社会保障厅、各设区市人民政府",
    ]
    assert m1[6:8] == [14, 0]  # 1-1 and 1-2's 13 city shares (its parent is not counted)

    by_id = {r[0]: r for r in tasks[1:]}
    assert len(by_id) == 20
    t11 = by_id["1-1"]
    assert t11[1:6] == [1, None, "制定全省职业学校招生计划", "省教育厅", "省人力资源社会保障厅"]
    assert t11[6:8] == [dt.datetime(2025, 6, 29), dt.datetime(2025, 12, 31)]  # real dates
    assert t11[8:10] == ["推进中", 30] and t11[13] == "绿灯"
    assert by_id["1-2.nanjing"][2] == "1-2"
    assert by_id["3-1"][8] == "已撤销" and by_id["3-1"][13] == "已撤销"
    assert by_id["2-1"][8] == "已办结" and by_id["2-1"][13] == "已办结"
    assert by_id["2-1"][14] == "已审核销号（2025-05-30申请）"  # the light's reason

    reports = {r[0]: r for r in history[1:]}
    assert reports[4][8:11] == [None, 5, "否"]  # corrected by #5
    assert reports[5][8:11] == [4, None, "是"]
    assert reports[3][2] == dt.datetime(2025, 6, 25)
    assert isinstance(reports[3][12], dt.datetime)  # 录入时间: a date and time
    assert reports[3][14] == "cli"

    cells = {c.coordinate: c for c in wb["进展"]["C"]}
    assert cells["C2"].is_date and cells["C2"].number_format == "yyyy-mm-dd"


def test_xlsx_formula_injection(ledger: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "ledger.xlsx"
    ok(ledger("export", "--output", str(out)))
    ws = openpyxl.load_workbook(out)["进展"]
    risky = {
        c.value: c
        for row in ws.iter_rows(min_row=2)
        for c in row
        if isinstance(c.value, str) and c.value[:1] in "=+-@"
    }
    assert set(risky) == {FORMULA, "@SUM(A1)", "-1 项待办", "+更正：20%"}
    for cell in risky.values():
        assert cell.data_type == "s"  # a string, never a formula
        assert cell.quotePrefix  # and kept text when someone edits it in Excel
    # Read back without cached values too: still the text, not a formula.
    ws = openpyxl.load_workbook(out, data_only=True)["进展"]
    assert FORMULA in [c.value for row in ws.iter_rows() for c in row]


def test_column_widths_fit_chinese() -> None:
    assert display_width("省教育厅") == 8 and display_width("1-2") == 3
    assert display_width("（一）") == 6
    widths = column_widths(
        (
            Column("编号", Kind.int),
            Column("单位"),
            Column("报告日期", Kind.date),
            Column("说明", Kind.wrap),
        ),
        [(1, "省人力资源社会保障厅", dt.date(2025, 1, 1), "很长的说明" * 40)],
    )
    assert widths == [6, 22, 12, 48]


# --- csv ----------------------------------------------------------------------------


def read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_ledger_is_a_directory_of_one_file_per_sheet(ledger: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "ledger"
    result = ok(ledger("export", "--format", "csv", "--output", str(out)))
    assert "(csv, as of 2025-06-29)" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "events.csv", "indicators.csv", "measures.csv", "reports.csv", "revisions.csv", "tasks.csv",
    ]  # fmt: skip
    measures = read_csv(out / "measures.csv")
    tasks = read_csv(out / "tasks.csv")
    reports = read_csv(out / "reports.csv")
    assert (measures[0], tasks[0], reports[0]) == (MEASURE_HEADERS, TASK_HEADERS, REPORT_HEADERS)
    assert len(measures) == 20 and len(tasks) == 21 and len(reports) == 6
    t11 = next(r for r in tasks if r[0] == "1-1")
    assert t11[6:8] == ["2025-06-29", "2025-12-31"]  # ISO dates: Excel reads them as dates
    # Without --format, a path without a suffix is a CSV directory too.
    ok(ledger("export", "--output", str(tmp_path / "again")))
    assert (tmp_path / "again" / "tasks.csv").read_bytes() == (out / "tasks.csv").read_bytes()


def test_csv_formula_injection(ledger: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "ledger"
    ok(ledger("export", "--output", str(out)))
    reports = read_csv(out / "reports.csv")
    notes = {r[0]: (r[6], r[7]) for r in reports[1:]}
    assert notes["3"] == ("'" + FORMULA, "'@SUM(A1)")
    assert notes["4"][0] == "'-1 项待办" and notes["5"][0] == "'+更正：20%"
    text = (out / "reports.csv").read_text(encoding="utf-8-sig")
    assert '"\'=HYPERLINK(""http://x"",""y"")"' in text
    assert "\n=" not in text and ",=" not in text and ',"=' not in text


def test_csv_safe_round_trip() -> None:
    for text in ["=1+1", "+1", "-1", "@x", "\tx", "\rx", "plain", "'quoted", "", "省教育厅"]:
        assert unquote_csv(csv_safe(text)) == text
        assert not csv_safe(text).startswith(("=", "+", "-", "@", "\t", "\r"))


# --- json ---------------------------------------------------------------------------


def test_json_ledger(ledger: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "ledger.json"
    ok(ledger("export", "--output", str(out)))
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["document"] == "苏政办发〔2024〕37号" and doc["as_of"] == "2025-06-29"
    assert len(doc["measures"]) == 19 and doc["measures"][0]["lead"] == "education"
    task = next(t for t in doc["tasks"] if t["id"] == "1-1")
    assert task["light"] == "green" and task["status"] == "in_progress"
    report = next(r for r in doc["reports"] if r["id"] == 3)
    assert report["note"] == FORMULA and report["source"] == "cli"
    assert next(r for r in doc["reports"] if r["id"] == 4)["corrected_by"] == 5

    stdout = ok(ledger("export", "--format", "json", "--output", "-")).stdout
    assert json.loads(stdout) == doc


# --- as of --------------------------------------------------------------------------


def test_as_of_shows_what_was_known_then(
    ledger: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JSGJ_TODAY", "2025-07-10")
    ok(
        ledger(
            "progress",
            "1-1",
            "--status",
            "推进中",
            "--percent",
            "70",
            "--note",
            "七月进展",
            "--by",
            "教育厅",
        )
    )
    now = tmp_path / "now.json"
    then = tmp_path / "then.json"
    ok(ledger("export", "--output", str(now)))
    ok(ledger("export", "--output", str(then), "--as-of", "2025-06-29"))
    doc_now, doc_then = (json.loads(p.read_text(encoding="utf-8")) for p in (now, then))
    assert len(doc_now["reports"]) == len(doc_then["reports"]) + 1
    assert next(t for t in doc_then["tasks"] if t["id"] == "1-1")["percent"] == 30
    assert next(t for t in doc_now["tasks"] if t["id"] == "1-1")["percent"] == 70


# --- usage --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--output", "ledger.txt"], "give --format xlsx, csv or json"),
        (["--format", "ods", "--output", "x"], "use xlsx, csv or json"),
        (["--format", "xlsx", "--output", "-"], "works with --format json only"),
        (["--output", "x.xlsx", "--as-of", "June"], "is not a date"),
    ],
)
def test_usage_errors(ledger: Invoke, args: list[str], message: str) -> None:
    result = ledger("export", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_xlsx_into_a_directory_or_csv_onto_a_file(ledger: Invoke, tmp_path: Path) -> None:
    result = ledger("export", "--format", "xlsx", "--output", str(tmp_path))
    assert result.exit_code == 2 and "is a directory" in result.stderr
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = ledger("export", "--format", "csv", "--output", str(tmp_path / "file"))
    assert result.exit_code == 1 and "is a file" in result.stderr


# --- LibreOffice --------------------------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
LO_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_ledger_and_the_form(ledger: Invoke, tmp_path: Path) -> None:
    """Debian's LibreOffice, headless, converts every sheet to CSV (UTF-8): the Chinese
    headers are there and the formula-like note is text, not its result "y"."""
    ok(ledger("export", "--output", str(tmp_path / "ledger.xlsx")))
    ok(ledger("template", "省教育厅", "--output", str(tmp_path / "form.xlsx")))
    assert SOFFICE is not None
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            LO_CSV,
            "--outdir",
            str(tmp_path / "out"),
            str(tmp_path / "ledger.xlsx"),
            str(tmp_path / "form.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    out = tmp_path / "out"

    def lo_rows(name: str) -> list[list[str]]:
        return list(csv.reader(io.StringIO((out / name).read_text(encoding="utf-8"), newline="")))

    assert lo_rows("ledger-措施.csv")[0] == MEASURE_HEADERS
    assert lo_rows("ledger-任务.csv")[0] == TASK_HEADERS
    history = lo_rows("ledger-进展.csv")
    assert history[0] == REPORT_HEADERS
    assert [FORMULA, "@SUM(A1)"] in [r[6:8] for r in history]
    assert history[1][:3] == ["2", "1-1", "2025-06-20"]  # dates shown as dates
    form = lo_rows("form-进展填报表.csv")
    assert form[1][:2] == ["填报单位", "省教育厅"]
    assert form[6][:13] == [
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


def test_the_ledger_sheets_the_export_writes_are_those_the_import_reads() -> None:
    """One list of sheet names (jsgj.store.ledger.SHEETS): the empty ledger, the
    columns read back by header and the JSON lists all follow it."""
    from jsgj.sheets.ledger import COLUMNS, empty_ledger
    from jsgj.store.ledger import SHEETS

    assert [(t.name, t.file_stem) for t in empty_ledger()] == list(SHEETS.items())
    assert list(COLUMNS) == list(SHEETS)
