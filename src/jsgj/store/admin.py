"""Database administration: info, backup, integrity checks."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from jsgj.errors import StoreError
from jsgj.store.db import Store
from jsgj.store.migrations import migration_names
from jsgj.store.queries import counts


def database_info(store: Store) -> dict[str, Any]:
    return {
        "path": str(store.path.resolve()),
        "schema_version": store.schema_version(),
        "schema_latest": len(migration_names()),
        "journal_mode": store.db.execute("PRAGMA journal_mode").fetchone()[0],
        **counts(store),
    }


def backup_to(store: Store, target: Path) -> None:
    """SQLite's online backup into a temporary file beside ``target``, then rename
    (``jsgj.files``): a reader never sees a half-written copy, and the database itself,
    a link or a full disk are refused on one line. Owner-only, like the data it holds."""
    from jsgj.files import protect, replacing
    from jsgj.i18n import _

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
        f"integrity: {row[0]}" for row in db.execute("PRAGMA integrity_check") if row[0] != "ok"
    ]
    for table, rowid, parent, _ in db.execute("PRAGMA foreign_key_check"):
        problems.append(f"foreign key: {table} row {rowid} points at a missing {parent} row")
    stale = db.execute(
        """SELECT t.id FROM tasks t WHERE t.parent_id IS NOT NULL OR NOT EXISTS
               (SELECT 1 FROM tasks k WHERE k.parent_id = t.id)
           EXCEPT SELECT t.id FROM tasks t WHERE t.report_count = (
               SELECT COUNT(*) FROM progress_reports p WHERE p.task_id = t.id AND NOT EXISTS
                   (SELECT 1 FROM progress_reports c WHERE c.corrects = p.id))"""
    ).fetchall()
    for (task_id,) in stale:
        problems.append(f"derived state: task {task_id}'s report count disagrees with its reports")
    orphans = db.execute(
        "SELECT id FROM tasks t "
        "WHERE NOT EXISTS (SELECT 1 FROM task_revisions r WHERE r.task_id = t.id)"
    ).fetchall()
    for (task_id,) in orphans:
        problems.append(f"event log: task {task_id} has no creation event")
    return problems
