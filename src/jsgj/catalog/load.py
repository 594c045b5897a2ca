"""Load the catalogue that commands use, through a cache keyed by the files' content.

Reading YAML and validating it with Pydantic costs more than the rest of a command
together. The validated catalogue is kept under the user's cache directory as plain
JSON data (never a pickle: a file planted in a shared or mis-set cache directory must
never run code), named by the SHA-256 of jsgj's version, the models' source and both
files' bytes. An unchanged pair of files is read back in a few milliseconds and
Pydantic is not even imported. Any edit changes the key; stale entries are simply
never read again.

The settings files (data/lights.yaml, office.yaml, scoring.yaml) go through the same
cache (``load_settings``), one entry per file, so that a command reads neither YAML nor
Pydantic when they are unchanged (issue 15, start-up).

An entry is used only when everything about it checks out: the directory is the
user's own and not writable by others (created 0700), the entry is a regular file
the user owns, it records the SHA-256 of both files as they are now, and every value
has the type the models declare. Anything else (a garbled, foreign or planted file)
is ignored and replaced by a freshly validated catalogue.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import os
import stat
import sys
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from jsgj import __version__
from jsgj.catalog import models
from jsgj.catalog.catalog import Catalog
from jsgj.catalog.models import DepartmentsFile, MeasuresFile
from jsgj.errors import DataFileError, InvalidDataError, JsgjError
from jsgj.i18n import _
from jsgj.paths import cache_dir, display

T = TypeVar("T")

_NO_CACHE_ENV = "JSGJ_NO_CACHE"
CACHE_FORMAT = 2
"""Bump when the entry's layout changes (1 was a pickle)."""
MAX_ENTRY_BYTES = 8 << 20


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise DataFileError(
            _("{path}: cannot read the file ({reason})").format(
                path=display(path), reason=e.strerror or e
            )
        ) from e


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _cache_key(*digests: str, source: str | None = None) -> str:
    h = hashlib.sha256(f"{__version__}\0{CACHE_FORMAT}\0".encode())
    for d in (_models_digest(source or models.__file__), *digests):
        h.update(d.encode() + b"\0")
    return h.hexdigest()[:32]


def _models_digest(source: str | None) -> str:
    """The models' source: an entry written for other fields is never read."""
    try:
        return _sha256(Path(source or "").read_bytes())
    except OSError:
        return __version__


def build_catalog(measures: Path, departments: Path) -> Catalog:
    """Validate both files (schema and structure) and index them. No cache."""
    from jsgj.validate import load_pair

    m, d, problems = load_pair(measures, departments)
    if problems:
        raise InvalidDataError(problems)
    assert m is not None and d is not None
    return Catalog.build(m.data, d.data)


def load_catalog(measures: Path, departments: Path) -> Catalog:
    """The catalogue for ``measures`` and ``departments``, from the cache when unchanged."""
    hashes = {"measures": _sha256(_read(measures)), "departments": _sha256(_read(departments))}
    directory = _cache_directory() if not os.environ.get(_NO_CACHE_ENV) else None
    if directory is None:
        return build_catalog(measures, departments)
    entry = directory / f"catalog-{_cache_key(*hashes.values())}.json"
    doc = _read_entry(entry, hashes)
    if doc is not None:
        try:
            return Catalog.build(
                _decode(MeasuresFile, doc["measures"]),
                _decode(DepartmentsFile, doc["departments"]),
            )
        except Exception:  # garbled or foreign: rebuild it
            pass
    catalog = build_catalog(measures, departments)
    _write_entry(
        entry,
        hashes,
        measures=MeasuresFile(catalog.document, catalog.sections, tuple(catalog.measures)),
        departments=DepartmentsFile(catalog.departments),
    )
    return catalog


def load_settings(kind: type[T], path: Path, build: Callable[[Path], T]) -> T:
    """A settings file (lights, office, scoring) as ``kind``, a dataclass: ``build(path)``
    reads and validates it, or the cache gives it back while the file is unchanged."""
    try:
        digest = _sha256(path.read_bytes())
    except OSError:
        return build(path)  # it says what is wrong with the file
    directory = _cache_directory() if not os.environ.get(_NO_CACHE_ENV) else None
    if directory is None:
        return build(path)
    source = getattr(sys.modules.get(kind.__module__), "__file__", None)
    name = kind.__name__.lower()
    hashes = {name: digest}
    entry = directory / f"{name}-{_cache_key(digest, source=source)}.json"
    doc = _read_entry(entry, hashes)
    if doc is not None:
        try:
            found: T = _decode(kind, doc["value"])
            return found
        except Exception:  # garbled or foreign: rebuild it
            pass
    value = build(path)
    _write_entry(entry, hashes, value=value)
    return value


# --- the cache directory and its entries -----------------------------------------


def _cache_directory() -> Path | None:
    """The cache directory, created 0700; None when it is not safely the user's own
    (another owner, or writable by others): then nothing is read from it or written."""
    directory = cache_dir()
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.lstat(directory)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid():
        return None
    if st.st_mode & 0o022:
        try:
            os.chmod(directory, stat.S_IMODE(st.st_mode) & ~0o077)
        except OSError:
            return None
    return directory


def _read_entry(entry: Path, hashes: dict[str, str]) -> dict[str, Any] | None:
    """The entry's JSON when it is the user's own regular file, of this format, written
    for these files' contents; None otherwise."""
    import json

    try:
        fd = os.open(entry, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            if (
                not stat.S_ISREG(st.st_mode)
                or st.st_uid != os.geteuid()
                or st.st_size > MAX_ENTRY_BYTES
            ):
                return None
            doc = json.loads(f.read(MAX_ENTRY_BYTES + 1))
        if (
            not isinstance(doc, dict)
            or doc.get("format") != CACHE_FORMAT
            or doc.get("sha256") != hashes
        ):
            return None
        return doc
    except Exception:  # unreadable, garbled or foreign: rebuild it
        return None


def _write_entry(entry: Path, hashes: dict[str, str], **values: Any) -> None:
    import json

    from jsgj.files import write_atomic

    doc = {"format": CACHE_FORMAT, "sha256": hashes}
    doc.update({key: _encode(value) for key, value in values.items()})
    try:
        data = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        write_atomic(entry, data, private=True)
    except JsgjError:
        pass  # a read-only or full home only costs speed


# --- plain data to and from the models ------------------------------------------


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if isinstance(value, dict):  # JSON keys are strings; _decode turns them back
        return [[_encode(k), _encode(v)] for k, v in value.items()]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


_DECODERS: dict[Any, Callable[[Any], Any]] = {}


def _decode(kind: Any, value: Any) -> Any:
    """``value`` (plain JSON) as ``kind``, strictly: any other shape raises."""
    return _decoder(kind)(value)


def _decoder(kind: Any) -> Callable[[Any], Any]:
    """The function decoding plain JSON as ``kind``, worked out once per type (the
    catalogue holds hundreds of values of a dozen types)."""
    found = _DECODERS.get(kind)
    if found is None:
        found = _DECODERS[kind] = _make_decoder(kind)
    return found


_UNSEEN = object()
_EVALUATED: dict[tuple[str, str], Any] = {}


def _field_types(kind: type) -> dict[str, Any]:
    """The types of a dataclass's fields, each annotation's text evaluated in its
    module once: ``typing.get_type_hints`` compiled every field's text anew, ~6 M
    instructions for the catalogue's models at every command's start (issue 15).
    Annotated types keep their metadata here; ``_make_decoder`` looks through it."""
    types_: dict[str, Any] = {}
    for base in reversed(kind.__mro__):
        module = base.__module__
        for name, text in base.__dict__.get("__annotations__", {}).items():
            if not isinstance(text, str):
                types_[name] = text
                continue
            found = _EVALUATED.get((module, text), _UNSEEN)
            if found is _UNSEEN:
                found = _EVALUATED[module, text] = eval(text, vars(sys.modules[module]))
            types_[name] = found
    return types_


def _make_decoder(kind: Any) -> Callable[[Any], Any]:  # noqa: C901 - one case per shape
    origin = typing.get_origin(kind)
    if origin is typing.Annotated:  # the value's type; the metadata is Pydantic's
        return _decoder(typing.get_args(kind)[0])
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(kind) if a is not type(None)]
        optional = len(inner) < len(typing.get_args(kind))
        if len(inner) != 1:
            raise TypeError(kind)
        one = _decoder(inner[0])

        def union(value: Any) -> Any:
            if value is None:
                if optional:
                    return None
                raise TypeError(kind)
            return one(value)

        return union
    if origin is tuple:
        args = typing.get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])

            def tuple_of(value: Any) -> Any:
                if not isinstance(value, list):
                    raise TypeError(kind)
                return tuple(item(v) for v in value)

            return tuple_of
        if Ellipsis in args:
            raise TypeError(kind)
        items = [_decoder(a) for a in args]

        def fixed_tuple(value: Any) -> Any:
            if not isinstance(value, list) or len(value) != len(items):
                raise TypeError(kind)
            return tuple(d(v) for d, v in zip(items, value, strict=True))

        return fixed_tuple
    if origin is dict:
        key, item = (_decoder(a) for a in typing.get_args(kind))

        def mapping(value: Any) -> Any:
            if not isinstance(value, list) or not all(
                isinstance(p, list) and len(p) == 2 for p in value
            ):
                raise TypeError(kind)
            return {key(k): item(v) for k, v in value}

        return mapping
    if origin is typing.Literal:
        allowed = typing.get_args(kind)

        def literal(value: Any) -> Any:
            if not isinstance(value, str) or value not in allowed:
                raise TypeError(f"{kind}: {value!r}")
            return value

        return literal
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = _field_types(kind)
        fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(kind) if f.init]
        names = {name for name, _ in fields}

        def record(value: Any) -> Any:
            if not isinstance(value, dict) or value.keys() != names:
                raise TypeError(kind)
            return kind(**{name: d(value[name]) for name, d in fields})

        return record
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind
    if kind is dt.date:

        def date(value: Any) -> Any:
            if not isinstance(value, str):
                raise TypeError(kind)
            return dt.date.fromisoformat(value)

        return date
    if kind is float:

        def number(value: Any) -> Any:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"{kind}: {value!r}")
            return float(value)

        return number
    if kind in (str, int, bool):

        def exact(value: Any) -> Any:
            if type(value) is not kind:
                raise TypeError(f"{kind}: {value!r}")
            return value

        return exact
    raise TypeError(kind)
