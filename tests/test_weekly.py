"""The weekly report (周报): the ISO week, the counting rule, the chase list against
the light rules, escaping of user text, self-contained HTML, byte-identical output,
and golden files on the demo database in Markdown, HTML and JSON."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import Invoke
from jsgj import paths
from jsgj.document.markdown import md
from jsgj.reports.weekly import Week
from jsgj.status import Color, light, load_thresholds
from jsgj.store.db import Store
from jsgj.store.queries import task_states
from jsgj.tasks.when import When
from jsgj.views import weekly_report
from report_helpers import NOTE_WITH_MARKUP, build_small, check_golden, demo_db, fresh_catalog

__all__ = ["demo_db"]

AS_OF = "2025-06-29"
DEMO_DAY = dt.date(2025, 6, 29)


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    path = tmp_path / "small.db"
    build_small(path)
    return path


KNOWN = "2030-01-01T00:00:00.000000+00:00"
"""Everything recorded so far, named as a fixed moment: the report prints the moment it
was computed, and a fixed one keeps golden files byte for byte."""


def weekly(jsgj: Invoke, db: Path, fmt: str, *args: str) -> str:
    result = jsgj(
        "--db", str(db), "report", "weekly", "--as-of", AS_OF, "--known-on", KNOWN,
        "--format", fmt, *args,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return result.stdout


def weekly_json(jsgj: Invoke, db: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(weekly(jsgj, db, "json"))
    return data


# --- the week --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "label", "year", "number"),
    [
        (dt.date(2025, 6, 29), "2025年第26周（6月23日至6月29日）", 2025, 26),
        (dt.date(2025, 6, 23), "2025年第26周（6月23日至6月29日）", 2025, 26),
        (dt.date(2025, 1, 15), "2025年第3周（1月13日至1月19日）", 2025, 3),
        # ISO years: the week that holds New Year belongs to the year of its Thursday.
        (dt.date(2024, 12, 31), "2025年第1周（2024年12月30日至2025年1月5日）", 2025, 1),
        (dt.date(2027, 1, 2), "2026年第53周（2026年12月28日至2027年1月3日）", 2026, 53),
    ],
)
def test_week_label(day: dt.date, label: str, year: int, number: int) -> None:
    week = Week.containing(day)
    assert (week.label, week.year, week.number) == (label, year, number)
    assert week.start.isoweekday() == 1 and week.end - week.start == dt.timedelta(days=6)
    assert week.start <= day <= week.end


def test_heading_names_the_document_and_the_week(jsgj: Invoke, small_db: Path) -> None:
    out = weekly(jsgj, small_db, "markdown")
    assert "\n# 苏政办发〔2024〕37号落实情况周报\n" in out
    assert "**2025年第26周（6月23日至6月29日）**" in out


# --- counting ---------------------------------------------------------------------------------


def test_counts_reportable_tasks_not_fan_out_parents(jsgj: Invoke, small_db: Path) -> None:
    data = weekly_json(jsgj, small_db)
    s = data["summary"]
    # 7-1, 12-1, 8-1 and the 13 city tasks of 1-1; 1-1 itself is not counted; 9-1 is
    # cancelled and counted apart.
    assert (s["tasks"], s["cancelled"], s["fanned_out"], s["city_tasks"]) == (16, 1, 1, 13)
    assert s["lights"] == {
        "red": 1, "yellow": 0, "blue": 1, "green": 13, "pending": 0, "done": 1
    }  # fmt: skip
    assert s["statuses"] == {
        "done": 1, "pending_review": 0, "in_progress": 3, "not_started": 12, "blocked": 0
    }  # fmt: skip
    assert sum(s["lights"].values()) == sum(s["statuses"].values()) == s["tasks"]
    assert s["overdue"] == 1
    m1 = data["measures"][0]
    assert (m1["tasks"], m1["done"], m1["light"]) == (13, 1, "green")
    assert sum(m["tasks"] for m in data["measures"]) == s["tasks"]


def test_deadlines_list_a_shared_task_once(jsgj: Invoke, small_db: Path) -> None:
    data = weekly_json(jsgj, small_db)
    assert [d["task"] for d in data["deadlines"]] == ["12-1"]
    assert data["tasks"]["12-1"]["due_date"] == "2025-07-02"
    assert data["deadline_days"] == 14


def test_reports_this_week_by_measure(jsgj: Invoke, small_db: Path) -> None:
    data = weekly_json(jsgj, small_db)
    groups = {g["measure"]: [i["task"] for i in g["items"]] for g in data["reports"]}
    # 12-1's report is dated 2025-06-16: the week before.
    assert groups == {1: ["1-1.nanjing"], 7: ["7-1"], 8: ["8-1"]}


# --- the chase list -----------------------------------------------------------------------------


def chased(data: dict[str, Any]) -> dict[str, tuple[str, str]]:
    tasks = data["tasks"]
    return {i: (tasks[i]["light"], tasks[i]["reason"]) for g in data["chase"] for i in g["tasks"]}


def test_chase_list_on_the_small_database(jsgj: Invoke, small_db: Path) -> None:
    data = weekly_json(jsgj, small_db)
    assert chased(data) == {
        "7-1": ("red", "逾期9天（原定2025-06-20），进度40%"),
    }  # 12-1, due in 3 days and on pace, is blue (临期): not chased
    first = data["chase"][0]
    assert (first["name"], first["overdue"], first["red"], first["yellow"]) == (
        "省人力资源社会保障厅",
        1,
        1,
        0,
    )
    # 12-1 started before the week and has no report dated in it.
    assert first["unreported"] == ["12-1"]
    cities = {g["department"]: g["unreported"] for g in data["chase"][1:]}
    assert "nanjing" not in cities  # done
    assert cities["suzhou"] == ["1-1.suzhou"]


def test_chase_list_names_exactly_the_red_and_yellow_tasks_on_the_demo(
    jsgj: Invoke, demo_db: Path
) -> None:
    """Every reportable task the light rules make red or yellow, with the rules' own
    reason, and nothing else; grouped by lead department, most overdue first."""
    catalog = fresh_catalog()
    thresholds = load_thresholds(paths.lights_path())
    with Store.open(demo_db, catalog) as store:
        states = task_states(store, DEMO_DAY)
    expected = {}
    for t in states:
        if t.is_parent:
            continue
        lt = light(t, DEMO_DAY, thresholds)
        if lt.color in (Color.red, Color.yellow):
            expected[t.id] = (lt.color.value, lt.reason)
    assert len(expected) > 10  # the demo has plenty of both
    data = weekly_json(jsgj, demo_db)
    assert chased(data) == expected
    for g in data["chase"]:
        for i in g["tasks"]:
            assert data["tasks"][i]["lead"] == g["department"]
    keys = [(-g["overdue"], -g["red"], -g["yellow"], -len(g["unreported"])) for g in data["chase"]]
    assert keys == sorted(keys)
    # The demo's story, as its docstring tells it.
    assert expected["5-3"][0] == "red" and "受阻" in expected["5-3"][1]
    assert expected["3-1"][1].startswith("逾期")
    assert expected["16-3"] == ("yellow", "37天未报送进展")
    s = data["summary"]
    assert s["lights"]["red"] + s["lights"]["yellow"] == len(expected)
    # Markdown and HTML list the same tasks with the same reasons.
    md_text = weekly(jsgj, demo_db, "markdown")
    html_text = weekly(jsgj, demo_db, "html")
    chase_md = md_text.split("## 五、催办清单")[1].split("## 六、")[0]
    chase_html = html_text.split("五、催办清单")[1].split("六、")[0]
    for tid, (_, reason) in expected.items():
        assert f"| {tid} |" in chase_md and reason in chase_md
        assert f"<td>{tid}</td>" in chase_html and reason in chase_html


# --- user text is data ------------------------------------------------------------------------


def test_markdown_escapes_user_text(jsgj: Invoke, small_db: Path) -> None:
    out = weekly(jsgj, small_db, "markdown")
    assert "<script>" not in out
    for line in out.splitlines():  # '| --- |' only in the tables' delimiter rows
        if "| --- |" in line:
            assert re.fullmatch(r"[|\-: ]+", line), line
    row = next(line for line in out.splitlines() if line.startswith("| 2025-06-24 | 7-1 |"))
    assert r"\<script\>alert('x')\</script\> 表格 \| --- \| 已完成 \*\*加粗\*\*" in row
    # The row still has exactly its seven cells.
    cells = re.split(r"(?<!\\)\|", row)[1:-1]
    assert len(cells) == 7


def test_markdown_escape_round_trips_as_text() -> None:
    escaped = md(NOTE_WITH_MARKUP)
    unescaped = re.sub(r"\\(.)", r"\1", escaped)
    assert unescaped == NOTE_WITH_MARKUP
    assert md("第一行\n第二行 | x") == r"第一行 第二行 \| x"


def test_html_escapes_user_text(jsgj: Invoke, small_db: Path) -> None:
    out = weekly(jsgj, small_db, "html")
    assert "<script" not in out.lower()
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; 表格 | --- | 已完成 **加粗**" in out


def test_html_is_self_contained_and_printable(jsgj: Invoke, demo_db: Path) -> None:
    out = weekly(jsgj, demo_db, "html")
    assert out.startswith("<!DOCTYPE html>")
    assert "<script" not in out.lower() and "javascript:" not in out.lower()
    assert not re.search(r"""(src|href)\s*=""", out)  # no external resource, no link
    assert "@import" not in out and "url(" not in out
    # Lights bar + stacked bars per measure + one series chart per indicator (3).
    assert "<svg" in out and out.count("<svg") == 5
    assert "@page { size: A4" in out
    # The stacked bars: one row per measure, one rect per non-empty status segment.
    assert "分措施任务状态" in out


def test_json_carries_the_same_sections(jsgj: Invoke, demo_db: Path) -> None:
    data = weekly_json(jsgj, demo_db)
    assert set(data) >= {
        "title",
        "document",
        "week",
        "summary",
        "measures",
        "reports",
        "chase",
        "deadlines",
        "departments",
        "indicators",
        "tasks",
    }
    assert data["week"] == {
        "year": 2025,
        "week": 26,
        "start": "2025-06-23",
        "end": "2025-06-29",
        "label": "2025年第26周（6月23日至6月29日）",
    }
    assert len(data["measures"]) == 19
    # Each task a section lists is one record, by id; the sections hold ids.
    listed = [i for g in data["chase"] for i in g["tasks"]] + [d["task"] for d in data["deadlines"]]
    for key in ("pending_review", "returned", "extended", "approved", "overdue"):
        listed += data[key]
    assert listed and set(listed) == set(data["tasks"])
    assert all(data["tasks"][i]["id"] == i for i in listed)


# --- determinism -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["markdown", "html", "json"])
def test_same_database_and_as_of_give_the_same_bytes(
    jsgj: Invoke, demo_db: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = weekly(jsgj, demo_db, fmt)
    monkeypatch.setenv("JSGJ_TODAY", "2031-01-01")  # the day it runs does not matter
    monkeypatch.setenv("COLUMNS", "200")
    assert weekly(jsgj, demo_db, fmt) == first


def test_known_on_shows_what_was_known_then(jsgj: Invoke, small_db: Path) -> None:
    """A report recorded later does not change what a past week showed."""
    result = jsgj(
        "--db", str(small_db), "report", "weekly", "--as-of", "2025-06-20",
        "--known-on", "2025-06-20", "-f", "json",
    )  # fmt: skip
    data = json.loads(result.stdout)
    assert data["summary"]["reports_this_week"] == 0
    assert data["summary"]["cancelled"] == 1


def test_build_is_pure(demo_db: Path) -> None:
    catalog = fresh_catalog()
    thresholds = load_thresholds(paths.lights_path())
    with Store.open(demo_db, catalog) as store:
        moment = When(as_of=DEMO_DAY, known_on=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
        a = weekly_report(store, moment, thresholds)
        b = weekly_report(store, moment, thresholds)
    assert a == b


# --- golden files -------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "ext"), [("markdown", "md"), ("html", "html"), ("json", "json")])
def test_golden_weekly(jsgj: Invoke, demo_db: Path, fmt: str, ext: str) -> None:
    check_golden(f"weekly.{ext}", weekly(jsgj, demo_db, fmt))


def test_golden_weekly_on_an_empty_database(jsgj: Invoke, db_path: Path) -> None:
    Store.open(db_path, fresh_catalog()).close()
    check_golden("weekly-empty.md", weekly(jsgj, db_path, "markdown"))


def test_the_current_view_on_the_day_equals_the_as_of_view(
    jsgj: Invoke, demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --as-of the report reads the current view on today; on the demo's last
    day (nothing was recorded after it) that is what the event log shows."""
    as_of = json.loads(weekly(jsgj, demo_db, "json"))
    monkeypatch.setenv("JSGJ_TODAY", AS_OF)
    result = jsgj("--db", str(demo_db), "report", "weekly", "--format", "json")
    current = json.loads(result.stdout)
    del as_of["computed_at"], current["computed_at"]  # the moments differ, nothing else
    assert current == as_of


def test_the_footer_moment_reproduces_the_report_after_late_changes(
    jsgj: Invoke, small_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cron job's report, computed at some moment, is reproduced byte for byte by
    giving that moment back as --known-on, after a late report and a correction."""
    monkeypatch.setenv("JSGJ_TODAY", "2025-06-30")  # the Monday the cron job runs
    args = ("--db", str(small_db), "report", "weekly", "--as-of", AS_OF)
    sent = jsgj(*args, "-f", "json").stdout
    moment = json.loads(sent)["computed_at"]
    assert f"--known-on {moment}" in jsgj(*args, "--known-on", moment).stdout  # the footer
    monkeypatch.setenv("JSGJ_TODAY", "2025-07-02")
    late = jsgj(
        "--db", str(small_db), "progress", "8-1", "--status", "推进中", "--percent", "50",
        "--note", "补报上周进展", "--date", "2025-06-27", "--by", "人社厅",
    )  # fmt: skip
    assert late.exit_code == 0, late.stderr
    fixed = jsgj(
        "--db", str(small_db), "progress", "7-1", "--status", "推进中", "--percent", "45",
        "--note", "更正", "--corrects", "1", "--by", "人社厅",
    )  # fmt: skip
    assert fixed.exit_code == 0, fixed.stderr
    again = jsgj(*args, "--known-on", moment, "-f", "json").stdout
    assert again == sent
    now = json.loads(jsgj(*args, "-f", "json").stdout)
    assert now["summary"]["reports_this_week"] != json.loads(sent)["summary"]["reports_this_week"]


def test_the_body_names_problems_with_reasons_and_puts_detail_in_annexes(
    jsgj: Invoke, demo_db: Path
) -> None:
    """存在问题和需协调事项: the reason a blocked task's lead gave when it became blocked
    (not the latest boilerplate), how long it has been blocked, and who answers for it;
    the week's report lines are in 附件, not in the body."""
    md = weekly(jsgj, demo_db, "markdown")
    body, annex = md.split("## 附件1", 1)
    problems = body.split("## 三、存在问题和需协调事项")[1].split("## 四、")[0]
    assert "市级财力紧张，专项资金未列入年度预算调整" in problems
    assert "受阻37天（2025-05-23起）" in problems and "宿迁市人民政府" in problems
    assert "3所技工院校新校区用地规划用途调整须报省政府批准" in problems
    overdue = body.split("## 四、逾期和已延期")[1].split("## 五、")[0]
    assert "已延期（原定" in overdue and "逾期" in overdue
    chase = body.split("## 五、催办清单")[1].split("## 六、")[0]
    assert "各设区市整合设立校企合作专项资金（淮安市）（3-3.huaian）" in chase
    assert "本周报送情况" in annex.splitlines()[0]
    assert "| 日期 | 编号 | 任务 |" not in body  # the report lines moved to the annex
    data = weekly_json(jsgj, demo_db)
    blocked = {o["task"]: o for o in data["obstacles"] if o["kind"] == "受阻"}
    assert blocked["3-3.suqian"]["days"] == 37
    assert blocked["3-3.suqian"]["latest"] == "问题尚未解决，已提请省政府办公厅协调"
