"""What a clerk types, as an FTS5 expression over the folded index (see ``fold``), and
the matches marked in a passage of the original text.

Syntax: words separated by spaces must all occur (``用地 审批``); ``"…"`` (or ``“…”``)
is an exact phrase, spaces and punctuation included; ``-word`` or ``-"…"`` excludes.
A Chinese word of two or more characters is the phrase of its character pairs; one
character is a prefix query (a pair starting with it, or a run's last character).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jsgj.errors import UsageError
from jsgj.i18n import _
from jsgj.search.fold import fold, pairs, segments

# After NFKC: "…" (also from ＂…＂), “…”, or a bare word; each may start with '-'.
_TERM = re.compile(r'(?P<neg>-?)(?:"(?P<q1>[^"]*)"?|“(?P<q2>[^”]*)”?|(?P<word>[^\s"“]+))')


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    """Folded."""
    exact: bool
    """Quoted: the folded text must contain it as typed (after folding)."""
    fts: str
    """The FTS5 phrase."""


@dataclass(frozen=True, slots=True)
class Query:
    typed: str
    include: tuple[Term, ...]
    exclude: tuple[Term, ...]

    @property
    def match(self) -> str:
        """The FTS5 MATCH expression."""
        expr = " AND ".join(f"({t.fts})" for t in self.include)
        for t in self.exclude:
            expr = f"({expr}) NOT ({t.fts})"
        return expr

    def confirms(self, texts: list[str]) -> bool:
        """Whether the exact phrases occur as typed in one of ``texts``: the pair phrase
        also matches across a space or a punctuation mark, the phrase does not."""
        folded = [_spaces(fold(t)) for t in texts]
        return all(any(t.text in f for f in folded) for t in self.include if t.exact)


def _spaces(text: str) -> str:
    return " ".join(text.split())


def _phrase(folded: str) -> str | None:
    """The FTS5 phrase for one term, or None when it has no token at all."""
    parts = list(segments(folded))
    out: list[str] = []
    for i, (kind, value) in enumerate(parts):
        last = i == len(parts) - 1
        if kind == "word":
            out.append(f'"{value}"')
        elif len(value) == 1 and last:
            out.append(f'"{value}"*')  # a pair starting with it, or the run's last
        else:
            out.extend(f'"{p}"' for p in pairs(value))
            if not last:  # the run ends here in the text too: its last character
                out.append(f'"{value[-1]}"')
    return " + ".join(out) if out else None


def parse(typed: str) -> Query:
    """The query, or a usage error when it has nothing to look for."""
    include: list[Term] = []
    exclude: list[Term] = []
    for m in _TERM.finditer(fold(typed)):
        quoted = m.group("q1") if m.group("q1") is not None else m.group("q2")
        text = _spaces(quoted if quoted is not None else m.group("word") or "")
        fts = _phrase(text)
        if fts is None:
            continue
        (exclude if m.group("neg") else include).append(
            Term(text=text, exact=quoted is not None, fts=fts)
        )
    if not include:
        if exclude:
            raise UsageError(
                _("search {query!r}: only exclusions; say what to look for too").format(query=typed)
            )
        raise UsageError(_("search {query!r}: nothing to look for").format(query=typed))
    return Query(typed=typed, include=tuple(include), exclude=tuple(exclude))


# --- marking ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Passage:
    """A stretch of one field's text with the matches in it, as (start, end) offsets
    into ``text``; ``cut_before``/``cut_after`` say whether text was left out."""

    field: str
    text: str
    spans: tuple[tuple[int, int], ...]
    cut_before: bool = False
    cut_after: bool = False

    def marked(self, left: str = "**", right: str = "**") -> str:
        out: list[str] = ["…" if self.cut_before else ""]
        at = 0
        for start, end in self.spans:
            out += [self.text[at:start], left, self.text[start:end], right]
            at = end
        out += [self.text[at:], "…" if self.cut_after else ""]
        return "".join(out)


def match_spans(text: str, query: Query) -> list[tuple[int, int]]:
    """Where the query's terms occur in ``text`` (original offsets), merged."""
    folded: list[str] = []
    owner: list[int] = []
    for i, ch in enumerate(text):
        f = fold(ch)
        folded.append(f)
        owner.extend([i] * len(f))
    flat = "".join(folded)
    spans: list[tuple[int, int]] = []
    for term in query.include:
        # The term as typed; a word whose punctuation the index skipped, by its parts.
        whole = term.exact or term.text in flat
        needles = [term.text] if whole else [v for _, v in segments(term.text)]
        for needle in needles:
            at = flat.find(needle)
            while needle and at >= 0:
                spans.append((owner[at], owner[at + len(needle) - 1] + 1))
                at = flat.find(needle, at + len(needle))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def passage(field: str, text: str, query: Query, width: int = 80) -> Passage:
    """``text`` whole when short, else ``width`` characters around its first match."""
    spans = match_spans(text, query)
    if len(text) <= width:
        return Passage(field, text, tuple(spans))
    first = spans[0][0] if spans else 0
    start = max(0, min(first - width // 4, len(text) - width))
    end = start + width
    inside = tuple(
        (max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start
    )
    return Passage(field, text[start:end], inside, start > 0, end < len(text))
