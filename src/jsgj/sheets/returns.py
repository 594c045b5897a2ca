"""Reading a filled-in return: find the header row, map columns by their names (so a
user may reorder, add or drop the task columns), read the header block's department,
and turn each row into a :class:`ReportRow` - or into problems with its row number.

What a cell may hold, as Excel, WPS and LibreOffice store what people type:
状态: a Chinese label (未启动/推进中/已完成/受阻) or the English id; 进度%: a whole
number 0-100, as a number or text, with or without %; 日期: a date cell, or text
2025-06-30, 2025/6/30, 2025.6.30 or 2025年6月30日. A row whose 状态, 进度%, 进展情况
and 佐证材料 are all empty is skipped (the pre-filled 日期 does not count).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsgj.errors import UsageError
from jsgj.i18n import N_, _
from jsgj.sheets import form as F
from jsgj.sheets.table import column_letter
from jsgj.store.imports import ReportRow, RowProblem
from jsgj.values import REPORTABLE, Status, find_status

# Field -> accepted header names (compared after ``header_key``). The first is the
# template's own.
FIELDS: dict[str, tuple[str, ...]] = {
    "task": ("任务编号", "编号", "task", "task_id"),
    "status": ("状态", "本期状态", "填报状态", "status"),
    "percent": ("进度%", "进度", "完成进度", "完成进度%", "percent"),
    "date": ("日期", "进展日期", "报告日期", "填报日期", "date"),
    "note": ("进展情况", "进展", "工作进展", "进展情况说明", "note"),
    "evidence": ("佐证材料", "佐证", "evidence"),
    "reporter": ("填报单位", "reporter", "by"),
}
REQUIRED = ("task", "status", "note")
HEADER_SEARCH_ROWS = 40

DATE_TEXT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"
)


def header_key(value: Any) -> str:
    """How header cells are compared: NFKC (full-width ％ and brackets), no spaces,
    no brackets, no trailing * or colon, case-folded."""
    if not isinstance(value, str):
        return ""
    text = unicodedata.normalize("NFKC", value)
    text = re.sub(r"[\s()\[\]]", "", text).rstrip("*:：").casefold()
    return text


_KEYS = {header_key(name): f for f, names in FIELDS.items() for name in names}


def find_header(rows: Sequence[Sequence[Any]]) -> int | None:
    """Index of the first row naming both the task and the status column."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = {_KEYS.get(header_key(v)) for v in row}
        if "task" in found and "status" in found:
            return i
    return None


@dataclass(frozen=True, slots=True)
class ReturnFile:
    path: Path
    department: str | None
    """What the header block names under 填报单位, as written."""
    header_row: int
    columns: dict[str, tuple[int, str]]
    """field -> (0-based column index, the header as written)."""
    rows: list[ReportRow]
    problems: list[RowProblem]
    skipped: int
    """Rows with a task but nothing filled in."""
    encoding: str | None = None
    unparsed: list[ReportRow] = field(default_factory=list)
    """Rows with cells that did not parse, placeholders in their place (for the store
    to check what it can: task, department, note)."""

    def column_label(self, field_name: str) -> str:
        """How a problem's column is shown: the file's header and its letter."""
        if field_name in self.columns:
            index, header = self.columns[field_name]
            return f"{header} ({column_letter(index)})"
        return {"row": "整行", "reporter": "填报单位"}.get(field_name, field_name)


Progress = Callable[[str, int, int], None]


def read_return(path: Path, progress: Progress | None = None) -> ReturnFile:
    """Read ``path`` (.xlsx or .csv) and parse every row."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise UsageError(_("{path}: no such file").format(path=path))
    encoding = None
    if suffix in (".xlsx", ".xlsm"):
        from jsgj.sheets.xlsx_read import read_rows as read_xlsx

        step = None if progress is None else (lambda done, total: progress("read", done, total))
        rows = list(read_xlsx(path, step))
    elif suffix in (".csv", ".txt", ".tsv"):
        from jsgj.sheets.csvfile import read_rows as read_csv

        rows, encoding = read_csv(path)
    elif suffix in (".xls", ".et", ".ods", ".wps"):
        raise UsageError(
            _("{path}: cannot read {suffix} files; save the return as .xlsx or .csv").format(
                path=path, suffix=suffix
            )
        )
    else:
        raise UsageError(_("{path}: expected an .xlsx or .csv file").format(path=path))
    return parse_rows(path, rows, encoding)


def parse_rows(path: Path, rows: list[list[Any]], encoding: str | None = None) -> ReturnFile:
    head = find_header(rows)
    if head is None:
        raise UsageError(
            _(
                "{path}: no header row with 任务编号 and 状态 in the first {n} rows; "
                "is this a return made by `jsgj template`?"
            ).format(path=path, n=HEADER_SEARCH_ROWS)
        )
    columns: dict[str, tuple[int, str]] = {}
    for j, value in enumerate(rows[head]):
        f = _KEYS.get(header_key(value))
        if f is None:
            continue
        if f in columns:
            raise UsageError(
                _("{path}: two {name} columns ({first} and {second}); keep one").format(
                    path=path,
                    name=FIELDS[f][0],
                    first=column_letter(columns[f][0]),
                    second=column_letter(j),
                )
            )
        columns[f] = (j, str(value).strip())
    missing = [FIELDS[f][0] for f in REQUIRED if f not in columns]
    if missing:
        raise UsageError(
            _("{path}: no {names} column in the header row {row}").format(
                path=path, names="、".join(missing), row=head + 1
            )
        )
    department = _block_value(rows[:head], F.DEPARTMENT_LABEL)
    out: list[ReportRow] = []
    unparsed: list[ReportRow] = []
    problems: list[RowProblem] = []
    skipped = 0
    index = {f: j for f, (j, _) in columns.items()}
    width = max(index.values()) + 1
    # Cells repeat (a handful of statuses, dates and percents, a task id per task):
    # each distinct value is parsed once.
    task_of, status_of, percent_of, date_of = (
        _Memo(_task_text),
        _Memo(parse_status_cell),
        _Memo(parse_percent_cell),
        _Memo(parse_date_cell),
    )
    t, st, pc, da, no, ev, rp = (
        index.get(f, width)
        for f in ("task", "status", "percent", "date", "note", "evidence", "reporter")
    )
    for number, raw in enumerate(rows[head + 1 :], start=head + 2):
        row = [_blank(v) for v in raw[:width]] + [None] * (width + 1 - min(len(raw), width))
        status, percent, note, evidence = row[st], row[pc], row[no], row[ev]
        if status is None and percent is None and note is None and evidence is None:
            if row[t] is not None:
                skipped += 1
            continue
        found = len(problems)
        task = task_of(row[t])
        if task[1] is not None:
            problems.append(RowProblem(number, "task", task[1]))
        status = status_of(status)
        if not isinstance(status, Status):  # Status is a str too: test for it first
            problems.append(RowProblem(number, "status", status))
        percent = percent_of(percent)
        if isinstance(percent, str):
            problems.append(RowProblem(number, "percent", percent))
        day = date_of(row[da]) if row[da] is not None else _(_NO_DATE)
        if isinstance(day, str):
            problems.append(RowProblem(number, "date", day))
        text, by, proof = _text(note) or "", _text(row[rp]), _text(evidence)
        if len(problems) > found:
            if task[0] is not None:  # still worth checking its task, department and note
                unparsed.append(ReportRow(number, task[0], Status.in_progress, text, _NEVER))
            continue
        assert task[0] is not None and isinstance(status, Status) and isinstance(day, dt.date)
        assert not isinstance(percent, str)
        out.append(ReportRow(number, task[0], status, text, day, percent, proof, by))
    return ReturnFile(
        path, department, head + 1, columns, out, problems, skipped, encoding, unparsed
    )


_NO_DATE = N_("日期 is empty: write the date the report is about")
_NEVER = dt.date.min


def _blank(value: Any) -> Any:
    """Text stripped; empty text as None."""
    if isinstance(value, str):
        return value.strip() or None
    return value


class _Memo:
    """Parse each distinct cell value once (keyed by type too: True == 1 in a dict)."""

    def __init__(self, parse: Callable[[Any], Any]) -> None:
        self.parse = parse
        self.seen: dict[tuple[type, Any], Any] = {}

    def __call__(self, value: Any) -> Any:
        key = (type(value), value)
        try:
            return self.seen[key]
        except KeyError:
            out = self.seen[key] = self.parse(value)
            return out
        except TypeError:  # unhashable: never from a spreadsheet, but parse anyway
            return self.parse(value)


def _block_value(rows: Sequence[Sequence[Any]], label: str) -> str | None:
    key = header_key(label)
    for row in rows:
        for j, value in enumerate(row):
            if header_key(value) == key:
                rest = [v for v in row[j + 1 :] if v is not None and str(v).strip()]
                return str(rest[0]).strip() if rest else None
    return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _task_text(value: Any) -> tuple[str | None, str | None]:
    """(the task id as written, or the problem)."""
    if isinstance(value, dt.date | dt.datetime):
        return None, _(
            "任务编号 became a date ({day}): Excel turns ids like 7-3 into dates; "
            "format the column as text and type the id again"
        ).format(day=f"{value:%Y-%m-%d}")
    text = "" if value is None else unicodedata.normalize("NFKC", str(value)).strip()
    text = text.lstrip("'").strip()
    return (text, None) if text else (None, _("任务编号 is empty"))


def parse_status_cell(value: Any) -> Status | str:
    """The Status, or what is wrong (a filled-in row needs one)."""
    if value is None:
        return _("状态 is empty: choose 未启动、推进中、已完成 or 受阻")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    found = find_status(text)
    if found is not None:
        return found
    return _("状态 {text!r} is not in the list: {choices}").format(
        text=text, choices="、".join(s.report_label for s in REPORTABLE)
    )


def parse_percent_cell(value: Any) -> int | str | None:
    """The percent, None when empty, or what is wrong."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _("进度% {value!r} is not a number").format(value=value)
    if isinstance(value, int):
        number: float = value
    elif isinstance(value, float):
        number = value
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().rstrip("%").strip()
        try:
            number = float(text)
        except ValueError:
            return _("进度% {value!r} is not a number; write a whole number 0-100").format(
                value=str(value).strip()
            )
    if isinstance(number, float) and not number.is_integer():
        return _("进度% {value!r} is not a whole number; write 0-100 without decimals").format(
            value=value
        )
    percent = int(number)
    if not 0 <= percent <= 100:
        return _("进度% {n} is outside 0-100").format(n=percent)
    return percent


def parse_date_cell(value: Any) -> dt.date | str:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip()
    match = DATE_TEXT.match(text)
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    return _("日期 {text!r} is not a date; write it like 2025-06-30").format(text=text)
