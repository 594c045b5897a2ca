"""Plain-text columns for listings that stream: widths in terminal cells (a Chinese
character takes two), text wrapped within its column at character boundaries but never
inside a number, date, id or Latin word, and a row too wide for the terminal folded at
column boundaries onto more lines. No rich: a row is laid out on its own, from widths
known before the first row is printed, so a listing of 20,000 tasks prints as it is
read and holds one row at a time.

Colour (ANSI SGR) is added around a cell after its width is counted, and only when the
caller asks for it (stdout a terminal)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from jsgj.render.text import CELLS, cells, pad, visible

_WORD = re.compile(
    r"\\(?:x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})|[0-9A-Za-z][0-9A-Za-z.\-_/:%#+]*|\s+|.",
    re.DOTALL,
)
"""Unbreakable pieces of a text: an escape shown by ``visible`` (``\\u200d``), a run
of Latin letters and digits (a number, a date, an id, a document number such as #916
or 2025-12-31) or one other character."""
_NO_START = frozenset("，。、；：？！）》」』】〕’”,.;:?!)]%")
"""Punctuation that never starts a line: it stays with the piece before it."""
_NO_END = frozenset("（《「『【〔‘“([")
"""Punctuation that never ends a line: it stays with the piece after it."""


def pieces(text: str) -> list[str]:
    """``text`` cut where a line may break (see ``_WORD`` and ``_NO_START``)."""
    out: list[str] = []
    for piece in _WORD.findall(text):
        if out and (piece[0] in _NO_START or (out[-1][-1] in _NO_END and not piece.isspace())):
            out[-1] += piece
        else:
            out.append(piece)
    return out


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken only between pieces; a
    piece wider than a whole line (a very long Latin word) is folded by character."""
    return [line for line, _ in wrap_cells(text, width)]


def wrap_cells(text: str, width: int) -> list[tuple[str, int]]:
    """``wrap`` with each line's width in cells. A title (printable, no white space,
    no backslash) is cut where the running width passes the line, moved back to the
    nearest place a line may break (``_breaks_before``), without cutting it into
    pieces first; anything else goes piece by piece (``_wrap_pieces``)."""
    width = max(width, 2)
    if not (text.isprintable() and text.split() == [text]) or "\\" in text:
        return [(line, cells(line)) for line in _wrap_pieces(text, width)]
    if 2 * len(text) <= width:  # fits, whatever its characters (a city's name)
        return [(text, cells(text))]
    if text.isascii():
        ends: list[int] = list(range(1, len(text) + 1))
    else:
        ends = list(accumulate(map(CELLS.__getitem__, text)))
    total = ends[-1]
    if total <= width:
        return [(text, total)]
    lines: list[tuple[str, int]] = []
    start = base = 0
    while total - base > width:
        cut = bisect_right(ends, base + width, start)  # text[start:cut] fits
        while cut > start and not _breaks_before(text, cut):
            cut -= 1
        if cut == start:  # a piece wider than a line: folded by character
            return [(line, cells(line)) for line in _wrap_pieces(text, width)]
        lines.append((text[start:cut], ends[cut - 1] - base))
        start, base = cut, ends[cut - 1]
    lines.append((text[start:], total - base))
    return lines


_LATIN = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_RUN = _LATIN | frozenset(".-_/:%#+")


def _breaks_before(text: str, i: int) -> bool:
    """Whether a line of ``text`` (no white space, no escapes) may break before
    ``text[i]``: where ``pieces`` would cut it (``_WORD``, ``_NO_START``,
    ``_NO_END``)."""
    ch, before = text[i], text[i - 1]
    if ch in _NO_START or before in _NO_END:
        return False
    if ch in _RUN and before in _RUN:
        # Inside a run of Latin letters and digits: from its first letter or digit on.
        k = i - 1
        while k >= 0 and text[k] in _RUN:
            if text[k] in _LATIN:
                return False
            k -= 1
    return True


def _wrap_pieces(text: str, width: int) -> list[str]:
    """``wrap``, piece by piece (``pieces``)."""
    width = max(width, 2)
    if text.isprintable() and text.split() == [text] and cells(text) <= width:
        return [text]  # fits: one line as it is (no white space to fold, nothing hidden)
    lines: list[str] = []
    line, used = "", 0
    for piece in pieces(" ".join(visible(text).split())):
        w = CELLS[piece] if len(piece) == 1 else cells(piece)
        if used + w <= width:
            line, used = line + piece, used + w
            continue
        if line.strip():
            lines.append(line.rstrip())
        line, used = "", 0
        if piece.isspace():
            continue
        while w > width:  # only a run longer than the line itself
            head, rest = _split_at(piece, width)
            lines.append(head)
            piece, w = rest, cells(rest)
        line, used = piece, w
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def _split_at(text: str, width: int) -> tuple[str, str]:
    used = 0
    for i, ch in enumerate(text):
        used += cells(ch)
        if used > width:
            return text[:i], text[i:]
    return text, ""


class _Padded(dict[str, str]):
    """Cells padded to one width, each value once: department names, dates, statuses
    and percents repeat down a listing. Shared by every column of that width and
    alignment (``_pads``): a table of tasks has a layout for each width of its ids."""

    def __init__(self, width: int, right: bool) -> None:
        super().__init__()
        self.width, self.right = width, right

    def __missing__(self, text: str) -> str:
        if len(self) > 16384:  # titles do not come here; dates, names, labels repeat
            self.clear()
        found = self[text] = pad(text, self.width, right=self.right)
        return found


class _Wrapped(dict[str, list[tuple[str, int]]]):
    """The text column's ``wrap_cells`` at its width, each text once: a city's share
    is named by its city, and a province's titles repeat across measures (7,884
    distinct among 12,200). The lists are shared: never changed in place."""

    def __init__(self, width: int) -> None:
        super().__init__()
        self.width = width

    def __missing__(self, text: str) -> list[tuple[str, int]]:
        if len(self) > 16384:  # a bound: a listing holds one row at a time
            self.clear()
        found = self[text] = wrap_cells(text, self.width)
        return found


@dataclass(frozen=True, slots=True)
class Col:
    """A fixed column: its header, width in cells, right-aligned or not. A key column
    of width 0 is no column (the text comes first)."""

    header: str
    width: int
    right: bool = False


SGR = {
    "bold": "1",
    "dim": "2",
    "italic": "3",
    "underline": "4",
    "black": "30",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "blue": "34",
    "magenta": "35",
    "cyan": "36",
    "white": "37",
}


def paint(text: str, style: str) -> str:
    """``text`` in a palette style (rich's words: 'bold red', 'white on blue') as ANSI
    SGR codes."""
    codes: list[str] = []
    background = False
    for word in style.split():
        if word == "on":
            background = True
            continue
        code = SGR.get(word)
        if code is not None:
            codes.append(str(int(code) + 10) if background and code.startswith("3") else code)
        background = False
    return f"\x1b[{';'.join(codes)}m{text}\x1b[0m" if codes else text


@dataclass(frozen=True, slots=True)
class Layout:
    """Where a listing's cells go at a terminal width: one line a row with the wide
    text column wrapping within its own width when every column fits beside at least
    ``min_text`` cells of text; else folded: the key and the text on the first
    line(s), the fixed columns below, indented, packed onto as few lines as fit
    (a cell is never split)."""

    key: Col
    text: Col
    fixed: tuple[Col, ...]
    width: int
    gap: int
    folded: bool
    text_width: int
    lines: tuple[tuple[int, ...], ...]
    """Folded: the fixed columns' indexes, line by line."""
    pads: tuple[_Padded, ...] = field(default=(), compare=False, repr=False)
    """Each fixed column's padded cells (``_Padded``)."""
    wrapped: _Wrapped | None = field(default=None, compare=False, repr=False)
    """The text column's wrapped texts (``_Wrapped``)."""

    @classmethod
    def fit(
        cls,
        key: Col,
        text: Col,
        fixed: Sequence[Col],
        width: int,
        min_text: int = 16,
        max_text: int | None = None,
    ) -> Layout:
        width = max(width, 20)
        fixed = tuple(fixed)
        keyed = 1 if key.width else 0
        for gap, room in ((2, 2 * min_text), (1, min_text)):  # two spaces if text still has room
            rest = key.width + sum(c.width for c in fixed) + gap * (len(fixed) + keyed)
            if width - rest >= max(room, text.width):
                room = width - rest if max_text is None else min(width - rest, max_text)
                return cls(
                    key, text, fixed, width, gap, False, room, (), _pads(fixed), _Wrapped(room)
                )
        gap = 1
        indent = key.width + gap * keyed
        lines: list[tuple[int, ...]] = []
        current: list[int] = []
        used = indent
        for i, c in enumerate(fixed):
            need = c.width + (gap if current else 0)
            if current and used + need > width:
                lines.append(tuple(current))
                current, used, need = [], indent, c.width
            current.append(i)
            used += need
        if current:
            lines.append(tuple(current))
        room = width - indent
        return cls(
            key, text, fixed, width, gap, True, room, tuple(lines), _pads(fixed), _Wrapped(room)
        )

    def header(self) -> Iterator[str]:
        yield from self.row(self.key.header, self.text.header, [c.header for c in self.fixed])

    def row(
        self,
        key: str,
        text: str,
        values: Sequence[str],
        styles: Sequence[str] = (),
        more: Sequence[str] = (),
    ) -> list[str]:
        """The lines of one row. ``styles``: a palette style per fixed value (colour on
        a terminal; empty for none); ``more``: paragraphs under the text (a remark)."""
        sp = " " * self.gap
        pads = self.pads or _pads(self.fixed)
        if len(values) != len(pads):
            raise ValueError(f"{len(values)} values for {len(pads)} columns")
        # ``dict.__getitem__`` (with ``_Padded.__missing__``): a subscript of a dict
        # subclass goes through a slot that costs twice the lookup.
        shown = list(map(_lookup, pads, values))
        if styles:
            for i, style in enumerate(styles[: len(shown)]):
                if style:
                    shown[i] = paint(shown[i], style)
        wrapped = self.wrapped
        body = wrapped[text] if wrapped is not None else wrap_cells(text, self.text_width)
        for paragraph in more:
            body = body + wrap_cells(paragraph, self.text_width)
        width = self.key.width
        if not width:
            keyed = ""
        elif key.isascii():  # a task id
            keyed = key.ljust(width) + sp
        else:
            keyed = pad(key, width) + sp
        out: list[str]
        if not self.folded:
            first, used = body[0]
            gap = " " * (self.text_width - used) if used < self.text_width else ""
            out = [f"{keyed}{first}{gap}{sp}{sp.join(shown)}".rstrip()]  # one string made
            if len(body) > 1:  # the title's other lines, under it
                indent = " " * cells(keyed)
                for line, _ in body[1:]:  # (a loop: a comprehension is a call on 3.11)
                    out.append((indent + line).rstrip())
            return out
        indent = " " * cells(keyed)
        out = [(keyed + body[0][0]).rstrip()]
        out += [(indent + line).rstrip() for line, _ in body[1:]]
        out += [(indent + sp.join(shown[i] for i in line)).rstrip() for line in self.lines]
        return out


_lookup = dict.__getitem__


def _pads(fixed: Sequence[Col]) -> tuple[_Padded, ...]:
    return tuple(_padded(c.width, c.right) for c in fixed)


_PADDED: dict[tuple[int, bool], _Padded] = {}


def _padded(width: int, right: bool) -> _Padded:
    found = _PADDED.get((width, right))
    if found is None:
        found = _PADDED[width, right] = _Padded(width, right)
    return found


def block(text: str, width: int) -> Iterator[str]:
    """A heading or a paragraph, wrapped to ``width`` (numbers and dates kept whole)."""
    yield from wrap(text, max(width, 20))
