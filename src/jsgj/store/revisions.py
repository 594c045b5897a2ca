"""Writing a task's definition: edit (修改, including 延期 by a new due date) and cancel
(撤销). Each appends revision events and refreshes the derived rows in one transaction;
the task is read inside that transaction, so an edit only changes the fields it names
and never revives a task cancelled while it waited for the lock."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from jsgj.errors import JsgjError, UsageError
from jsgj.i18n import _
from jsgj.store.db import Store
from jsgj.store.derived import refresh
from jsgj.store.events import Actor, append, stamp
from jsgj.store.queries import task_id_of
from jsgj.store.tasks import check_dates
from jsgj.tasks.records import Role, Urgency
from jsgj.tasks.roles import check_eligible, resolve_co
from jsgj.tasks.rules import text_problem
from jsgj.values import today


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
    """Append a revision: the changed fields with before and after, and the whole
    definition after them (read inside the same transaction, so never stale)."""
    recorded_at, recorded_on = stamp()
    definition = {
        k: task[k]
        for k in ("title", "lead", "co", "start_date", "due_date", "cancelled", "urgency", "source")
    }
    for key, (_before, after) in changes.items():
        definition[key] = json.dumps(after, ensure_ascii=False) if key == "co" else after
    return append(
        store,
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


def _row(store: Store, tid: str) -> dict[str, Any]:
    cursor = store.db.conn.execute("SELECT * FROM tasks WHERE id = ?", [tid])
    names = [d[0] for d in cursor.description]
    return dict(zip(names, cursor.fetchone(), strict=True))


def _children(store: Store, tid: str) -> list[str]:
    return [
        r[0]
        for r in store.db.execute("SELECT id FROM tasks WHERE parent_id = ? ORDER BY rowid", [tid])
    ]


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
    urgency: Urgency | None = None,
    source: str | None = None,
    actor: Actor | None = None,
) -> list[int]:
    """Change a task's definition; each change is a revision event with its reason.
    Only the fields given and different from the task as it stands inside the
    transaction are changed, so two clerks editing different fields both keep their
    change. Editing a fan-out parent edits its city shares too."""
    catalog = store.catalog
    tid = task_id_of(store, task_id)
    problem = text_problem("reason", reason, required=True)
    if problem is not None:
        raise UsageError(_("--reason must not be empty: say why the task changes"))
    reason = reason.strip()
    actor = actor or Actor()
    on = today()

    def run() -> list[int]:
        task = _row(store, tid)
        if task["cancelled"]:
            raise JsgjError(_("task {task} was cancelled; it cannot be edited").format(task=tid))
        measure = catalog.measure(task["measure"])
        kids = _children(store, tid)
        changes: dict[str, Any] = {}
        if title is not None and title.strip() and title.strip() != task["title"]:
            changes["title"] = [task["title"], title.strip()]
        if due is not None and due.isoformat() != task["due_date"]:
            changes["due_date"] = [task["due_date"], due.isoformat()]
        if start is not None and start.isoformat() != task["start_date"]:
            changes["start_date"] = [task["start_date"], start.isoformat()]
        if urgency is not None and urgency.value != task["urgency"]:
            changes["urgency"] = [task["urgency"], urgency.value]
        if source is not None and (source.strip() or None) != task["source"]:
            changes["source"] = [task["source"], source.strip() or None]
        new_lead = task["lead"]
        if lead is not None:
            new_lead = catalog.resolve(lead).id
            if new_lead != task["lead"]:
                if kids or task["parent_id"] or catalog.department(new_lead).members:
                    raise JsgjError(_("the lead of a task shared out to the cities cannot change"))
                check_eligible(catalog, measure, new_lead, Role.lead)
                changes["lead"] = [task["lead"], new_lead]
        if co is not None:
            new_co = resolve_co(catalog, measure, new_lead, co)
            old_co = json.loads(task["co"])
            if new_co != old_co:
                changes["co"] = [old_co, new_co]
        if not changes:
            raise UsageError(
                _(
                    "nothing to change: give --title, --due, --start, --lead, --co, --urgency "
                    "or --source with a new value"
                )
            )
        start_after = changes.get("start_date", [None, task["start_date"]])[1]
        due_after = changes.get("due_date", [None, task["due_date"]])[1]
        check_dates(
            dt.date.fromisoformat(start_after) if start_after else None,
            dt.date.fromisoformat(due_after) if due_after else None,
        )
        ids = [
            _revise(store, task, kind="edit", changes=changes, reason=reason, actor=actor, on=on)
        ]
        for kid in kids:
            child = _row(store, kid)
            if child["cancelled"]:
                continue
            child_changes = {
                k: [child[k] if k != "co" else json.loads(child["co"]), v[1]]
                for k, v in changes.items()
            }
            ids.append(
                _revise(
                    store, child, kind="edit", changes=child_changes, reason=reason,
                    actor=actor, on=on,
                )
            )  # fmt: skip
        refresh(store.db.conn, [tid, *kids], departments="lead" in changes or "co" in changes)
        return ids

    return store.write(run)


def cancel_task(
    store: Store, task_id: str, *, reason: str, actor: Actor | None = None
) -> list[str]:
    """Cancel (撤销) a task and, for a fan-out parent, its city shares. Kept, shown as
    cancelled."""
    tid = task_id_of(store, task_id)
    if not reason.strip():
        raise UsageError(_("--reason must not be empty: say why the task is cancelled"))
    actor = actor or Actor()
    on = today()

    def run() -> list[str]:
        task = _row(store, tid)
        if task["cancelled"]:
            raise JsgjError(_("task {task} is already cancelled").format(task=tid))
        done = []
        for kid in [tid, *_children(store, tid)]:
            row = _row(store, kid)
            if row["cancelled"]:
                continue
            _revise(
                store, row, kind="cancel", changes={"cancelled": [0, 1]},
                reason=reason.strip(), actor=actor, on=on,
            )  # fmt: skip
            done.append(kid)
        # A city share's parent is aggregated again by refresh, from its shares' rows.
        refresh(store.db.conn, done, departments=False)
        return done

    return store.write(run)
