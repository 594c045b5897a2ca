"""JSON Schema of the data files, generated from the models."""

from __future__ import annotations

import json
from typing import Any

from jsgj.catalog.indicators import IndicatorsFile
from jsgj.catalog.models import DepartmentsFile, MeasuresFile
from jsgj.catalog.office import OfficeFile
from jsgj.catalog.scoring import ScoringFile

SCHEMA_FILES = {
    "measures.schema.json": MeasuresFile,
    "departments.schema.json": DepartmentsFile,
    "indicators.schema.json": IndicatorsFile,
    "office.schema.json": OfficeFile,
    "scoring.schema.json": ScoringFile,
}


def json_schema(model: type[Any]) -> dict[str, Any]:
    from pydantic import TypeAdapter

    schema = TypeAdapter(model).json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_texts() -> dict[str, str]:
    """File name -> the text committed under data/schema/ (stable, UTF-8, newline-ended)."""
    return {
        name: json.dumps(json_schema(model), ensure_ascii=False, indent=2) + "\n"
        for name, model in SCHEMA_FILES.items()
    }
