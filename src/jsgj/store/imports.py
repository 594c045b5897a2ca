"""Batch recording of progress reports: many rows, one transaction, idempotent.

A spreadsheet return (进展填报表) becomes a list of :class:`ReportRow`. Every row is
checked first, against the same rules as ``record_progress`` (a known task that takes
reports, a responsible department, a status and percent that agree, a date not in the
future, a note); a single problem anywhere rejects the whole batch
(:class:`ImportRejected`, carrying every problem with its row number) and nothing is
written. Otherwise, inside one ``BEGIN IMMEDIATE`` transaction, the rows are checked
again (on the tasks as they stand then), inserted with one ``executemany``, and the
derived ``tasks`` rows brought up to date from the appended rows in one set-based
``UPDATE`` (``derived.appended``), not recounted from each task's whole history.

Idempotent by fingerprint (``import_rows``): a row already recorded is counted and
skipped. Checking is in ``import_check``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from jsgj.store.db import Store
from jsgj.store.derived import appended
from jsgj.store.events import append_many
from jsgj.store.import_check import check_rows, recorded_fingerprints
from jsgj.store.import_rows import (
    CHUNK,
    ImportRejected,
    PlannedReport,
    Progress,
    ReportRow,
    RowProblem,
    _isoformat,
    fingerprint,
)
from jsgj.values import now, os_user, today

__all__ = [
    "ImportRejected",
    "ImportResult",
    "PlannedReport",
    "ReportRow",
    "RowProblem",
    "check_rows",
    "fingerprint",
    "import_reports",
    "recorded_fingerprints",
    "report_sources",
]


@dataclass(frozen=True, slots=True)
class ImportResult:
    reports: tuple[PlannedReport, ...]
    new: int
    already: int
    dry_run: bool
    tasks: tuple[str, ...] = field(default=())
    """Tasks whose derived state was refreshed (empty on a dry run)."""


COLUMNS = (
    "task_id", "recorded_at", "recorded_on", "report_date", "reporter", "os_user", "status",
    "percent", "note", "evidence", "source", "fingerprint", "role",
)  # fmt: skip
"""The columns an imported report fills, in the order of the rows ``run`` builds."""
SKIP_RECORDED = "(fingerprint) WHERE fingerprint IS NOT NULL DO NOTHING"
"""A row whose fingerprint is already recorded is skipped by the unique index."""


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
            inserted += append_many(
                store,
                "progress_reports",
                COLUMNS,
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
                conflict=SKIP_RECORDED,
            )
        marked = tuple(planned)
        if inserted < total:
            marked = mark(
                planned, recorded_fingerprints(store, [p.fingerprint for p in planned], last_id)
            )
        touched = tuple(sorted({p.task_id for p in marked if not p.already}))
        appended(conn, last_id)
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
