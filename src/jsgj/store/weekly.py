"""What the weekly report reads beyond the task states and the week's reports: the
reports behind each blocked task's 受阻 (``blocked_spells``).

Read newest first through the index ``progress_reports_task (task_id, report_date,
...)`` and stopped at the first report that is not 受阻, so that the work grows with
the length of the spells, not with the task's history (a task of ten years' reports
reads its last few)."""

from __future__ import annotations

from collections.abc import Iterable

from jsgj.store.db import Store
from jsgj.store.history import _report
from jsgj.store.queries import as_when
from jsgj.tasks.records import Report
from jsgj.tasks.when import When
from jsgj.values import Status

_SPELL_SQL = """
SELECT p.* FROM progress_reports p
WHERE p.task_id = :t AND p.role != 'co' AND p.report_date <= :d
  AND p.recorded_on <= :kd {kt}
  AND NOT EXISTS (
      SELECT 1 FROM progress_reports c
      WHERE c.corrects = p.id AND c.report_date <= :d AND c.recorded_on <= :kd {kt_c}
  )
ORDER BY p.report_date DESC, p.id DESC
"""
"""A task's valid reports by its lead and the office, newest first. Valid as
``task_history`` counts them for ``reports.weekly.blocked_spell``: no correction dated
and recorded by the view's dates replaces them."""


def blocked_spells(
    store: Store, task_ids: Iterable[str], when: When | None = None
) -> dict[str, tuple[Report, ...]]:
    """For each task, its latest valid lead/office reports back to the one before
    the current run of 受阻 (oldest first): what ``blocked_spell`` needs to say why
    and since when a task is blocked, and nothing older."""
    when = as_when(when)
    kt = "AND p.recorded_at <= :kt" if when.by_timestamp else ""
    kt_c = "AND c.recorded_at <= :kt" if when.by_timestamp else ""
    sql = _SPELL_SQL.format(kt=kt, kt_c=kt_c)
    params = when.params()
    conn = store.db.conn
    out: dict[str, tuple[Report, ...]] = {}
    for tid in task_ids:
        cursor = conn.execute(sql, {**params, "t": tid})
        names = [c[0] for c in cursor.description]
        found: list[Report] = []
        for row in cursor:
            report = _report(dict(zip(names, row, strict=True)), None)
            found.append(report)
            if report.status is not Status.blocked:
                break
        cursor.close()
        out[tid] = tuple(reversed(found))
    return out
