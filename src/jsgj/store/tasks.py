"""Writing: assign tasks, record progress, edit and cancel. Every function appends
events and refreshes the derived ``tasks`` row inside one transaction."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jsgj.catalog.catalog import OFFICE_ID, Catalog
from jsgj.catalog.models import Measure
from jsgj.errors import JsgjError, NotFoundError, UsageError
from jsgj.store.db import Store
from jsgj.values import Status, now, os_user, today

TASK_ID = re.compile(r"^(\d+)-(\d+)(?:\.(.+))?$")


@dataclass(frozen=True, slots=True)
class Actor:
    """Who records an event: a department id or the office, and the OS user."""

    department: str = OFFICE_ID
    user: str = ""

    @property
    def os_user(self) -> str:
        return self.user or os_user()


def _stamp() -> tuple[str, str]:
    """(recorded_at UTC timestamp, recorded_on local date)."""
    return now().isoformat(timespec="microseconds"), today().isoformat()


# --- lookups --------------------------------------------------------------------


def normalise_task_id(store: Store, text: str) -> str:
    """'7-3', '1-2.nanjing' or '1-2.南京' -> the stored id."""
    match = TASK_ID.match(text.strip())
    if match is None:
        raise UsageError(f"{text!r} is not a task id; ids look like 7-3, or 1-2.nanjing for a city")
    measure, seq, city = match.groups()
    if city is None:
        return f"{int(measure)}-{int(seq)}"
    try:
        city_id = store.catalog.resolve(city).id
    except NotFoundError:
        city_id = city
    return f"{int(measure)}-{int(seq)}.{city_id}"


def task_row(store: Store, task_id: str) -> dict[str, Any]:
    tid = normalise_task_id(store, task_id)
    rows = store.query("SELECT * FROM tasks WHERE id = ?", [tid])
    if not rows:
        measure = int(tid.split("-")[0])
        numbers = [m.number for m in store.catalog.measures]
        if measure not in numbers:
            raise NotFoundError(
                f"no task {task_id!r}: the document has measures {numbers[0]}-{numbers[-1]}"
            )
        raise NotFoundError(
            f"no task {task_id!r}; "
            f"`jsgj tasks list --measure {measure}` lists measure {measure}'s tasks"
        )
    return rows[0]


def children_ids(store: Store, task_id: str) -> list[str]:
    return [
        r["id"]
        for r in store.query("SELECT id FROM tasks WHERE parent_id = ? ORDER BY rowid", [task_id])
    ]


# --- responsibility rules -------------------------------------------------------


def _names(catalog: Catalog, ids: Sequence[str]) -> str:
    return "、".join(f"{catalog.department(i).name}({i})" for i in ids)


def _check_eligible(catalog: Catalog, measure: Measure, department_id: str, role: str) -> None:
    allowed = catalog.eligible_ids(measure)
    if department_id not in allowed:
        name = catalog.department(department_id).name
        raise JsgjError(
            f"{name} is not responsible for measure {measure.number}, so it cannot be the task's "
            f"{role}; allowed: {_names(catalog, catalog.department_ids(measure))}"
            + (
                ", or one of the city governments"
                if len(allowed) > len(catalog.department_ids(measure))
                else ""
            )
        )


def _resolve_co(catalog: Catalog, measure: Measure, lead: str, co: Sequence[str]) -> list[str]:
    out: list[str] = []
    for text in co:
        did = catalog.resolve(text).id
        _check_eligible(catalog, measure, did, "co-responsible department")
        if did == lead or did in catalog.department(lead).members:
            raise UsageError(
                f"{catalog.department(did).name} is already the lead; it cannot also be co"
            )
        if did in out:
            raise UsageError(f"--co names {catalog.department(did).name} twice")
        out.append(did)
    return out


def _check_dates(start: dt.date | None, due: dt.date | None) -> None:
    if start and due and due < start:
        raise UsageError(f"--due {due} is before --start {start}")


# --- assign -------------------------------------------------------------------


def _insert_task(
    store: Store,
    *,
    task_id: str,
    measure: int,
    seq: int,
    parent_id: str | None,
    title: str,
    lead: str,
    co: list[str],
    start: dt.date | None,
    due: dt.date | None,
    actor: Actor,
    on: dt.date,
) -> None:
    recorded_at, recorded_on = _stamp()
    definition = {
        "title": title,
        "lead": lead,
        "co": json.dumps(co, ensure_ascii=False),
        "start_date": start.isoformat() if start else None,
        "due_date": due.isoformat() if due else None,
        "cancelled": 0,
    }
    store.db.table("tasks").insert(
        {
            "id": task_id,
            "measure": measure,
            "seq": seq,
            "parent_id": parent_id,
            "created_on": on.isoformat(),
            **definition,
        }
    )
    store.db.table("task_revisions").insert(
        {
            "task_id": task_id,
            "kind": "create",
            "recorded_at": recorded_at,
            "recorded_on": recorded_on,
            "effective_date": on.isoformat(),
            "actor": actor.department,
            "os_user": actor.os_user,
            "reason": None,
            "changes": "{}",
            **definition,
        }
    )
    _set_departments(store, task_id, lead, co)


def _set_departments(store: Store, task_id: str, lead: str, co: Sequence[str]) -> None:
    store.db.execute("DELETE FROM task_departments WHERE task_id = ?", [task_id])
    store.db.table("task_departments").insert_all(
        [{"task_id": task_id, "department_id": lead, "role": "lead"}]
        + [{"task_id": task_id, "department_id": d, "role": "co"} for d in co]
    )


def assign(
    store: Store,
    measure_number: int,
    title: str,
    *,
    lead: str | None = None,
    co: Sequence[str] = (),
    due: dt.date | None = None,
    start: dt.date | None = None,
    actor: Actor | None = None,
    on: dt.date | None = None,
) -> list[str]:
    """Create a task (or, for a group lead such as 各设区市人民政府, a parent task with
    one task per member city). Returns the new ids, parent first."""
    catalog = store.catalog
    measure = catalog.measure(measure_number)
    title = title.strip()
    if not title:
        raise UsageError("--title must not be empty")
    lead_id = catalog.resolve(lead).id if lead else catalog.lead_id(measure)
    _check_eligible(catalog, measure, lead_id, "lead")
    co_ids = _resolve_co(catalog, measure, lead_id, co)
    actor = actor or Actor()
    on = on or today()
    start = start or on
    _check_dates(start, due)

    def run() -> list[str]:
        seq = store.db.execute(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM tasks WHERE measure = ? AND parent_id IS NULL",
            [measure.number],
        ).fetchone()[0]
        parent = f"{measure.number}-{seq}"
        common = {
            "measure": measure.number,
            "seq": seq,
            "title": title,
            "co": co_ids,
            "start": start,
            "due": due,
            "actor": actor,
            "on": on,
        }
        _insert_task(store, task_id=parent, parent_id=None, lead=lead_id, **common)
        ids = [parent]
        for member in catalog.department(lead_id).members:
            child = f"{parent}.{member}"
            _insert_task(store, task_id=child, parent_id=parent, lead=member, **common)
            ids.append(child)
        return ids

    return store.write(run)


# --- progress -------------------------------------------------------------------


def _check_reporter(store: Store, task: dict[str, Any], by: str | None) -> str:
    catalog = store.catalog
    if by is None or by.strip().casefold() in (OFFICE_ID, "督查督办", "督查督办处"):
        return OFFICE_ID
    reporter = catalog.resolve(by).id
    responsible = [task["lead"], *json.loads(task["co"])]
    allowed = set(responsible)
    for did in responsible:
        allowed.update(catalog.department(did).members)
    if reporter not in allowed:
        raise JsgjError(
            f"{catalog.department(reporter).name} is not responsible for task {task['id']}; "
            f"it may be reported by {_names(catalog, responsible)} or the office (--by office)"
        )
    return reporter


def record_progress(
    store: Store,
    task_id: str,
    *,
    status: Status,
    note: str,
    percent: int | None = None,
    report_date: dt.date | None = None,
    by: str | None = None,
    evidence: str | None = None,
    corrects: int | None = None,
    source: str = "cli",
    fingerprint: str | None = None,
    actor_user: str = "",
) -> int:
    """Append a progress report; returns its id. ``corrects`` names a report of the same
    task that this one replaces (both stay in the history)."""
    task = task_row(store, task_id)
    tid = task["id"]
    if children_ids(store, tid):
        raise JsgjError(
            f"task {tid} is shared out to the cities: "
            f"report on each city's task, e.g. {tid}.nanjing"
        )
    if task["cancelled"]:
        raise JsgjError(f"task {tid} was cancelled (撤销); it takes no more reports")
    note = note.strip()
    if not note:
        raise UsageError("--note must not be empty: say what was done")
    if percent is not None and not 0 <= percent <= 100:
        raise UsageError(f"--percent {percent} is outside 0-100")
    if status is Status.done:
        if percent is not None and percent != 100:
            raise JsgjError(f"status done (已完成) means 100%, not {percent}%")
        percent = 100
    elif percent is None:
        percent = 0 if status is Status.not_started else int(task["percent"])
    if percent == 100 and status is not Status.done:
        raise JsgjError("100% means done: report --status done (已完成)")
    if report_date is None and corrects is not None:
        # A correction replaces the report it names: by default it is about that report's date.
        target = store.query("SELECT report_date FROM progress_reports WHERE id = ?", [corrects])
        if target:
            report_date = dt.date.fromisoformat(target[0]["report_date"])
    when = report_date or today()
    if when > today():
        raise JsgjError(f"report date {when} is in the future")
    reporter = _check_reporter(store, task, by)
    evidence = evidence.strip() if evidence else None

    def run() -> int:
        # Inside the transaction, so two clerks cannot both correct the same report.
        if corrects is not None:
            _check_correctable(store, tid, corrects)
        recorded_at, recorded_on = _stamp()
        row_id = store.insert(
            "progress_reports",
            {
                "task_id": tid,
                "recorded_at": recorded_at,
                "recorded_on": recorded_on,
                "report_date": when.isoformat(),
                "reporter": reporter,
                "os_user": actor_user or os_user(),
                "status": status.value,
                "percent": percent,
                "note": note,
                "evidence": evidence or None,
                "corrects": corrects,
                "source": source,
                "fingerprint": fingerprint,
            },
        )
        refresh(store, tid)
        return row_id

    return store.write(run)


def _check_correctable(store: Store, task_id: str, report_id: int) -> None:
    target = store.query("SELECT id, task_id FROM progress_reports WHERE id = ?", [report_id])
    if not target or target[0]["task_id"] != task_id:
        raise NotFoundError(f"task {task_id} has no report #{report_id} to correct")
    later = store.query("SELECT id FROM progress_reports WHERE corrects = ?", [report_id])
    if later:
        raise JsgjError(
            f"report #{report_id} was already corrected by #{later[0]['id']}; correct that one"
        )


def refresh(store: Store, task_id: str) -> None:
    """Recompute the derived progress columns of a task (and of its parent)."""
    db = store.db
    # The valid reports (none corrects them) counted, and the latest picked - greatest
    # report_date, then id; a report_date is always 10 characters - in one pass over
    # the covering index progress_reports_task (no table reads, no sort); then the
    # latest one's row by its id.
    count, key = db.execute(
        """SELECT COUNT(*), MAX(report_date || printf('%012d', id)) FROM progress_reports p
           WHERE task_id = ?
             AND NOT EXISTS (SELECT 1 FROM progress_reports c WHERE c.corrects = p.id)""",
        [task_id],
    ).fetchone()
    latest = None
    if key is not None:
        latest = db.execute(
            "SELECT id, status, percent, report_date FROM progress_reports WHERE id = ?",
            [int(key[10:])],
        ).fetchone()
    if latest:
        db.execute(
            """UPDATE tasks SET status = ?, percent = ?, last_report_id = ?, last_report_date = ?,
               report_count = ? WHERE id = ?""",
            [latest[1], latest[2], latest[0], latest[3], count, task_id],
        )
    parent = db.execute("SELECT parent_id FROM tasks WHERE id = ?", [task_id]).fetchone()
    if parent and parent[0]:
        refresh_parent(store, parent[0])


def refresh_many(store: Store, task_ids: Sequence[str]) -> None:
    """``refresh`` for many tasks at once, set-based: an import of thousands of reports
    updates every touched task in one statement, then each touched parent."""
    if not task_ids:
        return
    ids = json.dumps(list(task_ids))
    store.db.execute(
        """UPDATE tasks SET status = p.status, percent = p.percent, last_report_id = p.id,
               last_report_date = p.report_date, report_count = agg.n
           FROM (
               SELECT task_id, COUNT(*) AS n,
                      CAST(substr(MAX(report_date || printf('%012d', id)), 11) AS INTEGER) AS id
               FROM progress_reports r
               WHERE task_id IN (SELECT value FROM json_each(:ids))
                 AND NOT EXISTS (SELECT 1 FROM progress_reports c WHERE c.corrects = r.id)
               GROUP BY task_id
           ) AS agg
           JOIN progress_reports p ON p.id = agg.id
           WHERE tasks.id = agg.task_id""",
        {"ids": ids},
    )
    parents = store.db.execute(
        """SELECT DISTINCT parent_id FROM tasks
           WHERE id IN (SELECT value FROM json_each(?)) AND parent_id IS NOT NULL""",
        [ids],
    ).fetchall()
    for (parent_id,) in parents:
        refresh_parent(store, parent_id)


def refresh_parent(store: Store, parent_id: str) -> None:
    rows = store.query(
        "SELECT status, percent, last_report_date, report_count FROM tasks "
        "WHERE parent_id = ? AND cancelled = 0",
        [parent_id],
    )
    if not rows:
        # Every city's share cancelled: nothing is left to aggregate, so the parent shows
        # no progress, as the --as-of view (which aggregates live shares only) does.
        store.db.execute(
            "UPDATE tasks SET status = 'not_started', percent = 0, last_report_date = NULL, "
            "report_count = 0 WHERE id = ?",
            [parent_id],
        )
        return
    status = aggregate_status([Status(r["status"]) for r in rows])
    percent = round(sum(r["percent"] for r in rows) / len(rows))
    dates = [r["last_report_date"] for r in rows if r["last_report_date"]]
    store.db.execute(
        "UPDATE tasks SET status = ?, percent = ?, last_report_date = ?, report_count = ? "
        "WHERE id = ?",
        [
            status.value,
            percent,
            max(dates) if dates else None,
            sum(r["report_count"] for r in rows),
            parent_id,
        ],
    )


def aggregate_status(statuses: Sequence[Status]) -> Status:
    """A fan-out parent's status from its cities': done when all are, blocked when any is."""
    if statuses and all(s is Status.done for s in statuses):
        return Status.done
    if any(s is Status.blocked for s in statuses):
        return Status.blocked
    if any(s in (Status.in_progress, Status.done) for s in statuses):
        return Status.in_progress
    return Status.not_started


# --- edit and cancel --------------------------------------------------------------


def _revise(
    store: Store,
    task: dict[str, Any],
    *,
    kind: str,
    changes: dict[str, Any],
    reason: str,
    actor: Actor,
    on: dt.date,
) -> int:
    recorded_at, recorded_on = _stamp()
    definition = {
        k: task[k] for k in ("title", "lead", "co", "start_date", "due_date", "cancelled")
    }
    for key, (_, after) in changes.items():
        definition[key] = json.dumps(after, ensure_ascii=False) if key == "co" else after
    row_id = store.insert(
        "task_revisions",
        {
            "task_id": task["id"],
            "kind": kind,
            "recorded_at": recorded_at,
            "recorded_on": recorded_on,
            "effective_date": on.isoformat(),
            "actor": actor.department,
            "os_user": actor.os_user,
            "reason": reason,
            "changes": json.dumps(changes, ensure_ascii=False),
            **definition,
        },
    )
    store.db.table("tasks").update(task["id"], definition)
    _set_departments(store, task["id"], definition["lead"], json.loads(definition["co"]))
    return row_id


def edit_task(
    store: Store,
    task_id: str,
    *,
    reason: str,
    title: str | None = None,
    due: dt.date | None = None,
    start: dt.date | None = None,
    lead: str | None = None,
    co: Sequence[str] | None = None,
    actor: Actor | None = None,
) -> list[int]:
    """Change a task's definition; each change is a revision event with its reason.
    Editing a fan-out parent edits its city tasks too."""
    catalog = store.catalog
    task = task_row(store, task_id)
    if task["cancelled"]:
        raise JsgjError(f"task {task['id']} was cancelled; it cannot be edited")
    reason = reason.strip()
    if not reason:
        raise UsageError("--reason must not be empty: say why the task changes")
    measure = catalog.measure(task["measure"])
    kids = children_ids(store, task["id"])
    changes: dict[str, Any] = {}
    if title is not None and title.strip() and title.strip() != task["title"]:
        changes["title"] = [task["title"], title.strip()]
    if due is not None and due.isoformat() != task["due_date"]:
        changes["due_date"] = [task["due_date"], due.isoformat()]
    if start is not None and start.isoformat() != task["start_date"]:
        changes["start_date"] = [task["start_date"], start.isoformat()]
    new_lead = task["lead"]
    if lead is not None:
        new_lead = catalog.resolve(lead).id
        if new_lead != task["lead"]:
            if kids or task["parent_id"] or catalog.department(new_lead).members:
                raise JsgjError("the lead of a task shared out to the cities cannot change")
            _check_eligible(catalog, measure, new_lead, "lead")
            changes["lead"] = [task["lead"], new_lead]
    if co is not None:
        new_co = _resolve_co(catalog, measure, new_lead, co)
        old_co = json.loads(task["co"])
        if new_co != old_co:
            changes["co"] = [old_co, new_co]
    if not changes:
        raise UsageError(
            "nothing to change: give --title, --due, --start, --lead or --co with a new value"
        )
    start_after = changes.get("start_date", [None, task["start_date"]])[1]
    due_after = changes.get("due_date", [None, task["due_date"]])[1]
    _check_dates(
        dt.date.fromisoformat(start_after) if start_after else None,
        dt.date.fromisoformat(due_after) if due_after else None,
    )
    actor = actor or Actor()
    on = today()

    def run() -> list[int]:
        ids = [
            _revise(store, task, kind="edit", changes=changes, reason=reason, actor=actor, on=on)
        ]
        for kid in kids:
            child = task_row(store, kid)
            if child["cancelled"]:
                continue
            child_changes = {
                k: [child[k] if k != "co" else json.loads(child["co"]), v[1]]
                for k, v in changes.items()
            }
            ids.append(
                _revise(
                    store,
                    child,
                    kind="edit",
                    changes=child_changes,
                    reason=reason,
                    actor=actor,
                    on=on,
                )
            )
        return ids

    return store.write(run)


def cancel_task(
    store: Store, task_id: str, *, reason: str, actor: Actor | None = None
) -> list[str]:
    """Cancel (撤销) a task and, for a fan-out parent, its city tasks. Kept, shown as cancelled."""
    task = task_row(store, task_id)
    if task["cancelled"]:
        raise JsgjError(f"task {task['id']} is already cancelled")
    reason = reason.strip()
    if not reason:
        raise UsageError("--reason must not be empty: say why the task is cancelled")
    actor = actor or Actor()
    on = today()

    def run() -> list[str]:
        done = []
        for tid in [task["id"], *children_ids(store, task["id"])]:
            row = task_row(store, tid)
            if row["cancelled"]:
                continue
            _revise(
                store,
                row,
                kind="cancel",
                changes={"cancelled": [0, 1]},
                reason=reason,
                actor=actor,
                on=on,
            )
            done.append(tid)
        if task["parent_id"]:
            refresh_parent(store, task["parent_id"])
        return done

    return store.write(run)
