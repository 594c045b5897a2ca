"""Each department's contact person (联络员), as its 签收 named them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from jsgj.store.db import Store


@dataclass(frozen=True, slots=True)
class Contact:
    """A department's contact person (联络员), as its latest 签收 named them."""

    department: str
    contact_name: str
    contact_phone: str | None
    acknowledged_on: dt.date
    tasks: tuple[str, ...]
    """The tasks it acknowledged, in task order."""

    def to_json(self) -> dict[str, Any]:
        return {
            "department": self.department,
            "contact_name": self.contact_name,
            "contact_phone": self.contact_phone,
            "acknowledged_on": self.acknowledged_on.isoformat(),
            "tasks": list(self.tasks),
        }


def contacts(store: Store) -> list[Contact]:
    """Each department's latest contact, with every task it acknowledged."""
    rows = store.db.conn.execute(
        """SELECT actor, contact_name, contact_phone, event_date, task_id FROM task_events
           WHERE kind = 'acknowledge' AND contact_name IS NOT NULL ORDER BY id"""
    ).fetchall()
    latest: dict[str, tuple[str, str | None, str]] = {}
    tasks: dict[str, list[str]] = {}
    for actor, contact, phone, day, task_id in rows:
        latest[actor] = (contact, phone, day)
        if task_id not in tasks.setdefault(actor, []):
            tasks[actor].append(task_id)
    return [
        Contact(actor, c, p, dt.date.fromisoformat(d), tuple(tasks[actor]))
        for actor, (c, p, d) in sorted(latest.items())
    ]
