"""Moving in (台账导入): a whole ledger - tasks and their dated history - recorded at once.

A ledger is what ``jsgj export`` writes (or an office fills from its own 台账): tasks,
their revisions (create/edit/cancel), progress reports (lead/co/office, corrections) and
lifecycle events (签收/审核/催办). :func:`import_ledger` checks every row first (ids,
departments against the catalogue, dates, roles, references between rows); any problem
rejects the whole ledger (``ImportRejected``, row-numbered per sheet) and nothing is
written. Otherwise every event is inserted in one transaction through the event tables,
so the hash chain and the search index (triggers) and the derived tables (``refresh``)
stay right. The dates the events are about come from the ledger; ``recorded_at`` and
``recorded_on`` are now: the ledger is known from today.

Idempotence: each report and event has a fingerprint of what it says (with the
fingerprint of the report it corrects or reviews, and its occurrence among equal rows);
a row whose fingerprint the task's history already has is skipped, so importing a
ledger twice records nothing the second time. A task already in the database must have
the ledger's revisions (or a beginning of them); otherwise its id clashes and the
ledger is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from jsgj.store.db import Store
from jsgj.store.imports import RowProblem
from jsgj.tasks.records import from_date, to_date

MEASURES, TASKS, REPORTS, REVISIONS, EVENTS, OBSERVATIONS = (
    "措施", "任务", "进展", "修订", "事件", "指标",
)  # fmt: skip
"""The ledger's sheet names: the export writes them (jsgj.sheets.ledger), the import
reads them (jsgj.sheets.ledger_read) and names them in its row problems (here and in
jsgj.store.ledger_check). Their one home is this module, the lowest of the three:
store must not import sheets."""
SHEETS = {
    TASKS: "tasks",
    REPORTS: "reports",
    REVISIONS: "revisions",
    EVENTS: "events",
    OBSERVATIONS: "indicators",
}
"""The sheets an import reads (all but 措施), in the order the export writes them, each
with its list in the JSON ledger and its file's stem in a CSV directory."""


@dataclass(frozen=True, slots=True)
class LedgerTask:
    row: int
    id: str
    measure: int
    parent: str | None
    created_on: dt.date


@dataclass(frozen=True, slots=True)
class LedgerRevision:
    row: int
    id: int
    task: str
    kind: str
    date: dt.date
    by: str
    title: str
    lead: str
    co: tuple[str, ...]
    start_date: dt.date | None
    due_date: dt.date | None
    cancelled: bool
    urgency: str
    source: str | None
    reason: str | None = None
    changes: str = "{}"
    os_user: str | None = None

    def content(self) -> tuple[Any, ...]:
        """What two equal revisions share (not ids, not who typed them in)."""
        return (
            self.task, self.kind, self.date.isoformat(), self.by, self.title, self.lead,
            json.dumps(list(self.co), ensure_ascii=False), from_date(self.start_date),
            from_date(self.due_date), int(self.cancelled), self.urgency, self.source, self.reason,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class LedgerReport:
    row: int
    id: int
    task: str
    date: dt.date
    by: str
    role: str
    status: str
    percent: int
    note: str
    evidence: str | None = None
    corrects: int | None = None
    source: str | None = None
    os_user: str | None = None


@dataclass(frozen=True, slots=True)
class LedgerEvent:
    row: int
    id: int
    task: str
    kind: str
    date: dt.date
    by: str
    note: str | None = None
    report: int | None = None
    percent: int | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    method: str | None = None
    source: str | None = None
    os_user: str | None = None


@dataclass(frozen=True, slots=True)
class LedgerObservation:
    row: int
    indicator: str
    region: str
    date: dt.date
    value: float
    source: str
    os_user: str | None = None

    def content(self) -> tuple[Any, ...]:
        return (self.indicator, self.region, self.date.isoformat(), self.value, self.source)


@dataclass(frozen=True, slots=True)
class Ledger:
    """A ledger as read (see ``jsgj.sheets.ledger_read``), with the problems its cells
    already had (a date that is no date, an unknown department)."""

    tasks: tuple[LedgerTask, ...] = ()
    revisions: tuple[LedgerRevision, ...] = ()
    reports: tuple[LedgerReport, ...] = ()
    events: tuple[LedgerEvent, ...] = ()
    observations: tuple[LedgerObservation, ...] = ()
    problems: tuple[RowProblem, ...] = ()


@dataclass(frozen=True, slots=True)
class LedgerResult:
    tasks: int
    revisions: int
    reports: int
    events: int
    observations: int
    already: int
    dry_run: bool
    touched: tuple[str, ...] = field(default=())

    @property
    def new(self) -> int:
        return self.tasks + self.revisions + self.reports + self.events + self.observations


def _hash(*parts: Any) -> str:
    text = "\x1f".join("" if p is None else f"{len(str(p))}:{p}" for p in parts)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def report_fingerprints(reports: Sequence[LedgerReport]) -> dict[int, str]:
    """Ledger report id -> fingerprint: what it says, the fingerprint of the report it
    corrects, and its occurrence among equal reports (two identical reports stay two)."""
    out: dict[int, str] = {}
    seen: Counter[str] = Counter()
    for r in sorted(reports, key=lambda r: r.id):
        base = _hash(
            "ledger-report-v1", r.task, r.by, r.role, r.date.isoformat(), r.status,
            r.percent, r.note, r.evidence or None, out.get(r.corrects) if r.corrects else None,
        )  # fmt: skip
        seen[base] += 1
        out[r.id] = _hash(base, seen[base])
    return out


def event_fingerprints(events: Sequence[LedgerEvent], reports: dict[int, str]) -> dict[int, str]:
    out: dict[int, str] = {}
    seen: Counter[str] = Counter()
    for e in sorted(events, key=lambda e: e.id):
        base = _hash(
            "ledger-event-v1", e.task, e.kind, e.date.isoformat(), e.by, e.note,
            reports.get(e.report) if e.report else None, e.percent, e.contact_name,
            e.contact_phone, e.method,
        )  # fmt: skip
        seen[base] += 1
        out[e.id] = _hash(base, seen[base])
    return out


# --- the database's own history as ledger rows (export, and re-import checks) ------


def stored_history(
    store: Store, task_ids: Sequence[str] | None = None, params: dict[str, str] | None = None
) -> tuple[list[LedgerRevision], list[LedgerReport], list[LedgerEvent]]:
    """The revisions, reports and events recorded (of ``task_ids``, or of every task),
    in recording order. ``params``: a view's ``When.params()`` - only what had been
    recorded by :kd (and :kt) and is dated by :d (a task's first revision always)."""
    p = dict(params or {"d": "9999-12-31", "kd": "9999-12-31"})
    kt = "AND recorded_at <= :kt" if "kt" in p else ""
    only = "AND task_id IN (SELECT value FROM json_each(:ids))" if task_ids is not None else ""
    if task_ids is not None:
        p["ids"] = json.dumps(list(task_ids))
    conn = store.db.conn
    conn_rows = conn.execute(
        f"""SELECT id, task_id, kind, effective_date, actor, title, lead, co, start_date,
                   due_date, cancelled, urgency, source, reason, changes, os_user
            FROM task_revisions r WHERE recorded_on <= :kd {kt} {only}
              AND (effective_date <= :d OR id = (SELECT MIN(id) FROM task_revisions f
                                                 WHERE f.task_id = r.task_id))
            ORDER BY id""",
        p,
    )
    revisions = [
        LedgerRevision(
            row=0,
            id=r[0],
            task=r[1],
            kind=r[2],
            date=dt.date.fromisoformat(r[3]),
            by=r[4],
            title=r[5],
            lead=r[6],
            co=tuple(json.loads(r[7])),
            start_date=to_date(r[8]),
            due_date=to_date(r[9]),
            cancelled=bool(r[10]),
            urgency=r[11],
            source=r[12],
            reason=r[13],
            changes=r[14],
            os_user=r[15],
        )  # fmt: skip
        for r in conn_rows
    ]
    reports = [
        LedgerReport(
            row=0,
            id=r[0],
            task=r[1],
            date=dt.date.fromisoformat(r[2]),
            by=r[3],
            role=r[4],
            status=r[5],
            percent=r[6],
            note=r[7],
            evidence=r[8],
            corrects=r[9],
            source=r[10],
            os_user=r[11],
        )  # fmt: skip
        for r in conn.execute(
            f"""SELECT id, task_id, report_date, reporter, role, status, percent, note,
                       evidence, corrects, source, os_user
                FROM progress_reports WHERE recorded_on <= :kd {kt} {only}
                  AND report_date <= :d ORDER BY id""",
            p,
        )
    ]
    events = [
        LedgerEvent(
            row=0,
            id=r[0],
            task=r[1],
            kind=r[2],
            date=dt.date.fromisoformat(r[3]),
            by=r[4],
            note=r[5],
            report=r[6],
            percent=r[7],
            contact_name=r[8],
            contact_phone=r[9],
            method=r[10],
            source=r[11],
            os_user=r[12],
        )  # fmt: skip
        for r in conn.execute(
            f"""SELECT id, task_id, kind, event_date, actor, note, report_id, percent,
                       contact_name, contact_phone, method, source, os_user
                FROM task_events WHERE recorded_on <= :kd {kt} {only}
                  AND event_date <= :d ORDER BY id""",
            p,
        )
    ]
    return revisions, reports, events


def revision_json(r: LedgerRevision) -> dict[str, Any]:
    return {
        "id": r.id, "task": r.task, "kind": r.kind, "date": r.date.isoformat(), "by": r.by,
        "title": r.title, "lead": r.lead, "co": list(r.co), "start_date": from_date(r.start_date),
        "due_date": from_date(r.due_date), "cancelled": r.cancelled, "urgency": r.urgency,
        "source": r.source, "reason": r.reason, "changes": json.loads(r.changes),
        "os_user": r.os_user,
    }  # fmt: skip


def event_json(e: LedgerEvent) -> dict[str, Any]:
    return {
        "id": e.id, "task": e.task, "kind": e.kind, "date": e.date.isoformat(), "by": e.by,
        "note": e.note, "report": e.report, "percent": e.percent,
        "contact_name": e.contact_name, "contact_phone": e.contact_phone,
        "method": e.method, "source": e.source, "os_user": e.os_user,
    }  # fmt: skip


def stored_observations(
    store: Store, params: dict[str, str] | None = None
) -> list[LedgerObservation]:
    """Every indicator observation recorded by :kd (:kt) and observed by :d, in order."""
    p = dict(params or {"d": "9999-12-31", "kd": "9999-12-31"})
    kt = "AND recorded_at <= :kt" if "kt" in p else ""
    return [
        LedgerObservation(
            row=0,
            indicator=r[0],
            region=r[1],
            date=dt.date.fromisoformat(r[2]),
            value=r[3],
            source=r[4],
            os_user=r[5],
        )  # fmt: skip
        for r in store.db.execute(
            f"""SELECT indicator, region, observed_on, value, source, os_user
                FROM indicator_observations
                WHERE recorded_on <= :kd {kt} AND observed_on <= :d ORDER BY id""",
            p,
        ).fetchall()
    ]


def observation_json(o: LedgerObservation) -> dict[str, Any]:
    return {
        "indicator": o.indicator, "region": o.region, "date": o.date.isoformat(),
        "value": o.value, "source": o.source, "os_user": o.os_user,
    }  # fmt: skip
