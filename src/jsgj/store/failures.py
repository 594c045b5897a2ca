"""What went wrong with the database file, in one line that says what happened.

SQLite reports a read-only directory, a full disk, a file-size limit (``ulimit -f``)
and a damaged file in a handful of codes (READONLY, CANTOPEN, FULL, IOERR, ...); the
cause is told apart here by looking at the file system, so that the user is told
which of them it is and what to do, never "not a jsgj database" for all of them."""

from __future__ import annotations

import errno
import os
import resource
import shutil
import sqlite3
from pathlib import Path

from jsgj.errors import StoreError
from jsgj.i18n import _

LOW_SPACE_BYTES = 1 << 20
"""Free space below this counts as a full disk when a write fails."""


def _name(error: BaseException) -> str:
    return str(getattr(error, "sqlite_errorname", "") or "")


def is_busy(error: BaseException) -> bool:
    if _name(error).startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return True
    text = str(error).lower()
    return isinstance(error, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def busy(path: Path, waited: float) -> StoreError:
    return StoreError(
        _(
            "{path}: another process held the database's write lock for {seconds} s; "
            "nothing was changed. Try again when it has finished (`fuser {path}` names it)"
        ).format(path=path, seconds=f"{waited:.0f}")
    )


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    raise AssertionError("unreachable")


def _file_size_limit(path: Path) -> int | None:
    """The soft RLIMIT_FSIZE when a file of the database has reached it (or nearly)."""
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if limit == resource.RLIM_INFINITY:
        return None
    sizes = [0]
    for suffix in ("", "-wal", "-journal"):
        try:
            sizes.append(Path(f"{path}{suffix}").stat().st_size)
        except OSError:
            pass
    return limit if max(sizes) + 65536 >= limit else None


def _free(path: Path) -> int | None:
    try:
        return shutil.disk_usage(path.parent if not path.is_dir() else path).free
    except OSError:
        return None


def _read_only(path: Path) -> str | None:
    """What stops writing: the directory or the file; None when both are writable."""
    where = path.parent if str(path.parent) else Path(".")
    if not os.access(where, os.W_OK):
        return _("its directory {dir} is read-only").format(dir=where)
    if path.exists() and not os.access(path, os.W_OK):
        return _("the file is read-only")
    return None


def diagnose(path: Path, error: BaseException) -> StoreError | None:
    """The one-line message for a file-system cause of ``error``; None when the error
    is not one (a constraint, a bug, a foreign file: the caller decides)."""
    name = _name(error)
    code = error.errno if isinstance(error, OSError) else None
    if is_busy(error):
        return None  # the caller knows how long it waited
    write_failed = name.startswith(("SQLITE_FULL", "SQLITE_IOERR")) or code in (
        errno.ENOSPC,
        errno.EFBIG,
        errno.EDQUOT,
    )
    if (
        write_failed
        or name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN"))
        or code
        in (
            errno.EROFS,
            errno.EACCES,
            errno.EPERM,
        )
    ):
        limit = _file_size_limit(path)
        if limit is not None or code == errno.EFBIG:
            shown = _size(limit) if limit is not None else "ulimit -f"
            return StoreError(
                _(
                    "{path}: the file-size limit ({limit}, see `ulimit -f`) stops the "
                    "database from growing; nothing was changed. Raise the limit and try again"
                ).format(path=path, limit=shown)
            )
        free = _free(path)
        if (
            (free is not None and free < LOW_SPACE_BYTES and write_failed)
            or code
            in (
                errno.ENOSPC,
                errno.EDQUOT,
            )
            or name.startswith("SQLITE_FULL")
        ):
            return StoreError(
                _(
                    "{path}: the disk is full ({free} free); nothing was changed. "
                    "Free some space and try again"
                ).format(path=path, free=_size(free or 0))
            )
        why = _read_only(path)
        if why is not None:
            return StoreError(
                _("{path}: cannot write: {why}; nothing was changed").format(path=path, why=why)
            )
        if name.startswith("SQLITE_CANTOPEN") and path.exists() and not os.access(path, os.R_OK):
            return StoreError(
                _("{path}: cannot read the database file (permission denied)").format(path=path)
            )
        if write_failed:
            return StoreError(
                _("{path}: the disk failed to write ({error}); nothing was changed").format(
                    path=path, error=error
                )
            )
    if name.startswith("SQLITE_CORRUPT"):
        return StoreError(
            _(
                "{path}: the database file is damaged ({error}); restore it from a backup "
                "(`jsgj db backup` makes one)"
            ).format(path=path, error=error)
        )
    return None
