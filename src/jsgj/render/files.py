"""Writing a report file safely: placeholders in the name, and an atomic replace so
that nobody ever opens half a report (a cron job may be writing while a clerk opens
yesterday's file, or the disk may fill up half way).

``{date}`` is the as-of date (2025-06-29), ``{year}`` and ``{week}`` its ISO year and
two-digit ISO week (2025, 26), ``{month}`` its two-digit month (06), so
``周报-{year}-W{week}.html`` names a week's report.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from pathlib import Path

from jsgj.errors import JsgjError, UsageError

PLACEHOLDERS = ("date", "year", "month", "week")
_FIELD = re.compile(r"\{([^{}]*)\}")


def expand(template: str, on: dt.date) -> Path:
    """Fill ``{date}``, ``{year}``, ``{month}``, ``{week}``; any other ``{...}`` is refused."""
    year, week, _ = on.isocalendar()
    values = {
        "date": on.isoformat(),
        "year": str(year),
        "month": f"{on.month:02d}",
        "week": f"{week:02d}",
    }

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            known = ", ".join("{" + k + "}" for k in PLACEHOLDERS)
            raise UsageError(f"--output: unknown placeholder {{{key}}}; use {known}")
        return values[key]

    text = _FIELD.sub(fill, template)
    if not text.strip():
        raise UsageError("--output must not be empty")
    return Path(text).expanduser()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, then
    rename it over ``path`` (atomic on POSIX). The parent directory is created if
    needed; on any failure the temporary file is removed and ``path`` is untouched."""
    if path.is_dir():
        raise JsgjError(f"{path}: is a directory; give a file name for --output")
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise JsgjError(f"{parent}: cannot create the directory ({e.strerror or e})") from e
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise JsgjError(f"{path}: cannot write ({e.strerror or e})") from e
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        # mkstemp creates 0600; a report is for others to read: honour the umask.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
        _sync_directory(parent)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise JsgjError(f"{path}: cannot write ({e.strerror or e})") from e
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


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


def write_output(template: str, data: bytes, on: dt.date) -> Path:
    """Expand the placeholders and write atomically; returns the path written."""
    path = expand(template, on)
    write_atomic(path, data)
    return path
