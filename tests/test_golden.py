"""Golden files for every report in every format it offers, on the demo database: the
weekly report, the matrix (measures, tasks, one department's sheet), the monthly 通报
and the 催办通知单. Text formats are compared byte for byte; .docx and .xlsx through a
stable extraction of their structure and text (``report_helpers.docx_snapshot``,
``xlsx_snapshot``), not their bytes.

After an intended change of output: ``JSGJ_UPDATE_GOLDEN=1 .venv/bin/pytest
tests/test_golden.py`` and review the diff of tests/golden/."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Invoke
from jsgj.cli.chase import NOTICE_FORMATS
from jsgj.cli.matrix import MATRIX_FORMATS
from jsgj.cli.report import MONTHLY_FORMATS, WEEKLY_FORMATS
from report_helpers import GOLDEN, check_golden, demo_db, docx_snapshot, xlsx_snapshot

__all__ = ["demo_db"]

AS_OF = "2025-06-29"
KNOWN = "2030-01-01T00:00:00.000000+00:00"
"""A fixed moment: the weekly report and the 通报 print the moment they were computed."""

REPORTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "weekly": (("report", "weekly", "--as-of", AS_OF, "--known-on", KNOWN), WEEKLY_FORMATS),
    "monthly": (("report", "monthly", "--month", "2025-06", "--known-on", KNOWN), MONTHLY_FORMATS),
    "notice-suqian": (("chase", "宿迁", "--notice", "--date", AS_OF), NOTICE_FORMATS),
    "matrix": (("matrix", "--as-of", AS_OF), MATRIX_FORMATS),
    "matrix-tasks": (("matrix", "--tasks", "--as-of", AS_OF), MATRIX_FORMATS),
    "sheet-finance": (("matrix", "-d", "财政厅", "--as-of", AS_OF), MATRIX_FORMATS),
}
"""Golden name -> the command line and the formats it offers (the command's own list,
so that a format added to a command without a golden file fails here)."""

EXTENSION = {
    "table": "txt",
    "markdown": "md",
    "html": "html",
    "json": "json",
    "csv": "csv",
    "docx": "docx.txt",
    "xlsx": "xlsx.json",
}
SNAPSHOT = {"docx": docx_snapshot, "xlsx": xlsx_snapshot}

CASES = [(name, fmt) for name, (_, formats) in REPORTS.items() for fmt in formats]


@pytest.mark.parametrize(("name", "fmt"), CASES, ids=[f"{n}-{f}" for n, f in CASES])
def test_golden(jsgj: Invoke, demo_db: Path, tmp_path: Path, name: str, fmt: str) -> None:
    args, _ = REPORTS[name]
    golden = f"{name}.{EXTENSION[fmt]}"
    if fmt in SNAPSHOT:
        target = tmp_path / f"out.{fmt}"
        result = jsgj("--db", str(demo_db), *args, "-f", fmt, "-o", str(target))
        assert result.exit_code == 0, result.stderr
        check_golden(golden, SNAPSHOT[fmt](target.read_bytes()))
    else:
        result = jsgj("--db", str(demo_db), *args, "-f", fmt)
        assert result.exit_code == 0, result.stderr
        check_golden(golden, result.stdout)


def test_every_golden_file_belongs_to_a_report() -> None:
    """No stale golden file: each is a report's format here, or another test's."""
    here = {f"{name}.{EXTENSION[fmt]}" for name, fmt in CASES}
    others = {"demo-digest.txt", "weekly-empty.md"}
    assert {p.name for p in GOLDEN.iterdir()} - here - others == set()
