"""One counting rule, every view: on the demo database as of 2025-06-29, each figure
(tasks, done, pending review, overdue, red/yellow/blue, per department as lead and as
co) is taken from every view that shows it, and they must agree. The rule is stated in
jsgj.tasks.counting and in the README ("How tasks are counted")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import Invoke
from report_helpers import demo_db

__all__ = ["demo_db"]

AS_OF = "2025-06-29"
KNOWN = "2030-01-01T00:00:00.000000+00:00"


def run_json(jsgj: Invoke, db: Path, *args: str) -> Any:
    result = jsgj("--db", str(db), *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def figures(lines: list[dict[str, Any]]) -> dict[str, int]:
    """The figures of task lines (tasks list/ledger JSON), by the counting rule's own
    fields: counting units only, cancelled apart."""
    units = [x for x in lines if x["counted"] and x["light"] != "cancelled"]
    return {
        "tasks": len(units),
        "done": sum(x["light"] == "done" for x in units),
        "pending_review": sum(x["light"] == "pending" for x in units),
        "overdue": sum(x["overdue_days"] > 0 for x in units),
        "red": sum(x["light"] == "red" for x in units),
        "yellow": sum(x["light"] == "yellow" for x in units),
        "blue": sum(x["light"] == "blue" for x in units),
    }


@pytest.fixture(scope="module")
def views(demo_db: Path) -> dict[str, Any]:  # noqa: F811
    from typer.testing import CliRunner

    from jsgj.cli.app import app

    runner = CliRunner()

    def jsgj(*args: str) -> Any:
        result = runner.invoke(app, list(args), catch_exceptions=False)
        return result

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JSGJ_LANG", "en")
        mp.setenv("JSGJ_TODAY", "2025-06-30")
        as_of = ("--as-of", AS_OF)
        out: dict[str, Any] = {
            "list": run_json(jsgj, demo_db, "tasks", "list", *as_of, "--json"),
            "overdue": run_json(jsgj, demo_db, "tasks", "list", "--overdue", *as_of, "--json"),
            "weekly": run_json(
                jsgj, demo_db, "report", "weekly", *as_of, "--known-on", KNOWN, "-f", "json"
            ),
            "matrix": run_json(jsgj, demo_db, "matrix", "--tasks", *as_of, "-f", "json"),
            "ledger": run_json(jsgj, demo_db, "export", *as_of, "-o", "-", "-f", "json"),
        }
        for dept in ("education", "hrss", "finance", "nanjing", "cities"):
            out[f"list:{dept}"] = run_json(
                jsgj, demo_db, "tasks", "list", "-d", dept, *as_of, "--json"
            )
            out[f"sheet:{dept}"] = run_json(
                jsgj, demo_db, "matrix", "-d", dept, *as_of, "-f", "json"
            )
    return out


def test_the_totals_agree(views: dict[str, Any]) -> None:
    listing = figures(views["list"])
    summary = views["weekly"]["summary"]
    lights = summary["lights"]
    weekly = {
        "tasks": summary["tasks"],
        "done": lights["done"],
        "pending_review": lights["pending"],
        "overdue": summary["overdue"],
        "red": lights["red"],
        "yellow": lights["yellow"],
        "blue": lights["blue"],
    }
    assert listing == weekly
    assert figures(views["ledger"]["tasks"]) == weekly
    assert views["matrix"]["totals"] == {"tasks": weekly["tasks"], "done": weekly["done"]}
    # the overdue listing lists exactly the overdue tasks the report counts
    assert len(views["overdue"]) == weekly["overdue"]
    assert all(x["overdue_days"] > 0 and x["counted"] for x in views["overdue"])
    # per measure: the report's and the matrix's columns
    for measure, column in zip(
        views["weekly"]["measures"], views["matrix"]["measures"], strict=True
    ):
        units = [x for x in views["list"] if x["measure"] == measure["number"]]
        assert measure["tasks"] == column["tasks"] == figures(units)["tasks"]
        assert measure["done"] == column["done"] == figures(units)["done"]


@pytest.mark.parametrize("dept", ["education", "hrss", "finance", "nanjing", "cities"])
def test_each_departments_figures_agree_as_lead_and_as_co(views: dict[str, Any], dept: str) -> None:
    weekly = {d["id"]: d for d in views["weekly"]["departments"]}
    matrix = {d["id"]: d for d in views["matrix"]["departments"]}
    sheet = views[f"sheet:{dept}"]
    lines = views[f"list:{dept}"]
    lead = figures([x for x in lines if x["role"] == "lead"] or [])
    co = figures([{**x, "counted": True} for x in lines if x["role"] == "co"])
    if dept in weekly:
        assert weekly[dept]["as_lead"] == sheet["as_lead"]
        assert weekly[dept]["as_co"] == sheet["as_co"]
    if dept in matrix:
        assert matrix[dept]["as_lead"] == sheet["as_lead"]
        assert matrix[dept]["as_co"] == sheet["as_co"]
    for key, value in lead.items():
        assert sheet["as_lead"][key if key != "pending_review" else "pending_review"] == value
    for key, value in co.items():
        assert sheet["as_co"][key] == value


def test_a_co_department_counts_a_shared_out_task_once(views: dict[str, Any]) -> None:
    """教育厅 is co on 1-2, shared out to the 13 cities: it counts 1-2 once, as 配合, and
    none of the cities' shares; their lateness is the cities', not 教育厅's."""
    lines = {x["id"]: x for x in views["list:education"]}
    assert lines["1-2"]["role"] == "co"
    assert not [tid for tid in lines if tid.startswith("1-2.")]
    weekly = {d["id"]: d for d in views["weekly"]["departments"]}
    shares_overdue = [
        x for x in views["list"] if x["id"].startswith("1-2.") and x["overdue_days"] > 0
    ]
    assert shares_overdue  # the cities' shares are late ...
    assert weekly["education"]["as_lead"]["overdue"] == sum(
        1 for x in views["list:education"] if x["role"] == "lead" and x["overdue_days"] > 0
    )  # ... and none of that is 教育厅's as lead


def test_the_return_form_lists_what_the_department_answers_for(
    jsgj: Invoke,
    demo_db: Path,
    tmp_path: Path,
    views: dict[str, Any],  # noqa: F811
) -> None:
    """教育厅's form: its open tasks as lead, and as 配合 rows its open co tasks (1-2
    once), never a city's share."""
    target = tmp_path / "form.csv"
    result = jsgj("--db", str(demo_db), "template", "教育厅", "--as-of", AS_OF, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    import csv

    rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    head = next(i for i, r in enumerate(rows) if r and r[0] == "任务编号")
    listed = {r[0]: r[3] for r in rows[head + 1 :] if r}
    assert not [tid for tid in listed if "." in tid]
    expected = {
        x["id"]: "牵头" if x["role"] == "lead" else "配合"
        for x in views["list:education"]
        if x["light"] not in ("done", "pending", "cancelled")
    }
    assert listed == expected
