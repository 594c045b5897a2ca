"""User text is text, on a terminal too.

Notes, evidence, titles, reasons, sources and whatever a user typed reach terminals
(``tasks show``, ``report weekly`` on stdout, error lines). Unfiltered, ``ESC[2J``
in a note clears the clerk's screen, ``OSC 8`` hides a link, ``OSC 0`` retitles the
window and U+202E (RIGHT-TO-LEFT OVERRIDE) reorders what follows. And rich reads
``[link=...]`` in a plain string as markup.

:func:`visible` shows every control, format (bidi, zero-width), separator and
surrogate character as its Python escape (``\\x1b``, ``\\u202e``), keeping only line
breaks and tabs; :func:`rich_safe` also escapes rich markup, for strings handed to
rich as markup (table cells and titles given as ``str``). Text for HTML and
Markdown files is escaped by the document writers (``jsgj.document``).
"""

from __future__ import annotations

import unicodedata

_HIDDEN = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))
_KEPT = frozenset("\n\t")


def visible(text: str, *, keep: frozenset[str] = _KEPT) -> str:
    """``text`` with control and invisible format characters shown as escapes.
    ``keep``: characters left as they are (line break and tab by default)."""
    if text.isprintable():  # the common case, at C speed
        return text
    if "\n" in keep and "\n" in text:
        # Many lines (a whole report): each printable line passes at C speed, and only
        # the rare line holding something else is looked at character by character.
        return "\n".join(visible(line, keep=keep) for line in text.split("\n"))
    return "".join(
        ascii(ch)[1:-1] if ch not in keep and unicodedata.category(ch) in _HIDDEN else ch
        for ch in text
    )


def one_line(text: str) -> str:
    """``visible`` on one line: runs of white space, line breaks included, become one
    space (error messages, cells of a one-line table)."""
    return visible(" ".join(text.split()), keep=frozenset())


def rich_safe(text: str) -> str:
    """``visible`` text for rich's markup parser: ``[link=...]`` stays literal."""
    from rich.markup import escape

    return escape(visible(text))


def json_visible(chunk: str) -> str:
    """A piece of JSON (``ensure_ascii=False``) with the characters :func:`visible`
    would show as escapes written as JSON escapes (``\\u202e``): the same data for a
    program, inert on a terminal. (JSON already escapes C0 controls inside strings;
    the ASCII left raw is structure and white space.)"""
    if chunk.isascii() or chunk.isprintable() or chunk.replace("\n", "").isprintable():
        return chunk
    if "\n" in chunk:
        # Indented JSON: every line but the rare one holding something else passes
        # at C speed (a line break is not printable, so the whole chunk never does).
        return "\n".join(json_visible(line) for line in chunk.split("\n"))
    import json

    return "".join(
        json.dumps(ch)[1:-1] if ch > "\x7f" and unicodedata.category(ch) in _HIDDEN else ch
        for ch in chunk
    )


# Widths on a terminal: here, beside visible(), so that a view printing a few plain
# lines (tasks show off a terminal) needs no listing layout (render.columns).


class _Widths(dict[str, int]):
    """Cells of each character met so far: East Asian wide and full-width characters
    take two, combining marks none (``unicodedata``, asked once per character)."""

    def __missing__(self, ch: str) -> int:
        if unicodedata.combining(ch):
            n = 0
        else:
            n = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        self[ch] = n
        return n


CELLS = _Widths()


def cells(text: str) -> int:
    """The width of ``text`` on a terminal: East Asian wide and full-width characters
    take two cells, combining marks none."""
    if text.isascii():
        return len(text)
    return sum(map(CELLS.__getitem__, text))


def pad(text: str, width: int, *, right: bool = False) -> str:
    if text.isascii():
        return text.rjust(width) if right else text.ljust(width)
    gap = " " * max(width - cells(text), 0)
    return gap + text if right else text + gap
