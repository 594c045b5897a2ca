"""Limits on what jsgj accepts from a file or a command line, in one place.

A return form is a few hundred rows of short text; these limits are far above that
and far below what would let one hostile or broken file take minutes and gigabytes
(an xlsx whose 196 KB expand to 200 MB, a million rows, a 1 MB note). Each refusal
is one line naming what is over and by how much; nothing is recorded.
README.md ("Reliability") lists them.
"""

from __future__ import annotations

import unicodedata

from jsgj.i18n import _

MB = 1 << 20

NOTE_MAX_CHARS = 2000
"""进展情况: a report's note. The same in `progress --note`, xlsx and CSV returns."""
EVIDENCE_MAX_CHARS = 1000
"""佐证材料: a report's evidence (document numbers, links)."""
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

_ALLOWED_CONTROLS = frozenset("\t\n\r")


def text_problem(text: str, what: str, limit: int) -> str | None:
    """What is wrong with a note or evidence text (too long, or holding NUL or another
    control character), or None. ``what`` names the field as the user knows it."""
    if len(text) > limit:
        return _("{what} is {n:,} characters long; at most {limit:,}").format(
            what=what, n=len(text), limit=limit
        )
    if not text.isprintable():
        for i, ch in enumerate(text):
            if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) == "Cc":
                return _(
                    "{what} holds the control character {char} (character {at}); "
                    "remove it and type the text again"
                ).format(what=what, char=ascii(ch)[1:-1], at=i + 1)
    return None


def note_problem(note: str) -> str | None:
    """``text_problem`` for a report's note (进展情况)."""
    return text_problem(note, "进展情况", NOTE_MAX_CHARS)


def evidence_problem(evidence: str) -> str | None:
    """``text_problem`` for a report's evidence (佐证材料)."""
    return text_problem(evidence, "佐证材料", EVIDENCE_MAX_CHARS)
