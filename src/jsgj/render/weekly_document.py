"""The weekly report (周报) as one ``Document`` for every format: its frame (title,
subtitle, masthead, distribution), its data (``reports.weekly_json.weekly_record``,
what the JSON writer writes) and, for the writers of text, the body, annexes and
closing notes that ``render.weekly`` builds.

Apart from ``render.weekly`` so that ``--format json`` makes the document without
importing the sections and the block types they are made of (``document.model``):
the JSON writes only the data (issue 15)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jsgj.document.page import Distribution, Document, Masthead, chinese_date
from jsgj.reports.weekly_json import weekly_record

if TYPE_CHECKING:
    from jsgj.catalog.office import OfficeFile
    from jsgj.document.model import Block, Paragraph, Section
    from jsgj.reports.weekly import WeeklyReport


def masthead(r: WeeklyReport, office: OfficeFile) -> Masthead:
    return Masthead(office.banner, office.issue(r.week.year, r.week.number), office.name, r.as_of)


def build_weekly_document(
    r: WeeklyReport, office: OfficeFile | None = None, *, text: bool = True
) -> Document:
    """The report as a document. ``text=False``: without the body, annexes and
    closing notes, for a writer that reads only the data (JSON): their tables repeat
    the data as text, about a second's work and 15 MB for a province."""
    body: tuple[Block, ...] = ()
    annexes: tuple[Section, ...] = ()
    closing: tuple[Paragraph, ...] = ()
    if text:
        from jsgj.render.weekly import text_parts

        body, annexes, closing = text_parts(r)
    head = masthead(r, office) if office else None
    data: dict[str, Any] = weekly_record(r)
    distribution = None
    if office is not None and head is not None:
        from jsgj.document.jsonout import jsonable

        distribution = Distribution.of(office, r.as_of)
        data = {**data, "masthead": jsonable(head), "distribution": jsonable(distribution)}
    return Document(
        title=r.title,
        as_of=r.as_of,
        subtitle=(
            r.week.label,
            f"统计截至{chinese_date(r.as_of)}",
            f"《{r.document_title}》（{r.document}）落实情况",
        ),
        masthead=head,
        body=body,
        annexes=annexes,
        closing=closing,
        distribution=distribution,
        data=data,
    )
