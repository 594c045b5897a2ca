"""The weekly report as JSON: the same content as every other format, with English
keys, ids and ISO dates (the document's ``data``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jsgj.reports.indicators import summary_record
from jsgj.reports.weekly import WeeklyReport
from jsgj.status import Color
from jsgj.tasks.line import LIGHT_JSON, TaskLine
from jsgj.tasks.records import ISO


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _light(c: Color | None) -> str | None:
    return c.value if c else None


def weekly_task(t: TaskLine) -> dict[str, Any]:
    """A task as the weekly report shows it, for its leaders (not the ledger's record:
    ``tasks list --json`` and ``tasks show --json`` have every field): what the
    sections print (name, lead, due and original date, status, percent, light and
    its reason, the claim, a return's reason, 催办) and what a script needs to place
    it (measure, parent, level): 23 keys, where ``TaskLine.to_json`` has 34 (issue 15:
    a province's report holds some 6,000 of them)."""
    iso = ISO
    light, light_label = LIGHT_JSON[t.light]
    return {
        "id": t.id,
        "measure": t.measure,
        "parent": t.parent_id,
        "title": t.title,
        "level": t.level,
        "lead": t.lead,
        "lead_name": t.lead_name,
        "due_date": iso[t.due_date],
        "original_due_date": iso[t.original_due_date],
        "extension_reason": t.extension_reason,
        "status": t.status,
        "status_label": t.status_label,
        "percent": t.percent,
        "expected_percent": t.expected_percent,
        "last_report_date": iso[t.last_report_date],
        "claim_date": iso[t.claim_date],
        "returned_reason": t.returned_reason,
        "light": light,
        "light_label": light_label,
        "reason": t.reason,
        "overdue_days": t.overdue_days,
        "chase_count": t.chase_count,
        "chase_level": t.chase_level,
    }


def weekly_record(report: WeeklyReport) -> dict[str, Any]:
    """The report as JSON: the same content as the Markdown and HTML. Each task a
    section lists (the chase list, deadlines, claims, overdue and extended tasks) is
    one record in ``tasks``, by id, in the order the sections first name it; the
    sections hold the ids (a task red in the chase list and overdue is written once,
    not twice). The chase list's ``unreported`` and the obstacles name their tasks by
    id as well, without a record of their own. A record is ``weekly_task``'s."""
    s = report.summary
    made: dict[str, dict[str, Any]] = {}

    def task(t: TaskLine) -> str:
        if t.id not in made:
            made[t.id] = weekly_task(t)
        return t.id

    record = {
        "title": report.title,
        "document": report.document,
        "document_title": report.document_title,
        "as_of": report.as_of.isoformat(),
        "computed_at": report.computed_at,
        "week": report.week.to_json(),
        "rules": report.rules,
        "thresholds": {
            "pace_margin": report.thresholds.pace_margin,
            "due_soon_days": report.thresholds.due_soon_days,
            "stalled_days": report.thresholds.stalled_days,
        },
        "counting": report.counting,
        "summary": {
            "tasks": s.tasks,
            "cancelled": s.cancelled,
            "fanned_out": s.fanned_out,
            "city_tasks": s.city_tasks,
            "statuses": {st.value: n for st, n in s.statuses.items()},
            "lights": {c.value: n for c, n in s.lights.items()},
            "overdue": s.overdue,
            "reports_this_week": s.reports,
            "open_tasks": s.open_tasks,
            "open_tasks_reported_this_week": s.reported_tasks,
            "done_percent": s.done_percent,
            "mean_percent": s.mean_percent,
        },
        "measures": [
            {
                "number": m.number,
                "label": m.label,
                "title": m.title,
                "lead": m.lead_name,
                "tasks": m.tasks,
                "done": m.done,
                "mean_percent": m.mean_percent,
                "light": _light(m.light),
                "statuses": {st.value: n for st, n in m.statuses.items()},
                "red": m.red,
                "yellow": m.yellow,
            }
            for m in report.measures
        ],
        "reports": [
            {
                "measure": g.number,
                "title": g.title,
                "items": [
                    {
                        "id": i.id,
                        "date": i.date.isoformat(),
                        "task": i.task_id,
                        "task_label": i.task_label,
                        "by": i.reporter,
                        "status": i.status_label,
                        "role": i.role_label,
                        "percent": i.percent,
                        "note": i.note,
                        "evidence": i.evidence,
                        "corrects": i.corrects,
                    }
                    for i in g.items
                ],
            }
            for g in report.reports
        ],
        "chase": [
            {
                "department": g.department_id,
                "name": g.name,
                "overdue": g.overdue,
                "red": g.red,
                "yellow": g.yellow,
                "tasks": [task(t) for t in g.tasks],
                "unreported": [t.id for t in g.unreported],
            }
            for g in report.chase
        ],
        "deadline_days": report.deadline_days,
        "deadlines": [
            {"task": task(d.task), "open_cities": d.open_cities} for d in report.deadlines
        ],
        "departments": [
            {
                "id": d.id,
                "name": d.name,
                "city": d.city,
                "led": d.led,
                "co": d.co,
                "done": d.done,
                "red": d.red,
                "yellow": d.yellow,
                "overdue": d.overdue,
                "open": d.open,
                "reported_this_week": d.reported,
                "mean_percent": d.mean_percent,
                "as_lead": d.lead.to_json(),
                "as_co": d.co_tally.to_json(),
            }
            for d in report.departments
        ],
        "indicators": [summary_record(i) for i in report.indicators],
        "pending_review": [task(t) for t in report.pending],
        "returned": [task(t) for t in report.returned],
        "extended": [task(t) for t in report.extended],
        "approved": [task(t) for t in report.approved],
        "obstacles": [o.to_json() for o in report.obstacles],
        "overdue": [task(t) for t in report.overdue],
    }
    return {**record, "tasks": made}
