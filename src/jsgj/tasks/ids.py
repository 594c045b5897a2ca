"""Task ids: '7-3' (the third task under measure 7) and '1-2.nanjing' (Nanjing's
share of task 1-2). The one parser every input path uses."""

from __future__ import annotations

import re

from jsgj.catalog.catalog import Catalog
from jsgj.errors import NotFoundError, UsageError
from jsgj.i18n import _

TASK_ID = re.compile(r"^(\d+)-(\d+)(?:\.(.+))?$")


def stored_id(catalog: Catalog, text: str) -> str | None:
    """'7-3', '07-3', '1-2.nanjing' or '1-2.南京' as the store writes it; None when
    ``text`` is not a task id at all."""
    match = TASK_ID.match(text.strip())
    if match is None:
        return None
    measure, seq, city = match.groups()
    tid = f"{int(measure)}-{int(seq)}"
    if city is None:
        return tid
    try:
        city = catalog.resolve(city).id
    except NotFoundError:
        pass
    return f"{tid}.{city}"


def parse_task_id(catalog: Catalog, text: str) -> str:
    """``stored_id``, refusing what is not a task id (a usage error)."""
    tid = stored_id(catalog, text)
    if tid is None:
        raise UsageError(
            _("{text!r} is not a task id; ids look like 7-3, or 1-2.nanjing for a city").format(
                text=text
            )
        )
    return tid


def measure_of(task_id: str) -> int:
    return int(task_id.split("-", 1)[0])


def not_found(catalog: Catalog, text: str, task_id: str) -> NotFoundError:
    """The error for an id no task has: says whether the measure itself exists."""
    measure = measure_of(task_id)
    numbers = [m.number for m in catalog.measures]
    if measure not in numbers:
        return NotFoundError(
            _("no task {task!r}: the document has measures {first}-{last}").format(
                task=text, first=numbers[0], last=numbers[-1]
            )
        )
    return NotFoundError(
        _("no task {task!r}; `jsgj tasks list --measure {measure}` lists its tasks").format(
            task=text, measure=measure
        )
    )
