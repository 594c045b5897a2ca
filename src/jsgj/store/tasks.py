"""Writing: assign, progress, 签收 and 审核 (edit and cancel: ``revisions``). Each
appends events and refreshes the derived rows in one transaction, and checks what it
depends on inside that transaction (after ``BEGIN IMMEDIATE``), on the task as it
stands then: a task cancelled, approved or edited while a clerk waited for the lock is
never written to from a stale read."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from jsgj.catalog.catalog import OFFICE_ID
from jsgj.errors import JsgjError, NotFoundError, UsageError
from jsgj.i18n import _
from jsgj.store.db import Store
from jsgj.store.derived import appended, refresh
from jsgj.store.events import Actor as Actor  # re-exported: callers name it with the writes
from jsgj.store.events import append, stamp
from jsgj.store.queries import task_id_of, task_state
from jsgj.tasks.records import EventKind, Role, Urgency
from jsgj.tasks.roles import check_eligible, name, reporter_role, resolve_actor, resolve_co
from jsgj.tasks.rules import check_open, check_report, check_review, raise_first, text_problem
from jsgj.values import Status, os_user, today

OPTIONS = {
    "reporter": "--by",
    "status": "--status",
    "percent": "--percent",
    "date": "--date",
    "note": "--note",
    "evidence": "--evidence",
    "reason": "--reason",
    "contact": "--contact",
    "phone": "--phone",
}
"""Where each field of a rule's problem comes from on the command line."""


def check_dates(start: dt.date | None, due: dt.date | None) -> None:
    if start and due and due < start:
        raise UsageError(_("--due {due} is before --start {start}").format(due=due, start=start))


# --- assign -------------------------------------------------------------------


def assign(
    store: Store,
    measure_number: int,
    title: str,
    *,
    lead: str | None = None,
    co: Sequence[str] = (),
    due: dt.date | None = None,
    start: dt.date | None = None,
    urgency: Urgency = Urgency.normal,
    source: str | None = None,
    actor: Actor | None = None,
    on: dt.date | None = None,
) -> list[str]:
    """Create a task (交办) or, for a group lead such as 各设区市人民政府, a parent task
    with one share per member city. Returns the new ids, parent first."""
    catalog = store.catalog
    measure = catalog.measure(measure_number)
    title = title.strip()
    problem = text_problem("title", title, required=True) or text_problem(
        "source", source, required=False
    )
    raise_first([problem] if problem else [], {"title": "--title", "source": "--source"})
    lead_id = catalog.resolve(lead).id if lead else catalog.lead_id(measure)
    check_eligible(catalog, measure, lead_id, Role.lead)
    co_ids = _co(catalog, measure, lead_id, co)
    actor = actor or Actor()
    on = on or today()
    start = start or on
    check_dates(start, due)
    definition = {
        "title": title,
        "co": json.dumps(co_ids, ensure_ascii=False),
        "start_date": start.isoformat(),
        "due_date": due.isoformat() if due else None,
        "cancelled": 0,
        "urgency": urgency.value,
        "source": (source or "").strip() or None,
    }

    def run() -> list[str]:
        # The measure's last task, read backwards through tasks_measure_seq (its city
        # shares share its seq): not a pass over all of the measure's tasks.
        last = store.db.execute(
            "SELECT seq FROM tasks WHERE measure = ? AND parent_id IS NULL "
            "ORDER BY seq DESC LIMIT 1",
            [measure.number],
        ).fetchone()
        seq = (last[0] if last else 0) + 1
        parent = f"{measure.number}-{seq}"
        ids = [parent, *(f"{parent}.{m}" for m in catalog.department(lead_id).members)]
        recorded_at, recorded_on = stamp()
        for tid in ids:
            row = {**definition, "lead": lead_id if tid == parent else tid.split(".", 1)[1]}
            append(
                store,
                "tasks",
                {
                    "id": tid,
                    "measure": measure.number,
                    "seq": seq,
                    "parent_id": None if tid == parent else parent,
                    "created_on": on.isoformat(),
                    **row,
                },
            )
            append(
                store,
                "task_revisions",
                {
                    "task_id": tid,
                    "kind": "create",
                    "recorded_at": recorded_at,
                    "recorded_on": recorded_on,
                    "effective_date": on.isoformat(),
                    "actor": actor.department,
                    "os_user": actor.os_user,
                    "reason": None,
                    "changes": "{}",
                    **row,
                },
            )
        refresh(store.db.conn, ids)
        return ids

    return store.write(run)


def _co(catalog: Any, measure: Any, lead: str, co: Sequence[str]) -> list[str]:
    return resolve_co(catalog, measure, lead, co)


# --- progress -------------------------------------------------------------------


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
    """Append a progress report; returns its id. A report by a co department is a
    contribution (配合) and leaves the task's status and percent as they are; a report
    of 已完成 by the lead or the office is a claim of completion and needs evidence.
    ``corrects`` names a report of the same task that this one replaces (both stay in
    the history)."""
    catalog = store.catalog
    tid = task_id_of(store, task_id)
    reporter = resolve_actor(catalog, by)

    def run() -> int:
        task = task_state(store, tid)
        when = report_date
        if corrects is not None:
            corrected_date = _check_correctable(store, tid, corrects)
            when = when or dt.date.fromisoformat(corrected_date)
        checked, problems = check_report(
            catalog,
            task,
            reporter=reporter,
            status=status,
            percent=percent,
            note=note,
            evidence=evidence,
            report_date=when or today(),
            today=today(),
        )
        raise_first(problems, OPTIONS)
        assert checked is not None
        recorded_at, recorded_on = stamp()
        row_id = append(
            store,
            "progress_reports",
            {
                "task_id": tid,
                "recorded_at": recorded_at,
                "recorded_on": recorded_on,
                "report_date": (when or today()).isoformat(),
                "reporter": reporter,
                "role": checked.role.value,
                "os_user": actor_user or os_user(),
                "status": checked.status.value,
                "percent": checked.percent,
                "note": checked.note,
                "evidence": checked.evidence,
                "corrects": corrects,
                "source": source,
                "fingerprint": fingerprint,
            },
        )
        if corrects is None:  # from the new row alone, as an import does
            appended(store.db.conn, row_id - 1)
        else:  # the corrected report no longer counts: the task derived again
            refresh(store.db.conn, [tid], departments=False)
        return row_id

    return store.write(run)


def _check_correctable(store: Store, task_id: str, report_id: int) -> str:
    """The report date of the report to correct, when it can be corrected."""
    conn = store.db.conn
    target = conn.execute(
        "SELECT task_id, report_date FROM progress_reports WHERE id = ?", [report_id]
    ).fetchone()
    if target is None or target[0] != task_id:
        raise NotFoundError(
            _("task {task} has no report #{id} to correct").format(task=task_id, id=report_id)
        )
    later = conn.execute("SELECT id FROM progress_reports WHERE corrects = ?", [report_id])
    found = later.fetchone()
    if found is not None:
        raise JsgjError(
            _("report #{id} was already corrected by #{later}; correct that one").format(
                id=report_id, later=found[0]
            )
        )
    return str(target[1])


# --- 签收 and 审核 ------------------------------------------------------------------


def _event(
    store: Store, task_id: str, kind: EventKind, actor: Actor, day: dt.date, **row: Any
) -> int:
    """Append a lifecycle event (task_events) and bring the task's derived row (and
    its parent's) up to date."""
    recorded_at, recorded_on = stamp()
    row_id = append(
        store,
        "task_events",
        {
            "task_id": task_id,
            "kind": kind.value,
            "event_date": day.isoformat(),
            "recorded_at": recorded_at,
            "recorded_on": recorded_on,
            "actor": actor.department,
            "os_user": actor.os_user,
            **row,
        },
    )
    refresh(store.db.conn, [task_id], departments=False)
    return row_id


def _event_date(day: dt.date | None) -> dt.date:
    when = day or today()
    if when > today():
        raise UsageError(_("--date {day} is in the future").format(day=when))
    return when


def acknowledge(
    store: Store,
    task_id: str,
    *,
    by: str | None,
    contact: str,
    phone: str | None = None,
    day: dt.date | None = None,
    actor_user: str = "",
) -> int:
    """签收: the lead acknowledges the task and names its contact person (联络员)."""
    catalog = store.catalog
    tid = task_id_of(store, task_id)
    who = resolve_actor(catalog, by)
    for field, text, required in (("contact", contact, True), ("phone", phone, False)):
        problem = text_problem(field, text, required=required)
        if problem is not None:
            raise_first([problem], OPTIONS)

    def run() -> int:
        task = task_state(store, tid)
        closed = check_open(task)
        if closed is not None:
            raise_first([closed], OPTIONS)
        if task.is_parent:
            raise JsgjError(
                _(
                    "task {task} is shared out to the cities: each city acknowledges its share, "
                    "e.g. {task}.nanjing"
                ).format(task=tid)
            )
        if reporter_role(catalog, task, who) not in (Role.lead, Role.office):
            raise JsgjError(
                _("{who} is not the lead of task {task}; its lead {lead} acknowledges it").format(
                    who=name(catalog, who), task=tid, lead=name(catalog, task.lead)
                )
            )
        return _event(
            store,
            tid,
            EventKind.acknowledge,
            Actor(who, actor_user),
            _event_date(day),
            contact_name=contact.strip(),
            contact_phone=(phone or "").strip() or None,
        )

    return store.write(run)


def review(
    store: Store,
    task_id: str,
    *,
    approve: bool,
    reason: str | None = None,
    percent: int | None = None,
    by: str | None = None,
    day: dt.date | None = None,
    actor_user: str = "",
) -> int:
    """审核: the office approves a claim of completion (已办结, 销号) or returns it with
    a reason (back in progress, at ``percent`` or the lead's last percent before the
    claim). Only the office reviews."""
    catalog = store.catalog
    tid = task_id_of(store, task_id)
    who = resolve_actor(catalog, by)
    if who != OFFICE_ID:
        raise JsgjError(
            _("only the office (督查督办) reviews claims of completion, not {who}").format(
                who=name(catalog, who)
            )
        )
    if percent is not None and not 0 <= percent < 100:
        raise UsageError(_("--percent {n}: a returned task is below 100%").format(n=percent))

    def run() -> int:
        task = task_state(store, tid)
        raise_first(check_review(task, approve=approve, reason=reason), OPTIONS)
        claim = store.db.execute("SELECT last_report_id FROM tasks WHERE id = ?", [tid]).fetchone()[
            0
        ]
        back = percent
        if not approve and back is None:
            before = store.db.execute(
                """SELECT percent FROM progress_reports p WHERE task_id = ? AND role != 'co'
                   AND status != 'done' AND NOT EXISTS
                       (SELECT 1 FROM progress_reports c WHERE c.corrects = p.id)
                   ORDER BY report_date DESC, id DESC LIMIT 1""",
                [tid],
            ).fetchone()
            back = before[0] if before else 0
        when = _event_date(day)
        if task.claim_date and when < task.claim_date:
            raise UsageError(
                _("--date {day} is before the claim of completion ({claim})").format(
                    day=when, claim=task.claim_date
                )
            )
        return _event(
            store,
            tid,
            EventKind.approve if approve else EventKind.reject,
            Actor(OFFICE_ID, actor_user),
            when,
            report_id=claim,
            note=(reason or "").strip() or None,
            percent=None if approve else back,
        )

    return store.write(run)
