"""Helpers for the matrix and weekly-report tests: golden files, the demo database and
a small hand-made database.

Golden files live in tests/golden/ (every report in every format: tests/test_golden.py).
After an intended change of output, regenerate them with ``JSGJ_UPDATE_GOLDEN=1
.venv/bin/pytest tests/test_golden.py tests/test_weekly.py`` and review the diff.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest

from jsgj import paths
from jsgj.catalog.catalog import Catalog
from jsgj.catalog.load import load_catalog
from jsgj.store.db import Store
from jsgj.store.tasks import acknowledge, assign, record_progress, review
from jsgj.values import Status, frozen_today

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("JSGJ_UPDATE_GOLDEN") == "1"
D = dt.date


def check_golden(name: str, actual: str | bytes) -> None:
    """Compare with tests/golden/NAME byte for byte (JSGJ_UPDATE_GOLDEN=1 rewrites it)."""
    path = GOLDEN / name
    data = actual.encode("utf-8") if isinstance(actual, str) else actual
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    if not path.exists():
        pytest.fail(f"no golden file {path}; create it with JSGJ_UPDATE_GOLDEN=1")
    expected = path.read_bytes()
    if data != expected:
        # Show the first differing line, which is what a reviewer needs.
        a = data.decode("utf-8", "replace").splitlines()
        b = expected.decode("utf-8", "replace").splitlines()
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            if x != y:
                pytest.fail(
                    f"{name} differs from its golden file at line {i + 1}:\n"
                    f"  expected: {y}\n  actual:   {x}\n(JSGJ_UPDATE_GOLDEN=1 regenerates it)"
                )
        pytest.fail(f"{name}: {len(a)} lines, golden has {len(b)} (JSGJ_UPDATE_GOLDEN=1)")


def xlsx_snapshot(data: bytes) -> str:
    """An xlsx as JSON for a golden file: each sheet's cell values, frozen panes,
    column widths and how it prints (paper, orientation, fit, repeated rows), not its
    bytes, which zip and openpyxl may vary."""
    from openpyxl import load_workbook

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, default=str)

    wb = load_workbook(BytesIO(data))
    lines: list[str] = []
    for ws in wb.worksheets:
        rows = [[c.value for c in row] for row in ws.iter_rows()]
        while rows and all(v is None for v in rows[-1]):
            rows.pop()
        widths = {k: v.width for k, v in sorted(ws.column_dimensions.items()) if v.width}
        setup = ws.page_setup
        printed = {
            "paper": setup.paperSize,
            "orientation": setup.orientation,
            "fit": [ws.sheet_properties.pageSetUpPr.fitToPage, setup.fitToWidth, setup.fitToHeight],
            "title_rows": ws.print_title_rows,
        }
        lines += [
            f"sheet {dump(ws.title)}",
            f"freeze_panes {dump(ws.freeze_panes)}",
            f"print {dump(printed)}",
            f"widths {dump(widths)}",
            *(f"row {i} {dump(row)}" for i, row in enumerate(rows, 1)),
        ]
    return "\n".join(lines) + "\n"


def fresh_catalog() -> Catalog:
    return load_catalog(paths.measures_path(), paths.departments_path())


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo database (src/jsgj/demo.py), built once for the session. Tests only
    read it."""
    from jsgj.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JSGJ_NO_CACHE", "1")
        catalog = fresh_catalog()
        with Store.open(path, catalog) as store:
            build_demo(store)
    yield path


NOTE_WITH_MARKUP = (
    "<script>alert('x')</script> 表格 | --- | 已完成 **加粗** [链接](http://x) & 后续"
)


def build_small(path: Path) -> None:
    """Four tasks (one shared out to the 13 cities, each city acknowledging its share)
    and a few reports, in June 2025. At 2025-06-29: 7-1 red (overdue), 12-1 blue (due
    in 3 days, on pace), 8-1 green, 1-1 shared out (13 city tasks, 1-1.nanjing claimed
    and approved: 已办结), 9-1 cancelled."""
    from jsgj.store.revisions import cancel_task

    catalog = fresh_catalog()
    with Store.open(path, catalog) as store:
        with frozen_today(D(2025, 6, 2)):
            assign(store, 7, "全面推行企业新型学徒制", co=["总工会"], due=D(2025, 6, 20))
            assign(store, 12, "推进特级技师评聘试点", due=D(2025, 7, 2))
            assign(store, 8, "新建省级高技能人才培养基地", due=D(2025, 12, 31))
            assign(store, 1, "落实并行招生", lead="各设区市", co=["教育厅"], due=D(2025, 12, 31))
            assign(store, 9, "实施数字技能提升行动", due=D(2025, 12, 31))
        with frozen_today(D(2025, 6, 3)):
            for city in catalog.department("cities").members:
                acknowledge(store, f"1-1.{city}", by=city, contact="联络员", phone="025-1")
        with frozen_today(D(2025, 6, 10)):
            cancel_task(store, "9-1", reason="并入7-1")
        with frozen_today(D(2025, 6, 24)):
            record_progress(
                store,
                "7-1",
                status=Status.in_progress,
                note=NOTE_WITH_MARKUP,
                percent=40,
                by="人社厅",
            )
            record_progress(
                store, "8-1", status=Status.in_progress, note="完成选址", percent=30, by="人社厅"
            )
        with frozen_today(D(2025, 6, 25)):
            record_progress(
                store,
                "1-1.nanjing",
                status=Status.done,
                note="南京市已完成",
                evidence="南京市招生录取统计表",
                by="南京",
            )
            review(store, "1-1.nanjing", approve=True)
            record_progress(
                store,
                "12-1",
                status=Status.in_progress,
                note="起草办法",
                percent=90,
                report_date=D(2025, 6, 16),
                by="人社厅",
            )


def docx_snapshot(data: bytes) -> str:
    """A .docx as text for a golden file: page size and orientation, then each paragraph
    with its style, each page break and each table row (a header row that repeats on
    every page marked ``|h``), in document order (not its bytes)."""
    from docx import Document as Docx
    from docx.oxml.ns import qn
    from docx.shared import Mm

    doc = Docx(BytesIO(data))
    section = doc.sections[0]
    width, height = round(section.page_width / Mm(1)), round(section.page_height / Mm(1))
    lines = [f"page {width}x{height}mm"]
    body = doc.element.body
    tables = iter(doc.tables)
    paragraphs = iter(doc.paragraphs)
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = next(paragraphs)
            if any(br.get(qn("w:type")) == "page" for br in child.iter(qn("w:br"))):
                lines.append("[page break]")
            if p.text.strip():
                lines.append(f"[{p.style.name}] {p.text}")
        elif tag == "tbl":
            for row in next(tables).rows:
                props = row._tr.trPr
                repeats = props is not None and props.find(qn("w:tblHeader")) is not None
                cells = " | ".join(c.text for c in row.cells)
                lines.append(f"|{'h' if repeats else ''} {cells} |")
    return "\n".join(lines) + "\n"
