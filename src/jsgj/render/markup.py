"""Escaping user text for Markdown and HTML, Markdown tables, and the HTML page
shell (inline CSS, printable on A4) the matrix and the weekly report share.

User text is data, never markup: a note that says ``<script>`` or ``| --- |`` shows
as those characters in both formats.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from jsgj.render.text import one_line, visible

# Inline Markdown metacharacters (CommonMark lets a backslash escape any ASCII
# punctuation): '|' splits GFM table cells, '<' and '&' would start HTML or an entity,
# '[' a link, '$' maths on GitHub. User text is always inline, never at a line start,
# so block markers ('#', '-', '+', '>' aside) need no escape.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$])")


def md(text: str) -> str:
    """User text as literal Markdown inline content, on one line; control and
    bidi characters shown as escapes (``render.text``)."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(str(text)))


def md_table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> str:
    """A GFM pipe table. Cells must already be escaped; ``align`` is one letter per
    column: l, r or c (default l)."""
    marks = {"l": "---", "r": "---:", "c": ":---:"}
    spec = [marks[align[i]] if i < len(align) else "---" for i in range(len(header))]
    out = ["| " + " | ".join(header) + " |", "| " + " | ".join(spec) + " |"]
    for row in rows:
        out.append("| " + " | ".join(c if c else " " for c in row) + " |")
    return "\n".join(out)


def esc(text: object) -> str:
    """User text (or anything) as HTML text or attribute content."""
    return html.escape(visible(str(text)), quote=True)


# A government report on A4: 仿宋-like serif body, 黑体-like headings, a red rule
# under the masthead, tables with thin rules; print at A4 with running margins.
BASE_CSS = """
@page { size: A4; margin: 18mm 16mm 18mm 16mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 210mm; padding: 14mm 14mm 16mm; color: #1a1a1a;
  background: #fff; font-size: 10.5pt; line-height: 1.55;
  font-family: "FangSong", "仿宋", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC",
    "Songti SC", "SimSun", serif; }
h1, h2, h3, th, .sans, .num, table { font-family: "SimHei", "黑体", "Microsoft YaHei",
  "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", sans-serif; }
.masthead { text-align: center; color: #c00000;
  font-family: "FZXiaoBiaoSong-B05S", "方正小标宋简体",
  "STZhongsong", "Noto Serif CJK SC", "SimSun", serif; font-weight: 700; font-size: 24pt;
  letter-spacing: 0.12em; margin: 2mm 0 3mm; }
.docline { display: flex; justify-content: space-between; font-size: 10.5pt; margin: 0 0 1.5mm; }
.redrule { border: 0; border-top: 2.2pt solid #c00000; margin: 0 0 5mm; }
h1 { text-align: center; font-size: 16pt; margin: 0 0 1mm; font-weight: 700; }
.subtitle { text-align: center; margin: 0 0 5mm; font-size: 11pt; }
h2 { font-size: 13pt; margin: 7mm 0 2.5mm; padding-bottom: 1mm;
  border-bottom: 0.6pt solid #999; break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 1.5mm; break-after: avoid; }
p { margin: 1.5mm 0; text-indent: 0; }
table { width: 100%; border-collapse: collapse; font-size: 9pt; line-height: 1.35;
  margin: 1.5mm 0 3mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.6pt solid #8c8c8c; padding: 1.2mm 1.6mm; vertical-align: top; }
th { background: #eef1f5; font-weight: 700; text-align: center; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.c { text-align: center; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
.muted { color: #666; }
.small { font-size: 8.5pt; }
.light { display: inline-block; white-space: nowrap; padding: 0 1.4mm; border-radius: 1mm;
  font-size: 8.5pt; font-weight: 700; }
.light.red { background: #c62828; color: #fff; }
.light.yellow { background: #f2c200; color: #3a2d00; }
.light.green { background: #2e7d32; color: #fff; }
.light.done { background: #1f5fa8; color: #fff; }
.light.cancelled { background: #bdbdbd; color: #333; }
.cards { display: flex; gap: 3mm; margin: 2mm 0 3mm; }
.card { flex: 1; border: 0.6pt solid #8c8c8c; padding: 2mm 2.5mm; text-align: center; }
.card .n { font-size: 17pt; font-weight: 700; line-height: 1.2; font-family: "SimHei",
  "Noto Sans CJK SC", sans-serif; }
.card .k { font-size: 8.5pt; color: #444; }
.card.red .n { color: #c62828; } .card.yellow .n { color: #b08900; }
.card.green .n { color: #2e7d32; } .card.done .n { color: #1f5fa8; }
figure { margin: 2mm 0 3mm; break-inside: avoid; }
figcaption { font-size: 9pt; color: #444; text-align: center; margin-top: 1mm; }
.chase { break-inside: avoid; }
.chase h3 { border-left: 1.2mm solid #c00000; padding-left: 2mm; }
.footer { margin-top: 8mm; padding-top: 2mm; border-top: 0.6pt solid #999; font-size: 8.5pt;
  color: #555; }
@media screen { html { background: #e9eaec; } body { margin: 6mm auto;
  box-shadow: 0 0.5mm 3mm rgba(0, 0, 0, 0.25); } }
@media print { body { padding: 0; max-width: none; } h2 { break-after: avoid; } }
"""


def page(title: str, body: str, extra_css: str = "") -> str:
    """One self-contained HTML document: no script, no external resource."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n"
        f"<style>{BASE_CSS}{extra_css}</style>\n"
        "</head>\n<body>\n"
        f"{body}"
        "</body>\n</html>\n"
    )
