"""The demo files' checks beyond their schema: against each other and the catalogue.

Each problem points at the node it is about, so a wrong date in plans.yaml is one line
``data/demo/plans.yaml:412:15: X002 ...``, found before the build writes anything
(``load_checked``) and by ``jsgj validate`` (``validate_demo``).

Codes: X001 unknown measure or department, X002 dates out of order, outside the demo's
half year or two in one week, X003 milestones that cannot be followed, X004 bad
{placeholders}, X005 more than one block/mistake/cancel for a task, X006 twists on a
task that is not shared out, X007 indicator series that do not fit (plus the loader's
Y*/S* codes).

This module holds the entry points; the plans' checks are in ``plan_checks``, the
indicator series' in ``indicator_checks``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from jsgj.demo.indicator_checks import check_indicators
from jsgj.demo.plan_checks import check_plan, check_texts
from jsgj.demo.plans import Demo, load_demo
from jsgj.errors import InvalidDataError, Problem

if TYPE_CHECKING:
    from jsgj.catalog.catalog import Catalog
    from jsgj.catalog.indicators import IndicatorsFile
    from jsgj.catalog.loader import Loaded
    from jsgj.catalog.models import DepartmentsFile, MeasuresFile


def check_demo(
    demo: Demo, catalog: Catalog, indicators: IndicatorsFile | None
) -> Iterator[Problem]:
    """Every problem of the loaded demo files, in file order."""
    yield from check_texts(demo)
    for i, plan in enumerate(demo.plans):
        yield from check_plan(demo, catalog, i, plan)
    yield from check_indicators(demo, catalog, indicators)


def load_checked(
    catalog: Catalog, indicators: IndicatorsFile, directory: Path | None = None
) -> Demo:
    """The demo files, read and checked: a demo that builds, or one InvalidDataError."""
    demo = load_demo(directory)
    problems = list(check_demo(demo, catalog, indicators))
    if problems:
        raise InvalidDataError(problems)
    return demo


def validate_demo(
    directory: Path,
    measures: Loaded[MeasuresFile] | None,
    departments: Loaded[DepartmentsFile] | None,
    problems: list[Problem],
    indicators: Path | None,
) -> list[Problem]:
    """For `jsgj validate`: the demo files' schema problems and, when the measures and
    departments are sound (no ``problems``), all the others."""
    from jsgj.catalog.catalog import Catalog
    from jsgj.catalog.indicators import load_indicators

    try:
        demo = load_demo(directory)
    except InvalidDataError as e:
        return e.problems
    if measures is None or departments is None or problems:
        return []
    known: IndicatorsFile | None = None
    if indicators is not None:
        try:
            known = load_indicators(indicators)
        except InvalidDataError:
            pass  # that file's own problems are reported by its own check
    return list(check_demo(demo, Catalog.build(measures.data, departments.data), known))
