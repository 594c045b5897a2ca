"""Database administration: info, backup, integrity checks."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from jsgj.errors import StoreError
from jsgj.i18n import _
from jsgj.store.chain import chain_head
from jsgj.store.db import Store
from jsgj.store.document import stored_binding
from jsgj.store.migrations import migration_names
from jsgj.store.queries import counts
from jsgj.store.search import check_index


def database_info(store: Store) -> dict[str, Any]:
    bound = stored_binding(store.db)
    return {
        "path": str(store.path.resolve()),
        "schema_version": store.schema_version(),
        "schema_latest": len(migration_names()),
        "journal_mode": store.db.execute("PRAGMA journal_mode").fetchone()[0],
        "document": bound.number if bound else None,
        # Noted elsewhere (a letter, a weekly report), the chain's head pins the whole
        # history, its length included: `db check` proves each event against it.
        "event_chain_head": chain_head(store.db),
        **counts(store),
    }


def backup_to(store: Store, target: Path) -> None:
    """SQLite's online backup into a temporary file beside ``target``, then rename
    (``jsgj.files``): a reader never sees a half-written copy, and the database itself,
    a link or a full disk are refused on one line. Owner-only, like the data it holds."""
    from jsgj.files import protect, replacing

    protect(store.path)
    with replacing(target, private=True) as tmp:
        try:
            dest = sqlite3.connect(tmp)
            try:
                store.db.conn.backup(dest)
                dest.execute("PRAGMA journal_mode=DELETE")
            finally:
                dest.close()
        except sqlite3.OperationalError as e:  # a full disk, as SQLite words it
            raise StoreError(
                _(
                    "{target}: cannot write the backup ({reason}); any previous file is unchanged"
                ).format(target=target, reason=e)
            ) from e


def check_database(store: Store) -> list[str]:
    """Problems found; empty when the file is sound."""
    db = store.db
    problems = [
        _("integrity: {what}").format(what=row[0])
        for row in db.execute("PRAGMA integrity_check")
        if row[0] != "ok"
    ]
    for table, rowid, parent, _fk in db.execute("PRAGMA foreign_key_check"):
        problems.append(
            _("foreign key: {table} row {rowid} points at a missing {parent} row").format(
                table=table, rowid=rowid, parent=parent
            )
        )
    # Every derived value against what the events say (the one derivation).
    from jsgj.store.derived import differences

    problems.extend(_("derived state: {what}").format(what=d) for d in differences(db.conn))
    orphans = db.execute(
        "SELECT id FROM tasks t "
        "WHERE NOT EXISTS (SELECT 1 FROM task_revisions r WHERE r.task_id = t.id)"
    ).fetchall()
    for (task_id,) in orphans:
        problems.append(_("event log: task {id} has no creation event").format(id=task_id))
    problems += check_index(store.db.conn)
    return problems
