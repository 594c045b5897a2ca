"""The document model and its writers: every format shows the same sections and
tables, user text stays text, Word files are real Word (headings, repeated header
rows, A4, page numbers) and reproducible, the office settings file is validated,
and `jsgj --help` loads no writer library."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Invoke
from jsgj.document.html import render_html
from jsgj.document.jsonout import dumps
from jsgj.document.markdown import render_markdown
from jsgj.document.model import Column, Document, Kind, Paragraph, Row, Section, Table
from jsgj.document.palette import LIGHTS
from jsgj.status import Color
from report_helpers import build_small, demo_db, docx_snapshot

__all__ = ["demo_db"]

AS_OF = "2025-06-29"


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    path = tmp_path / "small.db"
    build_small(path)
    return path


def run(jsgj: Invoke, *args: str) -> str:
    result = jsgj(*args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def md_outline(text: str) -> list[str]:
    """Headings and table header rows of a Markdown text, unescaped."""
    out = []
    for line in text.splitlines():
        if line.startswith("#"):
            out.append("h:" + re.sub(r"\\(.)", r"\1", line.lstrip("# ")))
        elif line.startswith("| ") and not line.startswith("| ---"):
            out.append(line)
    # keep only header rows: the line before a delimiter row
    lines = text.splitlines()
    headers = {lines[i - 1] for i, x in enumerate(lines) if x.startswith("| ---")}
    return [x for x in out if x.startswith("h:") or x in headers]


def md_headings(text: str) -> tuple[list[str], list[list[str]]]:
    items = md_outline(text)
    heads = [x[2:] for x in items if x.startswith("h:")]
    tables = [
        [re.sub(r"\\(.)", r"\1", c.strip()) for c in x.strip("|").split(" | ")]
        for x in items
        if not x.startswith("h:")
    ]
    return heads, tables


def html_headings(text: str) -> tuple[list[str], list[list[str]]]:
    heads = [html.unescape(h) for h in re.findall(r"<h[1-4]>(.*?)</h[1-4]>", text)]
    tables = []
    for row in re.findall(r"<thead><tr>(.*?)</tr></thead>", text):
        cells = re.findall(r"<th[^>]*>(?:<div>)?(.*?)(?:</div>)?</th>", row)
        tables.append([html.unescape(c) for c in cells])
    return heads, tables


@pytest.mark.parametrize(
    "args",
    [
        ("report", "weekly", "--as-of", AS_OF),
        ("matrix", "--tasks", "--as-of", AS_OF),
        ("matrix", "-d", "人社厅", "--as-of", AS_OF),
        ("report", "monthly", "--month", "2025-06"),
        ("chase", "宿迁", "--notice", "--date", AS_OF),
    ],
)
def test_markdown_and_html_have_the_same_sections_and_tables(
    jsgj: Invoke, demo_db: Path, args: tuple[str, ...]
) -> None:
    md_text = run(jsgj, "--db", str(demo_db), *args, "--format", "markdown")
    html_text = run(jsgj, "--db", str(demo_db), *args, "--format", "html")
    md_heads, md_tables = md_headings(md_text)
    html_heads, html_tables = html_headings(html_text)
    assert md_heads == html_heads and md_heads
    assert len(md_tables) == len(html_tables) >= 1
    for a, b in zip(md_tables, html_tables, strict=True):
        assert len(a) == len(b)
        # The matrix writes a measure's full title where HTML has room for it.
        assert all(x == y or y.startswith(x + " ") for x, y in zip(a, b, strict=True))


def test_weekly_chase_table_has_the_same_columns_everywhere(jsgj: Invoke, demo_db: Path) -> None:
    md_text = run(jsgj, "--db", str(demo_db), "report", "weekly", "--as-of", AS_OF)
    html_text = run(jsgj, "--db", str(demo_db), "report", "weekly", "--as-of", AS_OF, "-f", "html")
    header = ["单位", "编号", "任务", "灯", "原因", "截止", "进度"]
    assert "| " + " | ".join(header) + " |" in md_text
    cells = [f'<th class="num">{h}</th>' if h == "进度" else f"<th>{h}</th>" for h in header]
    assert "".join(cells) in html_text


def test_the_masthead_comes_from_the_office_file(
    jsgj: Invoke, small_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = tmp_path / "office.yaml"
    office.write_text(
        "name: 测试督查室\nbanner: 测试周报\nfirst_week:\n  2025: 20\n"
        "distribution:\n  - label: 报\n    to: 某领导\n  - label: 发\n    to: 各单位\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("JSGJ_OFFICE", str(office))
    for fmt in ("markdown", "html"):
        out = run(jsgj, "--db", str(small_db), "report", "weekly", "--as-of", AS_OF, "-f", fmt)
        # Week 26 is the 7th issue of a year whose first issue was week 20.
        for words in ("测试周报", "2025年第7期", "测试督查室", "2025年6月29日", "某领导", "各单位"):
            assert words in out, (fmt, words)
    data = run(jsgj, "--db", str(small_db), "report", "weekly", "--as-of", AS_OF, "-f", "json")
    assert json.loads(data)["masthead"]["issue"] == "2025年第7期"


def test_a_malformed_office_file_is_reported_with_its_line(
    jsgj: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = tmp_path / "office.yaml"
    office.write_text(
        "name: 督查室\nbanner: 周报\ndistribution:\n  - label: 抄\n    to: 某领导\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("JSGJ_OFFICE", str(office))
    result = jsgj("validate")
    assert result.exit_code == 1
    assert re.search(r"office\.yaml:4:\d+: S001 distribution\[0\]\.label", result.stdout)


def test_the_shipped_office_file_is_valid(jsgj: Invoke) -> None:
    assert jsgj("validate").exit_code == 0


# --- Word --------------------------------------------------------------------------------


KNOWN = "2030-01-01T00:00:00.000000+00:00"
"""A fixed moment: the report prints the moment it was computed."""


def weekly_docx(jsgj: Invoke, db: Path, target: Path) -> bytes:
    run(
        jsgj, "--db", str(db), "report", "weekly", "--as-of", AS_OF, "--known-on", KNOWN,
        "-f", "docx", "-o", str(target),
    )  # fmt: skip
    return target.read_bytes()


def test_weekly_docx_is_real_word(jsgj: Invoke, small_db: Path, tmp_path: Path) -> None:
    from docx import Document as Docx
    from docx.oxml.ns import qn
    from docx.shared import Mm

    data = weekly_docx(jsgj, small_db, tmp_path / "w.docx")
    doc = Docx(io.BytesIO(data))
    section = doc.sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "一、总体情况" in headings and "五、催办清单" in headings
    assert doc.tables
    for table in doc.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    footer = section.footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer
    # User text stays text in Word too.
    body = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "<script>alert('x')</script>" in body


def test_docx_bytes_are_reproducible(
    jsgj: Invoke, small_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = weekly_docx(jsgj, small_db, tmp_path / "a.docx")
    monkeypatch.setenv("JSGJ_TODAY", "2031-01-01")
    assert weekly_docx(jsgj, small_db, tmp_path / "b.docx") == first


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_converts_the_docx_to_pdf(jsgj: Invoke, demo_db: Path, tmp_path: Path) -> None:
    source = tmp_path / "weekly.docx"
    weekly_docx(jsgj, demo_db, source)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = (tmp_path / "weekly.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"/MediaBox" in pdf


# --- the writers on any document ------------------------------------------------------


def tiny(note: str) -> Document:
    table = Table(
        (Column("编号"), Column("进度", Kind.percent), Column("灯", Kind.light), Column("说明")),
        (Row(("1-1", 40, Color.red, note)), Row(("合计", None, None, ""), "total")),
    )
    return Document(
        title="测试",
        as_of=dt.date(2025, 6, 29),
        body=(Section("一、节", (Paragraph(note), table)),),
    )


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=40).filter(lambda s: s.strip() and "\x00" not in s))
def test_user_text_is_never_markup(note: str) -> None:
    doc = tiny(note)
    page = render_html(doc)
    body = page.split("<body", 1)[1]
    assert "<script" not in body.lower().replace("&lt;script", "")
    one_line = " ".join(note.split())
    shown = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())
    assert one_line in shown
    md_text = render_markdown(doc)
    row = next(x for x in md_text.splitlines() if x.startswith("| 1-1 |"))
    assert len(re.split(r"(?<!\\)\|", row)[1:-1]) == 4  # still four cells


def test_json_encodes_any_document() -> None:
    import json

    data = json.loads(dumps(tiny("说明")))
    table = data["body"][0]["blocks"][1]
    assert table["columns"][1]["kind"] == "percent"
    assert table["rows"][0]["cells"] == ["1-1", 40, "red", "说明"]
    assert data["as_of"] == "2025-06-29"


def test_every_light_has_one_colour() -> None:
    assert set(LIGHTS) == set(Color)
    css = render_html(tiny("x"))
    for color, swatch in LIGHTS.items():
        assert f".light.{color.value} {{ background: {swatch.fill};" in css


def test_help_loads_no_writer_library() -> None:
    code = (
        "import sys\n"
        "from jsgj.cli.app import main\n"
        "sys.argv = ['jsgj', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = [m for m in ('jinja2', 'docx', 'openpyxl') if m in sys.modules]\n"
        "print('LOADED=' + ','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "LOADED=\n" in result.stdout


def test_xlsx_prints_on_a4_with_its_header_on_every_page(jsgj: Invoke, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "m.xlsx"
    run(jsgj, "db", "init")
    run(jsgj, "matrix", "--as-of", AS_OF, "-f", "xlsx", "-o", str(target))
    ws = load_workbook(target).active
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$3:$3"
    assert [c.value for c in ws[3]][:2] == ["单位", "1 完善职业教育招生机制"]


# --- GB/T 9704-2012 order ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["markdown", "html", "table", "docx"])
def test_the_weekly_report_keeps_the_official_order(
    jsgj: Invoke, demo_db: Path, tmp_path: Path, fmt: str
) -> None:
    """Masthead, body, the notes (附注), the annexes (附件, each on a new page), and the
    版记 (报/送/发, 印发) last, in every format."""
    args = ("--db", str(demo_db), "report", "weekly", "--as-of", AS_OF, "-f", fmt)
    if fmt == "docx":
        target = tmp_path / "w.docx"
        run(jsgj, *args, "-o", str(target))
        out = docx_snapshot(target.read_bytes())
        assert "[page break]\n[Heading 2] 附件1" in out
    else:
        out = run(jsgj, *args)
    marks = ["江苏工匠培育工程督查周报", "一、总体情况", "说明：", "附件1", "附件2", "报：", "印发"]
    places = [out.find(m) for m in marks]
    assert -1 not in places and places == sorted(places), places
    assert out.rfind("附件") < out.find("报：")


def test_a_long_list_table_is_laid_out_in_parts_as_it_is_printed() -> None:
    import datetime as dt
    import io

    from rich.console import Console

    from jsgj.document import terminal
    from jsgj.document.model import Column, Document, Kind, Row, Table
    from jsgj.render.text import cells

    rows = tuple(Row((f"{i}-1", "推进高技能人才培养" * (1 + i % 3), i)) for i in range(1000))
    table = Table((Column("编号"), Column("任务"), Column("数", Kind.int)), rows)
    doc = Document("清单", dt.date(2025, 6, 30), body=(table,))

    def printed(parts: object) -> str:
        buf = io.StringIO()
        console = Console(file=buf, width=60, color_system=None, soft_wrap=False)
        for part in parts if isinstance(parts, list) else [parts]:
            console.print(part)
        return buf.getvalue()

    console = Console(file=io.StringIO(), width=60, color_system=None)
    group = terminal.render_terminal(doc, console)
    parts = list(group.renderables)
    assert len(parts) > 1000 // terminal._CHUNK  # the rows come in parts
    whole, in_parts = printed(group), printed(parts)
    assert whole == in_parts
    lines = whole.splitlines()
    assert lines[1].split() == ["编号", "任务", "数"]
    assert lines[2].split()[:1] == ["0-1"] and lines[-1].split()[-1] == "999"
    assert all(cells(line) <= 60 for line in lines)
