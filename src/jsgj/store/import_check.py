"""Checking a return's rows before anything is recorded: each against the same
rules as a single ``progress`` (``jsgj.tasks.rules``), on the tasks as they stand,
read in one query; the rows already recorded found by fingerprint."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from itertools import chain

from jsgj.catalog.catalog import Catalog
from jsgj.errors import NotFoundError
from jsgj.i18n import _
from jsgj.store.db import Store
from jsgj.store.import_rows import (
    CHUNK,
    PlannedReport,
    Progress,
    ReportRow,
    RowProblem,
    _fingerprint,
    _isoformat,
)
from jsgj.tasks.ids import stored_id
from jsgj.tasks.records import TaskState
from jsgj.tasks.roles import resolve_actor
from jsgj.tasks.rules import check_report
from jsgj.values import today


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
    # Each row's fingerprint is computed once, each reporter's name resolved once.
    def who_for(r: ReportRow) -> str | RowProblem:
        found = who_of.get(r.reporter)
        if found is None:
            found = who_of[r.reporter] = _reporter(catalog, r.reporter, reporter, r.row)
        return found

    fps: dict[int, str] = {}
    for i, r in enumerate(rows):
        tid, who = ids[r.task], who_for(r)
        if tid in states and isinstance(who, str):
            fps[i] = fp_of(r, tid, who)
    known = recorded_fingerprints(store, list(fps.values())) if fps else set()

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
        who = who_for(r)
        if isinstance(who, RowProblem):
            problems.append(RowProblem(n, who.field, who.message))
        if task is None or isinstance(who, RowProblem):
            continue
        fp = fps[i] if i < total else fp_of(r, task.id, who)
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
