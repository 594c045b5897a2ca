"""Reading a ledger (台账) for ``jsgj import``: the JSON ``jsgj export`` writes, into
:class:`jsgj.store.ledger.Ledger` rows, every cell that does not parse a row-numbered
problem (row 1 is the first element of each list)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from jsgj.catalog.catalog import Catalog
from jsgj.errors import JsgjError, NotFoundError, UsageError
from jsgj.i18n import _
from jsgj.store.imports import RowProblem
from jsgj.store.ledger import (
    EVENTS,
    OBSERVATIONS,
    REPORTS,
    REVISIONS,
    TASKS,
    Ledger,
    LedgerEvent,
    LedgerObservation,
    LedgerReport,
    LedgerRevision,
    LedgerTask,
)
from jsgj.tasks.roles import resolve_actor

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
    """The four lists of a JSON ledger as ledger rows, with the problems of their cells."""
    problems: list[RowProblem] = []

    def rows(sheet: str, key: str, make: Callable[[int, Mapping[str, Any]], T]) -> tuple[T, ...]:
        out = []
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
        observations=rows(OBSERVATIONS, "indicators", observation),
        tasks=rows(TASKS, "tasks", task),
        revisions=rows(REVISIONS, "revisions", revision),
        reports=rows(REPORTS, "reports", report),
        events=rows(EVENTS, "events", event),
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
