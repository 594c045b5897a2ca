"""The CI checks on the data files. Each check is a small function yielding Problems
with an error code; ``check_files`` runs them all and reports every problem at once.

Codes: Y* YAML, S* schema (catalog/loader.py); M* measures and D* departments
(catalog/structure.py); P* provenance, i.e. agreement with the official text in
data/source/ (catalog/official.py); I* indicators; X* the demo's plans (demo/checks.py).
"""

from __future__ import annotations

from pathlib import Path

from jsgj.catalog.loader import Loaded, load_departments, load_measures
from jsgj.catalog.models import DepartmentsFile, MeasuresFile
from jsgj.catalog.official import check_provenance, parse_official
from jsgj.catalog.structure import (
    check_department_ids,
    check_group_members,
    check_numbering,
    check_sections,
    check_unique_names,
    structure_problems,
)
from jsgj.errors import DataFileError, InvalidDataError, Problem
from jsgj.i18n import _
from jsgj.paths import display


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


def official_text(source: Path) -> str:
    """The official text (data/source/), which the measures' provenance and the
    indicators' targets are both checked against: one read and one message when it
    cannot be read, not a copy of each per check."""
    try:
        return source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise DataFileError(
            _("{path}: cannot read the official text ({reason})").format(
                path=display(source), reason=getattr(e, "strerror", None) or e
            )
        ) from e


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
    official = official_text(source) if m is not None or indicators is not None else ""
    if m is not None:
        problems += check_numbering(m) if d is None else []
        problems += check_sections(m) if d is None else []
        problems += check_provenance(m, parse_official(official))
    if indicators is not None:
        from jsgj.catalog.indicators import check_indicators

        problems += check_indicators(indicators, m.data if m else None, official)
    if office is not None:
        from jsgj.catalog.loader import check_schema
        from jsgj.catalog.office import OfficeFile

        problems += check_schema(office, OfficeFile)
    if scoring is not None:
        from jsgj.catalog.loader import check_schema
        from jsgj.catalog.scoring import ScoringFile

        problems += check_schema(scoring, ScoringFile)
    return sorted(problems, key=lambda p: (p.file, p.line, p.column, p.code))
