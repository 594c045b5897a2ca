"""Which document a database tracks, so that another document's measures file is never
used to read it: every measure number in the events means a measure of *that* document.

The binding is the document number and a hash of the numbering (each measure's number
and section, and the sections' numbers); titles and wording may be corrected freely."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import TYPE_CHECKING, Any, NamedTuple

from jsgj.errors import StoreError
from jsgj.i18n import _

if TYPE_CHECKING:
    from pathlib import Path

    from jsgj.catalog.catalog import Catalog

Database = Any  # sqlite_utils.Database

TABLE = "tracked_document"


class Binding(NamedTuple):
    """A database's document: its number, how many measures, the numbering's hash. (A
    named tuple, not a dataclass: every command opens the store, and a frozen
    dataclass costs ~5 M instructions to define; issue 15.)"""

    number: str
    measures: int
    numbering: str

    def __str__(self) -> str:
        return _("{number} ({measures} measures, numbering {hash})").format(
            number=self.number, measures=self.measures, hash=self.numbering[:12]
        )


def binding_of(catalog: Catalog) -> Binding:
    """The catalogue's document number and numbering hash."""
    numbering = {
        "sections": sorted(s.number for s in catalog.sections),
        "measures": sorted([m.number, m.section] for m in catalog.measures),
    }
    text = json.dumps(numbering, separators=(",", ":"), sort_keys=True)
    return Binding(
        number=catalog.document.number,
        measures=len(catalog.measures),
        numbering=hashlib.sha256(text.encode()).hexdigest(),
    )


def stored_binding(db: Database) -> Binding | None:
    """The binding recorded in the database; None before it is recorded."""
    if not db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [TABLE]
    ).fetchone():
        return None
    row = db.execute(f"SELECT number, measures, numbering FROM {TABLE}").fetchone()
    return Binding(*row) if row else None


def check_binding(db: Database, path: Path, catalog: Catalog) -> bool:
    """Refuse a database bound to another document; True when the binding is still to
    be recorded (``record_binding``, inside a write)."""
    stored = stored_binding(db)
    if stored is None:
        return True
    given = binding_of(catalog)
    if stored != given:
        raise StoreError(
            _(
                "{path}: the database tracks {tracked}, but the measures file describes "
                "{given}; nothing was changed (use the measures file of {number}, or "
                "another --db)"
            ).format(path=path, tracked=stored, given=given, number=stored.number)
        )
    return False


def record_binding(db: Database, catalog: Catalog) -> None:
    if stored_binding(db) is not None:
        return
    b = binding_of(catalog)
    db.execute(
        f"INSERT INTO {TABLE} (id, number, measures, numbering, bound_at) VALUES (1, ?, ?, ?, ?)",
        [b.number, b.measures, b.numbering, dt.datetime.now(dt.UTC).isoformat()],
    )
