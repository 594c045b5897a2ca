"""The derived tables kept up to date by each write (a task's own events, a city
share's parent aggregated from the stored shares, an import's appended rows in one
set-based UPDATE) equal the full derivation from the events, whatever the sequence:
random sequences of progress reports (lead, co, office; backdated, claims), corrections,
imports (with rows recorded before), 签收, reviews, edits, cancellations and 催办, each
followed by ``differences()`` - empty, also after a write that was refused."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jsgj.errors import JsgjError
from jsgj.store.chase import chase
from jsgj.store.db import Store
from jsgj.store.derived import differences
from jsgj.store.imports import ReportRow, import_reports
from jsgj.store.revisions import cancel_task, edit_task
from jsgj.store.tasks import acknowledge, record_progress, review
from jsgj.values import Status
from test_write_cost import TODAY, _thresholds, build_base, env, open_store

__all__ = ["env"]

TASKS = ("7-1", "7-2", "3-1", "1-1", "1-1.nanjing", "1-1.wuxi", "1-1.suzhou")
WHO = ("lead", "co", "office", "人社厅", "南京")
"""Who reports: the task's lead, its co department (7-1: 总工会), the office, or a
department that may or may not answer for it (a refusal, then nothing changes)."""
NOTES = ("推进", "召开会议", "已落实")
"""Few notes: an import repeats rows recorded before (skipped by fingerprint)."""


def _who(store: Store, task: str, who: str) -> str:
    if who == "lead":
        return str(store.db.execute("SELECT lead FROM tasks WHERE id = ?", [task]).fetchone()[0])
    if who == "co":
        return "总工会" if task == "7-1" else "office"
    return who


def _status(percent: int) -> tuple[Status, int | None]:
    if percent == 100:
        return Status.done, 100
    if percent == 0:
        return Status.not_started, None
    return (Status.blocked if percent % 7 == 0 else Status.in_progress), percent


report = st.tuples(
    st.sampled_from(TASKS),
    st.sampled_from(WHO),
    st.sampled_from((0, 10, 35, 60, 99, 100)),
    st.integers(0, 29),  # days before today
    st.sampled_from(NOTES),
)
step = st.one_of(
    st.tuples(st.just("progress"), report),
    st.tuples(st.just("correct"), st.sampled_from(TASKS), st.integers(0, 5), report),
    st.tuples(st.just("import"), st.lists(report, min_size=1, max_size=8)),
    st.tuples(st.just("acknowledge"), st.sampled_from(TASKS)),
    st.tuples(st.just("review"), st.sampled_from(TASKS), st.booleans()),
    st.tuples(st.just("edit"), st.sampled_from(TASKS), st.integers(0, 60)),
    st.tuples(st.just("cancel"), st.sampled_from(TASKS)),
    st.tuples(st.just("chase"), st.sampled_from(TASKS)),
)


def _report_args(store: Store, r: tuple[str, str, int, int, str]) -> dict[str, Any]:
    task, who, percent, days, note = r
    status, pct = _status(percent)
    return {
        "status": status,
        "percent": pct,
        "note": note,
        "by": _who(store, task, who),
        "report_date": dt.date.fromisoformat(TODAY) - dt.timedelta(days=days),
        "evidence": "苏人社发〔2025〕1号" if status is Status.done else None,
    }


def apply(store: Store, step: tuple[Any, ...]) -> None:
    kind = step[0]
    today = dt.date.fromisoformat(TODAY)
    if kind == "progress":
        record_progress(store, step[1][0], **_report_args(store, step[1]))
    elif kind == "correct":
        _, task, nth, r = step
        ids = [
            row[0]
            for row in store.db.execute(
                "SELECT id FROM progress_reports WHERE task_id = ? ORDER BY id", [task]
            )
        ]
        if ids:
            args = _report_args(store, r)
            args.pop("report_date")
            record_progress(store, task, corrects=ids[nth % len(ids)], **args)
    elif kind == "import":
        rows = []
        for n, r in enumerate(step[1], start=2):
            args = _report_args(store, r)
            rows.append(
                ReportRow(
                    n, r[0], args["status"], args["note"], args["report_date"], args["percent"],
                    args["evidence"], args["by"],
                )
            )  # fmt: skip
        import_reports(store, rows)
    elif kind == "acknowledge":
        acknowledge(store, step[1], by=_who(store, step[1], "lead"), contact="王晓明")
    elif kind == "review":
        review(store, step[1], approve=step[2], reason="材料不全", by="office")
    elif kind == "edit":
        edit_task(store, step[1], reason="延期", due=today + dt.timedelta(days=step[2]))
    elif kind == "cancel":
        cancel_task(store, step[1], reason="撤销")
    elif kind == "chase":
        chase(
            store, _who(store, step[1], "lead"), method="电话", thresholds=_thresholds(),
            tasks=[step[1]],
        )  # fmt: skip


@pytest.fixture(scope="module")
def base(env: Path) -> Path:
    path = env / "incremental-base.db"
    with open_store(path) as store:
        build_base(store)
    return path


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=12))
def test_every_write_leaves_the_derived_tables_as_the_events_say(
    base: Path, env: Path, steps: list[tuple[Any, ...]]
) -> None:
    copy = env / "incremental.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(base, copy)
    with open_store(copy) as store:
        conn = store.db.conn
        for s in steps:
            try:
                apply(store, s)
            except JsgjError:
                pass  # refused: nothing written (the differences say so too)
            assert differences(conn) == [], s


def test_an_import_after_a_correction_and_a_return(base: Path, env: Path) -> None:
    """The cases an update from appended rows could get wrong: the stored latest report
    is a correction, or a returned claim (status from the review, not the report); the
    appended rows are older than it, or newer, or only a contribution."""
    copy = env / "incremental-cases.db"
    shutil.copyfile(base, copy)
    today = dt.date.fromisoformat(TODAY)
    cases: list[Callable[[Store], object]] = [
        lambda s: review(s, "3-1", approve=False, reason="材料不全", percent=70, by="office"),
        lambda s: import_reports(
            s, [ReportRow(2, "3-1", Status.in_progress, "旧", today - dt.timedelta(days=25), 20)],
            reporter="office",
        ),
        lambda s: record_progress(
            s, "7-2", status=Status.in_progress, percent=15, note="更正", by="office",
            corrects=s.db.execute(
                "SELECT MAX(id) FROM progress_reports WHERE task_id = '7-2'").fetchone()[0],
        ),
        lambda s: import_reports(
            s,
            [
                ReportRow(2, "7-2", Status.in_progress, "新", today, 40, None, "office"),
                ReportRow(3, "7-1", Status.in_progress, "配合", today, None, None, "总工会"),
                ReportRow(4, "1-1", Status.in_progress, "配合", today, None, None, "人社厅"),
                ReportRow(5, "1-1.nanjing", Status.done, "完成", today, 100, "文件", "南京"),
            ],
        ),
    ]  # fmt: skip
    with open_store(copy) as store:
        for case in cases:
            case(store)
            assert differences(store.db.conn) == []
        states = {
            row[0]: row[1:]
            for row in store.db.execute(
                "SELECT id, status, percent, contribution_count FROM tasks "
                "WHERE id IN ('3-1', '7-2', '7-1', '1-1', '1-1.nanjing')"
            )
        }
    assert states["3-1"] == ("in_progress", 70, 0)  # the return, not the older report
    assert states["7-2"] == ("in_progress", 40, 0)
    assert states["7-1"][2] == 2 and states["1-1"][2] == 1
    assert states["1-1.nanjing"][0] == "pending_review"
