"""Measures and departments as plain records (the shape of ``--json``)."""

from __future__ import annotations

from typing import Any

from jsgj.catalog.catalog import Catalog
from jsgj.catalog.models import KIND_LABELS, Department, Measure


def measure_record(catalog: Catalog, measure: Measure) -> dict[str, Any]:
    ids = catalog.department_ids(measure)
    return {
        "number": measure.number,
        "label": measure.label,
        "section": measure.section,
        "section_title": catalog.section(measure.section).title,
        "title": measure.title,
        "text": measure.text,
        "departments": list(ids),
        "department_names": list(measure.departments),
        "lead": ids[0],
        "co": list(ids[1:]),
    }


def department_record(catalog: Catalog, department: Department) -> dict[str, Any]:
    led, co = catalog.measures_of(department.id)
    group = catalog.group_of(department.id)
    return {
        "id": department.id,
        "name": department.name,
        "full_name": department.full_name,
        "aliases": list(department.aliases),
        "kind": department.kind.value,
        "kind_label": KIND_LABELS[department.kind],
        "members": list(department.members),
        "group": group.id if group else None,
        "leads": [m.number for m in led],
        "co_owns": [m.number for m in co],
    }
