"""Writing to the terminal, a pipe or a file: JSON, rich renderables, and every
report through one ``--format/--output`` pair (``deliver``)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from jsgj.i18n import _

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from jsgj.document.model import Document

FORMATS = ("table", "markdown", "html", "docx", "json", "csv", "xlsx")
"""Every format a report can be written in; a command offers the ones that fit it."""

OutputOption = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        help=_(
            "Write to this file (atomically: temp file, then rename) instead of stdout. "
            "{date}, {year}, {month} and {week} are replaced by the as-of date, its "
            "ISO year, two-digit month and two-digit ISO week, e.g. '周报-{year}-W{week}.html'."
        ),
        show_default=False,
    ),
]


def format_help(choices: tuple[str, ...]) -> str:
    return _("Output format: {choices}.").format(choices=" | ".join(choices))


def check_format(value: str, choices: tuple[str, ...]) -> str:
    from jsgj.errors import UsageError

    chosen = value.strip().lower()
    aliases = {"md": "markdown", "htm": "html", "excel": "xlsx", "text": "table", "word": "docx"}
    chosen = aliases.get(chosen, chosen)
    if chosen not in choices:
        raise UsageError(
            _("--format: unknown format {value!r}; use one of {choices}").format(
                value=value, choices=", ".join(choices)
            )
        )
    return chosen


WRITERS = {
    "markdown": ("jsgj.document.markdown", "render_markdown"),
    "html": ("jsgj.document.html", "render_html"),
    "docx": ("jsgj.document.docx", "render_docx"),
    "json": ("jsgj.document.jsonout", "render_json"),
    "csv": ("jsgj.document.tabular", "render_csv"),
    "xlsx": ("jsgj.document.tabular", "render_xlsx"),
}
"""Format -> (module, function): each writer is imported only when its format is
asked for, so that start-up loads none of Jinja2, python-docx or openpyxl."""


def render(doc: Document, fmt: str) -> str | bytes:
    """The document in one format (not the terminal's, which needs a console)."""
    import importlib

    module, name = WRITERS[fmt]
    writer: Callable[[Document], str | bytes] = getattr(importlib.import_module(module), name)
    return writer(doc)


def deliver(doc: Document, fmt: str, output: str | None) -> None:
    """Write ``doc`` in ``fmt`` to stdout or atomically to ``output`` (placeholders
    filled from the document's as-of date)."""
    if fmt == "table":
        from jsgj.document.terminal import render_terminal

        _print(render_terminal(doc, console()), output, doc.as_of)
        return
    if fmt == "json" and (output is None or output == "-"):
        # Written as it is encoded, a buffer at a time (a province's weekly report
        # is about 4 MB of JSON), hidden characters as JSON escapes.
        from jsgj.document.jsonout import iter_document_json
        from jsgj.render.text import json_visible

        for chunk in iter_document_json(doc, shown=json_visible):
            write_bytes(chunk)
        return
    data = render(doc, fmt)
    if fmt == "csv" and isinstance(data, str) and output not in (None, "-"):
        # A CSV file gets a byte-order mark so that Excel reads it as UTF-8 (Chinese
        # otherwise shows as mojibake); stdout gets none, for pipes.
        data = "\ufeff" + data
    emit(data, output, doc.as_of)


def emit(data: str | bytes, output: str | None, on: dt.date) -> None:
    """Text or bytes to stdout, or atomically to ``output`` (placeholders filled).
    Nothing is printed on success when writing a file, unless stderr is a terminal:
    cron mails any output."""
    if output is None or output == "-":
        if isinstance(data, bytes):
            if sys.stdout.isatty():
                from jsgj.errors import UsageError

                raise UsageError(
                    _("this is a binary format: give --output FILE or redirect stdout")
                )
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        from jsgj.render.text import visible

        # Text is text on a terminal too: a control or bidi character in a title or a
        # note is shown as its escape (line ends, CSV's CRLF included, stay).
        write("\r\n".join(visible(part) for part in data.split("\r\n")))
        return
    from jsgj.files import write_output

    blob = data.encode("utf-8") if isinstance(data, str) else data
    path = write_output(output, blob, on)
    if sys.stderr.isatty():
        typer.echo(_("written: {path}").format(path=path), err=True)


def _print(renderable: RenderableType, output: str | None, on: dt.date) -> None:
    """A rich renderable to the terminal, or as plain text (no colour) to a file. A
    group is printed part by part: rich writes what it prints only at the end of a
    print, and a long table comes in parts (``document.terminal``), written as made."""
    from rich.console import Console, Group
    from rich.text import Text

    parts = renderable.renderables if isinstance(renderable, Group) else [renderable]

    def each(target: Console) -> None:
        for part in parts:
            # print() joins a Text it is given with its own justification (none by
            # default): a right-aligned 落款 passes its own on.
            target.print(part, justify=part.justify if isinstance(part, Text) else None)

    if output is None or output == "-":
        each(console())
        return
    import io

    buf = io.StringIO()
    to_file = Console(
        file=buf, width=console().width, color_system=None, highlight=False, soft_wrap=False
    )
    each(to_file)
    emit(buf.getvalue(), output, on)


def json_chunks(value: Any) -> Iterator[bytes]:
    """``value`` as JSON (UTF-8) in pieces of about 64 KiB, laid out by the one JSON encoder of
    every report (``document.jsonout``: each record on one line, the containers above
    it indented by two spaces): Chinese as is (no \\u escapes), key order as given,
    and characters that act on a terminal (bidi and C1 controls, zero-width marks) as
    JSON escapes (``render.text.json_visible``, on each record, string or key that is
    not all printable). A list or any other iterator (not a dict or a string) is
    written item by item as it is produced, so a listing of 20,000 tasks never exists
    whole in memory."""
    from jsgj.document.jsonout import iter_json_bytes
    from jsgj.render.text import json_visible

    yield from iter_json_bytes(value, shown=json_visible)


def to_json(value: Any) -> str:
    """``json_chunks`` as one string."""
    return b"".join(json_chunks(value)).decode()


def print_json(value: Any) -> None:
    """``to_json(value)`` and a newline on stdout, written as it is encoded: a listing
    of 20,000 tasks (given as an iterator of records) never holds its whole text, nor
    its records, in memory at once (``json_chunks`` already writes in 64 KiB pieces)."""
    for chunk in json_chunks(value):
        write_bytes(chunk)
    write_bytes(b"\n")


def write_json(path: Path, value: Any) -> None:
    """``value`` as JSON into ``path``, streamed and atomic (``jsgj.files``)."""
    from jsgj.files import open_atomic

    with open_atomic(path) as f:
        for chunk in json_chunks(value):
            f.write(chunk)
        f.write(b"\n")


def write_bytes(data: bytes) -> None:
    """UTF-8 to stdout, after what was written as text (``write``) before it."""
    out = sys.stdout
    buffer = getattr(out, "buffer", None)
    if buffer is None:  # a text-only stream (a test's, an embedding's)
        out.write(data.decode())
        return
    out.flush()
    buffer.write(data)


def write(text: str) -> None:
    """Text to stdout, as UTF-8 whatever the stream's own encoding."""
    out = sys.stdout
    if hasattr(out, "buffer") and (out.encoding or "").lower().replace("-", "") != "utf8":
        write_bytes(text.encode("utf-8"))
        out.buffer.flush()
    else:
        out.write(text)


def terminal_width() -> int:
    """Columns to lay text out in: $COLUMNS, else the terminal's, else 80."""
    import shutil

    return shutil.get_terminal_size((80, 24)).columns


def rich_output() -> bool:
    """Whether a view may print through rich: only for a terminal (or FORCE_COLOR, as
    rich counts it); off a terminal it prints plain lines without importing rich
    (issue 15, start-up)."""
    return sys.stdout.isatty() or bool(os.environ.get("FORCE_COLOR"))


def wants_colour() -> bool:
    """Colour (ANSI) only on a terminal (or under FORCE_COLOR), never under NO_COLOR or
    TERM=dumb: what rich decides for the other views."""
    if "NO_COLOR" in os.environ:
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty() and os.environ.get("TERM", "") != "dumb"


def pager_command(no_pager: bool = False) -> str | None:
    """The pager for a listing on a terminal, as git chooses one: $JSGJ_PAGER, else
    $PAGER, else ``less`` (with LESS=FRX unless LESS is set: it quits when the text
    fits one screen, keeps colours and leaves the text on the screen). None when
    stdout is not a terminal, with --no-pager, or when the pager is ``cat`` or empty."""
    import shlex
    import shutil

    if no_pager or not sys.stdout.isatty():
        return None
    command = os.environ.get("JSGJ_PAGER")
    if command is None:
        command = os.environ.get("PAGER") or "less -R"
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    if not words or words == ["cat"] or shutil.which(words[0]) is None:
        return None
    return command


def page(lines: Iterable[str], *, no_pager: bool = False) -> None:
    """``lines`` to stdout as they come, through the pager on a terminal
    (``pager_command``). Quitting the pager early ends the listing quietly."""
    command = pager_command(no_pager)
    if command is None:
        _stream(lines, write)
        return
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    sys.stdout.flush()
    proc = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)  # noqa: S602
    assert proc.stdin is not None
    sink = proc.stdin

    def send(text: str) -> None:
        sink.write(text.encode("utf-8"))
        sink.flush()

    try:
        _stream(lines, send)
    except (BrokenPipeError, OSError):
        pass
    finally:
        try:
            sink.close()
        except OSError:
            pass
        proc.wait()


def _stream(lines: Iterable[str], out: Callable[[str], None]) -> None:
    """Lines written in chunks of about 64 KB (the first screen at once)."""
    pending: list[str] = []
    size, first = 0, True
    for line in lines:
        pending.append(line)
        pending.append("\n")
        size += len(line) + 1
        if size >= (4096 if first else 1 << 16):
            out("".join(pending))
            pending.clear()
            size, first = 0, False
    if pending:
        out("".join(pending))


def console() -> Console:
    """Stdout console. Colour only on a terminal (rich's default), never under cron."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def error_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)
