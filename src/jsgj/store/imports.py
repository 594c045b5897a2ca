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

from jsgj.catalog.catalog import Catalog
from jsgj.errors import JsgjError, NotFoundError
from jsgj.i18n import _
from jsgj.store.db import Store
from jsgj.store.derived import refresh
from jsgj.tasks.ids import stored_id
from jsgj.tasks.records import Role, TaskState
from jsgj.tasks.roles import resolve_actor
from jsgj.tasks.rules import check_report
from jsgj.values import Status, now, os_user, today

Progress = Callable[[str, int, int], None]
"""``progress(phase, done, total)``; phase is ``"check"`` or ``"record"``."""

CHUNK = 1000
"""Rows per ``executemany`` call (and per progress update)."""


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
            (
                _("{rows} row with problems ({n} in all); nothing was recorded")
                if rows == 1
                else _("{rows} rows with problems ({n} in all); nothing was recorded")
            ).format(rows=rows, n=len(self.problems))
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
    role: Role = Role.lead
    """Lead or office: sets the task's progress; co: a contribution (配合)."""


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


def _states(store: Store, named: Iterable[str]) -> dict[str, TaskState]:
    """The current state of the tasks a return names (a few hundred of 20,000), with
    their city shares so that a fan-out parent is known as one, in one query."""
    from jsgj.store.queries import COLUMNS, rows_to_states
    from jsgj.tasks.aggregate import with_children

    ids = json.dumps(sorted(set(named)))
    rows = store.db.execute(
        f"""SELECT {", ".join(COLUMNS)} FROM tasks
            WHERE id IN (SELECT value FROM json_each(:ids))
               OR parent_id IN (SELECT value FROM json_each(:ids))""",
        {"ids": ids},
    )
    return {s.id: s for s in with_children(rows_to_states(rows))}


def check_rows(
    store: Store,
    rows: Sequence[ReportRow],
    *,
    reporter: str | None = None,
    progress: Progress | None = None,
    unparsed: Sequence[ReportRow] = (),
) -> tuple[list[PlannedReport], list[RowProblem]]:
    """Check every row against the rules of ``jsgj.tasks.rules`` (the same as a single
    ``progress``), on the tasks as they stand; return the reports as they would be
    recorded, and the problems.

    ``reporter`` is the department that sends the return (id, name, alias or 'office')
    for rows that do not name their own. ``unparsed`` rows are those whose cells did not
    all parse (their status, percent and date are placeholders): only their task,
    department and note are checked, so that every problem of a row is reported at once;
    they are never recorded."""
    catalog = store.catalog
    ids = {r.task: stored_id(catalog, r.task) for r in chain(rows, unparsed)}
    states = _states(store, (tid for tid in ids.values() if tid))
    who_of: dict[str | None, str | RowProblem] = {}
    on = today()
    iso = _isoformat()

    def fp_of(r: ReportRow, tid: str, who: str) -> str:
        evidence = (r.evidence.strip() or None) if r.evidence else None
        day = iso(r.report_date)
        return _fingerprint(tid, who, day, r.status, r.percent, r.note.strip(), evidence)

    # Rows already recorded (the same file imported again) are not checked again: the
    # task may have moved on since (approved, say), and they will not be recorded.
    candidates = []
    for r in rows:
        tid, who = ids[r.task], _reporter(catalog, r.reporter, reporter, r.row)
        if tid in states and isinstance(who, str):
            candidates.append(fp_of(r, tid, who))
    known = recorded_fingerprints(store, candidates) if candidates else set()

    planned: list[PlannedReport] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    total = len(rows)
    for i, r in enumerate(chain(rows, unparsed)):
        if progress is not None and i % CHUNK == 0:
            progress("check", i, total)
        n = r.row
        found = len(problems)
        tid = ids[r.task]
        task = states.get(tid) if tid else None
        if tid is None:
            problems.append(
                RowProblem(
                    n,
                    "task",
                    _("{text!r} is not a task id; ids look like 7-3 or 1-2.nanjing").format(
                        text=r.task.strip()
                    ),
                )
            )
        elif task is None:
            problems.append(
                RowProblem(n, "task", _("no task {task!r}").format(task=r.task.strip()))
            )
        found_who = who_of.get(r.reporter)
        if found_who is None:
            found_who = who_of[r.reporter] = _reporter(catalog, r.reporter, reporter, n)
        who = found_who
        if isinstance(who, RowProblem):
            problems.append(RowProblem(n, who.field, who.message))
        if task is None or isinstance(who, RowProblem):
            continue
        fp = fp_of(r, task.id, who)
        if i < total and fp in known:
            planned.append(
                PlannedReport(
                    n, task.id, who, r.status, r.percent or 0, r.report_date, r.note.strip(),
                    r.evidence, fp, already=True,
                )
            )  # fmt: skip
            continue
        checked, found_here = check_report(
            catalog,
            task,
            reporter=who,
            status=r.status,
            percent=r.percent,
            note=r.note,
            evidence=r.evidence,
            report_date=r.report_date,
            today=on,
        )
        problems.extend(RowProblem(n, p.field, p.message) for p in found_here)
        if len(problems) > found or checked is None or i >= total:
            continue
        first = seen.get(fp)
        if first is not None:
            problems.append(
                RowProblem(
                    n,
                    "row",
                    _("duplicated row: the same report as row {first}").format(first=first),
                )
            )
            continue
        seen[fp] = n
        planned.append(
            PlannedReport(
                n, task.id, who, checked.status, checked.percent, r.report_date, checked.note,
                checked.evidence, fp, role=checked.role,
            )
        )  # fmt: skip
    if progress is not None:
        progress("check", total, total)
    return planned, problems


def _reporter(
    catalog: Catalog, written: str | None, default: str | None, row: int
) -> str | RowProblem:
    text = written if written and written.strip() else default
    if text is None:
        return RowProblem(
            row, "reporter", _("no reporting department (填报单位): give --by DEPARTMENT")
        )
    try:
        return resolve_actor(catalog, text)
    except NotFoundError as e:
        return RowProblem(row, "reporter", str(e))


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
    os_user, status, percent, note, evidence, source, fingerprint, role)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
    if problems:
        # Cells that did not parse: the rest is checked too, so every problem is said.
        _planned, found = check_rows(
            store, rows, reporter=reporter, progress=progress, unparsed=unparsed
        )
        raise ImportRejected([*problems, *found])
    user = actor_user or os_user()

    def checked() -> list[PlannedReport]:
        planned, found = check_rows(
            store, rows, reporter=reporter, progress=progress, unparsed=unparsed
        )
        if found:
            raise ImportRejected(found)
        return planned

    def mark(planned: list[PlannedReport], known: set[str]) -> tuple[PlannedReport, ...]:
        return tuple(p._replace(already=True) if p.fingerprint in known else p for p in planned)

    def preview() -> tuple[tuple[PlannedReport, ...], int, tuple[str, ...]]:
        planned = checked()
        marked = mark(planned, recorded_fingerprints(store, [p.fingerprint for p in planned]))
        return marked, sum(not p.already for p in marked), ()

    def run() -> tuple[tuple[PlannedReport, ...], int, tuple[str, ...]]:
        # Checked inside the write transaction: a task cancelled while this import
        # waited for the lock refuses its rows. Then insert every row and let the
        # unique index skip those already recorded (also when a concurrent import
        # recorded them a moment ago); only when some were skipped, look up which.
        every = checked()
        planned = [p for p in every if not p.already]
        iso = _isoformat()
        recorded_at = now().isoformat(timespec="microseconds")
        recorded_on = today().isoformat()
        conn = store.db.conn
        last_id = conn.execute("SELECT COALESCE(MAX(id), 0) FROM progress_reports").fetchone()[0]
        inserted = 0  # rows the statements inserted (not the event chain's, by trigger)
        total = len(planned)
        for start in range(0, total, CHUNK):
            if progress is not None:
                progress("record", start, total)
            inserted += conn.executemany(
                _INSERT,
                [
                    # Unpacked, not p.field: 10,000 rows times 10 attribute reads add up.
                    (
                        tid,
                        recorded_at,
                        recorded_on,
                        iso(day),
                        who,
                        user,
                        status,
                        percent,
                        note,
                        evidence,
                        f"{source}:{row}",
                        fp,
                        role,
                    )
                    for (
                        row,
                        tid,
                        who,
                        status,
                        percent,
                        day,
                        note,
                        evidence,
                        fp,
                        _old,
                        role,
                    ) in planned[start : start + CHUNK]
                ],
            ).rowcount
        marked = tuple(planned)
        if inserted < total:
            marked = mark(
                planned, recorded_fingerprints(store, [p.fingerprint for p in planned], last_id)
            )
        touched = tuple(sorted({p.task_id for p in marked if not p.already}))
        refresh(conn, touched)
        marked = tuple(sorted([*marked, *(p for p in every if p.already)], key=lambda p: p.row))
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
