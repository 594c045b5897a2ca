"""Limits on what jsgj accepts from a file or a command line, in one place.

A return form is a few hundred rows of short text; these limits are far above that
and far below what would let one hostile or broken file take minutes and gigabytes
(an xlsx whose 196 KB expand to 200 MB, a million rows, a 1 MB note). Each refusal
is one line naming what is over and by how much; nothing is recorded.
README.md ("Reliability") lists them. The length and characters of a note, evidence,
title or reason are the task core's rule (``jsgj.tasks.rules.text_problem``, MAX_TEXT),
applied in every input path, files included.
"""

from __future__ import annotations

MB = 1 << 20

CELL_MAX_CHARS = 32_767
"""Any cell of a return: Excel's own limit, so a longer one was not made by Excel."""
ROWS_MAX = 100_000
"""Rows in a return (header block included)."""
COLUMNS_MAX = 100
"""Columns in a return; the form has 13."""
XLSX_MAX_BYTES = 20 * MB
"""An .xlsx file as stored (compressed)."""
XLSX_EXPANDED_MAX_BYTES = 100 * MB
"""All members of an .xlsx together, uncompressed (from the zip directory, before
anything is parsed)."""
XLSX_SHARED_STRINGS_MAX_BYTES = 30 * MB
"""The workbook's shared strings, uncompressed (openpyxl holds them all in memory)."""
XLSX_MAX_MEMBERS = 10_000
"""Members of an .xlsx archive."""
CSV_MAX_BYTES = 20 * MB
"""A .csv return."""
