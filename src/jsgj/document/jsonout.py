"""One JSON encoder for every report: dataclasses (a document, or a report's data),
enums as their values, dates as ISO text, tuples as lists; UTF-8 with Chinese as is
(ensure_ascii=False) and keys in the order the fields are declared.

The text is ``json.dumps(jsonable(value), ensure_ascii=False, indent=2)`` character for
character, written without building the converted copy first and in pieces
(``iter_json``): the standard library's indenting encoder is pure Python, a generator
per level and a piece per token (the weekly report of a province, 14 MB with 11,000
task records, spent 5.7 s converting and 2.4 s encoding). Here each string goes
through the C escaper and a container's items are joined at once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Iterator
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Only annotations: a catalogue listing's JSON (measures list) loads no document
    # model, nor the task records and lights it imports (start-up, issue 15).
    from jsgj.document.model import Document

_string: Callable[[str], str] = json.encoder.encode_basestring
"""The C escaper (ensure_ascii=False) where the interpreter has it."""

INDENT = "  "


def _float(o: float) -> str:
    if o != o:
        return "NaN"
    if o == float("inf"):
        return "Infinity"
    if o == -float("inf"):
        return "-Infinity"
    return float.__repr__(o)


_SCALARS: dict[type, Callable[[Any], str]] = {
    str: _string,
    int: int.__repr__,
    float: _float,
    bool: lambda o: "true" if o else "false",
    type(None): lambda o: "null",
}
_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls) if f.name != "data")
    return names


def _plain(value: Any) -> Any:
    """One step of ``jsonable`` for what is not a JSON type already (a dataclass
    becomes a dict of its fields, an enum its value, a date its ISO text)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: getattr(value, name) for name in _fields(type(value))}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list | tuple):
        return list(value)
    return value


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON types."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: jsonable(getattr(value, name)) for name in _fields(type(value))}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {_key(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def _key(k: Any) -> str:
    return k if type(k) is str else str(jsonable(k))


def text_at(o: Any, level: int) -> str:
    """The indented JSON of ``o`` at nesting ``level``."""
    t = type(o)
    scalar = _SCALARS.get(t)
    if scalar is not None:
        return scalar(o)
    if t is dict:
        if not o:
            return "{}"
        inner = "\n" + INDENT * (level + 1)
        get = _SCALARS.get
        return (
            "{"
            + inner
            + ("," + inner).join(
                [
                    _string(k if type(k) is str else _key(k))
                    + ": "
                    + (s(v) if (s := get(type(v))) is not None else text_at(v, level + 1))
                    for k, v in o.items()
                ]
            )
            + "\n"
            + INDENT * level
            + "}"
        )
    if t is list or t is tuple:
        if not o:
            return "[]"
        inner = "\n" + INDENT * (level + 1)
        get = _SCALARS.get
        return (
            "["
            + inner
            + ("," + inner).join(
                [s(v) if (s := get(type(v))) is not None else text_at(v, level + 1) for v in o]
            )
            + "\n"
            + INDENT * level
            + "]"
        )
    plain = _plain(o)
    if type(plain) is t:
        raise TypeError(f"Object of type {t.__name__} is not JSON serializable")
    return text_at(plain, level)


def _long(o: Any, level: int) -> bool:
    """Whether ``iter_json`` walks ``o`` item by item rather than encoding it at once:
    the top levels, a list of more than a few items, and a container holding one at
    any depth (a long listing, or a group of one); a record of a task is encoded
    whole."""
    t = type(o)
    if t is dict:
        if level < 2:
            return True
        values: Any = o.values()
    elif t is list or t is tuple:
        if len(o) > _FEW:
            return True
        values = o
    else:
        return False
    return any(type(v) in _CONTAINERS and _long(v, level + 1) for v in values)


_FEW = 8
_CONTAINERS = (dict, list, tuple)


def iter_json(value: Any, *, size: int = 1 << 16) -> Iterator[str]:
    """``dumps(value)`` in pieces of about ``size`` characters or more: long lists
    (and what holds them) are walked item by item, so that a listing is never held as
    one text."""
    out: list[str] = []
    pending = 0
    # A record that appears twice (a task in the chase list and among the overdue) is
    # encoded once: its text at level 0, indented where it stands (JSON text has no
    # line break inside a string, so indenting is one replace).
    # (The record is kept with its text, so that its id is not reused meanwhile.)
    texts: dict[int, tuple[Any, str]] = {}

    def whole(o: Any, level: int) -> str:
        if type(o) is not dict:
            return text_at(o, level)
        found = texts.get(id(o))
        if found is None:
            found = texts[id(o)] = (o, text_at(o, 0))
        text = found[1]
        return text.replace("\n", "\n" + INDENT * level) if level else text

    def walk(o: Any, level: int) -> Iterator[str]:
        nonlocal pending
        t = type(o)
        if t not in _CONTAINERS and t not in _SCALARS:
            plain = _plain(o)
            if type(plain) is not t:
                yield from walk(plain, level)
                return
        if not o or not _long(o, level):
            out.append(whole(o, level))
            return
        inner = "\n" + INDENT * (level + 1)
        items = o.items() if t is dict else ((None, v) for v in o)
        sep = ("{" if t is dict else "[") + inner
        for k, v in items:
            out.append(sep if t is not dict else f"{sep}{_string(_key(k))}: ")
            yield from walk(v, level + 1)
            sep = "," + inner
            if len(out) - pending > 256:
                pending = len(out)
                if sum(map(len, out)) >= size:
                    yield "".join(out)
                    out.clear()
                    pending = 0
        out.append("\n" + INDENT * level + ("}" if t is dict else "]"))

    yield from walk(value, 0)
    if out:
        yield "".join(out)


def dumps(value: Any) -> str:
    return "".join(iter_json(value))


def json_document(doc: Document) -> Any:
    """What a document's JSON holds: the report's own data when it carries some (the
    stable shape scripts read), else the document itself."""
    return doc.data if doc.data is not None else doc


def iter_document_json(doc: Document) -> Iterator[str]:
    """``render_json(doc)`` in pieces (for stdout: never the whole text at once)."""
    yield from iter_json(json_document(doc))
    yield "\n"


def render_json(doc: Document) -> str:
    return dumps(json_document(doc)) + "\n"
