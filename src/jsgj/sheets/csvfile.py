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
from jsgj.sheets import form as F
from jsgj.sheets.table import Table, cell_text, csv_safe, unquote_csv

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
                    f"the file starts as {encoding.upper()} text but is not valid "
                    f"{encoding.upper()} (byte {e.start}); save it as CSV UTF-8 or as .xlsx"
                ) from e
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as e:
        raise JsgjError(
            f"cannot read the file as UTF-8 or GB18030 text (byte {e.start}); save it as "
            "CSV UTF-8 or as .xlsx"
        ) from e


def read_rows(path: Path) -> tuple[list[list[Any]], str]:
    """Every record of the file as a list of cells (``None`` for empty), and the
    encoding found."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise JsgjError(f"{path}: cannot read the file ({e.strerror or e})") from e
    try:
        text, encoding = decode(data)
    except JsgjError as e:
        raise JsgjError(f"{path}: {e}") from None
    delimiter = sniff_delimiter(text)
    rows = [[unquote_csv(c) if c != "" else None for c in r] for r in _records(text, delimiter)]
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
        raise JsgjError(f"not a valid CSV file ({e})") from e
