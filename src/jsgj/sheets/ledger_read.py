"""Reading a ledger (台账) for ``jsgj import``: the JSON ``jsgj export`` writes, into
:class:`jsgj.store.ledger.Ledger` rows, every cell that does not parse a row-numbered
problem (row 1 is the first element of each list)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from jsgj.catalog.catalog import OFFICE_NAME, Catalog
from jsgj.errors import JsgjError, NotFoundError, UsageError
from jsgj.i18n import _
from jsgj.store.imports import RowProblem
from jsgj.store.ledger import (
    EVENTS,
    OBSERVATIONS,
    REPORTS,
    REVISIONS,
    SHEETS,
    TASKS,
    Ledger,
    LedgerEvent,
    LedgerObservation,
    LedgerReport,
    LedgerRevision,
    LedgerTask,
)
from jsgj.tasks.records import ROLE_LABELS, URGENCY_LABELS
from jsgj.tasks.roles import resolve_actor
from jsgj.values import CANCELLED_LABEL, Status, find_status

T = TypeVar("T")


class _Bad(Exception):
    def __init__(self, fld: str, message: str) -> None:
        self.fld = fld
        self.message = message


def is_ledger_json(path: Path) -> bool:
    return path.suffix.lower() == ".json"


def read_ledger_json(path: Path, catalog: Catalog) -> Ledger:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise UsageError(
            _("{path}: not a readable JSON ledger ({e})").format(path=path, e=e)
        ) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("tasks"), list):
        raise UsageError(_("{path}: not a ledger (no tasks list)").format(path=path))
    if doc.get("document") not in (None, catalog.document.number):
        raise JsgjError(
            _("{path} is a ledger of {other}, not of {ours}").format(
                path=path, other=doc.get("document"), ours=catalog.document.number
            )
        )
    return ledger_from_records(catalog, doc)


def ledger_from_records(catalog: Catalog, doc: Mapping[str, Any]) -> Ledger:
    """The lists of a JSON ledger as ledger rows, with the problems of their cells."""
    problems: list[RowProblem] = []

    def rows(sheet: str, make: Callable[[int, Mapping[str, Any]], T]) -> tuple[T, ...]:
        out = []
        key = SHEETS[sheet]
        items = doc.get(key) or []
        if not isinstance(items, list):
            problems.append(RowProblem(0, f"{sheet}·{key}", _("not a list")))
            return ()
        for i, item in enumerate(items, start=1):
            try:
                if not isinstance(item, Mapping):
                    raise _Bad("row", _("not an object"))
                out.append(make(i, item))
            except _Bad as e:
                problems.append(RowProblem(i, f"{sheet}·{e.fld}", e.message))
        return tuple(out)

    def who(item: Mapping[str, Any], key: str, *, office: bool = True) -> str:
        text = _text(item, key)
        try:
            return resolve_actor(catalog, text) if office else catalog.resolve(text).id
        except NotFoundError as e:
            raise _Bad(key, str(e)) from None

    def task(i: int, t: Mapping[str, Any]) -> LedgerTask:
        return LedgerTask(
            row=i, id=_text(t, "id"), measure=_int(t, "measure"),
            parent=_opt(t, "parent"), created_on=_date(t, "created_on"),
        )  # fmt: skip

    def revision(i: int, r: Mapping[str, Any]) -> LedgerRevision:
        co = r.get("co") or []
        if not isinstance(co, list):
            raise _Bad("co", _("not a list of departments"))
        return LedgerRevision(
            row=i, id=_int(r, "id"), task=_text(r, "task"), kind=_text(r, "kind"),
            date=_date(r, "date"), by=who(r, "by"),
            title=_text(r, "title"), lead=who(r, "lead", office=False),
            co=tuple(who({"co": c}, "co", office=False) for c in co),
            start_date=_opt_date(r, "start_date"), due_date=_opt_date(r, "due_date"),
            cancelled=bool(r.get("cancelled")), urgency=_opt(r, "urgency") or "normal",
            source=_opt(r, "source"), reason=_opt(r, "reason"),
            changes=json.dumps(r.get("changes") or {}, ensure_ascii=False),
            os_user=_opt(r, "os_user"),
        )  # fmt: skip

    def report(i: int, r: Mapping[str, Any]) -> LedgerReport:
        return LedgerReport(
            row=i, id=_int(r, "id"), task=_text(r, "task"), date=_date(r, "date"),
            by=who(r, "by"), role=_text(r, "role"), status=_text(r, "status"),
            percent=_int(r, "percent"), note=_text(r, "note"), evidence=_opt(r, "evidence"),
            corrects=_opt_int(r, "corrects"), source=_opt(r, "source"),
            os_user=_opt(r, "os_user"),
        )  # fmt: skip

    def event(i: int, e: Mapping[str, Any]) -> LedgerEvent:
        return LedgerEvent(
            row=i, id=_int(e, "id"), task=_text(e, "task"), kind=_text(e, "kind"),
            date=_date(e, "date"), by=who(e, "by"), note=_opt(e, "note"),
            report=_opt_int(e, "report"), percent=_opt_int(e, "percent"),
            contact_name=_opt(e, "contact_name"), contact_phone=_opt(e, "contact_phone"),
            method=_opt(e, "method"), source=_opt(e, "source"), os_user=_opt(e, "os_user"),
        )  # fmt: skip

    def observation(i: int, o: Mapping[str, Any]) -> LedgerObservation:
        value = o.get("value")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _Bad("value", _("value is not a number"))
        return LedgerObservation(
            row=i, indicator=_text(o, "indicator"), region=_text(o, "region"),
            date=_date(o, "date"), value=float(value), source=_text(o, "source"),
            os_user=_opt(o, "os_user"),
        )  # fmt: skip

    return Ledger(
        observations=rows(OBSERVATIONS, observation),
        tasks=rows(TASKS, task),
        revisions=rows(REVISIONS, revision),
        reports=rows(REPORTS, report),
        events=rows(EVENTS, event),
        problems=tuple(problems),
    )


def _text(item: Mapping[str, Any], key: str) -> str:
    value = item.get(key)
    if value is None or not str(value).strip():
        raise _Bad(key, _("{key} is missing").format(key=key))
    return str(value).strip() if key != "note" else str(value)


def _opt(item: Mapping[str, Any], key: str) -> str | None:
    value = item.get(key)
    return None if value is None or value == "" else str(value)


def _int(item: Mapping[str, Any], key: str) -> int:
    value = item.get(key)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _Bad(key, _("{key} is not a whole number").format(key=key))
    try:
        return int(value)
    except ValueError:
        raise _Bad(key, _("{key} is not a whole number").format(key=key)) from None


def _opt_int(item: Mapping[str, Any], key: str) -> int | None:
    return None if item.get(key) in (None, "") else _int(item, key)


def _date(item: Mapping[str, Any], key: str) -> dt.date:
    value = item.get(key)
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise _Bad(key, _("{value!r} is not a date (YYYY-MM-DD)").format(value=value)) from None


def _opt_date(item: Mapping[str, Any], key: str) -> dt.date | None:
    return None if item.get(key) in (None, "") else _date(item, key)


# --- the tabular ledger: xlsx sheets or a directory of CSV files -------------------


def is_tabular_ledger(path: Path) -> bool:
    """A directory of the ledger's CSV files, or a workbook with a 任务 sheet and a 修订
    sheet (a return form has neither)."""
    if path.is_dir():
        return (path / "tasks.csv").is_file()
    if path.suffix.lower() == ".xlsx":
        from jsgj.sheets.xlsx_read import sheet_names

        names = sheet_names(path)
        return TASKS in names and REVISIONS in names
    return False


def read_tabular_ledger(path: Path, catalog: Catalog) -> Ledger:
    """The sheets (xlsx) or files (CSV directory), by their headers, as a JSON ledger."""
    if path.is_dir():
        from jsgj.sheets.csvfile import read_rows

        tables = {
            sheet: read_rows(path / f"{stem}.csv")[0]
            for sheet, stem in SHEETS.items()
            if (path / f"{stem}.csv").is_file()
        }
    else:
        from jsgj.sheets.xlsx_read import read_sheets

        tables = read_sheets(path, list(SHEETS))
    return ledger_from_records(catalog, tabular_records(catalog, tables))


def tabular_records(catalog: Catalog, tables: Mapping[str, list[list[Any]]]) -> dict[str, Any]:
    """Rows under their headers as the JSON ledger's records: labels back to ids
    (状态, 角色, 缓急), 、-joined departments to lists, 是/否 to booleans. A task with no
    修订 rows (a ledger filled by hand) gets its creation from its 任务 row."""
    from jsgj.sheets import ledger as L

    doc: dict[str, Any] = {}
    for sheet, rows in tables.items():
        if not rows:
            continue
        keys = {c.header: c.key for c in L.COLUMNS[sheet]}
        header = [keys.get(str(h).strip()) if h is not None else None for h in rows[0]]
        records = []
        for cells in rows[1:]:
            record = {k: _cell(v) for k, v in zip(header, cells, strict=False) if k}
            if any(v is not None for v in record.values()):
                records.append(record)
        doc[SHEETS[sheet]] = records
    for r in doc.get("reports", []):
        label = r.pop("status_label", None) or ""
        found = find_status(label) if label != "申请办结" else Status.done
        r["status"] = found.value if found else label
        role = r.pop("role_label", None)
        r["role"] = ROLE_IDS.get(role, role) if role else None
    for r in doc.get("revisions", []):
        r["co"] = _split(r.get("co"))
        r["cancelled"] = r.get("cancelled") == "是"
        r["changes"] = json.loads(r["changes"]) if r.get("changes") else {}
    for o in doc.get("indicators", []):
        try:
            o["value"] = float(o["value"])
        except (KeyError, TypeError, ValueError):
            pass
    _created(doc)
    return doc


ROLE_IDS = {label: role for role, label in ROLE_LABELS.items()}
URGENCY_IDS = {label: u.value for u, label in URGENCY_LABELS.items()}


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip() or None
    return value


def _split(text: Any) -> list[str]:
    if not text:
        return []
    return [p.strip() for p in re.split(r"[、，,;；]", str(text)) if p.strip()]


def _created(doc: dict[str, Any]) -> None:
    """Revisions for the tasks that have none: a create from the task row (and a
    cancel when its 状态 is 已撤销), and report roles a hand-filled sheet left out."""
    revisions = doc.setdefault("revisions", [])
    have = {r.get("task") for r in revisions}
    next_id = max((r["id"] for r in revisions if isinstance(r.get("id"), int)), default=0)
    leads: dict[str, str] = {}
    for t in doc.get("tasks", []):
        tid = t.get("id")
        leads[str(tid)] = str(t.get("lead"))
        if t.get("created_on") is None:
            t["created_on"] = t.get("start_date")
        if tid in have or not t.get("title"):
            continue
        urgency = t.get("urgency_label")
        base = {
            "task": tid, "by": "office", "title": t.get("title"), "lead": t.get("lead"),
            "co": _split(t.get("co")), "start_date": t.get("start_date"),
            "due_date": t.get("due_date"), "urgency": URGENCY_IDS.get(urgency, urgency),
            "source": t.get("source"), "date": t.get("created_on"),
        }  # fmt: skip
        next_id += 1
        revisions.append({**base, "id": next_id, "kind": "create", "cancelled": False})
        if t.get("status_label") == CANCELLED_LABEL:
            next_id += 1
            revisions.append({**base, "id": next_id, "kind": "cancel", "cancelled": True})
    for n, r in enumerate(doc.get("reports", []), start=1):
        if r.get("id") is None:
            r["id"] = n
        if not r.get("role"):
            by = r.get("by")
            r["role"] = (
                "office" if by in ("office", OFFICE_NAME)
                else "lead" if by == leads.get(str(r.get("task"))) else "co"
            )  # fmt: skip
