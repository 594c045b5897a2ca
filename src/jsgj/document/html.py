"""Any document as one self-contained HTML file (inline CSS and SVG, no script, no
network), from Jinja2 templates with autoescaping on: user text is escaped by the
template engine, never by hand. Laid out to print on A4 (see document.css.j2)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jsgj.document import palette
from jsgj.document.model import (
    Cell,
    Column,
    Document,
    Figure,
    Kind,
    Paragraph,
    Section,
    Table,
    Value,
    chinese_date,
    light_of,
    text,
)

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _kind(block: object) -> str:
    for cls, name in ((Section, "section"), (Paragraph, "paragraph"), (Table, "table")):
        if isinstance(block, cls):
            return name
    return "figure" if isinstance(block, Figure) else ""


def _fixed(t: Table) -> bool:
    return all(c.width for c in t.columns)


def _head_class(t: Table, c: Column) -> str:
    if t.grid and c.long:
        return "v"
    return "num" if c.numeric else ""


def _cell_class(c: Column, item: Value | Cell) -> str:
    classes = []
    if c.numeric:
        classes.append("num")
    elif c.kind is Kind.light:
        classes.append("c")
    elif c.nowrap or c.kind is Kind.date:
        classes.append("nowrap")
    if isinstance(item, Cell):
        if item.tone:
            classes.append(item.tone)
        if item.light is not None:
            classes.append(f"t-{item.light.value}")
    return " ".join(classes)


@cache
def _environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined
    from markupsafe import Markup

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.globals.update(
        kind=_kind,
        fixed=_fixed,
        head_class=_head_class,
        cell_class=_cell_class,
        light_of=light_of,
        text=text,
        date=chinese_date,
        palette=palette,
        # Figures are SVG drawn by jsgj.render.svg, which escapes the text it draws.
        svg=Markup,
    )
    return env


def render_html(doc: Document) -> str:
    context: dict[str, Any] = {"doc": doc}
    return _environment().get_template("document.html.j2").render(context)
