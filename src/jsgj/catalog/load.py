"""Load the catalogue that commands use, through a cache keyed by the files' content.

Reading YAML and validating it with Pydantic costs more than the rest of a command
together. The validated catalogue is kept under the user's cache directory as plain
JSON data (never a pickle: a file planted in a shared or mis-set cache directory must
never run code), named by the SHA-256 of jsgj's version, the models' source and both
files' bytes. An unchanged pair of files is read back in a few milliseconds and
Pydantic is not even imported. Any edit changes the key; stale entries are simply
never read again.

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
import types
import typing
from pathlib import Path
from typing import Any

from jsgj import __version__
from jsgj.catalog import models
from jsgj.catalog.catalog import Catalog
from jsgj.catalog.models import DepartmentsFile, MeasuresFile
from jsgj.errors import DataFileError, InvalidDataError, JsgjError
from jsgj.i18n import _
from jsgj.paths import cache_dir, display

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


def _cache_key(*digests: str) -> str:
    h = hashlib.sha256(f"{__version__}\0{CACHE_FORMAT}\0".encode())
    for d in (_models_digest(), *digests):
        h.update(d.encode() + b"\0")
    return h.hexdigest()[:32]


def _models_digest() -> str:
    """The models' source: an entry written for other fields is never read."""
    try:
        return _sha256(Path(models.__file__).read_bytes())
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
    cached = _load_entry(entry, hashes)
    if cached is not None:
        return cached
    catalog = build_catalog(measures, departments)
    _store_entry(entry, catalog, hashes)
    return catalog


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


def _load_entry(entry: Path, hashes: dict[str, str]) -> Catalog | None:
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
        return Catalog.build(
            _decode(MeasuresFile, doc["measures"]), _decode(DepartmentsFile, doc["departments"])
        )
    except Exception:  # unreadable, garbled or foreign: rebuild it
        return None


def _store_entry(entry: Path, catalog: Catalog, hashes: dict[str, str]) -> None:
    import json

    from jsgj.files import write_atomic

    doc = {
        "format": CACHE_FORMAT,
        "sha256": hashes,
        "measures": _encode(
            MeasuresFile(catalog.document, catalog.sections, tuple(catalog.measures))
        ),
        "departments": _encode(DepartmentsFile(catalog.departments)),
    }
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
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


_HINTS: dict[type, dict[str, Any]] = {}


def _decode(kind: Any, value: Any) -> Any:
    """``value`` (plain JSON) as ``kind``, strictly: any other shape raises."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        for option in typing.get_args(kind):
            if option is type(None) and value is None:
                return None
        inner = [a for a in typing.get_args(kind) if a is not type(None)]
        if value is None or len(inner) != 1:
            raise TypeError(kind)
        return _decode(inner[0], value)
    if origin is tuple:
        args = typing.get_args(kind)
        if not isinstance(value, list) or len(args) != 2 or args[1] is not Ellipsis:
            raise TypeError(kind)
        return tuple(_decode(args[0], v) for v in value)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = _HINTS.get(kind)
        if hints is None:
            hints = _HINTS[kind] = typing.get_type_hints(kind)
        fields = [f for f in dataclasses.fields(kind) if f.init]
        if not isinstance(value, dict) or set(value) != {f.name for f in fields}:
            raise TypeError(kind)
        return kind(**{f.name: _decode(hints[f.name], value[f.name]) for f in fields})
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind(value)
    if kind is dt.date:
        if not isinstance(value, str):
            raise TypeError(kind)
        return dt.date.fromisoformat(value)
    if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if kind in (str, int, bool) and type(value) is kind:
        return value
    raise TypeError(f"{kind}: {value!r}")
