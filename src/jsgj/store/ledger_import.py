"""Recording a checked ledger (see ``jsgj.store.ledger``): all rows or none, in one
transaction. The checks are jsgj.store.ledger_check's, run again inside the transaction
so that what is recorded is what the database holds at that moment."""

from __future__ import annotations

import json
from typing import Any

from jsgj.store.db import Store
from jsgj.store.derived import refresh
from jsgj.store.events import append
from jsgj.store.ledger import Ledger, LedgerResult, LedgerRevision
from jsgj.store.ledger_check import Plan, check_ledger
from jsgj.tasks.ids import TASK_ID
from jsgj.tasks.records import from_date
from jsgj.values import now, os_user, today


def import_ledger(
    store: Store,
    ledger: Ledger,
    *,
    dry_run: bool = False,
    indicators: frozenset[str] | None = None,
) -> LedgerResult:
    """Check the whole ledger, then record what is new in one transaction (or nothing)."""

    def result(plan: Plan, touched: tuple[str, ...] = ()) -> LedgerResult:
        return LedgerResult(
            tasks=len(plan.tasks), revisions=len(plan.revisions), reports=len(plan.reports),
            events=len(plan.events), observations=len(plan.observations),
            already=plan.already, dry_run=dry_run, touched=touched,
        )  # fmt: skip

    if dry_run:
        return result(check_ledger(store, ledger, indicators))

    def run() -> LedgerResult:
        plan = check_ledger(store, ledger, indicators)  # again, inside the write transaction
        return result(plan, _record(store, plan))

    return store.write(run)


def _definition(r: LedgerRevision) -> dict[str, Any]:
    """A task's definition as a revision states it: the columns a ``tasks`` row and a
    ``task_revisions`` row share (a new task's row is its first revision's)."""
    return {
        "title": r.title,
        "lead": r.lead,
        "co": json.dumps(list(r.co), ensure_ascii=False),
        "start_date": from_date(r.start_date),
        "due_date": from_date(r.due_date),
        "cancelled": int(r.cancelled),
        "urgency": r.urgency,
        "source": r.source,
    }


def _record(store: Store, plan: Plan) -> tuple[str, ...]:
    recorded_at = now().isoformat(timespec="microseconds")
    stamp = {"recorded_at": recorded_at, "recorded_on": today().isoformat()}
    user = os_user()
    first = {r.task: r for r in reversed(plan.revisions)}
    for t in plan.tasks:
        r = first[t.id]
        match = TASK_ID.match(t.id)
        assert match is not None
        append(
            store,
            "tasks",
            {
                "id": t.id,
                "measure": t.measure,
                "seq": int(match.group(2)),
                "parent_id": t.parent,
                "created_on": t.created_on.isoformat(),
                **_definition(r),
            },  # fmt: skip
        )
    for r in plan.revisions:
        append(
            store,
            "task_revisions",
            {
                "task_id": r.task,
                "kind": r.kind,
                **stamp,
                "effective_date": r.date.isoformat(),
                "actor": r.by,
                "os_user": r.os_user or user,
                "reason": r.reason,
                "changes": r.changes,
                **_definition(r),
            },  # fmt: skip
        )
    ids = dict(plan.known_reports)
    for p, fp in plan.reports:
        ids[p.id] = append(
            store,
            "progress_reports",
            {
                "task_id": p.task,
                **stamp,
                "report_date": p.date.isoformat(),
                "reporter": p.by,
                "os_user": p.os_user or user,
                "status": p.status,
                "percent": p.percent,
                "note": p.note,
                "evidence": p.evidence,
                "corrects": ids[p.corrects] if p.corrects is not None else None,
                "source": p.source,
                "fingerprint": fp,
                "role": p.role,
            },  # fmt: skip
        )
    for e, fp in plan.events:
        append(
            store,
            "task_events",
            {
                "task_id": e.task,
                "kind": e.kind,
                "event_date": e.date.isoformat(),
                **stamp,
                "actor": e.by,
                "os_user": e.os_user or user,
                "note": e.note,
                "report_id": ids[e.report] if e.report is not None else None,
                "percent": e.percent,
                "contact_name": e.contact_name,
                "contact_phone": e.contact_phone,
                "method": e.method,
                "source": e.source,
                "fingerprint": fp,
            },  # fmt: skip
        )
    for o in plan.observations:
        append(
            store,
            "indicator_observations",
            {
                "indicator": o.indicator,
                "region": o.region,
                "observed_on": o.date.isoformat(),
                "value": o.value,
                "source": o.source,
                **stamp,
                "os_user": o.os_user or user,
            },  # fmt: skip
        )
    touched = tuple(
        sorted(
            {t.id for t in plan.tasks}
            | {r.task for r in plan.revisions}
            | {p.task for p, _fp in plan.reports}
            | {e.task for e, _fp in plan.events}
        )
    )
    refresh(store.db.conn, touched)
    return touched
