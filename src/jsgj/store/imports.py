"""Batch recording of progress reports: many rows, one transaction, idempotent.

A spreadsheet return (进展填报表) becomes a list of :class:`ReportRow`. Every row is
checked first, against the same rules as ``record_progress`` (a known task that takes
reports, a responsible department, a status and percent that agree, a date not in the
future, a note); a single problem anywhere rejects the whole batch
(:class:`ImportRejected`, carrying every problem with its row number) and nothing is
written. Otherwise all rows are inserted in one transaction with ``executemany`` and the
derived ``tasks`` row is refreshed once per task.

Idempotence: each row has a fingerprint, a hash of what it says (task, reporter, date,
status, percent, note, evidence) - not of where it came from. The ``fingerprint``
column has a unique index, so a row already recorded (by an earlier import of the same
file, or of a copy of it) is counted and skipped: importing a file twice records
nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, NamedTuple

from jsgj.catalog.catalog import OFFICE_ID, Catalog
from jsgj.errors import JsgjError, NotFoundError
from jsgj.store.db import Store
from jsgj.store.tasks import TASK_ID, refresh_many
from jsgj.values import Status, now, os_user, today

Progress = Callable[[str, int, int], None]
"""``progress(phase, done, total)``; phase is ``"check"`` or ``"record"``."""

CHUNK = 1000
"""Rows per ``executemany`` call (and per progress update)."""

_OFFICE_NAMES = (OFFICE_ID, "督查督办", "督查督办处")


class ReportRow(NamedTuple):
    """One report as a return states it. ``row`` is the row number the user sees.
    (A named tuple, as cheap to make as a plain tuple: imports make thousands.)"""

    row: int
    task: str
    status: Status
    note: str
    report_date: dt.date
    percent: int | None = None
    evidence: str | None = None
    reporter: str | None = None
    """Department (id, name or alias) or 'office'; None: the batch's reporter."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    """What is wrong with one row. ``field`` names the column: task, reporter, status,
    percent, date, note, evidence, or row (the row as a whole)."""

    row: int
    field: str
    message: str


class ImportRejected(JsgjError):
    """At least one row is wrong: nothing was recorded. Carries every problem."""

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.row)
        rows = len({p.row for p in self.problems})
        super().__init__(
            f"{rows} row{'s' if rows != 1 else ''} with problems "
            f"({len(self.problems)} in all); nothing was recorded"
        )


class PlannedReport(NamedTuple):
    """A checked row, as it will be (or was) recorded. (A named tuple: 10,000 of them
    are made per large import, and a frozen dataclass costs three times as much.)"""

    row: int
    task_id: str
    reporter: str
    status: Status
    percent: int
    report_date: dt.date
    note: str
    evidence: str | None
    fingerprint: str
    already: bool = False
    """True when the same report is already in the database."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    reports: tuple[PlannedReport, ...]
    new: int
    already: int
    dry_run: bool
    tasks: tuple[str, ...] = field(default=())
    """Tasks whose derived state was refreshed (empty on a dry run)."""


def fingerprint(
    task_id: str,
    reporter: str,
    report_date: dt.date,
    status: Status,
    percent: int | None,
    note: str,
    evidence: str | None,
) -> str:
    """What a report says, hashed: equal for the same row imported again.

    Fields are joined with a unit separator; the two free texts are prefixed with their
    length, so no note or evidence can make two different reports hash alike."""
    return _fingerprint(task_id, reporter, report_date.isoformat(), status, percent, note, evidence)


def _fingerprint(
    task_id: str,
    reporter: str,
    day: str,
    status: Status,
    percent: int | None,
    note: str,
    evidence: str | None,
    _blake2b: Callable[..., Any] = hashlib.blake2b,
) -> str:
    evidence = evidence or ""
    text = (
        f"v1\x1f{task_id}\x1f{reporter}\x1f{day}\x1f{status}"
        f"\x1f{'' if percent is None else percent}\x1f{len(note)}:{note}"
        f"\x1f{len(evidence)}:{evidence}"
    )
    return str(_blake2b(text.encode("utf-8"), digest_size=16).hexdigest())


# --- checking ---------------------------------------------------------------------


@dataclass(slots=True)
class _Task:
    id: str
    responsible: tuple[str, ...]
    allowed: frozenset[str]
    cancelled: bool
    shared_out: bool
    percent: int


class _Checker:
    """Per-batch look-ups, memoised: 10,000 rows cost one query, not 10,000."""

    def __init__(
        self, store: Store, default_reporter: str | None, named: Iterable[str] = ()
    ) -> None:
        self.catalog: Catalog = store.catalog
        self.tasks: dict[str, _Task] = {}
        # Only the tasks the rows name (a return names a few hundred of 20,000), read
        # in one query; whether each is shared out comes from the parent index.
        wanted = sorted({tid for text in named if (tid := self._stored_id(text))})
        for tid, lead, co, cancelled, percent, shared_out in store.db.execute(
            """SELECT id, lead, co, cancelled, percent,
                      EXISTS (SELECT 1 FROM tasks k WHERE k.parent_id = t.id)
               FROM tasks t WHERE id IN (SELECT value FROM json_each(?))""",
            [json.dumps(wanted)],
        ).fetchall():
            responsible = (lead, *json.loads(co))
            allowed = set(responsible)
            for did in responsible:
                allowed.update(self.catalog.department(did).members)
            self.tasks[tid] = _Task(
                tid, responsible, frozenset(allowed), bool(cancelled), bool(shared_out), percent
            )
        self.task: dict[str, _Task | str] = {}
        """Task id as written -> the task, or why it takes no report."""
        self.reporter: dict[str | None, str | None] = {}
        """Department as written -> its id (or OFFICE_ID); None: unknown (see ``why``)."""
        self.why: dict[str | None, str] = {}
        self.default_reporter = default_reporter

    def lookup_task(self, text: str) -> _Task | str:
        found = self.task.get(text)
        if found is None:
            found = self.task[text] = self._task(text)
        return found

    def _stored_id(self, text: str) -> str | None:
        """'7-3', '1-2.nanjing' or '1-2.南京' as the store writes it; None if malformed."""
        match = TASK_ID.match(text.strip())
        if match is None:
            return None
        measure, seq, city = match.groups()
        tid = f"{int(measure)}-{int(seq)}"
        if city is not None:
            try:
                city = self.catalog.resolve(city).id
            except NotFoundError:
                pass
            tid = f"{tid}.{city}"
        return tid

    def _task(self, text: str) -> _Task | str:
        tid = self._stored_id(text)
        if tid is None:
            return f"{text.strip()!r} is not a task id; ids look like 7-3 or 1-2.nanjing"
        task = self.tasks.get(tid)
        if task is None:
            return f"no task {text.strip()!r}"
        if task.shared_out:
            return (
                f"task {tid} is shared out to the cities: report on each city's task, "
                f"e.g. {tid}.nanjing"
            )
        if task.cancelled:
            return f"task {tid} was cancelled (撤销); it takes no more reports"
        return task

    def lookup_reporter(self, text: str | None) -> str | None:
        if text in self.reporter:
            return self.reporter[text]
        written = text if text and text.strip() else self.default_reporter
        found: str | None = None
        if written is None:
            self.why[text] = "no reporting department (填报单位): give --by DEPARTMENT"
        elif written.strip().casefold() in _OFFICE_NAMES:
            found = OFFICE_ID
        else:
            try:
                found = self.catalog.resolve(written).id
            except NotFoundError as e:
                self.why[text] = str(e)
        self.reporter[text] = found
        return found

    def name(self, department_id: str) -> str:
        if department_id == OFFICE_ID:
            return "督查督办"
        return self.catalog.department(department_id).name


def check_rows(
    store: Store,
    rows: Sequence[ReportRow],
    *,
    reporter: str | None = None,
    progress: Progress | None = None,
    unparsed: Sequence[ReportRow] = (),
) -> tuple[list[PlannedReport], list[RowProblem]]:
    """Check every row; return the reports as they would be recorded, and the problems.

    ``reporter`` is the department that sends the return (id, name, alias or 'office')
    for rows that do not name their own. ``unparsed`` rows are those whose cells did not
    all parse (their status, percent and date are placeholders): only their task,
    department and note are checked, so that every problem of a row is reported at once;
    they are never recorded."""
    checker = _Checker(store, reporter, (r.task for r in chain(rows, unparsed)))
    on = today()
    planned: list[PlannedReport] = []
    problems: list[RowProblem] = []
    add = problems.append
    seen: dict[str, int] = {}
    total = len(rows)
    done, not_started = Status.done, Status.not_started  # hoisted: enum look-ups cost
    iso = _isoformat()
    for i, r in enumerate(chain(rows, unparsed)):
        if progress is not None and i % CHUNK == 0:
            progress("check", i, total)
        n, status, percent = r.row, r.status, r.percent
        found = len(problems)
        task = checker.lookup_task(r.task)
        if type(task) is str:
            add(RowProblem(n, "task", task))
        who = checker.lookup_reporter(r.reporter)
        if who is None:
            add(RowProblem(n, "reporter", checker.why[r.reporter]))
        elif isinstance(task, _Task) and who not in task.allowed and who != OFFICE_ID:
            owners = "、".join(checker.name(d) for d in task.responsible)
            add(
                RowProblem(
                    n,
                    "reporter",
                    f"{checker.name(who)} is not responsible for task {task.id} "
                    f"(responsible: {owners})",
                )
            )
        if percent is None:
            if status is done:
                percent = 100
            elif status is not_started:
                percent = 0
        elif not 0 <= percent <= 100:
            add(RowProblem(n, "percent", f"{percent} is outside 0-100"))
        elif status is done:
            if percent != 100:
                add(RowProblem(n, "percent", f"已完成 (done) means 100%, not {percent}%"))
        elif percent == 100:
            add(
                RowProblem(
                    n, "status", f"100% means done: the status should be 已完成, not {status.label}"
                )
            )
        if r.report_date > on:
            add(RowProblem(n, "date", f"{r.report_date} is in the future"))
        note = r.note.strip()
        if not note:
            add(RowProblem(n, "note", "进展情况 (note) is empty: say what was done"))
        evidence = (r.evidence.strip() or None) if r.evidence else None
        if len(problems) > found or who is None or not isinstance(task, _Task) or i >= total:
            continue
        fp = _fingerprint(task.id, who, iso(r.report_date), status, percent, note, evidence)
        first = seen.get(fp)
        if first is not None:
            add(RowProblem(n, "row", f"duplicated row: the same report as row {first}"))
            continue
        seen[fp] = n
        planned.append(
            PlannedReport(
                n,
                task.id,
                who,
                status,
                # A blank percent on 推进中/受阻 keeps the task's current percent.
                task.percent if percent is None else percent,
                r.report_date,
                note,
                evidence,
                fp,
            )
        )
    if progress is not None:
        progress("check", total, total)
    return planned, problems


def _isoformat() -> Callable[[dt.date], str]:
    """``date.isoformat``, memoised: a batch holds few distinct dates."""
    seen: dict[dt.date, str] = {}

    def iso(day: dt.date) -> str:
        text = seen.get(day)
        if text is None:
            text = seen[day] = day.isoformat()
        return text

    return iso


def recorded_fingerprints(
    store: Store, fingerprints: Sequence[str], up_to_id: int | None = None
) -> set[str]:
    """Those of ``fingerprints`` already in the database (through the unique index);
    with ``up_to_id``, only those of reports up to that id."""
    out: set[str] = set()
    limit = "" if up_to_id is None else f" AND id <= {int(up_to_id)}"
    for start in range(0, len(fingerprints), 900):
        chunk = list(fingerprints[start : start + 900])
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT fingerprint FROM progress_reports WHERE fingerprint IN ({marks}){limit}"
        out.update(r[0] for r in store.db.execute(sql, chunk).fetchall())
    return out


_INSERT = """
INSERT INTO progress_reports (task_id, recorded_at, recorded_on, report_date, reporter,
    os_user, status, percent, note, evidence, source, fingerprint)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (fingerprint) WHERE fingerprint IS NOT NULL DO NOTHING
"""


def import_reports(
    store: Store,
    rows: Sequence[ReportRow],
    *,
    reporter: str | None = None,
    source: str = "import",
    dry_run: bool = False,
    problems: Sequence[RowProblem] = (),
    unparsed: Sequence[ReportRow] = (),
    progress: Progress | None = None,
    actor_user: str = "",
) -> ImportResult:
    """Check every row, then record all of them in one transaction, or none.

    ``problems`` are problems found before (say, cells that did not parse, in the
    ``unparsed`` rows: see ``check_rows``); with any problem, from there or from the
    checks, :class:`ImportRejected` is raised and nothing is written. ``source`` names
    the file; each report's source is ``source:row``. Rows already recorded (same
    fingerprint) are counted, not recorded again."""
    planned, found = check_rows(
        store, rows, reporter=reporter, progress=progress, unparsed=unparsed
    )
    if problems or found:
        raise ImportRejected([*problems, *found])
    user = actor_user or os_user()

    def mark(known: set[str]) -> tuple[PlannedReport, ...]:
        return tuple(p._replace(already=True) if p.fingerprint in known else p for p in planned)

    def preview() -> tuple[tuple[PlannedReport, ...], int, tuple[str, ...]]:
        marked = mark(recorded_fingerprints(store, [p.fingerprint for p in planned]))
        return marked, sum(not p.already for p in marked), ()

    def run() -> tuple[tuple[PlannedReport, ...], int, tuple[str, ...]]:
        # Insert every row and let the unique index skip those already recorded (also
        # when a concurrent import recorded them a moment ago); only when some were
        # skipped, look up which: a first import pays for no look-up.
        iso = _isoformat()
        recorded_at = now().isoformat(timespec="microseconds")
        recorded_on = today().isoformat()
        conn = store.db.conn
        last_id = conn.execute("SELECT COALESCE(MAX(id), 0) FROM progress_reports").fetchone()[0]
        total = len(planned)
        for start in range(0, total, CHUNK):
            if progress is not None:
                progress("record", start, total)
            conn.executemany(
                _INSERT,
                [
                    # Unpacked, not p.field: 10,000 rows times 10 attribute reads add up.
                    (tid, recorded_at, recorded_on, iso(day), who, user, status, percent,
                     note, evidence, f"{source}:{row}", fp)
                    for row, tid, who, status, percent, day, note, evidence, fp, _ in planned[
                        start : start + CHUNK
                    ]
                ],
            )  # fmt: skip
        # Counted, not conn.total_changes: that also counts the rows triggers write.
        inserted = conn.execute(
            "SELECT COUNT(*) FROM progress_reports WHERE id > ?", [last_id]
        ).fetchone()[0]
        marked = tuple(planned)
        if inserted < total:
            marked = mark(recorded_fingerprints(store, [p.fingerprint for p in planned], last_id))
        touched = tuple(sorted({p.task_id for p in marked if not p.already}))
        refresh_many(store, touched)
        if progress is not None:
            progress("record", total, total)
        return marked, inserted, touched

    if dry_run:
        marked, new, touched = preview()
    else:
        marked, new, touched = store.write(run)
    return ImportResult(
        reports=marked, new=new, already=len(marked) - new, dry_run=dry_run, tasks=touched
    )


def report_sources(store: Store) -> dict[int, str | None]:
    """Where each progress report came from: 'cli', or 'file:row' for an import."""
    return {
        r[0]: r[1] for r in store.db.execute("SELECT id, source FROM progress_reports").fetchall()
    }
