"""The one way jsgj writes a file: reports, the matrix, exports, return forms,
`db backup`, the catalogue cache.

Every write goes to a temporary file in the target's own directory, is flushed to
disk (fsync), then renamed over the target, which is atomic on POSIX: a reader (a
clerk opening yesterday's report while cron writes today's) sees the old file or the
new one, never half of one; a full disk, a file-size limit (``ulimit -f``), a
read-only directory or a killed process leaves the previous file as it was.

Before writing, the target is checked:

* a symbolic link at the target is refused, never followed (a link planted at
  ``ledger.xlsx`` must not make jsgj overwrite what it points at);
* the database jsgj works on, and its ``-wal``, ``-shm`` and ``-journal`` files, are
  refused whatever the spelling (``./x/../jsgj.db``, a link, a hard link): paths are
  compared resolved, and existing files by device and inode. The CLI registers the
  database with :func:`protect` as soon as it knows its path.

Temporary files are named ``.jsgj-<random>.tmp``; one left behind by a killed run is
removed by the next write into that directory once it is older than
:data:`STALE_SECONDS`.

``{date}`` in ``--output`` is the as-of date (2025-06-29), ``{year}`` and ``{week}``
its ISO year and two-digit ISO week (2025, 26), so ``周报-{year}-W{week}.html`` names
a week's report.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO, TextIO

from jsgj.errors import JsgjError, UsageError
from jsgj.i18n import _

PLACEHOLDERS = ("date", "year", "week", "month")
_FIELD = re.compile(r"\{([^{}]*)\}")

TEMP_PREFIX = ".jsgj-"
TEMP_SUFFIX = ".tmp"
STALE_SECONDS = 30 * 60
"""A temporary file older than this (by its last write) belongs to a run that died."""
DATABASE_SUFFIXES = ("", "-wal", "-shm", "-journal")

_protected: list[Path] = []


def protect(database: Path) -> None:
    """Never write over ``database`` or its -wal/-shm/-journal in this process."""
    if database not in _protected:
        _protected.append(database)


def expand(template: str, on: dt.date) -> Path:
    """Fill ``{date}``, ``{year}``, ``{week}``, ``{month}``; any other ``{...}`` is
    refused. ``{year}`` is the ISO year (the week's), ``{month}`` the date's two-digit
    month."""
    year, week, _weekday = on.isocalendar()
    values = {
        "date": on.isoformat(),
        "year": str(year),
        "week": f"{week:02d}",
        "month": f"{on.month:02d}",
    }

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            known = ", ".join("{" + k + "}" for k in PLACEHOLDERS)
            raise UsageError(
                _("--output: unknown placeholder {{{key}}}; use {known}").format(
                    key=key, known=known
                )
            )
        return values[key]

    text = _FIELD.sub(fill, template)
    if not text.strip():
        raise UsageError(_("--output must not be empty"))
    return Path(text).expanduser()


def write_output(template: str, data: bytes, on: dt.date) -> Path:
    """Expand the placeholders and write atomically; returns the path written."""
    path = expand(template, on)
    write_atomic(path, data)
    return path


def write_atomic(path: Path, data: bytes, *, private: bool = False) -> None:
    """Replace ``path`` with ``data`` whole, or leave it as it was (see the module).
    ``private``: readable by the owner only (backups, the cache); otherwise the
    umask decides, as for any file the user creates."""
    with open_atomic(path, private=private) as f:
        f.write(data)


@contextmanager
def open_atomic(path: Path, *, private: bool = False) -> Iterator[BinaryIO]:
    """A binary file to stream into; it replaces ``path`` when the block ends without
    an error, and is removed otherwise. An ``OSError`` inside the block (a full disk,
    a size limit) becomes one line naming ``path``."""
    fd, tmp = _begin(path)
    with _removed_on_failure(tmp, path):
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        _commit(tmp, path, private)


@contextmanager
def open_atomic_text(
    path: Path, *, encoding: str = "utf-8", newline: str | None = None
) -> Iterator[TextIO]:
    """``open_atomic`` for text (JSON, CSV)."""
    with open_atomic(path) as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline=newline)
        try:
            yield text
            text.flush()
        finally:
            with suppress(ValueError, OSError):  # after a failed write: the raw file decides
                text.detach()


@contextmanager
def replacing(path: Path, *, private: bool = False) -> Iterator[Path]:
    """A temporary path beside ``path`` for a writer that wants a file name (SQLite's
    backup); it is synced and renamed over ``path`` when the block ends cleanly."""
    fd, tmp = _begin(path)
    os.close(fd)
    with _removed_on_failure(tmp, path):
        yield tmp
        _fsync_file(tmp)
        _commit(tmp, path, private)


@contextmanager
def _removed_on_failure(tmp: Path, path: Path) -> Iterator[None]:
    """Whatever goes wrong, the temporary goes; an ``OSError`` becomes one line."""
    try:
        yield
    except OSError as e:
        _discard(tmp)
        raise _cannot_write(path, e) from e
    except BaseException:
        _discard(tmp)
        raise


def check_target(path: Path) -> None:
    """Refuse a target that is a link, a directory, or the database (see the module)."""
    try:
        st: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise _cannot_write(path, e) from e
    if st is not None and stat.S_ISLNK(st.st_mode):
        raise JsgjError(
            _(
                "{path}: is a symbolic link; jsgj does not write through links "
                "(remove it or name another file)"
            ).format(path=path)
        )
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise JsgjError(_("{path}: is a directory; give a file name").format(path=path))
    target = os.path.realpath(path)
    for database in _protected:
        for suffix in DATABASE_SUFFIXES:
            guarded = [Path(f"{database}{suffix}"), Path(f"{os.path.realpath(database)}{suffix}")]
            if any(target == os.path.realpath(g) or _same_file(st, g) for g in guarded):
                raise JsgjError(
                    _(
                        "{path}: is the database jsgj uses (or its journal); write to another file"
                    ).format(path=path)
                )


def is_dir(path: Path) -> bool:
    """``path.is_dir()`` that answers False for a name too long or otherwise unusable
    (the write that follows then says what is wrong, on one line)."""
    try:
        return path.is_dir()
    except OSError:
        return False


def _same_file(st: os.stat_result | None, other: Path) -> bool:
    if st is None:
        return False
    try:
        o = os.stat(other)
    except OSError:
        return False
    return (st.st_dev, st.st_ino) == (o.st_dev, o.st_ino)


def _begin(path: Path) -> tuple[int, Path]:
    """Check the target, make its directory, sweep stale temporaries, create ours."""
    check_target(path)
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise JsgjError(
            _("{parent}: cannot create the directory ({reason})").format(
                parent=parent, reason=e.strerror or e
            )
        ) from e
    _sweep(parent)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    while True:
        tmp = parent / f"{TEMP_PREFIX}{os.urandom(6).hex()}{TEMP_SUFFIX}"
        try:
            return os.open(tmp, flags, 0o600), tmp
        except FileExistsError:
            continue
        except OSError as e:
            raise _cannot_write(path, e) from e


def _commit(tmp: Path, path: Path, private: bool) -> None:
    if private:
        mode = 0o600
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)
    check_target(path)  # again: a link planted while we wrote is still refused
    os.replace(tmp, path)
    _sync_directory(path.parent)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _discard(tmp: Path) -> None:
    with suppress(OSError):
        os.unlink(tmp)
    with suppress(OSError):  # SQLite's rollback journal beside a failed backup
        os.unlink(f"{tmp}-journal")


def _sweep(directory: Path) -> None:
    """Remove our own temporaries that a killed run left behind (best effort)."""
    cutoff = time.time() - STALE_SECONDS
    uid = os.geteuid() if hasattr(os, "geteuid") else None
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if not (name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if (
                stat.S_ISREG(st.st_mode)
                and st.st_mtime < cutoff
                and (uid is None or st.st_uid == uid)
            ):
                os.unlink(entry.path)
        except OSError:
            continue


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (best effort: not every system allows it)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _cannot_write(path: Path, error: OSError) -> JsgjError:
    import errno

    reasons = {
        errno.ENOSPC: _("the disk is full"),
        errno.EFBIG: _("the file is larger than the file-size limit (ulimit -f)"),
        errno.EDQUOT: _("the disk quota is used up"),
        errno.EROFS: _("the file system is read-only"),
        errno.EACCES: _("permission denied"),
        errno.EPERM: _("permission denied"),
        errno.ENAMETOOLONG: _("the file name is too long"),
    }
    reason = reasons.get(error.errno or 0) or error.strerror or str(error)
    return JsgjError(
        _("{path}: cannot write ({reason}); any previous file is unchanged").format(
            path=path, reason=reason
        )
    )
