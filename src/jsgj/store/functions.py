"""Every SQL function a connection to a jsgj database needs, registered in one call.

The event tables' triggers call them in the same transaction as each insert: the hash
chain's ``jsgj_sha256`` and the search index's ``jsgj_fold``. ``Store.open`` registers
them; anything else that writes events through its own ``sqlite3`` connection (the
benchmarks' generator, tests) must call ``register_functions`` first.
"""

from __future__ import annotations

import sqlite3


def register_functions(conn: sqlite3.Connection) -> None:
    from jsgj.store.chain import register_functions as register_chain
    from jsgj.store.search import register_functions as register_search

    register_chain(conn)
    register_search(conn)
