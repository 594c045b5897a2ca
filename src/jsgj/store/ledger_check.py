"""Checking a ledger before anything is recorded (see ``jsgj.store.ledger``): every row
against the catalogue, the dates and the rows it refers to, then what the database
already has left out (:class:`Plan`).

Apart from the recording (jsgj.store.ledger_import) because the two change for
different reasons: the checks follow the rules of what a ledger may say, the recording
follows the tables. A dry run is this module alone; a real import runs it again inside
the write transaction."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass

from jsgj.catalog.catalog import OFFICE_ID, Catalog
from jsgj.i18n import _
from jsgj.store.db import Store
from jsgj.store.imports import ImportRejected, RowProblem
from jsgj.store.indicators import PROVINCE
from jsgj.store.ledger import (
    EVENTS,
    OBSERVATIONS,
    REPORTS,
    REVISIONS,
    TASKS,
    Ledger,
    LedgerEvent,
    LedgerObservation,
    LedgerReport,
    LedgerRevision,
    LedgerTask,
    event_fingerprints,
    report_fingerprints,
    stored_history,
    stored_observations,
)
from jsgj.tasks.ids import TASK_ID
from jsgj.tasks.records import EventKind, Role, Urgency
from jsgj.values import REPORTABLE, today

KINDS = ("create", "edit", "cancel")
EVENT_KINDS = tuple(k.value for k in EventKind)
ROLES = tuple(r.value for r in Role)
STATUSES = tuple(s.value for s in REPORTABLE)
URGENCIES = tuple(u.value for u in Urgency)


@dataclass(frozen=True, slots=True)
class Plan:
    """What a checked ledger adds: new tasks, and the rows not yet recorded."""

    tasks: tuple[LedgerTask, ...]
    revisions: tuple[LedgerRevision, ...]
    reports: tuple[tuple[LedgerReport, str], ...]
    events: tuple[tuple[LedgerEvent, str], ...]
    known_reports: dict[int, int]
    """Ledger report id -> database id, for reports already recorded."""
    already: int
    observations: tuple[LedgerObservation, ...] = ()


def _problem(sheet: str, row: int, fld: str, message: str) -> RowProblem:
    return RowProblem(row, f"{sheet}·{fld}", message)


def _department(catalog: Catalog, did: str, *, office: bool = False) -> bool:
    if office and did == OFFICE_ID:
        return True
    try:
        catalog.department(did)
    except KeyError:
        return False
    return True


def check_ledger(store: Store, ledger: Ledger, indicators: frozenset[str] | None = None) -> Plan:
    """Every row checked (raises ``ImportRejected`` with every problem), then what is new.
    ``indicators``: the indicator ids observations may name (None: not checked)."""
    catalog = store.catalog
    problems: list[RowProblem] = list(ledger.problems)
    add = problems.append
    on = today()
    conn = store.db.conn
    ids = [t.id for t in ledger.tasks]
    stored = {
        r[0]: r
        for r in conn.execute(
            "SELECT id, measure, parent_id, created_on FROM tasks"
            " WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(ids)],
        )
    }
    mine: dict[str, LedgerTask] = {}
    for t in ledger.tasks:
        match = TASK_ID.match(t.id)
        if match is None:
            add(_problem(TASKS, t.row, "id", _("{id!r} is not a task id").format(id=t.id)))
            continue
        if t.id in mine:
            add(_problem(TASKS, t.row, "id", _("task {id} is listed twice").format(id=t.id)))
            continue
        mine[t.id] = t
        if int(match.group(1)) != t.measure or t.measure not in {
            m.number for m in catalog.measures
        }:
            add(_problem(TASKS, t.row, "measure", _("measure {m} does not fit task {id}").format(
                m=t.measure, id=t.id)))  # fmt: skip
        parent = f"{match.group(1)}-{match.group(2)}" if match.group(3) else None
        if parent != t.parent:
            add(_problem(TASKS, t.row, "parent", _("task {id} is a share of {p}, not of {q}")
                         .format(id=t.id, p=parent or "-", q=t.parent or "-")))  # fmt: skip
        elif parent and parent not in mine:
            add(_problem(TASKS, t.row, "parent", _("task {p} is not listed before {id}").format(
                p=parent, id=t.id)))  # fmt: skip
        if t.created_on > on:
            add(_problem(TASKS, t.row, "created_on", _("date {d} is in the future").format(
                d=t.created_on)))  # fmt: skip
        old = stored.get(t.id)
        if old is not None and (old[1], old[2], old[3]) != (
            t.measure, t.parent, t.created_on.isoformat()
        ):  # fmt: skip
            add(_problem(TASKS, t.row, "id", _(
                "task {id} is already in the database as another task (measure, parent or "
                "creation date differ)").format(id=t.id)))  # fmt: skip

    def history_row(sheet: str, row: int, tid: str, day: dt.date, did: str) -> bool:
        """What every row of the history (revision, report, event) must be: of a listed
        task (else nothing more is checked), dated by today, by a known department."""
        if tid not in mine:
            add(_problem(sheet, row, "task", _("task {id} is not in the ledger's tasks").format(
                id=tid)))  # fmt: skip
            return False
        check_date(sheet, row, day)
        check_actor(sheet, row, did)
        return True

    def check_date(sheet: str, row: int, day: dt.date | None) -> None:
        if day is not None and day > on:
            add(_problem(sheet, row, "date", _("date {d} is in the future").format(d=day)))

    def check_percent(sheet: str, row: int, percent: int | None) -> None:
        if percent is not None and not 0 <= percent <= 100:
            add(_problem(sheet, row, "percent", _("percent {p} is not 0-100").format(p=percent)))

    def check_actor(sheet: str, row: int, did: str) -> None:
        if not _department(catalog, did, office=True):
            add(_problem(sheet, row, "by", _("unknown department {d!r}").format(d=did)))

    revisions: dict[str, list[LedgerRevision]] = defaultdict(list)
    for r in sorted(ledger.revisions, key=lambda r: r.id):
        if not history_row(REVISIONS, r.row, r.task, r.date, r.by):
            continue
        revisions[r.task].append(r)
        if r.kind not in KINDS:
            add(_problem(REVISIONS, r.row, "kind", _("unknown kind {k!r}").format(k=r.kind)))
        for did in (r.lead, *r.co):
            if not _department(catalog, did):
                add(_problem(REVISIONS, r.row, "lead", _("unknown department {d!r}").format(
                    d=did)))  # fmt: skip
        if r.start_date and r.due_date and r.due_date < r.start_date:
            add(_problem(REVISIONS, r.row, "due_date", _("the due date is before the start")))
        if r.urgency not in URGENCIES:
            add(_problem(REVISIONS, r.row, "urgency", _("unknown urgency {u!r}").format(
                u=r.urgency)))  # fmt: skip
    for t in mine.values():
        first = revisions.get(t.id)
        if not first:
            add(_problem(TASKS, t.row, "id", _("task {id} has no revisions").format(id=t.id)))
        elif first[0].kind != "create":
            add(_problem(REVISIONS, first[0].row, "kind", _(
                "the first revision of task {id} must be create").format(id=t.id)))  # fmt: skip

    reports = {p.id: p for p in ledger.reports}
    for p in ledger.reports:
        if not history_row(REPORTS, p.row, p.task, p.date, p.by):
            continue
        if p.role not in ROLES:
            add(_problem(REPORTS, p.row, "role", _("unknown role {r!r}").format(r=p.role)))
        if p.status not in STATUSES:
            add(_problem(REPORTS, p.row, "status", _("unknown status {s!r}").format(s=p.status)))
        check_percent(REPORTS, p.row, p.percent)
        if not p.note.strip():
            add(_problem(REPORTS, p.row, "note", _("the note is empty")))
        fixed = reports.get(p.corrects) if p.corrects is not None else None
        if p.corrects is not None and (
            fixed is None or fixed.task != p.task or fixed.id >= p.id
        ):  # fmt: skip
            add(_problem(REPORTS, p.row, "corrects", _(
                "report {n} is not an earlier report of the same task").format(
                n=p.corrects)))  # fmt: skip
    for e in ledger.events:
        if not history_row(EVENTS, e.row, e.task, e.date, e.by):
            continue
        if e.kind not in EVENT_KINDS:
            add(_problem(EVENTS, e.row, "kind", _("unknown kind {k!r}").format(k=e.kind)))
        named = reports.get(e.report) if e.report is not None else None
        if e.report is not None and (named is None or named.task != e.task):
            add(_problem(EVENTS, e.row, "report", _(
                "report {n} is not a report of the same task").format(n=e.report)))  # fmt: skip
        check_percent(EVENTS, e.row, e.percent)
    for o in ledger.observations:
        check_date(OBSERVATIONS, o.row, o.date)
        if indicators is not None and o.indicator not in indicators:
            add(_problem(OBSERVATIONS, o.row, "indicator", _("unknown indicator {i!r}").format(
                i=o.indicator)))  # fmt: skip
        if o.region != PROVINCE and not _department(catalog, o.region):
            add(_problem(OBSERVATIONS, o.row, "region", _("unknown region {r!r}").format(
                r=o.region)))  # fmt: skip
    if problems:
        raise ImportRejected(problems)
    return _plan(store, ledger, mine, revisions, set(stored))


def _plan(
    store: Store,
    ledger: Ledger,
    mine: dict[str, LedgerTask],
    revisions: dict[str, list[LedgerRevision]],
    existing: set[str],
) -> Plan:
    """Leave out what the database already has; refuse a clashing history."""
    report_fp = report_fingerprints(ledger.reports)
    event_fp = event_fingerprints(ledger.events, report_fp)
    had_revisions, had_reports, had_events = stored_history(store, sorted(existing))
    old_by_task: dict[str, list[LedgerRevision]] = defaultdict(list)
    for r in had_revisions:
        old_by_task[r.task].append(r)
    problems: list[RowProblem] = []
    new_revisions: list[LedgerRevision] = []
    already = 0
    for tid, listed in revisions.items():
        old = [r.content() for r in old_by_task.get(tid, [])]
        if [r.content() for r in listed[: len(old)]] != old:
            problems.append(_problem(TASKS, mine[tid].row, "id", _(
                "task {id} is already in the database with another history; nothing was "
                "recorded").format(id=tid)))  # fmt: skip
        already += min(len(old), len(listed))
        new_revisions.extend(listed[len(old) :])
    if problems:
        raise ImportRejected(problems)
    old_report_fp = report_fingerprints(had_reports)
    known_reports = {fp: rid for rid, fp in old_report_fp.items()}
    old_event_fp = set(event_fingerprints(had_events, old_report_fp).values())
    reports = [(r, report_fp[r.id]) for r in sorted(ledger.reports, key=lambda r: r.id)]
    events = [(e, event_fp[e.id]) for e in sorted(ledger.events, key=lambda e: e.id)]
    new_reports = tuple((r, fp) for r, fp in reports if fp not in known_reports)
    new_events = tuple((e, fp) for e, fp in events if fp not in old_event_fp)
    already += len(reports) - len(new_reports) + len(events) - len(new_events)
    had = Counter(o.content() for o in stored_observations(store))
    observations = []
    for o in ledger.observations:
        if had[o.content()] > 0:
            had[o.content()] -= 1
            already += 1
        else:
            observations.append(o)
    return Plan(
        observations=tuple(observations),
        tasks=tuple(t for t in mine.values() if t.id not in existing),
        revisions=tuple(sorted(new_revisions, key=lambda r: r.id)),
        reports=new_reports,
        events=new_events,
        known_reports={r.id: known_reports[fp] for r, fp in reports if fp in known_reports},
        already=already,
    )
