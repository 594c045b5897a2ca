"""Any document as a Word file (.docx, python-docx) that offices edit and forward in
Word or WPS: real Word headings (标题 1-3, so the navigation pane and a table of
contents work), tables whose header row repeats on every page, A4 with the page
number in the footer, the masthead in red over a red rule and the 版记 at the end.
Figures (SVG) are left out: Word cannot show them reliably."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from jsgj.document import palette
from jsgj.document.model import (
    Block,
    Cell,
    Distribution,
    Document,
    Kind,
    Paragraph,
    Section,
    Table,
    Value,
    align,
    chinese_date,
    light_of,
    text,
)

BODY_FONT = "FangSong"
HEAD_FONT = "SimHei"
BODY_PT = 10.5
TABLE_PT = 9


def _fonts(style_or_run: Any, latin: str, east_asia: str) -> None:
    """Set both the Latin and the East Asian font (Word picks by script)."""
    from docx.oxml.ns import qn

    style_or_run.font.name = latin
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        from docx.oxml import OxmlElement

        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), east_asia)


def _element(tag: str, **attrs: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), v)
    return el


def _shade(cell: Any, fill: str) -> None:
    cell._tc.get_or_add_tcPr().append(_element("w:shd", val="clear", color="auto", fill=fill))


def _rule(paragraph: Any, side: str, color: str, size: int, *more: str) -> None:
    """A line above or below a paragraph (the masthead's red rule, the 版记's rules);
    ``more`` sides get the same line (one border element for all)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = _element("w:pBdr")
    for where in (side, *more):
        borders.append(_element(f"w:{where}", val="single", sz=str(size), space="1", color=color))
    ppr.append(borders)


def _distribution(out: Any, d: Distribution) -> None:
    """The 版记 (GB/T 9704-2012): the 报/送/发 lines between rules, then the issuer and
    the 印发 date on one line, the date at the right margin."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Mm, Pt

    section = out.sections[0]
    usable = section.page_width - section.left_margin - section.right_margin
    ink = "1A1A1A"
    for i, (label, to) in enumerate(d.lines):
        p = out.add_paragraph(f"{label}：{to}")
        p.paragraph_format.space_after = Pt(2)
        if i == 0:
            p.paragraph_format.space_before = Mm(8)
            _rule(p, "top", ink, 8)
    last = out.add_paragraph(f"{d.issuer}\t{chinese_date(d.date)}印发")
    last.paragraph_format.tab_stops.add_tab_stop(usable, WD_TAB_ALIGNMENT.RIGHT)
    if not d.lines:
        last.paragraph_format.space_before = Mm(8)
    _rule(last, "top", ink, 4 if d.lines else 8, "bottom")


def _setup(doc: Document) -> Any:
    from docx import Document as Docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt, RGBColor

    out = Docx()
    section = out.sections[0]
    width, height = Mm(210), Mm(297)
    if doc.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = width, height
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    normal = out.styles["Normal"]
    _fonts(normal, "Times New Roman", BODY_FONT)
    normal.font.size = Pt(BODY_PT)
    for level, size in ((1, 16), (2, 13), (3, 11), (4, 10.5)):
        style = out.styles[f"Heading {level}"]
        _fonts(style, "Arial", HEAD_FONT)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0x1A, 0x1A, 0x1A)
    # The page number, centred in the footer: a PAGE field Word and LibreOffice fill in.
    footer = section.footer.paragraphs[0]
    footer.alignment = 1
    field = _element("w:fldSimple", instr="PAGE")
    run = _element("w:r")
    run.append(_element("w:t"))
    run[-1].text = "1"
    field.append(run)
    footer._p.append(field)
    return out


def _masthead(out: Any, doc: Document) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Mm, Pt, RGBColor

    m = doc.masthead
    if m is None:
        return
    red = palette.RULE_RED.lstrip("#")
    banner = out.add_paragraph()
    banner.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = banner.add_run(m.banner)
    _fonts(run, "SimSun", "SimSun")
    run.font.size, run.font.bold = Pt(24), True
    run.font.color.rgb = RGBColor.from_string(red.upper())
    issue = out.add_paragraph(m.issue)
    issue.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line = out.add_paragraph()
    section = out.sections[0]
    usable = section.page_width - section.left_margin - section.right_margin
    line.paragraph_format.tab_stops.add_tab_stop(usable, WD_TAB_ALIGNMENT.RIGHT)
    line.add_run(f"{m.issuer}\t{chinese_date(m.date)}")
    _rule(line, "bottom", red, 18)
    line.paragraph_format.space_after = Mm(4)


def _table(out: Any, t: Table) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    table = out.add_table(rows=1 + len(t.rows), cols=len(t.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(_element("w:tblHeader", val="true"))
    section = out.sections[0]
    usable = section.page_width - section.left_margin - section.right_margin
    widths = [c.width for c in t.columns]
    if all(widths):
        table.autofit = False

    def fill(cell: Any, value: str, *, bold: bool = False, align: int | None = None) -> Any:
        p = cell.paragraphs[0]
        run = p.add_run(value)
        run.font.size = Pt(TABLE_PT)
        run.font.bold = bold or None
        if align is not None:
            p.alignment = align
        return run

    for j, c in enumerate(t.columns):
        cell = header.cells[j]
        fill(cell, c.header, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _shade(cell, palette.HEADER_FILL)
    for i, row in enumerate(t.rows, 1):
        cells = table.rows[i].cells
        for j, (item, c) in enumerate(zip(row.cells, t.columns, strict=True)):
            where = {"right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}
            run = fill(
                cells[j],
                text(item, c.kind),
                bold=row.style == "total",
                align=where.get(align(t, j)),
            )
            _mark(cells[j], run, item, c.kind, RGBColor)
    if all(widths):
        total = sum(widths)
        for j, c in enumerate(t.columns):
            # Word reads the cells' widths, LibreOffice the grid's: set both.
            table.columns[j].width = int(usable * c.width / total)
            for r in table.rows:
                r.cells[j].width = int(usable * c.width / total)


def _mark(cell: Any, run: Any, item: Value | Cell, kind: Kind, rgb: Any) -> None:
    """A light column shows its light as the cell's colour; a matrix cell its tone."""
    lt = light_of(item)
    if lt is not None and (kind is Kind.light or isinstance(item, Cell)):
        swatch = palette.light(lt)
        if kind is Kind.light:
            _shade(cell, swatch.fill.lstrip("#"))
            run.font.color.rgb = rgb.from_string(swatch.ink.lstrip("#").upper())
        else:
            _shade(cell, swatch.tint)
    elif isinstance(item, Cell) and item.tone:
        tone = palette.tone(item.tone)
        if tone is not None:
            _shade(cell, tone.tint)
    if isinstance(item, Cell) and item.tone == "lead":
        run.font.bold = True


def _blocks(out: Any, blocks: Sequence[Block], level: int) -> None:
    from docx.shared import Pt

    for b in blocks:
        if isinstance(b, Section):
            out.add_heading(b.title, level=min(level, 4))
            _blocks(out, b.blocks, level + 1)
        elif isinstance(b, Paragraph):
            p = out.add_paragraph()
            if b.style == "sign":
                p.alignment = 2  # WD_ALIGN_PARAGRAPH.RIGHT
            run = p.add_run(b.text)
            if b.style == "note":
                run.font.size = Pt(8.5)
            run.font.bold = b.style == "strong" or None
        elif isinstance(b, Table):
            _table(out, b)
            # A thin paragraph after each table: a little space before what follows, and
            # two tables in a row stay two tables (Word joins adjacent ones).
            gap = out.add_paragraph().paragraph_format
            gap.space_before, gap.space_after, gap.line_spacing = Pt(0), Pt(4), Pt(2)


def render_docx(doc: Document) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Pt

    from jsgj.document.ooxml import pinned

    out = _setup(doc)
    _masthead(out, doc)
    title = out.add_heading(doc.title, level=1)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in doc.subtitle:
        out.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    _blocks(out, doc.body, 2)
    for p in doc.closing:
        out.add_paragraph().add_run(p.text).font.size = Pt(8.5)
    for annex in doc.annexes:
        out.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        out.add_heading(annex.title, level=2)
        _blocks(out, annex.blocks, 3)
    if doc.distribution is not None:
        _distribution(out, doc.distribution)
    core = out.core_properties
    core.author = core.last_modified_by = "jsgj"
    core.title = doc.title
    raw = io.BytesIO()
    out.save(raw)
    return pinned(raw.getvalue(), doc.as_of)
