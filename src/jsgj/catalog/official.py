"""Provenance (P*): the measures file agrees with the official text in data/source/ -
the document's facts, each section's title, and each measure's number, section, title,
text and departments in the document's order."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from jsgj.catalog.loader import Loaded
from jsgj.catalog.models import MeasuresFile
from jsgj.catalog.structure import chinese_numeral, gap
from jsgj.errors import Problem
from jsgj.i18n import _


def normalise_text(text: str) -> str:
    """NFKC, then no whitespace: full/half-width forms and line wraps don't count."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True, slots=True)
class OfficialMeasure:
    number: int
    title: str
    text: str
    departments: tuple[str, ...]
    section: int | None = None
    """The section whose heading precedes the measure."""


@dataclass(frozen=True, slots=True)
class OfficialText:
    """The official text, normalised and cut into its parts."""

    whole: str
    sections: dict[int, str]
    measures: dict[int, OfficialMeasure]


_DEPTS = re.compile(r"^(?P<title>.+?)。(?P<text>.*)\((?P<depts>[^()]+?)按职责分工负责\)$")


def parse_official(source: str) -> OfficialText:
    whole = normalise_text(source)
    sections: dict[int, str] = {}
    heading_at: list[tuple[int, int]] = []  # (position, section number)
    for n, numeral in enumerate("一二三四五六七八九十", 1):
        found = re.search(rf"{numeral}、([^()]+?)\((?:[一二三四五六七八九十]+)\)", whole)
        if found and n not in sections:
            sections[n] = found.group(1)
            heading_at.append((found.start(), n))
    starts: list[tuple[int, int]] = []
    n = 1
    while True:
        pos = whole.find(f"({chinese_numeral(n)})", starts[-1][1] if starts else 0)
        if pos < 0:
            break
        starts.append((n, pos))
        n += 1
    measures: dict[int, OfficialMeasure] = {}
    end_of_body = whole.find("抄送")
    for k, (number, pos) in enumerate(starts):
        end = starts[k + 1][1] if k + 1 < len(starts) else end_of_body
        chunk = whole[pos + len(f"({chinese_numeral(number)})") : end]
        chunk = re.sub(r"[一二三四五六七八九十]、[^。()]+$", "", chunk)  # next section heading
        match = _DEPTS.match(chunk)
        if match is None:
            continue
        depts = tuple(x for x in re.split(r"[、,]", match.group("depts")) if x)
        section = max((h for h in heading_at if h[0] < pos), default=None)
        measures[number] = OfficialMeasure(
            number,
            match.group("title"),
            match.group("text"),
            depts,
            section[1] if section else None,
        )
    return OfficialText(whole, sections, measures)


def _first_difference(ours: str, official: str) -> str:
    i = next(
        (k for k, (a, b) in enumerate(zip(ours, official, strict=False)) if a != b),
        min(len(ours), len(official)),
    )
    theirs = official[max(0, i - 6) : i + 6] or "(end)"
    mine = ours[max(0, i - 6) : i + 6] or "(end)"
    return _("at character {i}: official text has “{theirs}”, the file has “{mine}”").format(
        i=i + 1, theirs=theirs, mine=mine
    )


def check_provenance(m: Loaded[MeasuresFile], official: OfficialText) -> Iterator[Problem]:
    """P001 title, P002 text, P003 departments, P004 measure count, P005 section title,
    P006 document fields, P007 a measure's section: each must agree with the official text."""
    doc = m.data.document
    for key, value in (
        ("number", doc.number),
        ("title", doc.title),
        ("notice_title", doc.notice_title),
        ("issuer", doc.issuer),
        ("publication", doc.publication),
        ("preamble", doc.preamble),
        ("aim_2035", doc.aim_2035),
    ):
        if normalise_text(value) not in official.whole:
            yield m.problem(
                "P006",
                _("document.{key} does not occur in the official text").format(key=key),
                "document",
                key,
            )
    issued = f"{doc.issued.year}年{doc.issued.month}月{doc.issued.day}日"
    if issued not in official.whole:
        yield m.problem(
            "P006",
            _("document.issued {date} is not the official date").format(date=doc.issued),
            "document",
            "issued",
        )
    preamble = normalise_text(doc.preamble)
    for i, target in enumerate(doc.targets):
        if normalise_text(target.wording) not in preamble:
            yield m.problem(
                "P006",
                _("target {id}: its wording does not occur in the preamble").format(id=target.id),
                "document",
                "targets",
                i,
                "wording",
            )
    for i, section in enumerate(m.data.sections):
        expected = official.sections.get(section.number)
        if expected is None:
            yield m.problem(
                "P005",
                _("the official text has no section {n}").format(n=section.number),
                "sections",
                i,
            )
        elif normalise_text(section.title) != expected:
            yield m.problem(
                "P005",
                _("section {n} title differs {where}").format(
                    n=section.number,
                    where=_first_difference(normalise_text(section.title), expected),
                ),
                "sections",
                i,
                "title",
            )
    numbers = {measure.number for measure in m.data.measures}
    for n in sorted(set(official.measures) - numbers):
        yield m.problem(
            "P004",
            _("the official text has measure {n}, the file does not").format(n=n),
            *gap(m, n),
        )
    for i, measure in enumerate(m.data.measures):
        ref = official.measures.get(measure.number)
        if ref is None:
            yield m.problem(
                "P004",
                _("measure {n} does not exist in the official text").format(n=measure.number),
                "measures",
                i,
                "number",
            )
            continue
        if ref.section is not None and measure.section != ref.section:
            yield m.problem(
                "P007",
                _("measure {n} is in section {official} of the official text, not {ours}").format(
                    n=measure.number, official=ref.section, ours=measure.section
                ),
                "measures",
                i,
                "section",
            )
        title = normalise_text(measure.title)
        if title != ref.title:
            yield m.problem(
                "P001",
                _("measure {n} title differs {where}").format(
                    n=measure.number, where=_first_difference(title, ref.title)
                ),
                "measures",
                i,
                "title",
            )
        text = normalise_text(measure.text)
        if text != ref.text:
            yield m.problem(
                "P002",
                _("measure {n} text differs {where}").format(
                    n=measure.number, where=_first_difference(text, ref.text)
                ),
                "measures",
                i,
                "text",
            )
        ours = tuple(normalise_text(x) for x in measure.departments)
        if ours != ref.departments:
            j = next(
                (k for k, (a, b) in enumerate(zip(ours, ref.departments, strict=False)) if a != b),
                min(len(ours), len(ref.departments)),
            )
            what = (
                _(
                    "measure {n} departments are in a different order from the official text: "
                    "position {position} should be {should}; official order: {order}"
                )
                if sorted(ours) == sorted(ref.departments)
                else _(
                    "measure {n} departments differ from the official text: "
                    "position {position} should be {should}; official order: {order}"
                )
            )
            should = ref.departments[j] if j < len(ref.departments) else _("(none)")
            yield m.problem(
                "P003",
                what.format(
                    n=measure.number,
                    position=j + 1,
                    should=should,
                    order="、".join(ref.departments),
                ),
                "measures",
                i,
                "departments",
                min(j, len(measure.departments) - 1),
            )
