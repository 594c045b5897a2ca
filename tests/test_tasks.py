"""The task workflow through the store: assign, progress, edit, cancel, and looking back
with as-of dates."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from jsgj import paths
from jsgj.catalog.catalog import Catalog
from jsgj.catalog.load import load_catalog
from jsgj.errors import JsgjError, NotFoundError, UsageError
from jsgj.store.admin import check_database
from jsgj.store.db import Store
from jsgj.store.history import task_history
from jsgj.store.queries import task_states
from jsgj.store.revisions import cancel_task, edit_task
from jsgj.store.tasks import (
    Actor,
    assign,
    record_progress,
    review,
)
from jsgj.tasks.filters import TaskFilter, filter_tasks
from jsgj.tasks.history import Report, Revision
from jsgj.tasks.ids import parse_task_id
from jsgj.values import Status, frozen_today, parse_status

CITIES = [
    "nanjing",
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
]
D = dt.date


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(paths.measures_path(), paths.departments_path())


@pytest.fixture
def store(db_path: Path, catalog: Catalog) -> Iterator[Store]:
    with frozen_today(D(2025, 1, 6)), Store.open(db_path, catalog) as s:
        yield s
        assert check_database(s) == []


def state(store: Store, task_id: str, as_of: D | None = None) -> dict[str, object]:
    [s] = [s for s in task_states(store, as_of) if s.id == task_id]
    return s.to_json()


# --- assign --------------------------------------------------------------------------


def test_assign_defaults_to_the_measures_lead_and_numbers_per_measure(store: Store) -> None:
    assert assign(store, 7, "全面推行企业新型学徒制") == ["7-1"]
    assert assign(store, 7, "实施高技能领军人才培育计划", co=["总工会"]) == ["7-2"]
    assert assign(store, 1, "制定2025年招生计划") == ["1-1"]
    first, second, other = task_states(store)[0], *task_states(store)[1:]
    assert (first.id, first.lead, first.co) == ("1-1", "education", ())
    assert (second.id, second.lead) == ("7-1", "hrss")
    assert (other.id, other.lead, other.co) == ("7-2", "hrss", ("trade_unions",))
    assert second.start_date == second.created_on == D(2025, 1, 6)
    assert second.status is Status.not_started and second.percent == 0


def test_assign_takes_dates_names_and_aliases(store: Store) -> None:
    [tid] = assign(
        store,
        9,
        "实施康养职业技能培训计划",
        lead="省民政厅",
        co=["卫健委", "women"],
        start=D(2025, 2, 1),
        due=D(2025, 10, 31),
    )
    s = state(store, tid)
    assert (s["lead"], s["co"], s["start_date"], s["due_date"]) == (
        "civil_affairs",
        ["health", "women"],
        "2025-02-01",
        "2025-10-31",
    )
    rows = store.query("SELECT department_id, role FROM task_departments WHERE task_id = ?", [tid])
    assert {(r["department_id"], r["role"]) for r in rows} == {
        ("civil_affairs", "lead"),
        ("health", "co"),
        ("women", "co"),
    }


def test_fan_out_creates_a_parent_and_thirteen_city_tasks(store: Store) -> None:
    ids = assign(
        store,
        1,
        "落实中职与普高同批次并行招生",
        lead="cities",
        co=["education"],
        due=D(2025, 6, 20),
    )
    assert ids == ["1-1", *[f"1-1.{c}" for c in CITIES]]
    states = {s.id: s for s in task_states(store)}
    parent = states["1-1"]
    assert parent.lead == "cities" and parent.children == tuple(ids[1:])
    assert states["1-1.suzhou"].lead == "suzhou"
    assert states["1-1.suzhou"].parent_id == "1-1"
    assert states["1-1.suzhou"].co == ("education",)
    # the next task of the measure is 1-2, whatever the number of city shares
    assert assign(store, 1, "建立面向高校毕业生的常态化招生机制") == ["1-2"]
    # the group's name works like its id
    assert assign(store, 3, "整合设立校企合作专项资金", lead="各设区市人民政府")[0] == "3-1"


def test_a_city_share_is_found_by_the_citys_chinese_name(store: Store) -> None:
    assign(store, 1, "并行招生", lead="cities")
    assert parse_task_id(store.catalog, "1-1.苏州") == "1-1.suzhou"
    assert parse_task_id(store.catalog, " 01-01 ") == "1-1"
    with pytest.raises(UsageError, match="is not a task id"):
        parse_task_id(store.catalog, "seven")


def test_a_lead_outside_the_measure_is_refused_with_the_allowed_list(store: Store) -> None:
    with pytest.raises(JsgjError) as caught:
        assign(store, 7, "x", lead="公安厅")
    assert str(caught.value) == (
        "省公安厅 is not responsible for measure 7, so it cannot be the task's lead; allowed: "
        "省人力资源社会保障厅(hrss)、省教育厅(education)、省工业和信息化厅(industry_it)、"
        "省国资委(sasac)、省总工会(trade_unions)、省工商联(federation_commerce)"
    )
    assert caught.value.exit_code == 1
    assert store.query("SELECT COUNT(*) AS n FROM tasks")[0]["n"] == 0


def test_a_co_department_outside_the_measure_is_refused(store: Store) -> None:
    with pytest.raises(
        JsgjError,
        match="省税务局 is not responsible for measure 7, so it cannot "
        "be the task's co-responsible department; allowed: 省人力资源社会保障厅",
    ):
        assign(store, 7, "x", co=["税务局"])


def test_a_city_qualifies_only_where_the_measure_lists_the_cities(store: Store) -> None:
    assert assign(store, 5, "苏州建设高水平技工学校", lead="苏州") == ["5-1"]
    assert assign(store, 19, "无锡纳入考核", co=["无锡市"]) == ["19-1"]
    with pytest.raises(JsgjError) as caught:
        assign(store, 7, "南京新型学徒制", lead="南京")
    assert "南京市人民政府 is not responsible for measure 7" in str(caught.value)
    assert "or one of the city governments" not in str(caught.value)
    with pytest.raises(JsgjError, match="各设区市人民政府 is not responsible for measure 7"):
        assign(store, 7, "x", lead="cities")
    with pytest.raises(
        JsgjError,
        match=r"allowed: .*各设区市人民政府\(cities\), or one of the "
        "city governments",
    ):
        assign(store, 1, "x", lead="公安厅")


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"lead": "不存在的厅"}, NotFoundError, "unknown department '不存在的厅'"),
        ({"co": ["hrss"]}, UsageError, "already the lead"),
        ({"co": ["sasac", "国资委"]}, UsageError, "names 省国资委 twice"),
        ({"due": D(2025, 1, 1)}, UsageError, "--due 2025-01-01 is before --start 2025-01-06"),
        ({"title": "  "}, UsageError, "--title must not be empty"),
    ],
)
def test_bad_assignments_are_refused(
    store: Store, kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    args: dict[str, object] = {"title": "全面推行企业新型学徒制", **kwargs}
    title = str(args.pop("title"))
    with pytest.raises(error, match=message):
        assign(store, 7, title, **args)  # type: ignore[arg-type]
    assert store.query("SELECT COUNT(*) AS n FROM task_revisions")[0]["n"] == 0


def test_a_city_cannot_co_own_its_own_share(store: Store) -> None:
    with pytest.raises(UsageError, match="南京市人民政府 is already the lead"):
        assign(store, 1, "并行招生", lead="cities", co=["nanjing"])


def test_an_unknown_measure_is_refused(store: Store) -> None:
    with pytest.raises(NotFoundError, match="no measure 20: the document has measures 1-19"):
        assign(store, 20, "x")


# --- progress --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("推进中", Status.in_progress),
        ("in_progress", Status.in_progress),
        ("受阻", Status.blocked),
        ("blocked", Status.blocked),
        ("未启动", Status.not_started),
        ("已完成", Status.done),
        ("done", Status.done),
    ],
)
def test_chinese_and_english_statuses_are_accepted(text: str, status: Status) -> None:
    assert parse_status(text) is status


def test_an_unknown_status_is_a_usage_error() -> None:
    with pytest.raises(
        UsageError, match="unknown status '进行中'; use one of 未启动 \\(not_started\\)"
    ):
        parse_status("进行中")


def test_progress_updates_the_task_and_keeps_evidence(store: Store) -> None:
    assign(store, 7, "全面推行企业新型学徒制", co=["总工会"])
    with frozen_today(D(2025, 1, 10)):
        rid = record_progress(
            store,
            "7-1",
            status=parse_status("推进中"),
            percent=20,
            note="分解下达培训任务",
            by="人社厅",
            evidence="苏人社发〔2025〕5号",
        )
    s = state(store, "7-1")
    assert (s["status"], s["status_label"], s["percent"], s["last_report_date"]) == (
        "in_progress",
        "推进中",
        20,
        "2025-01-10",
    )
    [report] = task_history(store, "7-1").reports
    assert (report.id, report.reporter, report.evidence, report.os_user) == (
        rid,
        "hrss",
        "苏人社发〔2025〕5号",
        "tester",
    )
    assert report.recorded_on == report.report_date == D(2025, 1, 10)


def test_done_means_one_hundred_percent(store: Store) -> None:
    assign(store, 7, "全面推行企业新型学徒制")
    with pytest.raises(JsgjError, match=r"--percent: 已完成 means 100%, not 90%"):
        record_progress(store, "7-1", status=Status.done, percent=90, note="x", evidence="e")
    record_progress(
        store, "7-1", status=Status.done, note="全部完成", evidence="苏人社发〔2025〕9号"
    )
    assert state(store, "7-1")["percent"] == 100
    with pytest.raises(JsgjError, match="100% means done"):
        record_progress(store, "7-1", status=Status.in_progress, percent=100, note="x")


def test_percent_defaults_to_the_last_one_and_is_bounded(store: Store) -> None:
    assign(store, 7, "全面推行企业新型学徒制")
    record_progress(store, "7-1", status=Status.in_progress, percent=30, note="a")
    record_progress(store, "7-1", status=Status.blocked, note="资金未到位")
    assert (state(store, "7-1")["status"], state(store, "7-1")["percent"]) == ("blocked", 30)
    for bad in (-1, 101):
        with pytest.raises(UsageError, match=f"--percent: {bad} is outside 0-100"):
            record_progress(store, "7-1", status=Status.in_progress, percent=bad, note="x")


@pytest.mark.parametrize("by", [None, "office", "督查督办", "hrss", "人社厅", "总工会"])
def test_lead_co_and_office_may_report(store: Store, by: str | None) -> None:
    assign(store, 7, "全面推行企业新型学徒制", co=["总工会"])
    record_progress(store, "7-1", status=Status.in_progress, percent=5, note="x", by=by)
    [report] = task_history(store, "7-1").reports
    assert report.reporter == {None: "office", "office": "office", "督查督办": "office"}.get(
        by, "hrss" if by in ("hrss", "人社厅") else "trade_unions"
    )


def test_a_reporter_who_is_not_responsible_is_refused(store: Store) -> None:
    assign(store, 7, "全面推行企业新型学徒制", co=["总工会"])
    with pytest.raises(JsgjError) as caught:
        record_progress(store, "7-1", status=Status.in_progress, percent=5, note="x", by="教育厅")
    assert str(caught.value) == (
        "--by: 省教育厅 is not responsible for task 7-1; it may be reported by "
        "省人力资源社会保障厅(hrss)、省总工会(trade_unions) or the office (督查督办)"
    )
    assert store.query("SELECT COUNT(*) AS n FROM progress_reports")[0]["n"] == 0


def test_cities_report_on_their_own_share_only(store: Store) -> None:
    assign(store, 1, "并行招生", lead="cities")
    record_progress(
        store, "1-1.nanjing", status=Status.in_progress, percent=50, note="x", by="南京"
    )
    with pytest.raises(JsgjError, match="无锡市人民政府 is not responsible for task 1-1.nanjing"):
        record_progress(
            store, "1-1.nanjing", status=Status.in_progress, percent=5, note="x", by="无锡"
        )
    with pytest.raises(JsgjError, match="shared out to the cities: report on each city's task"):
        record_progress(store, "1-1", status=Status.in_progress, percent=5, note="x")
    parent = state(store, "1-1")
    assert (parent["status"], parent["percent"], parent["report_count"]) == (
        "in_progress",
        round(50 / 13),
        1,
    )


def test_a_report_about_the_future_is_refused(store: Store) -> None:
    assign(store, 7, "全面推行企业新型学徒制")
    with pytest.raises(JsgjError, match="--date: 2025-01-07 is in the future"):
        record_progress(
            store, "7-1", status=Status.in_progress, percent=5, note="x", report_date=D(2025, 1, 7)
        )


def test_a_correction_keeps_both_reports_in_the_history(store: Store) -> None:
    assign(store, 7, "全面推行企业新型学徒制")
    with frozen_today(D(2025, 3, 21)):
        wrong = record_progress(store, "7-1", status=Status.in_progress, percent=85, note="误填")
    with frozen_today(D(2025, 3, 24)):
        right = record_progress(
            store,
            "7-1",
            status=Status.in_progress,
            percent=25,
            note="更正：应为25%",
            corrects=wrong,
        )
    history = task_history(store, "7-1")
    first, second = history.reports
    assert (first.id, first.percent, first.corrected_by) == (wrong, 85, right)
    assert (second.id, second.percent, second.corrects) == (right, 25, wrong)
    assert second.report_date == D(2025, 3, 21)  # about the date of the report it replaces
    assert second.recorded_on == D(2025, 3, 24)
    s = state(store, "7-1")
    assert (s["percent"], s["report_count"]) == (25, 1)
    with frozen_today(D(2025, 3, 25)):
        with pytest.raises(JsgjError, match=f"report #{wrong} was already corrected by #{right}"):
            record_progress(
                store, "7-1", status=Status.in_progress, percent=20, note="x", corrects=wrong
            )
        with pytest.raises(NotFoundError, match="task 7-1 has no report #999 to correct"):
            record_progress(
                store, "7-1", status=Status.in_progress, percent=20, note="x", corrects=999
            )


def test_a_correction_does_not_hide_a_later_report(store: Store) -> None:
    assign(store, 7, "全面推行企业新型学徒制")
    with frozen_today(D(2025, 3, 7)):
        wrong = record_progress(store, "7-1", status=Status.in_progress, percent=60, note="误填")
    with frozen_today(D(2025, 3, 14)):
        record_progress(store, "7-1", status=Status.in_progress, percent=45, note="第二周")
    with frozen_today(D(2025, 3, 20)):
        record_progress(
            store, "7-1", status=Status.in_progress, percent=40, note="更正", corrects=wrong
        )
    assert state(store, "7-1")["percent"] == 45


def test_a_report_on_an_unknown_task_is_refused(store: Store) -> None:
    with pytest.raises(NotFoundError, match="no task '7-9'; `jsgj tasks list --measure 7` lists"):
        record_progress(store, "7-9", status=Status.in_progress, note="x")


# --- edit and cancel ---------------------------------------------------------------------


def test_edit_is_an_event_with_its_reason(store: Store) -> None:
    assign(store, 4, "出台收入分配使用办法", due=D(2025, 4, 30))
    with frozen_today(D(2025, 4, 22)):
        ids = edit_task(
            store,
            "4-1",
            reason="会签意见需补充，延期",
            due=D(2025, 8, 31),
            co=["财政厅"],
            actor=Actor("office", "li"),
        )
    assert len(ids) == 1
    s = state(store, "4-1")
    assert (s["due_date"], s["co"]) == ("2025-08-31", ["finance"])
    create, edit = task_history(store, "4-1").revisions
    assert (create.kind, edit.kind) == ("create", "edit")
    assert edit.reason == "会签意见需补充，延期"
    assert edit.changes == {"due_date": ["2025-04-30", "2025-08-31"], "co": [[], ["finance"]]}
    assert (edit.recorded_on, edit.os_user) == (D(2025, 4, 22), "li")
    # the old definition is what was known before the edit
    assert state(store, "4-1", D(2025, 4, 21))["due_date"] == "2025-04-30"


def test_edit_refusals(store: Store) -> None:
    assign(store, 4, "出台收入分配使用办法", due=D(2025, 4, 30))
    with pytest.raises(UsageError, match="--reason must not be empty"):
        edit_task(store, "4-1", reason=" ", due=D(2025, 5, 31))
    with pytest.raises(UsageError, match="nothing to change"):
        edit_task(store, "4-1", reason="r", due=D(2025, 4, 30))
    with pytest.raises(JsgjError, match="省公安厅 is not responsible for measure 4"):
        edit_task(store, "4-1", reason="r", lead="公安厅")
    with pytest.raises(UsageError, match="before --start"):
        edit_task(store, "4-1", reason="r", due=D(2025, 1, 1))
    assert len(task_history(store, "4-1").revisions) == 1


def test_editing_a_fan_out_edits_every_city(store: Store) -> None:
    assign(store, 5, "纳入教育发展规划", lead="cities", due=D(2025, 6, 30))
    ids = edit_task(store, "5-1", reason="省政府要求提前", due=D(2025, 6, 15))
    assert len(ids) == 14
    assert {s.due_date for s in task_states(store)} == {D(2025, 6, 15)}
    with pytest.raises(JsgjError, match="cannot change"):
        edit_task(store, "5-1.nanjing", reason="r", lead="hrss")


def test_cancel_is_an_event_and_the_task_is_kept(store: Store) -> None:
    assign(store, 6, "研究支持性收费政策")
    record_progress(store, "6-1", status=Status.in_progress, percent=20, note="起草")
    with frozen_today(D(2025, 3, 14)):
        assert cancel_task(store, "6-1", reason="并入其他工作统一办理") == ["6-1"]
    s = state(store, "6-1")
    assert (s["cancelled"], s["percent"]) == (True, 20)
    revision = task_history(store, "6-1").revisions[-1]
    assert (revision.kind, revision.reason, revision.changes) == (
        "cancel",
        "并入其他工作统一办理",
        {"cancelled": [0, 1]},
    )
    with pytest.raises(JsgjError, match="was cancelled .* takes no more reports"):
        record_progress(store, "6-1", status=Status.in_progress, percent=30, note="x")
    with pytest.raises(JsgjError, match="already cancelled"):
        cancel_task(store, "6-1", reason="again")
    with pytest.raises(JsgjError, match="cannot be edited"):
        edit_task(store, "6-1", reason="r", title="新名称")
    assert state(store, "6-1", D(2025, 3, 13))["cancelled"] is False


def test_cancelling_a_city_share_leaves_it_out_of_the_parents_total(store: Store) -> None:
    assign(store, 1, "并行招生", lead="cities")
    record_progress(store, "1-1.suqian", status=Status.blocked, percent=10, note="x", by="宿迁")
    for city in CITIES[:-1]:
        record_progress(
            store, f"1-1.{city}", status=Status.done, note="完成", by=city, evidence="录取统计表"
        )
        review(store, f"1-1.{city}", approve=True)
    assert state(store, "1-1")["status"] == "blocked"
    cancel_task(store, "1-1.suqian", reason="宿迁市不具备条件，经批准不再开展")
    assert (state(store, "1-1")["status"], state(store, "1-1")["percent"]) == ("done", 100)
    as_of = state(store, "1-1", D(2025, 1, 6))
    assert (as_of["status"], as_of["percent"]) == ("done", 100)


def test_cancelling_a_parent_cancels_every_city(store: Store) -> None:
    assign(store, 19, "纳入考核", lead="cities")
    assert len(cancel_task(store, "19-1", reason="r")) == 14
    assert all(s.cancelled for s in task_states(store))


# --- as of a past date ---------------------------------------------------------------------


def test_as_of_shows_what_was_known_then_even_after_corrections(store: Store) -> None:
    assign(store, 3, "发布年度技能人才需求目录", due=D(2025, 6, 15))
    with frozen_today(D(2025, 4, 11)):
        wrong = record_progress(
            store, "3-1", status=Status.in_progress, percent=80, note="目录定稿", by="教育厅"
        )
    with frozen_today(D(2025, 4, 16)):
        record_progress(
            store,
            "3-1",
            status=Status.in_progress,
            percent=50,
            note="更正：仍在征求意见",
            corrects=wrong,
            by="教育厅",
        )
    with frozen_today(D(2025, 4, 18)):
        record_progress(
            store, "3-1", status=Status.in_progress, percent=55, note="第三周", by="教育厅"
        )
    assert state(store, "3-1", D(2025, 4, 10))["percent"] == 0
    assert state(store, "3-1", D(2025, 4, 15))["percent"] == 80  # the mistake, as then known
    assert state(store, "3-1", D(2025, 4, 16))["percent"] == 50  # corrected
    assert state(store, "3-1", D(2025, 4, 18))["percent"] == 55
    assert state(store, "3-1")["percent"] == 55
    past = task_history(store, "3-1", D(2025, 4, 15))
    assert [(r.percent, r.corrected_by) for r in past.reports] == [(80, None)]
    now = task_history(store, "3-1")
    assert [(r.percent, r.corrects is not None) for r in now.reports] == [
        (80, False),
        (50, True),
        (55, False),
    ]
    events = now.timeline()
    assert isinstance(events[0], Revision) and all(isinstance(e, Report) for e in events[1:])


def test_as_of_before_a_task_existed(store: Store) -> None:
    with frozen_today(D(2025, 2, 1)):
        assign(store, 7, "全面推行企业新型学徒制")
    assert [s.id for s in task_states(store, D(2025, 1, 31))] == []
    with pytest.raises(NotFoundError, match="task 7-1 did not exist yet on 2025-01-31"):
        task_history(store, "7-1", D(2025, 1, 31))


def test_a_late_entered_report_is_not_known_before_it_was_recorded(store: Store) -> None:
    assign(store, 7, "全面推行企业新型学徒制")
    with frozen_today(D(2025, 2, 10)):  # entered on Monday, about the Friday before
        record_progress(
            store,
            "7-1",
            status=Status.in_progress,
            percent=15,
            note="周报",
            report_date=D(2025, 2, 7),
        )
    assert state(store, "7-1", D(2025, 2, 9))["percent"] == 0
    assert state(store, "7-1", D(2025, 2, 10))["last_report_date"] == "2025-02-07"


# --- filters ---------------------------------------------------------------------------------


def test_department_filter_matches_lead_co_and_cities_through_their_group(
    store: Store, catalog: Catalog
) -> None:
    assign(store, 7, "学徒制", co=["总工会"])
    assign(store, 1, "并行招生", lead="cities")
    states = task_states(store)
    on = D(2025, 1, 6)

    def ids(**f: object) -> list[str]:
        return [s.id for s in filter_tasks(catalog, states, TaskFilter(**f), on)]  # type: ignore[arg-type]

    assert ids(department="trade_unions") == ["7-1"]
    assert ids(department="hrss") == ["7-1"]
    # A city's tasks are its shares; the province total line is the group's summary.
    assert ids(department="nanjing") == ["1-1.nanjing"]
    assert len(ids(department="cities")) == 13
    assert ids(measure=7) == ["7-1"]
    assert ids(status=Status.not_started) == [s.id for s in states]
    assert ids(overdue=True) == []


def test_co_is_stored_as_json(store: Store) -> None:
    assign(store, 7, "学徒制", co=["总工会", "国资委"])
    row = store.query("SELECT co FROM tasks WHERE id = '7-1'")[0]
    assert json.loads(row["co"]) == ["trade_unions", "sasac"]


def test_cancelling_every_city_share_clears_the_parents_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jsgj.store.revisions import cancel_task
    from jsgj.store.tasks import assign, record_progress
    from jsgj.values import Status

    monkeypatch.setenv("JSGJ_TODAY", "2025-03-01")
    catalog = load_catalog(paths.measures_path(), paths.departments_path())
    with Store.open(tmp_path / "c.db", catalog) as store:
        ids = assign(store, 1, "扩大招生", lead="cities", due=dt.date(2025, 12, 31))
        record_progress(store, ids[1], status=Status.in_progress, percent=40, note="进行中")
        for city in ids[1:]:
            cancel_task(store, city, reason="并入另一任务")
        now = {s.id: s for s in task_states(store)}[ids[0]]
        assert (now.status, now.percent, now.report_count) == (Status.not_started, 0, 0)
        as_of = {s.id: s for s in task_states(store, dt.date(2025, 3, 1))}[ids[0]]
        assert (as_of.status, as_of.percent) == (now.status, now.percent)
