"""Every SQL function a connection to a jsgj database needs, registered in one call.

The event tables' triggers call them in the same transaction as each insert: the hash
chain's ``jsgj_sha256`` and the search index's ``jsgj_fold``. ``Store.open`` registers
them; anything else that writes events through its own ``sqlite3`` connection (the
benchmarks' generator, tests) must call ``register_functions`` first.

Registering them imports neither module: each function's body (jsgj.store.chain,
jsgj.store.search with its folding tables) is imported at its first call, so a command
that only reads does not pay for them (issue 15, start-up).
"""

from __future__ import annotations

import importlib
import sqlite3
from collections.abc import Callable
from typing import Any

FUNCTIONS: tuple[tuple[str, int, str, str], ...] = (
    # SQL name, number of arguments (-1: any), module, Python function
    ("jsgj_sha256", -1, "jsgj.store.chain", "sha256"),
    ("jsgj_fold", 1, "jsgj.search.fold", "index_text"),
)
"""The names are chain.SQL_FUNCTION and search.FOLD_FUNCTION (tests/test_startup.py)."""


def _on_first_call(module: str, name: str) -> Callable[..., Any]:
    found: list[Callable[..., Any]] = []

    def call(*args: Any) -> Any:
        if not found:
            found.append(getattr(importlib.import_module(module), name))
        return found[0](*args)

    return call


def register_functions(conn: sqlite3.Connection) -> None:
    for sql_name, arity, module, name in FUNCTIONS:
        conn.create_function(sql_name, arity, _on_first_call(module, name), deterministic=True)
