"""`jsgj import`: filled-in returns checked row by row, recorded all or nothing, once."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import Invoke
from jsgj import paths
from jsgj.catalog.load import load_catalog
from jsgj.errors import UsageError
from jsgj.sheets.returns import parse_rows, read_return
from jsgj.store.db import Store
from jsgj.store.imports import ImportRejected, ReportRow, fingerprint, import_reports
from jsgj.values import Status
from test_template import ok, seeded, seeded_db  # noqa: F401  (fixtures)


def reports(db_path: Path) -> list[dict[str, Any]]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM progress_reports ORDER BY id")]
    finally:
        conn.close()


def task_json(jsgj: Invoke, task_id: str) -> dict[str, Any]:
    task: dict[str, Any] = json.loads(ok(jsgj("tasks", "show", task_id, "--json")).stdout)["task"]
    return task


@pytest.fixture
def store(seeded: Invoke, db_path: Path) -> Iterator[Store]:  # noqa: F811
    catalog = load_catalog(paths.measures_path(), paths.departments_path())
    with Store.open(db_path, catalog) as s:
        yield s


# --- the round trip -----------------------------------------------------------------

# The order a user left the columns in: the fill-in ones first and shuffled, some task
# columns dropped (措施, 当前状态, 上次填报).
USER_ORDER = [
    "进展情况",
    "状态",
    "任务编号",
    "日期",
    "进度%",
    "佐证材料",
    "任务名称",
    "角色",
    "截止日期",
    "当前进度%",
]


def fill_like_a_user(
    template: Path, out: Path, entries: dict[str, dict[str, Any]], order: list[str] = USER_ORDER
) -> dict[str, int]:
    """Copy the form into a new workbook as a user would: header block as is, columns in
    ``order``, cells typed in for the tasks in ``entries``. Returns each task's row."""
    rows = [list(r) for r in openpyxl.load_workbook(template).active.iter_rows(values_only=True)]
    head = next(i for i, r in enumerate(rows) if r[0] == "任务编号")
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows[:head]:
        ws.append(r)
    ws.append(order)
    numbers = {}
    for r in rows[head + 1 :]:
        values = dict(zip(rows[head], r, strict=True))
        values.update(entries.get(values["任务编号"], {}))
        ws.append([values[h] for h in order])
        numbers[values["任务编号"]] = ws.max_row
    wb.save(out)
    return numbers


def test_round_trip_for_education(seeded: Invoke, tmp_path: Path, db_path: Path) -> None:  # noqa: F811
    template = tmp_path / "省教育厅.xlsx"
    ok(seeded("template", "省教育厅", "--output", str(template)))
    before = len(reports(db_path))
    entries: dict[str, dict[str, Any]] = {
        "1-1": {
            "状态": "推进中",
            "进度%": 60,
            "进展情况": "完成招生计划初稿",
            "佐证材料": "苏教职〔2025〕3号",
        },
        # 配合 rows: contributions to tasks others lead.
        "6-1": {"状态": "推进中", "进度%": "45%", "日期": "2025/6/27", "进展情况": "提供专业目录"},
        # The bad row: 已完成 at 80%.
        "1-2": {"状态": "已完成", "进度%": 80, "进展情况": "配合制定录取方案"},
    }
    filled = tmp_path / "filled.xlsx"
    numbers = fill_like_a_user(template, filled, entries)

    bad = seeded("import", str(filled))
    assert bad.exit_code == 1
    assert "1 row with problems" in bad.stderr and "nothing was recorded" in bad.stderr
    listed = [int(m[1]) for m in re.finditer(r"^ {0,3}(\d+) ", bad.stderr, re.MULTILINE)]
    assert listed == [numbers["1-2"]]
    assert "means 100%, not 80%" in bad.stderr, bad.stderr
    assert len(reports(db_path)) == before

    entries["1-2"] = {"状态": "推进中", "进度%": 20, "进展情况": "配合制定录取方案"}
    fill_like_a_user(template, filled, entries)
    good = ok(seeded("import", str(filled)))
    assert good.stdout.strip() == "filled.xlsx: 3 new, 0 already recorded"
    new = reports(db_path)[before:]
    assert len(new) == 3
    by_task = {r["task_id"]: r for r in new}
    one = by_task["1-1"]
    assert (one["status"], one["percent"], one["note"], one["evidence"], one["role"]) == (
        "in_progress",
        60,
        "完成招生计划初稿",
        "苏教职〔2025〕3号",
        "lead",
    )
    assert (one["reporter"], one["report_date"], one["source"]) == (
        "education",
        "2025-06-29",
        f"filled.xlsx:{numbers['1-1']}",
    )
    assert one["fingerprint"]
    assert by_task["6-1"]["report_date"] == "2025-06-27"
    assert (by_task["6-1"]["percent"], by_task["6-1"]["role"]) == (45, "co")
    assert by_task["1-2"]["role"] == "co"
    # The lead's report moves its task; the contributions leave theirs as they were.
    assert task_json(seeded, "1-1")["percent"] == 60
    six = task_json(seeded, "6-1")
    assert (six["status"], six["percent"], six["contribution_count"]) == ("not_started", 0, 1)
    shared = task_json(seeded, "1-2")
    assert (shared["report_count"], shared["contribution_count"]) == (0, 1)

    again = ok(seeded("import", str(filled)))
    assert "filled.xlsx: 0 new, 3 already recorded" in again.stdout
    assert len(reports(db_path)) == before + 3


def test_same_rows_in_a_new_file_are_not_recorded_twice(
    seeded: Invoke,  # noqa: F811
    tmp_path: Path,
    db_path: Path,
) -> None:
    """The fingerprint is what a row says, not where it came from: a copy of the file,
    renamed, with its columns in another order, records nothing new."""
    template = tmp_path / "t.xlsx"
    ok(seeded("template", "教育厅", "--output", str(template)))
    entries = {"1-1": {"状态": "推进中", "进度%": 50, "进展情况": "推进"}}
    fill_like_a_user(template, tmp_path / "a.xlsx", entries)
    fill_like_a_user(template, tmp_path / "b.xlsx", entries, order=list(reversed(USER_ORDER)))
    assert "1 new, 0 already" in ok(seeded("import", str(tmp_path / "a.xlsx"))).stdout
    assert "0 new, 1 already" in ok(seeded("import", str(tmp_path / "b.xlsx"))).stdout


# --- CSV as Excel and WPS write it ----------------------------------------------------


def csv_return(
    jsgj: Invoke, tmp_path: Path, entries: dict[str, list[str]], department: str = "省教育厅"
) -> list[list[str]]:
    """The CSV template's rows with ``entries`` (status, percent, date, note, evidence)."""
    path = tmp_path / "template.csv"
    ok(jsgj("template", department, "--output", str(path)))
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    for r in rows:
        if r and r[0] in entries:
            r[8:13] = entries[r[0]]
    return rows


def write_csv(path: Path, rows: list[list[str]], encoding: str, delimiter: str = ",") -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("gb18030", ","), ("utf-8", ","), ("utf-8-sig", ","), ("utf-16", "\t")],
)
def test_csv_encodings(
    seeded: Invoke,  # noqa: F811
    tmp_path: Path,
    db_path: Path,
    encoding: str,
    delimiter: str,
) -> None:
    """WPS and Excel on Chinese Windows save "CSV" as GB18030 (no BOM), "CSV UTF-8" with
    a BOM, and "Unicode text" as tab-separated UTF-16; dates as 2025/6/28."""
    rows = csv_return(
        seeded,
        tmp_path,
        {
            "1-1": [
                "推进中",
                "40",
                "2025/6/28",
                "召开专题会议，部署招生计划编制",
                "会议纪要（第3期）",
            ],
            "6-1": ["未启动", "", "2025年6月29日", "正在对接龙头企业", ""],
        },
    )
    path = tmp_path / "return.csv"
    write_csv(path, rows, encoding, delimiter)
    if encoding == "gb18030":
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")
    before = len(reports(db_path))
    result = ok(seeded("import", str(path)))
    assert "2 new, 0 already recorded" in result.stdout
    new = {r["task_id"]: r for r in reports(db_path)[before:]}
    assert new["1-1"]["note"] == "召开专题会议，部署招生计划编制"
    assert new["1-1"]["evidence"] == "会议纪要（第3期）"
    assert new["1-1"]["report_date"] == "2025-06-28"
    assert new["6-1"]["report_date"] == "2025-06-29"
    assert new["6-1"]["status"] == "not_started"


def test_unreadable_file(seeded: Invoke, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x81\x30\xff\xfe\x00\x81")
    result = seeded("import", str(path))
    assert result.exit_code == 1
    assert "cannot read the file as UTF-8 or GB18030" in result.stderr

    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    result = seeded("import", str(fake))
    assert result.exit_code == 1 and "fake.xlsx" in result.stderr

    result = seeded("import", str(tmp_path / "old.xls"))
    assert result.exit_code == 2 and "no such file" in result.stderr
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    result = seeded("import", str(tmp_path / "old.xls"))
    assert result.exit_code == 2 and "save the return as .xlsx or .csv" in result.stderr


# --- dry run ------------------------------------------------------------------------


def test_dry_run_records_nothing(seeded: Invoke, tmp_path: Path, db_path: Path) -> None:  # noqa: F811
    rows = csv_return(seeded, tmp_path, {"1-1": ["推进中", "50", "2025-06-29", "完成初稿", ""]})
    path = tmp_path / "r.csv"
    write_csv(path, rows, "utf-8-sig")
    before = reports(db_path)
    result = ok(seeded("import", str(path), "--dry-run"))
    assert reports(db_path) == before
    assert "1-1" in result.stdout and "完成初稿" in result.stdout and "新" in result.stdout
    assert "dry run: 1 new, 0 already recorded" in result.stdout
    assert "nothing was written" in result.stdout

    ok(seeded("import", str(path)))
    result = ok(seeded("import", str(path), "--dry-run"))
    assert "dry run: 0 new, 1 already recorded" in result.stdout
    assert "已录入" in result.stdout


def test_dry_run_reports_problems_too(seeded: Invoke, tmp_path: Path) -> None:  # noqa: F811
    rows = csv_return(seeded, tmp_path, {"1-1": ["进行中", "50", "2025-06-29", "完成初稿", ""]})
    path = tmp_path / "r.csv"
    write_csv(path, rows, "utf-8-sig")
    result = seeded("import", str(path), "--dry-run")
    assert result.exit_code == 1
    assert "'进行中' is not in the list" in result.stderr


# --- every problem, with its row number ---------------------------------------------


def problem_rows(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    """A hand-made CSV (no template): one row per kind of problem, plus good rows."""
    lines = [
        ["填报单位", "省教育厅"],
        [],
        ["编号", "状态", "进度", "日期", "进展情况", "佐证材料"],  # synonyms of the headers
    ]
    kinds = {
        "good": ["1-1", "推进中", "40", "2025-06-28", "正常", ""],
        "unknown task": ["99-1", "推进中", "40", "2025-06-28", "x", ""],
        "not a task id": ["第一项", "推进中", "40", "2025-06-28", "x", ""],
        "not responsible": ["5-1", "推进中", "40", "2025-06-28", "x", ""],
        "cancelled": ["3-1", "推进中", "40", "2025-06-28", "x", ""],
        "status": ["6-1", "进行中", "40", "2025-06-28", "x", ""],
        "no status": ["6-1", "", "40", "2025-06-28", "x", ""],
        "percent range": ["6-1", "推进中", "120", "2025-06-28", "x", ""],
        "percent text": ["6-1", "推进中", "一半", "2025-06-28", "x", ""],
        "percent decimal": ["6-1", "推进中", "40.5", "2025-06-28", "x", ""],
        "bad date": ["6-1", "推进中", "40", "2025-02-30", "x", ""],
        "no date": ["6-1", "推进中", "40", "", "x", ""],
        "future": ["6-1", "推进中", "40", "2025-07-01", "x", ""],
        "done below 100": ["6-1", "已完成", "80", "2025-06-28", "x", ""],
        "100 not done": ["6-1", "推进中", "100", "2025-06-28", "x", ""],
        "no note": ["6-1", "推进中", "40", "2025-06-28", "", "有佐证"],
        "no task": ["", "推进中", "40", "2025-06-28", "x", ""],
        "duplicate": ["1-1", "推进中", "40", "2025-06-28", "正常", ""],
        "empty": ["6-1", "", "", "2025-06-28", "", ""],
        "two problems": ["98-1", "进行中", "40", "2025-06-28", "x", ""],
    }
    numbers = {}
    for kind, row in kinds.items():
        lines.append(row)
        numbers[kind] = len(lines)
    path = tmp_path / "problems.csv"
    write_csv(path, lines, "gb18030")
    return path, numbers


EXPECTED = {
    "unknown task": ("task", "no task '99-1'"),
    "not a task id": ("task", "'第一项' is not a task id"),
    "not responsible": (
        "reporter",
        "省教育厅 is not responsible for task 5-1; it may be reported by "
        "省人力资源社会保障厅(hrss)",
    ),
    "cancelled": ("task", "task 3-1 was cancelled"),
    "status": ("status", "状态 '进行中' is not in the list: 未启动、推进中、已完成、受阻"),
    "no status": ("status", "状态 is empty"),
    "percent range": ("percent", "进度% 120 is outside 0-100"),
    "percent text": ("percent", "进度% '一半' is not a number"),
    "percent decimal": ("percent", "is not a whole number"),
    "bad date": ("date", "日期 '2025-02-30' is not a date"),
    "no date": ("date", "日期 is empty"),
    "future": ("date", "2025-07-01 is in the future"),
    "done below 100": ("percent", "已完成 means 100%, not 80%"),
    "100 not done": ("status", "100% means done"),
    "no note": ("note", "must not be empty"),
    "no task": ("task", "任务编号 is empty"),
    "duplicate": ("row", "duplicated row: the same report as row {good}"),
    "two problems": ("task", "no task '98-1'"),  # and its status: both are reported
}


def test_every_problem_with_its_row_number(store: Store, tmp_path: Path) -> None:
    path, numbers = problem_rows(tmp_path)
    ret = read_return(path)
    assert ret.encoding == "gb18030"
    assert ret.department == "省教育厅"
    assert ret.skipped == 1  # the empty row
    with pytest.raises(ImportRejected) as caught:
        import_reports(
            store,
            ret.rows,
            reporter=ret.department,
            problems=ret.problems,
            unparsed=ret.unparsed,
        )
    found = {(p.row, p.field): p.message for p in caught.value.problems}
    for kind, (field, message) in EXPECTED.items():
        row = numbers[kind]
        text = found.get((row, field), "")
        assert message.format(**numbers) in text, (kind, row, found)
    assert {row for row, _ in found} == {numbers[k] for k in EXPECTED}
    assert "'进行中' is not in the list" in found[(numbers["two problems"], "status")]
    assert [p.row for p in caught.value.problems] == sorted(p.row for p in caught.value.problems)
    assert (
        str(caught.value)
        == f"{len(EXPECTED)} rows with problems ({len(found)} in all); nothing was recorded"
    )
    assert store.query("SELECT COUNT(*) AS n FROM progress_reports")[0]["n"] == 2  # the seed's


def test_problems_table_on_the_command_line(
    seeded: Invoke,  # noqa: F811
    tmp_path: Path,
    db_path: Path,
) -> None:
    path, numbers = problem_rows(tmp_path)
    before = reports(db_path)
    result = seeded("import", str(path))
    assert result.exit_code == 1
    assert reports(db_path) == before
    assert f"problems.csv: problems in {len(EXPECTED)} row(s); nothing was recorded" in (
        result.stderr
    )
    assert result.stderr.rstrip().endswith("nothing was recorded")
    listed = {int(m[1]) for m in re.finditer(r"^ {0,3}(\d+) ", result.stderr, re.MULTILINE)}
    assert listed == {numbers[k] for k in EXPECTED}
    assert (
        "状态 (B)" in result.stderr and "日期 (D)" in result.stderr
    )  # the file's header, its letter


# --- who reports ----------------------------------------------------------------------


def test_by_names_the_department_when_the_file_does_not(
    seeded: Invoke,  # noqa: F811
    tmp_path: Path,
    db_path: Path,
) -> None:
    path = tmp_path / "plain.csv"
    write_csv(
        path,
        [
            ["任务编号", "状态", "进度%", "日期", "进展情况"],
            ["6-1", "推进中", "20", "2025-06-28", "对接企业"],
        ],
        "utf-8",
    )
    result = seeded("import", str(path))
    assert result.exit_code == 2 and "give --by DEPARTMENT" in result.stderr
    ok(seeded("import", str(path), "--by", "发改委"))
    assert reports(db_path)[-1]["reporter"] == "development_reform"
    # The office may report on any task.
    write_csv(
        path,
        [
            ["任务编号", "状态", "进度%", "日期", "进展情况"],
            ["5-1", "推进中", "20", "2025-06-28", "督查"],
        ],
        "utf-8",
    )
    ok(seeded("import", str(path), "--by", "office"))
    assert reports(db_path)[-1]["reporter"] == "office"


def test_by_must_agree_with_the_form(seeded: Invoke, tmp_path: Path) -> None:  # noqa: F811
    rows = csv_return(seeded, tmp_path, {"1-1": ["推进中", "50", "2025-06-29", "完成初稿", ""]})
    path = tmp_path / "r.csv"
    write_csv(path, rows, "utf-8-sig")
    result = seeded("import", str(path), "--by", "财政厅")
    assert result.exit_code == 2
    assert "the form is 省教育厅's (填报单位) but --by says 财政厅" in result.stderr
    ok(seeded("import", str(path), "--by", "教育厅"))


def test_a_city_reports_on_its_groups_task(seeded: Invoke, tmp_path: Path, db_path: Path) -> None:  # noqa: F811
    rows = csv_return(
        seeded,
        tmp_path,
        {
            "1-2.nanjing": ["推进中", "30", "2025-06-29", "南京启动", ""],
            "5-2": ["推进中", "10", "2025-06-29", "选址", ""],
        },
        department="南京市",
    )
    path = tmp_path / "nanjing.csv"
    write_csv(path, rows, "utf-8-sig")
    ok(seeded("import", str(path)))
    assert {(r["task_id"], r["reporter"]) for r in reports(db_path)[-2:]} == {
        ("1-2.nanjing", "nanjing"),
        ("5-2", "nanjing"),
    }


def test_missing_or_doubled_columns(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    with pytest.raises(UsageError, match="no header row with 任务编号 and 状态"):
        parse_rows(path, [["a", "b"], ["1-1", "推进中"]])
    with pytest.raises(UsageError, match="no 进展情况 column"):
        parse_rows(path, [["任务编号", "状态"], ["1-1", "推进中"]])
    with pytest.raises(UsageError, match=r"two 状态 columns \(B and D\)"):
        parse_rows(path, [["任务编号", "状态", "进展情况", "本期状态"]])
    # Full-width and spaced headers still match.
    ret = parse_rows(
        path,
        [
            ["任务 编号", "状态*", "进度（％）", "进展情况：", " 日期 "],
            ["1-1", "推进中", "５０％", "x", "２０２５－０６－０１"],
        ],
    )
    assert ret.problems == []
    assert ret.rows[0].percent == 50 and ret.rows[0].report_date == dt.date(2025, 6, 1)


def test_formula_text_imports_as_text(seeded: Invoke, tmp_path: Path, db_path: Path) -> None:  # noqa: F811
    """A note written as text (an apostrophe-escaped CSV cell) is stored without it."""
    rows = csv_return(
        seeded,
        tmp_path,
        {"1-1": ["推进中", "50", "2025-06-29", '\'=HYPERLINK("http://x","y")', "'@x"]},
    )
    path = tmp_path / "r.csv"
    write_csv(path, rows, "utf-8-sig")
    ok(seeded("import", str(path)))
    last = reports(db_path)[-1]
    assert (last["note"], last["evidence"]) == ('=HYPERLINK("http://x","y")', "@x")


# --- the store API and its speed ------------------------------------------------------


def test_fingerprint_covers_what_a_report_says() -> None:
    base = ("1-1", "education", dt.date(2025, 6, 1), Status.in_progress, 40, "ab", "c")
    fp = fingerprint(*base)
    assert fp == fingerprint(*base) and len(fp) == 32
    for i, other in enumerate(
        ["1-2", "hrss", dt.date(2025, 6, 2), Status.blocked, 41, "abc", None]
    ):
        changed = list(base)
        changed[i] = other
        assert fingerprint(*changed) != fp  # type: ignore[arg-type]
    # Text moved from the note to the evidence is another report.
    assert (
        fingerprint("1-1", "education", dt.date(2025, 6, 1), Status.in_progress, 40, "a", "bc")
        != fp
    )


def test_ten_thousand_rows_in_one_transaction(store: Store) -> None:
    rows = [
        ReportRow(
            row=i + 2,
            task="1-1" if i % 2 else "6-1",
            status=Status.in_progress,
            note=f"第{i}次调度：召开推进会，落实各项工作",
            report_date=dt.date(2025, 1, 1) + dt.timedelta(days=i % 180),
            percent=i % 100,
        )
        for i in range(10_000)
    ]
    start = time.perf_counter()
    steps: list[tuple[str, int, int]] = []
    result = import_reports(
        store, rows, reporter="office", source="big.xlsx", progress=lambda *a: steps.append(a)
    )
    elapsed = time.perf_counter() - start
    # The progress bar's feed: each phase in chunks of 1,000 rows, ending at the total.
    assert [s for s in steps if s[0] == "check"][-1] == ("check", 10_000, 10_000)
    assert [s[1] for s in steps if s[0] == "record"] == [*range(0, 10_000, 1_000), 10_000]
    assert (result.new, result.already) == (10_000, 0)
    assert elapsed < 10, elapsed  # ~0.2 s on a laptop; the bound only catches blow-ups
    count = store.query("SELECT COUNT(*) AS n FROM progress_reports WHERE source LIKE 'big.xlsx:%'")
    assert count[0]["n"] == 10_000
    # The derived rows were refreshed: 1-1's latest report is the last one dated latest.
    latest = max((r for r in rows if r.task == "1-1"), key=lambda r: (r.report_date, r.row))
    task = store.query("SELECT percent, report_count FROM tasks WHERE id = '1-1'")[0]
    assert task["percent"] == latest.percent
    assert task["report_count"] == 5_000 + 1  # and the seed's report

    again = import_reports(store, rows, reporter="office", source="big.xlsx")
    assert (again.new, again.already) == (0, 10_000)


def test_a_failure_half_way_records_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """All or nothing also when the database fails during the insert."""
    import jsgj.store.imports as imports

    rows = [
        ReportRow(
            row=i,
            task="1-1",
            status=Status.in_progress,
            note=f"n{i}",
            report_date=dt.date(2025, 6, 1),
            percent=10,
        )
        for i in range(2500)
    ]
    calls = 0

    def appended(conn: sqlite3.Connection, after_id: int) -> None:
        nonlocal calls
        calls += 1
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(imports, "appended", appended)
    before = store.query("SELECT COUNT(*) AS n FROM progress_reports")[0]["n"]
    with pytest.raises(sqlite3.OperationalError):
        import_reports(store, rows, reporter="教育厅")
    assert calls == 1
    assert store.query("SELECT COUNT(*) AS n FROM progress_reports")[0]["n"] == before


def test_a_return_partly_recorded_before(store: Store) -> None:
    """Rows recorded by an earlier import are counted and flagged; the rest recorded."""

    def row(n: int, task: str, note: str) -> ReportRow:
        return ReportRow(n, task, Status.in_progress, note, dt.date(2025, 6, 28), 50)

    first = [row(5, "1-1", "a"), row(6, "6-1", "b")]
    assert import_reports(store, first, reporter="office").new == 2
    second = [row(7, "1-1", "a"), row(8, "6-1", "b"), row(9, "1-2.nanjing", "c")]
    preview = import_reports(store, second, reporter="office", dry_run=True)
    result = import_reports(store, second, reporter="office")
    for r in (preview, result):
        assert (r.new, r.already) == (1, 2)
        assert [p.already for p in r.reports] == [True, True, False]
    assert result.tasks == ("1-2.nanjing",) and preview.tasks == ()
    sources = store.query("SELECT source FROM progress_reports WHERE source LIKE 'import:%'")
    assert [s["source"] for s in sources] == ["import:5", "import:6", "import:9"]
