"""The CI checks on the data files. Each check is a small function yielding Problems
with an error code; ``check_files`` runs them all and reports every problem at once.

Codes: Y* YAML, S* schema (loader.py); M* measures; D* departments; P* provenance,
i.e. agreement with the official text in data/source/; I* indicators; X* the demo's
plans (demo/checks.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from jsgj.catalog.catalog import normalise_name
from jsgj.catalog.loader import Loaded, load_departments, load_measures
from jsgj.catalog.models import DepartmentsFile, MeasuresFile
from jsgj.errors import DataFileError, InvalidDataError, Problem
from jsgj.paths import display

CHINESE_NUMERALS = "一二三四五六七八九十"
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


def chinese_numeral(n: int) -> str:
    """1..99 as written in the document's labels: 十, 十一, 二十, ..."""
    if n < 1 or n > 99:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CHINESE_NUMERALS[tens - 1] + "十")
    return head + (CHINESE_NUMERALS[ones - 1] if ones else "")


def measure_label(n: int) -> str:
    return f"（{chinese_numeral(n)}）"


# --- measures file on its own --------------------------------------------------


def check_numbering(m: Loaded[MeasuresFile]) -> Iterator[Problem]:
    """M001 duplicate number, M002 gap in 1..N, M004 label does not match number."""
    seen: dict[int, int] = {}
    for i, measure in enumerate(m.data.measures):
        if measure.number in seen:
            yield m.problem(
                "M001",
                f"measure number {measure.number} is used twice "
                f"(also measures[{seen[measure.number]}])",
                "measures",
                i,
                "number",
            )
        else:
            seen[measure.number] = i
        if measure.label != measure_label(measure.number):
            yield m.problem(
                "M004",
                f"label {measure.label!r} does not match number {measure.number} "
                f"(expected {measure_label(measure.number)!r})",
                "measures",
                i,
                "label",
            )
    top = max(seen, default=0)
    for n in range(1, top + 1):
        if n not in seen:
            yield m.problem(
                "M002", f"measure {n} is missing (numbers must run 1..{top})", *_gap(m, n)
            )


def _gap(m: Loaded[MeasuresFile], n: int) -> tuple[str | int, ...]:
    """Where a missing measure ``n`` belongs: at the measure that follows it, if any."""
    after = [(x.number, i) for i, x in enumerate(m.data.measures) if x.number > n]
    return ("measures", min(after)[1]) if after else ("measures",)


def check_sections(m: Loaded[MeasuresFile]) -> Iterator[Problem]:
    """M003 a measure's section is not declared; M005 section numbers repeat or skip."""
    declared = [s.number for s in m.data.sections]
    counts = Counter(declared)
    first: dict[int, int] = {}
    for i, number in enumerate(declared):
        if number in first:
            # Point at each repeat (not at the first declaration, which is fine on its own).
            yield m.problem(
                "M005",
                f"section {number} is declared {counts[number]} times "
                f"(first as sections[{first[number]}])",
                "sections",
                i,
                "number",
            )
        else:
            first[number] = i
    for n in range(1, len(declared) + 1):
        if n not in declared:
            yield m.problem("M005", f"section {n} is missing", "sections")
    for i, measure in enumerate(m.data.measures):
        if measure.section not in declared:
            yield m.problem(
                "M003",
                f"measure {measure.number} is in section {measure.section}, which is not declared",
                "measures",
                i,
                "section",
            )


# --- departments file on its own ----------------------------------------------


def check_department_ids(d: Loaded[DepartmentsFile]) -> Iterator[Problem]:
    """D005 an id is not a lower-case ASCII identifier."""
    for i, dept in enumerate(d.data.departments):
        if not ID_PATTERN.match(dept.id):
            yield d.problem(
                "D005",
                f"id {dept.id!r} must be lower-case ASCII letters, digits and underscores",
                "departments",
                i,
                "id",
            )


def check_unique_names(d: Loaded[DepartmentsFile]) -> Iterator[Problem]:
    """D003 an id, name or alias that would resolve to two departments."""
    owner: dict[str, str] = {}
    for i, dept in enumerate(d.data.departments):
        keys = [("id", dept.id), ("name", dept.name), ("full_name", dept.full_name)]
        keys += [(f"aliases[{j}]", a) for j, a in enumerate(dept.aliases)]
        for where, key in keys:
            k = normalise_name(key)
            other = owner.get(k)
            if other is not None and other != dept.id:
                field_key: tuple[str | int, ...] = (
                    ("aliases", int(where[8:-1])) if where.startswith("aliases") else (where,)
                )
                yield d.problem(
                    "D003",
                    f"{key!r} ({where} of {dept.id}) already names department {other}",
                    "departments",
                    i,
                    *field_key,
                )
            owner.setdefault(k, dept.id)


def check_group_members(d: Loaded[DepartmentsFile]) -> Iterator[Problem]:
    """D004 a group lists a member that is not a department, or is itself a group."""
    by_id = {dept.id: dept for dept in d.data.departments}
    for i, dept in enumerate(d.data.departments):
        for j, member in enumerate(dept.members):
            target = by_id.get(member)
            if target is None:
                yield d.problem(
                    "D004",
                    f"group {dept.id} lists member {member!r}, which is not a department id",
                    "departments",
                    i,
                    "members",
                    j,
                )
            elif target.members:
                yield d.problem(
                    "D004",
                    f"group {dept.id} lists {member!r}, which is itself a group",
                    "departments",
                    i,
                    "members",
                    j,
                )


# --- the two files together ---------------------------------------------------


def check_references(m: Loaded[MeasuresFile], d: Loaded[DepartmentsFile]) -> Iterator[Problem]:
    """D001 a measure names an unknown department; D002 one department twice in a measure."""
    keys: dict[str, str] = {}
    for dept in d.data.departments:
        for key in (dept.id, dept.name, dept.full_name, *dept.aliases):
            keys.setdefault(normalise_name(key), dept.id)
    for i, measure in enumerate(m.data.measures):
        seen: dict[str, int] = {}
        for j, name in enumerate(measure.departments):
            did = keys.get(normalise_name(name))
            if did is None:
                yield m.problem(
                    "D001",
                    f"measure {measure.number} names {name!r}, which is not in {d.name}",
                    "measures",
                    i,
                    "departments",
                    j,
                )
            elif did in seen:
                yield m.problem(
                    "D002",
                    f"measure {measure.number} lists {name!r} twice "
                    f"(departments[{seen[did]}] and [{j}])",
                    "measures",
                    i,
                    "departments",
                    j,
                )
            else:
                seen[did] = j


def structure_problems(m: Loaded[MeasuresFile], d: Loaded[DepartmentsFile]) -> list[Problem]:
    """Checks every command relies on (cheap; the result is cached with the catalogue)."""
    return [
        *check_numbering(m),
        *check_sections(m),
        *check_department_ids(d),
        *check_unique_names(d),
        *check_group_members(d),
        *check_references(m, d),
    ]


# --- provenance: agreement with the official text -----------------------------


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
    return f"at character {i + 1}: official text has “{theirs}”, the file has “{mine}”"


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
                "P006", f"document.{key} does not occur in the official text", "document", key
            )
    issued = f"{doc.issued.year}年{doc.issued.month}月{doc.issued.day}日"
    if issued not in official.whole:
        yield m.problem(
            "P006", f"document.issued {doc.issued} is not the official date", "document", "issued"
        )
    preamble = normalise_text(doc.preamble)
    for i, target in enumerate(doc.targets):
        if normalise_text(target.wording) not in preamble:
            yield m.problem(
                "P006",
                f"target {target.id}: its wording does not occur in the preamble",
                "document",
                "targets",
                i,
                "wording",
            )
    for i, section in enumerate(m.data.sections):
        expected = official.sections.get(section.number)
        if expected is None:
            yield m.problem(
                "P005", f"the official text has no section {section.number}", "sections", i
            )
        elif normalise_text(section.title) != expected:
            yield m.problem(
                "P005",
                f"section {section.number} title differs "
                f"{_first_difference(normalise_text(section.title), expected)}",
                "sections",
                i,
                "title",
            )
    numbers = {measure.number for measure in m.data.measures}
    for n in sorted(set(official.measures) - numbers):
        yield m.problem(
            "P004", f"the official text has measure {n}, the file does not", *_gap(m, n)
        )
    for i, measure in enumerate(m.data.measures):
        ref = official.measures.get(measure.number)
        if ref is None:
            yield m.problem(
                "P004",
                f"measure {measure.number} does not exist in the official text",
                "measures",
                i,
                "number",
            )
            continue
        if ref.section is not None and measure.section != ref.section:
            yield m.problem(
                "P007",
                f"measure {measure.number} is in section {ref.section} of the official text, "
                f"not {measure.section}",
                "measures",
                i,
                "section",
            )
        title = normalise_text(measure.title)
        if title != ref.title:
            yield m.problem(
                "P001",
                f"measure {measure.number} title differs {_first_difference(title, ref.title)}",
                "measures",
                i,
                "title",
            )
        text = normalise_text(measure.text)
        if text != ref.text:
            yield m.problem(
                "P002",
                f"measure {measure.number} text differs {_first_difference(text, ref.text)}",
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
                "are in a different order" if sorted(ours) == sorted(ref.departments) else "differ"
            )
            should = ref.departments[j] if j < len(ref.departments) else "(none)"
            yield m.problem(
                "P003",
                f"measure {measure.number} departments {what} from the official text: "
                f"position {j + 1} should be {should}; "
                f"official order: {'、'.join(ref.departments)}",
                "measures",
                i,
                "departments",
                min(j, len(measure.departments) - 1),
            )


# --- everything ---------------------------------------------------------------


def load_pair(
    measures: Path, departments: Path
) -> tuple[Loaded[MeasuresFile] | None, Loaded[DepartmentsFile] | None, list[Problem]]:
    """Both files, each None when it cannot be read, with every YAML, schema and (when
    both load) structure problem: what every command relies on."""
    problems: list[Problem] = []
    m: Loaded[MeasuresFile] | None = None
    d: Loaded[DepartmentsFile] | None = None
    try:
        m = load_measures(measures)
    except InvalidDataError as e:
        problems += e.problems
    try:
        d = load_departments(departments)
    except InvalidDataError as e:
        problems += e.problems
    if m is not None and d is not None:
        problems += structure_problems(m, d)
    return m, d, problems


def check_files(
    measures: Path,
    departments: Path,
    source: Path,
    indicators: Path | None = None,
    demo: Path | None = None,
    office: Path | None = None,
    scoring: Path | None = None,
) -> list[Problem]:
    """Every problem with the data files, in file/line order. Empty means valid.
    ``demo``: the directory of the demo's plans (data/demo/), checked too when given."""
    m, d, problems = load_pair(measures, departments)
    if demo is not None:
        from jsgj.demo.checks import validate_demo

        problems += validate_demo(demo, m, d, problems, indicators)
    if m is None and d is not None:
        problems += [
            *check_department_ids(d),
            *check_unique_names(d),
            *check_group_members(d),
        ]
    if m is not None:
        problems += check_numbering(m) if d is None else []
        problems += check_sections(m) if d is None else []
        try:
            source_text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise DataFileError(f"{display(source)}: cannot read the official text ({e})") from e
        official = parse_official(source_text)
        problems += check_provenance(m, official)
    if indicators is not None:
        from jsgj.catalog.indicators import check_indicators

        try:
            official_text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise DataFileError(f"{display(source)}: cannot read the official text ({e})") from e
        problems += check_indicators(indicators, m.data if m else None, official_text)
    if office is not None:
        from jsgj.catalog.office import check_office

        problems += check_office(office)
    if scoring is not None:
        from jsgj.catalog.scoring import check_scoring

        problems += check_scoring(scoring)
    return sorted(problems, key=lambda p: (p.file, p.line, p.column, p.code))
