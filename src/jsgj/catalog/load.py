"""Load the catalogue that commands use, through a cache keyed by the files' content.

Reading YAML and validating it with Pydantic costs more than the rest of a command
together. The validated catalogue is pickled under the user's cache directory with
the SHA-256 of jsgj's version and both files' bytes as its name, so an unchanged
pair of files is read back in about a millisecond and Pydantic is not even
imported. Any edit changes the key; stale entries are simply never read again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from jsgj import __version__
from jsgj.catalog.catalog import Catalog
from jsgj.errors import DataFileError, InvalidDataError
from jsgj.paths import cache_dir, display

_NO_CACHE_ENV = "JSGJ_NO_CACHE"


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise DataFileError(f"{display(path)}: cannot read the file ({e.strerror or e})") from e


def _cache_key(*blobs: bytes) -> str:
    h = hashlib.sha256(__version__.encode())
    for b in blobs:
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()[:32]


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
    key = _cache_key(_read(measures), _read(departments))
    use_cache = not os.environ.get(_NO_CACHE_ENV)
    entry = cache_dir() / f"catalog-{key}.pickle"
    if use_cache:
        try:
            # The cache lives in the user's own cache directory, as trusted as their files.
            cached = pickle.loads(entry.read_bytes())
            if isinstance(cached, Catalog):
                return cached
        except Exception:  # missing, truncated or foreign entry: rebuild it
            pass
    catalog = build_catalog(measures, departments)
    if use_cache:
        _write_atomically(entry, pickle.dumps(catalog, protocol=pickle.HIGHEST_PROTOCOL))
    return catalog


def _write_atomically(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".catalog-")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home only costs speed
