"""One JSON encoder for every report: dataclasses (a document, or a report's data),
enums as their values, dates as ISO text, tuples as lists; UTF-8 with Chinese as is
(ensure_ascii=False) and keys in the order the fields are declared.

The layout (issue 15): **a record on one line**, the containers above it indented.

- A *record* is a container (an object or an array) that holds no object at any depth:
  an object whose values are scalars and arrays of scalars (a task of a listing, a
  tally, a report), or an array of scalars. It is written on ONE line, compact, by
  orjson (the standard library's C encoder where orjson cannot):
  ``{"id":"7-3","co":["hrss"],"percent":40}``.
- Any other container (one holding an object somewhere below: a listing, a report's
  document) is written across lines, two spaces of indent a level, one item a line:
  ``[\\n  {record},\\n  {record}\\n]``, as Taskwarrior's ``task export`` writes one
  task a line (a listing stays one JSON array, and ``grep`` finds a task's line).
  An iterator (a streamed listing) is an array written this way, item by item as it
  is produced.
- Empty containers are ``{}`` and ``[]``; scalars are what ``json.dumps`` writes, but
  for NaN and the infinities, which are ``null`` (JSON has none).

Whatever the layout, ``json.loads(dumps(value)) == jsonable(value)``. The standard
library's indenting encoder is pure Python (a generator per level and a piece per
token: 0.45 s for the 20,000 records of a province's listing; its C encoder, one
record a call, 0.16-0.26 s; orjson about a third of that); here only the few
containers above the records are walked in Python, and the text comes in pieces of
about 64 KiB (``iter_json``), so that a listing is never held as one text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections.abc import Callable, Iterator
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Only annotations: a listing's JSON (measures list, tasks list) loads no document
    # model, nor the task records and lights it imports (start-up, issue 15).
    from jsgj.document.model import Document

_string: Callable[[str], str] = json.encoder.encode_basestring
"""The C escaper (ensure_ascii=False) where the interpreter has it."""

INDENT = "  "
SIZE = 1 << 16
"""About how many characters ``iter_json`` gathers before it yields them."""

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
    """A key as text, as ``json.dumps`` makes a key (True "true", None "null", 2.5
    "2.5"), after ``jsonable`` (an enum its value, a date its ISO text)."""
    if type(k) is str:
        return k
    k = jsonable(k)
    if isinstance(k, str):
        return str(k)
    if k is True or k is False or k is None or isinstance(k, int | float):
        return _line(k)
    return str(k)


def _default(o: Any) -> Any:
    """The C encoder's hook for what is not a JSON type (``_plain``)."""
    plain = _plain(o)
    if type(plain) is type(o):
        raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")
    return plain


def _stdlib() -> Callable[[Any], str]:
    """The standard library's encoder for one line (its C encoder where the
    interpreter has it): what orjson refuses, it writes as ``json.dumps`` would."""
    from json.encoder import c_make_encoder  # type: ignore[attr-defined]

    if c_make_encoder is None:  # an interpreter without the C accelerator
        python: Callable[[Any], str] = json.JSONEncoder(
            ensure_ascii=False, check_circular=False, separators=(",", ":"), default=_default
        ).encode
        return python
    c = c_make_encoder(None, _default, _string, None, ":", ",", False, False, True)

    def encode(o: Any) -> str:
        return "".join(c(o, 0))

    return encode


def _orjson() -> tuple[Callable[[Any], bytes], type[Exception]]:
    """orjson's encoder as every line is made with it (dates and dataclasses through
    ``_default``), a C partial (no Python frame a record), and the error it raises
    where it cannot write a value as ``json.dumps`` would."""
    from functools import partial

    import orjson

    option = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
    return partial(orjson.dumps, default=_default, option=option), orjson.JSONEncodeError


_raw, _refused = _orjson()


def _encoder() -> Callable[[Any], str]:
    """orjson for a record's line: ~3 us with the bytes decoded, where the C encoder
    takes ~10 us, for a listing's 39-key task (issue 15). Dates and dataclasses go
    through ``_default`` as with the standard library; what orjson cannot write as
    ``json.dumps`` would (a key that is not text, an integer past 64 bits, a lone
    surrogate) raises its JSONEncodeError, and the standard library writes it."""
    raw, error, stdlib = _raw, _refused, _stdlib()

    def encode(o: Any) -> str:
        try:
            return raw(o).decode()
        except error:
            return stdlib(_finite(o))

    return encode


def _finite(o: Any) -> Any:
    """``o`` with NaN and the infinities as None, as orjson writes them (``null``:
    JSON has no NaN, and ``jq`` refuses the standard library's ``NaN``), for the
    standard library's rare lines."""
    t = type(o)
    if t is float:
        return o if math.isfinite(o) else None
    if t is dict:
        return {k: _finite(v) for k, v in o.items()}
    if t is list or t is tuple:
        return [_finite(v) for v in o]
    return o


_line = _encoder()
"""A record's one line, compact (``,`` and ``:``), UTF-8 text as is."""

_SCALARS = frozenset((str, int, float, bool, type(None)))
_CONTAINERS = frozenset((dict, list, tuple))


def _holds_object(o: Any) -> bool:
    """Whether the container ``o`` holds an object (a dict, or what becomes one: a
    dataclass) at any depth: then it is not a record."""
    for v in o.values() if type(o) is dict else o:
        t = type(v)
        if t in _SCALARS:
            continue
        if t is not list and t is not tuple:
            v = _plain(v)
            t = type(v)
        if t is dict or (t is list or t is tuple) and _holds_object(v):
            return True
    return False


def _record(o: Any, likely: bool = False) -> str | None:
    """The line of ``o`` (a non-empty dict, list or tuple) when it is a record (it
    holds no object), else None. ``likely``: the item before it in its container was
    a record (a listing's items are alike): its line is made first, and looked into
    only when it shows an object."""
    if not likely:
        types = set(map(type, o.values() if type(o) is dict else o))
        if dict in types:
            return None
        if types <= _SCALARS:
            return _keyed(o)
    # Arrays, enums, dates or dataclasses: a "{" past the record's own is the only
    # sign of an object inside (or a title holding one: then look). ``find`` stops at
    # the first and is some 3 times cheaper than ``count`` (issue 15).
    try:
        text: str | None = _keyed(o)
    except TypeError:
        text = None
    if text is not None and text.find("{", type(o) is dict) < 0:
        return text
    if _holds_object(o):
        return None
    return text if text is not None else _keyed(o)  # what JSON cannot hold: TypeError


def _keyed(o: Any) -> str:
    """A record's line; an object's keys made text by ``_key`` where the C encoder
    cannot (a date, an enum that is not a str or an int)."""
    try:
        return _line(o)
    except TypeError:
        if type(o) is not dict:
            raise
    return _line({_key(k): v for k, v in o.items()})


def _utf8(text: str) -> bytes:
    """``text`` as UTF-8, a lone surrogate kept as it is (``json.dumps`` keeps it in
    its text; ``shown`` escapes it for a terminal): the text API decodes it back."""
    return text.encode("utf-8", "surrogatepass")


def iter_json(
    value: Any, *, size: int = SIZE, shown: Callable[[str], str] | None = None
) -> Iterator[str]:
    """``iter_json_bytes`` as text, for a caller that wants text."""
    for chunk in iter_json_bytes(value, size=size, shown=shown):
        yield chunk.decode("utf-8", "surrogatepass")


def iter_json_bytes(
    value: Any, *, size: int = SIZE, shown: Callable[[str], str] | None = None
) -> Iterator[bytes]:
    """``dumps(value)`` as UTF-8, in pieces of about ``size`` bytes or more: the
    containers above the records are walked item by item (an iterator as it is
    produced), so that a listing is never held as one text. ``shown``: applied to
    each record, scalar or key whose text is not all printable
    (``render.text.json_visible`` for a terminal); one line each, so a printable one
    is told at C speed. A record's printable line is written as orjson's own bytes
    (stdout and files take bytes: ~11 K instructions a listing's record not encoded
    again, issue 15)."""
    out: list[bytes] = []
    held = 0

    def seen(text: str) -> str:
        return text if shown is None or text.isprintable() else shown(text)

    # A record that appears twice (a task in the chase list and among the overdue) is
    # encoded once; kept with its text, so that its id is not reused meanwhile. Not
    # for an iterator's items: a streamed listing's records are made one by one.
    texts: dict[int, tuple[Any, bytes]] = {}

    def one(o: Any, shared: bool, likely: bool = False) -> bytes | None:
        """The UTF-8 of ``o`` when it takes one line (a scalar, an empty container, a
        record), else None: then it is walked (or converted first: an iterator, a
        dataclass, an enum, a date)."""
        t = type(o)
        if t is str:
            return _utf8(seen(_string(o)))
        if t is dict or t is list or t is tuple:
            if not o:
                return b"{}" if t is dict else b"[]"
            if not shared or t is not dict:
                line = _record(o, likely)
                return None if line is None else _utf8(seen(line))
            found = texts.get(id(o))
            if found is None:
                line = _record(o, likely)
                if line is None:
                    return None
                found = texts[id(o)] = (o, _utf8(seen(line)))
            return found[1]
        if t in _SCALARS:
            return _line(o).encode()  # a number, true, false or null
        return None

    def walk(o: Any, level: int, shared: bool) -> Iterator[bytes]:
        nonlocal held
        text = one(o, shared)
        if text is not None:
            out.append(text)
            held += len(text)
            return
        t = type(o)
        if t is dict:
            yield from items(iter(o.items()), level, "{", "}", shared)
        elif t is list or t is tuple:
            yield from items(iter(o), level, "[", "]", shared)
        elif isinstance(o, Iterator):
            yield from items(o, level, "[", "]", False)
        else:
            yield from walk(_default(o), level, shared)

    def items(
        found: Iterator[Any], level: int, start: str, end: str, shared: bool
    ) -> Iterator[bytes]:
        nonlocal held
        inner = "\n" + INDENT * (level + 1)
        sep, comma = (start + inner).encode(), ("," + inner).encode()
        keyed = start == "{"
        empty, likely = True, False
        raw, refused, string, cached = _raw, _refused, _string, texts.get
        for item in found:
            if keyed:
                k, item = item
                key = string(k if type(k) is str else _key(k))
                if shown is not None and not key.isprintable():
                    key = shown(key)
                out.append(sep + _utf8(key) + b": ")
            else:
                out.append(sep)
            sep, empty = comma, False
            text = None
            if likely and type(item) is dict:
                # The next of a run of records (a report's ``tasks`` map, a listing):
                # ``one``'s steps for it, inline (issue 15: some 6,000 a report).
                hit = cached(id(item)) if shared else None
                if hit is not None:
                    text = hit[1]
                else:
                    try:
                        data: bytes | None = raw(item)
                    except refused:
                        data = None
                    if data is not None and data.find(b"{", 1) < 0:
                        if shown is None:
                            text = data
                        else:
                            line = data.decode()
                            text = data if line.isprintable() else shown(line).encode()
                        if shared:
                            # orjson's bytes keep its whole buffer (~8 KB) alive: a kept
                            # line is copied to its size (a weekly report keeps 5,900).
                            text = bytes(memoryview(text)) if text is data else text
                            texts[id(item)] = (item, text)
            if text is None:
                text = one(item, shared, likely)
            if text is None:
                likely = False
                yield from walk(item, level + 1, shared)
            else:
                likely = type(item) is dict
                out.append(text)
                held += len(text)
            if held >= size:
                yield b"".join(out)
                out.clear()
                held = 0
        out.append((start + end if empty else "\n" + INDENT * level + end).encode())

    yield from walk(value, 0, True)
    if out:
        yield b"".join(out)


def dumps(value: Any) -> str:
    return b"".join(iter_json_bytes(value)).decode("utf-8", "surrogatepass")


def json_document(doc: Document) -> Any:
    """What a document's JSON holds: the report's own data when it carries some (the
    stable shape scripts read), else the document itself."""
    return doc.data if doc.data is not None else doc


def iter_document_json(
    doc: Document, *, shown: Callable[[str], str] | None = None
) -> Iterator[bytes]:
    """``render_json(doc)`` as UTF-8 in pieces (for stdout: never the whole text at
    once); ``shown`` as for ``iter_json_bytes``."""
    yield from iter_json_bytes(json_document(doc), shown=shown)
    yield b"\n"


def render_json(doc: Document) -> str:
    return dumps(json_document(doc)) + "\n"
