"""CSV files: written as UTF-8 with a byte-order mark (so Excel and WPS on Chinese
Windows show Chinese correctly, not as mojibake); read as UTF-8, UTF-8 with BOM,
UTF-16 (Excel's "Unicode text") or GB18030 (what WPS and Excel write as "CSV" on
Chinese Windows), comma- or tab-separated.

Text cells that could run as a formula get a leading apostrophe (``table.csv_safe``)."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, TextIO

from jsgj.errors import JsgjError
from jsgj.files import is_dir
from jsgj.i18n import _
from jsgj.limits import CSV_MAX_BYTES, MB
from jsgj.sheets import form as F
from jsgj.sheets.table import Table, cell_text, checked_row, csv_safe, unquote_csv

ENCODING = "utf-8-sig"


def _cells(values: Sequence[Any]) -> list[str]:
    return [csv_safe(v) if isinstance(v, str) else cell_text(v) for v in values]


def _open(path: Path) -> AbstractContextManager[TextIO]:
    """Atomically (``jsgj.files``): a full disk never leaves half a table."""
    from jsgj.files import open_atomic_text

    return open_atomic_text(path, encoding=ENCODING, newline="")


def write_table(table: Table, path: Path) -> None:
    with _open(path) as f:
        w = csv.writer(f)
        w.writerow([c.header for c in table.columns])
        for row in table.rows:
            w.writerow(_cells(row))


def write_tables(tables: Sequence[Table], directory: Path) -> list[Path]:
    """One ``<file_stem>.csv`` per table in ``directory`` (created when missing)."""
    if os.path.lexists(directory) and not is_dir(directory):
        raise JsgjError(
            _("{directory}: is a file; CSV export writes a directory of CSV files").format(
                directory=directory
            )
        )
    paths = []
    for table in tables:
        path = directory / f"{table.file_stem}.csv"
        write_table(table, path)
        paths.append(path)
    return paths


def write_form(form: F.Form, path: Path) -> None:
    """The form as CSV: the title and header block (label, value), a blank line, then
    the table with the date column pre-filled. No drop-downs or protection in CSV."""
    with _open(path) as f:
        w = csv.writer(f)
        w.writerow([F.TITLE])
        for label, value in form.header_block():
            w.writerow(_cells([label, value]))
        w.writerow([])
        w.writerow(F.HEADERS)
        for row in form.rows:
            w.writerow(_cells([*row.values(), None, None, form.on, None, None]))


# --- reading ------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) for the bytes of a CSV file."""
    marked = {b"\xef\xbb\xbf": "utf-8-sig", b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16"}
    for mark, encoding in marked.items():
        if data.startswith(mark):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as e:  # a byte-order mark, then broken text
                raise JsgjError(
                    _(
                        "the file starts as {encoding} text but is not valid {encoding} "
                        "(byte {n}); save it as CSV UTF-8 or as .xlsx"
                    ).format(encoding=encoding.upper(), n=e.start)
                ) from e
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    _refuse_mixed_encodings(data)
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as e:
        raise JsgjError(
            _(
                "cannot read the file as UTF-8 or GB18030 text (byte {n}); save it as "
                "CSV UTF-8 or as .xlsx"
            ).format(n=e.start)
        ) from e
    return text, "gb18030"


def _refuse_mixed_encodings(data: bytes) -> None:
    """A GB18030 file (not valid UTF-8 as a whole) with a line that is valid UTF-8
    Chinese: someone pasted UTF-8 text into it, and read as GB18030 that line would
    be recorded as mojibake (瀹屾垚璋冪爺 for 完成调研). Refused, naming both lines."""
    utf8_line = other_line = 0
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            decoded = line.decode("utf-8")
        except UnicodeDecodeError:
            other_line = other_line or number
            continue
        if not utf8_line and any(ch >= "\u0800" for ch in decoded):
            utf8_line = number
        if utf8_line and other_line:
            break
    if utf8_line and other_line:
        raise JsgjError(
            _(
                "line {utf8} is UTF-8 text but line {other} is not (GB18030?): the file mixes "
                "encodings; save it again as CSV UTF-8"
            ).format(utf8=utf8_line, other=other_line)
        )


def read_rows(path: Path) -> tuple[list[list[Any]], str]:
    """Every record of the file as a list of cells (``None`` for empty), and the
    encoding found."""
    try:
        with path.open("rb") as f:
            data = f.read(CSV_MAX_BYTES + 1)
    except OSError as e:
        raise JsgjError(
            _("{path}: cannot read the file ({reason})").format(path=path, reason=e.strerror or e)
        ) from e
    if len(data) > CSV_MAX_BYTES:
        raise JsgjError(
            _("{path}: the file is over {limit} MB; a return is far smaller").format(
                path=path, limit=CSV_MAX_BYTES // MB
            )
        )
    try:
        text, encoding = decode(data)
    except JsgjError as e:
        raise JsgjError(f"{path}: {e}") from None
    delimiter = sniff_delimiter(text)
    rows = [
        checked_row(path, number, [unquote_csv(c) if c != "" else None for c in r])
        for number, r in enumerate(_records(text, delimiter), start=1)
    ]
    return rows, encoding


def sniff_delimiter(text: str) -> str:
    """Tab or comma: what separates the header row (the line naming 任务编号), else
    what the first lines hold more of."""
    lines = text.splitlines()[:50]
    header = [line for line in lines if "任务编号" in line or "编号" in line]
    sample = header[0] if header else "\n".join(lines)
    return "\t" if sample.count("\t") > sample.count(",") else ","


def _records(text: str, delimiter: str) -> Iterator[list[str]]:
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as e:
        raise JsgjError(
            _("not a valid CSV file (a quote not closed, or a NUL character); save it again")
        ) from e
