"""Writing to the terminal or a pipe: JSON, rich tables, one-line errors."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


def json_chunks(value: Any) -> Iterator[str]:
    """``value`` as indented JSON, piece by piece: Chinese as is (no \\u escapes),
    stable key order as given, and characters that act on a terminal (bidi and C1
    controls, zero-width marks) as JSON escapes (``render.text.json_visible``)."""
    import json

    from jsgj.render.text import json_visible

    encoder = json.JSONEncoder(ensure_ascii=False, indent=2, default=str)
    for chunk in encoder.iterencode(value):
        yield json_visible(chunk)


def to_json(value: Any) -> str:
    """``json_chunks`` as one string."""
    return "".join(json_chunks(value))


def print_json(value: Any) -> None:
    """``to_json(value)`` and a newline on stdout, written as it is encoded: a listing
    of 20,000 tasks never holds its whole text (and a million small pieces of it) in
    memory at once."""
    pending: list[str] = []
    size = 0
    for chunk in json_chunks(value):
        pending.append(chunk)
        size += len(chunk)
        if size >= 1 << 16:
            write("".join(pending))
            pending.clear()
            size = 0
    pending.append("\n")
    write("".join(pending))


def write_json(path: Path, value: Any) -> None:
    """``value`` as JSON into ``path``, streamed and atomic (``jsgj.files``)."""
    from jsgj.files import open_atomic_text

    with open_atomic_text(path) as f:
        for chunk in json_chunks(value):
            f.write(chunk)
        f.write("\n")


def write(text: str) -> None:
    out = sys.stdout
    if hasattr(out, "buffer") and (out.encoding or "").lower().replace("-", "") != "utf8":
        out.flush()
        out.buffer.write(text.encode("utf-8"))
        out.buffer.flush()
    else:
        out.write(text)


def console() -> Console:
    """Stdout console. Colour only on a terminal (rich's default), never under cron."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def error_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)
