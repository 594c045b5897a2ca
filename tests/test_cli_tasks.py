"""Every task and database command through the CLI, and every kind of bad input: one
line on stderr, the right exit code, and the database exactly as it was."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from conftest import Invoke
from jsgj.cli.app import app
from jsgj.store.migrations import migration_names

COUNTED = ("tasks", "task_departments", "task_revisions", "progress_reports", "_sqlite_migrations")


def snapshot(path: Path) -> tuple[str, dict[str, int]]:
    """The file's bytes (as a hash) and the row count of every table."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    conn = sqlite3.connect(path)
    try:
        counts = {t: conn.execute(f"SELECT COUNT(*) FROM [{t}]").fetchone()[0] for t in COUNTED}
    finally:
        conn.close()
    return digest, counts


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.stderr
    return result.stdout


SetDay = Callable[[str], None]


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> SetDay:
    def set_day(day: str) -> None:
        monkeypatch.setenv("JSGJ_TODAY", day)

    set_day("2025-01-06")
    return set_day


SEED = [
    ("2025-01-06", ["assign", "7", "--title", "全面推行企业新型学徒制", "--co", "总工会",
                    "--due", "2025-12-31"]),
    ("2025-01-06", ["assign", "1", "--title", "落实中职与普高同批次并行招生", "--lead", "cities",
                    "--due", "2025-06-20"]),
    ("2025-01-06", ["assign", "3", "--title", "发布年度技能人才需求目录", "--due", "2025-01-31"]),
    ("2025-01-10", ["progress", "7-1", "--status", "推进中", "--percent", "20", "--note",
                    "分解下达培训任务", "--by", "人社厅", "--evidence", "苏人社发〔2025〕5号"]),
    ("2025-01-10", ["progress", "1-1.nanjing", "-s", "done", "-n", "并行招生录取完成",
                    "--by", "南京", "--evidence", "宁教〔2025〕1号"]),
    ("2025-01-10", ["review", "1-1.nanjing", "--approve"]),
]  # fmt: skip


@pytest.fixture(scope="module")
def seed_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once through the CLI, copied for each test (the file is closed, so whole)."""
    path = tmp_path_factory.mktemp("seed") / "seed.db"
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JSGJ_DB", str(path))
        mp.setenv("JSGJ_USER", "tester")
        for day, args in SEED:
            mp.setenv("JSGJ_TODAY", day)
            result = runner.invoke(app, args, catch_exceptions=False)
            assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in path.parent.iterdir()) == ["seed.db"]
    return path


@pytest.fixture
def seeded(seed_file: Path, today: SetDay, db_path: Path) -> Path:
    """7-1 (人社厅 with 总工会, one report), 1-1 shared out to the cities, 3-1 overdue;
    today is 2025-01-10."""
    shutil.copyfile(seed_file, db_path)
    today("2025-01-10")
    return db_path


# --- the commands ------------------------------------------------------------------------


def test_assign_prints_the_id_and_names_the_city_shares(
    jsgj: Invoke, today: SetDay, db_path: Path
) -> None:
    result = jsgj("assign", "7", "--title", "全面推行企业新型学徒制")
    created = f"jsgj: creating a new database at {db_path}\n"  # the first write says so
    assert (result.exit_code, result.stdout, result.stderr) == (0, "7-1\n", created)
    assert ok(jsgj("assign", "7", "-t", "实施高技能领军人才培育计划")) == "7-2\n"
    result = jsgj("assign", "1", "--title", "并行招生", "--lead", "cities")
    assert result.stdout == "1-1\n"
    assert result.stderr == "  shared out to 13 cities: 1-1.nanjing … 1-1.suqian\n"


def test_assign_refuses_a_department_outside_the_measure(jsgj: Invoke, seeded: Path) -> None:
    before = snapshot(seeded)
    result = jsgj("assign", "7", "--title", "x", "--co", "公安厅")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "jsgj: error: 省公安厅 is not responsible for measure 7, so it cannot be the task's "
        "co-responsible department; allowed: 省人力资源社会保障厅(hrss)、省教育厅(education)、"
        "省工业和信息化厅(industry_it)、省国资委(sasac)、省总工会(trade_unions)、"
        "省工商联(federation_commerce)"
    ]
    assert snapshot(seeded) == before


def test_progress_prints_the_report_id(jsgj: Invoke, seeded: Path, today: SetDay) -> None:
    today("2025-01-17")
    result = jsgj(
        "progress", "7-1", "-s", "in_progress", "-p", "30", "-n", "第二周", "--by", "总工会"
    )
    assert (result.exit_code, result.stdout) == (0, "#3\n")
    assert ok(jsgj("progress", "7-1", "-s", "受阻", "-n", "资金未到位", "--by", "office")) == "#4\n"
    data = json.loads(ok(jsgj("tasks", "show", "7-1", "--json")))
    assert (data["task"]["status"], data["task"]["status_label"], data["task"]["percent"]) == (
        "blocked",
        "受阻",
        20,  # 总工会 is co: its 30% is a contribution and leaves the lead's 20% as it is
    )
    assert [e["by"] for e in data["timeline"] if e["event"] == "report"] == [
        "hrss",
        "trade_unions",
        "office",
    ]


def test_tasks_list_groups_by_measure(jsgj: Invoke, seeded: Path) -> None:
    out = ok(jsgj("tasks", "list"))
    assert out.splitlines()[0] == "任务清单（截至2025-01-10）"
    assert out.splitlines()[-1] == "共15项；全省合计行不计数。"
    assert "措施（一）完善职业教育招生机制" in out
    assert "措施（七）创新高技能人才培养模式" in out
    assert out.index("1-1.nanjing") < out.index("3-1") < out.index("7-1")
    assert "└南京市" in out


def test_every_row_shows_its_whole_light_at_80_columns(jsgj: Invoke, seeded: Path) -> None:
    rows = [line for line in ok(jsgj("tasks", "list")).splitlines() if line.startswith("1-1")]
    assert len(rows) == 14
    assert all(
        line.rstrip().endswith(("●红", "●黄", "●蓝", "●绿", "◐审", "✓结")) for line in rows
    ), rows


def test_tasks_list_json_carries_lights_and_reasons(
    jsgj: Invoke, seeded: Path, today: SetDay
) -> None:
    today("2025-02-12")
    data = {t["id"]: t for t in json.loads(ok(jsgj("tasks", "list", "--json")))}
    assert len(data) == 16
    overdue = data["3-1"]
    assert (overdue["light"], overdue["light_label"], overdue["reason"]) == (
        "red",
        "红灯",
        "逾期12天（原定2025-01-31），进度0%",
    )
    assert data["7-1"]["days_since_report"] == 33
    assert data["7-1"]["light"] == "yellow"
    assert data["1-1.nanjing"]["light"] == "done"
    assert data["1-1"]["children"][0] == "1-1.nanjing"
    assert data["1-1"]["percent"] == round(100 / 13)


@pytest.mark.parametrize(
    ("args", "ids"),
    [
        (["--measure", "7"], ["7-1"]),
        (["-m", "3"], ["3-1"]),
        (["--department", "总工会"], ["7-1"]),
        (["--department", "hrss"], ["7-1"]),
        (["-d", "南京"], ["1-1.nanjing"]),  # its share; the province total line is not its task
        (["--status", "已完成"], ["1-1.nanjing"]),
        (["--status", "in_progress"], ["1-1", "7-1"]),
        (["--overdue"], ["3-1"]),
        (
            ["--measure", "1", "--status", "未启动"],
            [
                f"1-1.{c}"
                for c in (
                    "wuxi",
                    "xuzhou",
                    "changzhou",
                    "suzhou",
                    "nantong",
                    "lianyungang",
                    "huaian",
                    "yancheng",
                    "yangzhou",
                    "zhenjiang",
                    "taizhou",
                    "suqian",
                )
            ],
        ),
        (["--as-of", "2025-01-09"], None),
        (["--as-of", "2025-01-05"], []),
    ],
)
def test_tasks_list_filters(
    jsgj: Invoke, seeded: Path, args: list[str], ids: list[str] | None, today: SetDay
) -> None:
    today("2025-02-12")
    data = json.loads(ok(jsgj("tasks", "list", *args, "--json")))
    if ids is None:  # as of 2025-01-09: every task, no report yet
        assert len(data) == 16
        assert {t["status"] for t in data} == {"not_started"}
        assert data[-1]["reason"] == "序时进度1%，实际0%"
    else:
        assert [t["id"] for t in data] == ids


def test_tasks_list_with_nothing_to_show(jsgj: Invoke, seeded: Path) -> None:
    assert ok(jsgj("tasks", "list", "--measure", "19")) == "没有符合条件的任务。\n"


def test_tasks_show_renders_the_card_and_timeline(jsgj: Invoke, seeded: Path) -> None:
    """Off a terminal the card is plain lines (rich is not imported); on one, a panel."""
    out = ok(jsgj("tasks", "show", "7-1"))
    assert out.startswith("任务 7-1\n任务 全面推行企业新型学徒制\n")
    assert "─" not in out and "│" not in out
    assert "配合 省总工会" in out
    assert "创建任务" in out
    assert "推进中 20%" in out and "分解下达培训任务" in out
    assert "〔佐证：苏人社发〔2025〕5号〕" in out
    import io

    from rich.console import Console

    from jsgj.catalog.load import load_catalog
    from jsgj.paths import departments_path, lights_path, measures_path
    from jsgj.render.card import card, card_lines, card_panel
    from jsgj.status import load_thresholds
    from jsgj.store.db import Store
    from jsgj.store.history import task_history
    from jsgj.tasks.when import When

    catalog = load_catalog(measures_path(None), departments_path(None))
    moment = When()
    on = moment.on
    with Store.open(seeded, catalog, create=False) as store:
        history = task_history(store, "7-1", moment)
    found = card(catalog, history, on, load_thresholds(lights_path()))
    screen = io.StringIO()
    Console(file=screen, width=100, color_system=None).print(card_panel(found))
    panel = screen.getvalue()
    assert "─ 任务 7-1 ─" in panel and "任务 全面推行企业新型学徒制" in panel
    # The panel and the plain lines say the same things.
    for line in card_lines(found):
        for word in line.split():
            assert word in panel, word


def test_tasks_show_json_has_the_whole_timeline(jsgj: Invoke, seeded: Path, today: SetDay) -> None:
    today("2025-01-20")
    ok(jsgj("progress", "7-1", "-s", "推进中", "-p", "85", "-n", "误填", "--by", "hrss"))
    today("2025-01-22")
    ok(
        jsgj(
            "progress",
            "7-1",
            "-s",
            "推进中",
            "-p",
            "25",
            "-n",
            "更正：应为25%",
            "--by",
            "hrss",
            "--corrects",
            "3",
        )
    )
    ok(jsgj("tasks", "edit", "7-1", "--due", "2025-11-30", "--reason", "按省政府要求提前"))
    data = json.loads(ok(jsgj("tasks", "show", "7-1", "--json")))
    assert data["as_of"] == "2025-01-22"
    assert data["task"]["percent"] == 25 and data["task"]["due_date"] == "2025-11-30"
    timeline = data["timeline"]
    assert [(e["event"], e.get("kind"), e["id"]) for e in timeline] == [
        ("revision", "create", 1),
        ("report", None, 1),
        ("report", None, 3),
        ("report", None, 4),
        ("revision", "edit", 17),
    ]
    wrong, fix = timeline[2], timeline[3]
    assert (wrong["percent"], wrong["corrected_by"]) == (85, 4)
    assert (fix["corrects"], fix["date"], fix["recorded_on"]) == (3, "2025-01-20", "2025-01-22")
    assert timeline[1]["evidence"] == "苏人社发〔2025〕5号"
    assert timeline[1]["os_user"] == "tester"
    assert timeline[4]["changes"] == {"due_date": ["2025-12-31", "2025-11-30"]}
    assert timeline[4]["reason"] == "按省政府要求提前"
    # as known on the day of the mistake, the mistake is what was known
    past = json.loads(
        ok(
            jsgj(
                "tasks",
                "show",
                "7-1",
                "--json",
                "--as-of",
                "2025-01-21",
                "--known-on",
                "2025-01-21",
            )
        )
    )
    assert past["task"]["percent"] == 85
    # the state on that day by everything known now: the correction applies
    now = json.loads(ok(jsgj("tasks", "show", "7-1", "--json", "--as-of", "2025-01-21")))
    assert now["task"]["percent"] == 25
    assert [e["id"] for e in past["timeline"]] == [1, 1, 3]
    assert past["timeline"][2]["corrected_by"] is None
    out = ok(jsgj("tasks", "show", "7-1"))
    assert "（已被#4更正）" in out and "（更正#3）" in out


def test_tasks_edit_and_cancel(jsgj: Invoke, seeded: Path, today: SetDay) -> None:
    today("2025-02-03")
    result = jsgj("tasks", "edit", "1-1", "--due", "2025-06-30", "--reason", "中考录取推迟")
    assert (result.exit_code, result.stdout) == (0, "recorded 14 change(s)\n")
    assert (
        ok(
            jsgj(
                "tasks", "edit", "7-1", "--no-co", "--title", "推行企业新型学徒制", "-r", "分工调整"
            )
        )
        == "recorded 1 change(s)\n"
    )
    shown = json.loads(ok(jsgj("tasks", "show", "7-1", "--json")))
    assert (shown["task"]["title"], shown["task"]["co"]) == ("推行企业新型学徒制", [])
    assert ok(jsgj("tasks", "cancel", "3-1", "--reason", "并入7-1统一推进")) == "cancelled 3-1\n"
    data = {t["id"]: t for t in json.loads(ok(jsgj("tasks", "list", "--json")))}
    assert data["3-1"]["cancelled"] is True and data["3-1"]["light"] == "cancelled"
    assert "已撤销" in ok(jsgj("tasks", "list", "--measure", "3"))
    assert data["1-1.suzhou"]["due_date"] == "2025-06-30"
    before = snapshot(seeded)
    result = jsgj("tasks", "cancel", "3-1", "--reason", "again")
    assert (result.exit_code, result.stderr) == (1, "jsgj: error: task 3-1 is already cancelled\n")
    assert snapshot(seeded) == before


def test_db_info_backup_and_check(jsgj: Invoke, seeded: Path, tmp_path: Path) -> None:
    info = json.loads(ok(jsgj("db", "info", "--json")))
    assert info["path"] == str(seeded.resolve())
    assert info["schema_version"] == info["schema_latest"] == len(migration_names())
    assert info["journal_mode"] == "wal"
    assert (info["tasks"], info["task_revisions"], info["progress_reports"]) == (16, 16, 2)
    assert "schema_version" in ok(jsgj("db", "info"))
    copy = tmp_path / "backups" / "copy.db"
    assert ok(jsgj("db", "backup", str(copy))) == f"backed up to {copy}\n"
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT COUNT(*) FROM progress_reports").fetchone()[0] == 2
    conn.close()
    assert ok(jsgj("--db", str(copy), "db", "check")) == "ok\n"
    assert ok(jsgj("db", "check")) == "ok\n"
    result = jsgj("db", "backup", str(seeded))
    assert result.exit_code == 1
    assert result.stderr == (
        f"jsgj: error: {seeded}: is the database jsgj uses (or its journal); "
        "write to another file\n"
    )


def test_db_check_reports_a_derived_table_out_of_step(jsgj: Invoke, seeded: Path) -> None:
    conn = sqlite3.connect(seeded)
    conn.execute("UPDATE tasks SET report_count = 7 WHERE id = '7-1'")
    conn.commit()
    conn.close()
    result = jsgj("db", "check")
    assert result.exit_code == 1
    assert result.stderr == ("derived state: task 7-1: report_count is 7, the events say 1\n")


def test_global_db_option_and_environment(jsgj: Invoke, tmp_path: Path, today: SetDay) -> None:
    other = tmp_path / "other.db"
    assert ok(jsgj("--db", str(other), "assign", "7", "-t", "x")) == "7-1\n"
    assert json.loads(ok(jsgj("--db", str(other), "db", "info", "--json")))["tasks"] == 1
    assert jsgj("db", "info", "--json").exit_code == 1  # JSGJ_DB: not created by a reader
    assert ok(jsgj("db", "init")).startswith("created ")
    assert json.loads(ok(jsgj("db", "info", "--json")))["tasks"] == 0


# --- bad input: message, exit code, database unchanged ----------------------------------

NO_TASK = "jsgj: error: no task '7-9'; `jsgj tasks list --measure 7` lists measure 7's tasks"
STATUSES = "未启动 (not_started)、推进中 (in_progress)、已完成 (done)、受阻 (blocked)"
REPORT = ["progress", "7-1", "--note", "本周推进"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        # an unknown task
        (["progress", "7-9", "-s", "推进中", "-n", "x"], 1, NO_TASK),
        (["tasks", "show", "7-9"], 1, NO_TASK),
        (["tasks", "edit", "7-9", "--due", "2025-05-01", "-r", "r"], 1, NO_TASK),
        (["tasks", "cancel", "7-9", "-r", "r"], 1, NO_TASK),
        (
            ["progress", "seven", "-s", "推进中", "-n", "x"],
            2,
            "jsgj: error: 'seven' is not a task id; ids look like 7-3, or 1-2.nanjing for a city",
        ),
        (
            ["tasks", "show", "7-1", "--as-of", "2025-01-05"],
            1,
            "jsgj: error: task 7-1 did not exist yet on 2025-01-05",
        ),
        (
            ["progress", "7-1", "-s", "推进中", "-n", "x", "--corrects", "99"],
            1,
            "jsgj: error: task 7-1 has no report #99 to correct",
        ),
        # an unknown measure or department
        (
            ["assign", "20", "-t", "x"],
            1,
            "jsgj: error: no measure 20: the document has measures 1-19",
        ),
        (
            ["assign", "7", "-t", "x", "--lead", "不存在"],
            1,
            "jsgj: error: unknown department '不存在'; `jsgj departments list` shows them all",
        ),
        (
            [*REPORT, "-s", "推进中", "--by", "人设厅"],
            1,
            "jsgj: error: unknown department '人设厅'; did you mean 省人力资源社会保障厅 (hrss), "
            "省住房城乡建设厅 (housing)?",
        ),
        (
            ["tasks", "list", "--department", "南晶"],
            1,
            "jsgj: error: unknown department '南晶'; did you mean 南通市人民政府 (nantong), "
            "南京市人民政府 (nanjing)?",
        ),
        # an unknown status
        (
            [*REPORT, "-s", "进行中"],
            2,
            f"jsgj: error: --status: unknown status '进行中'; use one of {STATUSES}",
        ),
        (
            ["tasks", "list", "--status", "finished"],
            2,
            "jsgj: error: --status: unknown status 'finished'; use one of 未启动 (not_started)、"
            "推进中 (in_progress)、已办结 (done)、受阻 (blocked)、待审核 (pending_review)、"
            "已撤销 (cancelled)",
        ),
        # a percent outside 0-100
        (
            [*REPORT, "-s", "推进中", "-p", "101"],
            2,
            "jsgj: error: --percent: '101' is not valid; expected a whole number from 0 to 100 "
            "(see 'jsgj progress --help')",
        ),
        (
            [*REPORT, "-s", "推进中", "--percent", "-1"],
            2,
            "jsgj: error: --percent: '-1' is not valid; expected a whole number from 0 to 100 "
            "(see 'jsgj progress --help')",
        ),
        # a date that is not a date
        (
            [*REPORT, "-s", "推进中", "--date", "2025-02-30"],
            2,
            "jsgj: error: --date: '2025-02-30' is not a date; write YYYY-MM-DD",
        ),
        (
            ["assign", "7", "-t", "x", "--due", "31/12/2025"],
            2,
            "jsgj: error: --due: '31/12/2025' is not a date; write YYYY-MM-DD",
        ),
        (
            ["assign", "7", "-t", "x", "--start", "2025-1-6"],
            2,
            "jsgj: error: --start: '2025-1-6' is not a date; write YYYY-MM-DD",
        ),
        (
            ["tasks", "list", "--as-of", "yesterday"],
            2,
            "jsgj: error: --as-of: 'yesterday' is not a date; write YYYY-MM-DD",
        ),
        (
            ["tasks", "edit", "7-1", "--due", "2025-13-01", "-r", "r"],
            2,
            "jsgj: error: --due: '2025-13-01' is not a date; write YYYY-MM-DD",
        ),
        (
            [*REPORT, "-s", "推进中", "--date", "2025-01-11"],
            1,
            "jsgj: error: --date: 2025-01-11 is in the future",
        ),
        # done below 100%
        (
            [*REPORT, "-s", "已完成", "-p", "90"],
            1,
            "jsgj: error: --percent: 已完成 means 100%, not 90%",
        ),
        (
            [*REPORT, "-s", "推进中", "-p", "100"],
            1,
            "jsgj: error: --status: 100% means done: the status should be 已完成, not 推进中",
        ),
        # a reporter who is not responsible
        (
            [*REPORT, "-s", "推进中", "--by", "教育厅"],
            1,
            "jsgj: error: --by: 省教育厅 is not responsible for task 7-1; it may be reported by "
            "省人力资源社会保障厅(hrss)、省总工会(trade_unions) or the office (督查督办)",
        ),
        (
            ["progress", "1-1.suzhou", "-s", "推进中", "-n", "x", "--by", "无锡"],
            1,
            "jsgj: error: --by: 无锡市人民政府 is not responsible for task 1-1.suzhou; it may be "
            "reported by 苏州市人民政府(suzhou) or the office (督查督办)",
        ),
        (
            ["progress", "1-1", "-s", "推进中", "-n", "x"],
            1,
            "jsgj: error: task 1-1 is shared out to the cities: report on each city's task, "
            "e.g. 1-1.nanjing",
        ),
        # other refusals
        (
            [*REPORT[:2], "-s", "推进中", "-n", " "],
            2,
            "jsgj: error: --note must not be empty: say what was done",
        ),
        (
            ["tasks", "edit", "7-1", "-r", "r"],
            2,
            "jsgj: error: nothing to change: give --title, --due, --start, --lead, --co, --urgency "
            "or --source with a new value",
        ),
        (
            ["tasks", "cancel", "7-1", "-r", ""],
            2,
            "jsgj: error: --reason must not be empty: say why the task is cancelled",
        ),
        (
            ["assign", "7", "-t", "x", "--due", "2025-01-01"],
            2,
            "jsgj: error: --due 2025-01-01 is before --start 2025-01-10",
        ),
        (
            ["progress", "7-1", "-s", "推进中"],
            2,
            "jsgj: error: missing option --note (see 'jsgj progress --help')",
        ),
    ],
)
def test_bad_input_is_one_line_with_its_exit_code_and_changes_nothing(
    jsgj: Invoke, seeded: Path, args: list[str], code: int, message: str
) -> None:
    before = snapshot(seeded)
    result = jsgj(*args)
    assert result.exit_code == code
    assert result.stderr.splitlines() == [message]
    assert result.stdout == ""
    assert snapshot(seeded) == before


def test_a_database_file_that_is_not_sqlite(jsgj: Invoke, db_path: Path) -> None:
    content = "编号,任务\n7-1,学徒制\n".encode() * 50
    db_path.write_bytes(content)
    for args in (["tasks", "list"], ["assign", "7", "-t", "x"], ["db", "check"]):
        result = jsgj(*args)
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [
            f"jsgj: error: {db_path}: not a jsgj database (file is not a database)"
        ]
    assert db_path.read_bytes() == content


def test_a_database_newer_than_this_jsgj(jsgj: Invoke, seeded: Path) -> None:
    conn = sqlite3.connect(seeded)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('jsgj', 'm999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    before = snapshot(seeded)
    n = len(migration_names())
    for args in (["tasks", "list"], [*REPORT, "-s", "推进中"], ["db", "info"]):
        result = jsgj(*args)
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [
            f"jsgj: error: {seeded}: the database was written by a newer jsgj "
            f"(schema {n + 1}, this version knows {n}); upgrade jsgj"
        ]
    assert snapshot(seeded) == before
