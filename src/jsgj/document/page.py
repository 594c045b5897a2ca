"""The document's frame: the ``Document`` itself, its masthead (红头) and its
distribution (版记), and how a report writes a date. ``document.model`` holds the
blocks a body is made of (tables, paragraphs, sections) and re-exports these.

Apart so that a document written only as its data (``--format json``, the report's
record: ``jsonout.json_document``) is made without defining the block types: ten
frozen dataclasses, ~40 M instructions of start-up (issue 15)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsgj.catalog.office import OfficeFile
    from jsgj.document.model import Block, Paragraph, Section, Table


@dataclass(frozen=True, slots=True)
class Masthead:
    """The 红头 of a report sent out: banner, 期号, 编发单位 and 印发日期."""

    banner: str
    issue: str
    issuer: str
    date: dt.date


@dataclass(frozen=True, slots=True)
class Distribution:
    """The 版记 at the end: who the report goes to (报, 送, 发), and who printed it when."""

    lines: tuple[tuple[str, str], ...]
    issuer: str
    date: dt.date

    @classmethod
    def of(cls, office: OfficeFile, day: dt.date) -> Distribution:
        """The 版记 data/office.yaml gives, printed on ``day``."""
        return cls(tuple((line.label, line.to) for line in office.distribution), office.name, day)


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    as_of: dt.date
    """The date the data is as of: it pins file timestamps, so output is reproducible."""
    subtitle: tuple[str, ...] = ()
    masthead: Masthead | None = None
    body: tuple[Block, ...] = ()
    annexes: tuple[Section, ...] = ()
    """附件, after the body, each on a new page where the format has pages."""
    closing: tuple[Paragraph, ...] = ()
    """Notes under the body, before the annexes (附注: the rules, how things are
    counted)."""
    distribution: Distribution | None = None
    """The 版记, after the annexes: the last thing on the last page."""
    landscape: bool = False
    tabular: Table | None = None
    """The flat view CSV and xlsx write; None means the document's only table."""
    data: Any = field(default=None, compare=False)
    """What ``--format json`` writes for scripts (the report's record); None: the document."""


def chinese_date(day: dt.date) -> str:
    """2025年6月29日, as dates are written in a report."""
    return f"{day.year}年{day.month}月{day.day}日"
