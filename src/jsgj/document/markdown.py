"""Any document as Markdown: GFM tables that read well in mail and on a wiki. User
text is data, never markup: every piece goes through ``md``, so a note that says
``<script>`` or ``| --- |`` shows as those characters. Figures (SVG) are left out."""

from __future__ import annotations

import re
from collections.abc import Sequence

from jsgj.document.model import (
    Block,
    Document,
    Figure,
    Paragraph,
    Section,
    Table,
    align,
    chinese_date,
    text,
)

# Inline Markdown metacharacters (CommonMark lets a backslash escape any ASCII
# punctuation): '|' splits GFM table cells, '<' and '&' would start HTML or an entity,
# '[' a link, '$' maths on GitHub. User text is always inline, never at a line start,
# so block markers ('#', '-', '+', '>' aside) need no escape.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$])")


def md(value: str) -> str:
    """User text as literal Markdown inline content, on one line."""
    one_line = " ".join(str(value).split())
    return _MD_SPECIAL.sub(r"\\\1", one_line)


def md_table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> str:
    """A GFM pipe table. Cells must already be escaped; ``align`` is one letter per
    column: l, r or c (default l)."""
    marks = {"l": "---", "r": "---:", "c": ":---:"}
    spec = [marks[align[i]] if i < len(align) else "---" for i in range(len(header))]
    out = ["| " + " | ".join(header) + " |", "| " + " | ".join(spec) + " |"]
    for row in rows:
        out.append("| " + " | ".join(c if c else " " for c in row) + " |")
    return "\n".join(out)


def _table(t: Table) -> str:
    letters = "".join(align(t, i)[0] for i in range(len(t.columns)))
    rows = []
    for row in t.rows:
        cells = [md(text(v, c.kind)) for v, c in zip(row.cells, t.columns, strict=True)]
        if row.style == "total":
            cells = [f"**{c}**" for c in cells]
        rows.append(cells)
    return md_table([md(c.header) for c in t.columns], rows, letters)


def _blocks(blocks: Sequence[Block], level: int) -> list[str]:
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Section):
            out += [f"{'#' * level} {md(b.title)}", ""]
            out += _blocks(b.blocks, level + 1)
        elif isinstance(b, Paragraph):
            body = md(b.text)
            out += [f"**{body}**" if b.style == "strong" else body, ""]
        elif isinstance(b, Table):
            out += [_table(b), ""]
        elif isinstance(b, Figure):
            continue
    return out


def render_markdown(doc: Document) -> str:
    out: list[str] = []
    if doc.masthead is not None:
        m = doc.masthead
        out += [
            f"**{md(m.banner)}**",
            "",
            f"{md(m.issue)}　{md(m.issuer)}　{chinese_date(m.date)}",
            "",
        ]
    out += [f"# {md(doc.title)}", ""]
    for i, line in enumerate(doc.subtitle):
        out += [f"**{md(line)}**" if i == 0 else md(line), ""]
    out += _blocks(doc.body, 2)
    if doc.closing:
        out += ["---", ""]
        for p in doc.closing:
            out += [md(p.text), ""]
    out += _blocks(doc.annexes, 2)
    if doc.distribution is not None:
        d = doc.distribution
        out += ["---", ""]
        out += [f"{md(label)}：{md(to)}  " for label, to in d.lines]
        out += [f"{md(d.issuer)}　{chinese_date(d.date)}印发", ""]
    return "\n".join(out)
