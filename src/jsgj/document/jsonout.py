"""One JSON encoder for every report: dataclasses (a document, or a report's data),
enums as their values, dates as ISO text, tuples as lists; UTF-8 with Chinese as is
(ensure_ascii=False) and keys in the order the fields are declared."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from enum import Enum
from typing import Any

from jsgj.document.model import Document


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON types."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: jsonable(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name != "data"
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(jsonable(k)): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def dumps(value: Any) -> str:
    return json.dumps(jsonable(value), ensure_ascii=False, indent=2)


def render_json(doc: Document) -> str:
    """The report's own data when it carries some (the stable shape scripts read),
    else the document itself."""
    return dumps(doc.data if doc.data is not None else doc) + "\n"
