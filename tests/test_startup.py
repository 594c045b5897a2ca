"""Start-up (issue 15): each command imports only the heavy modules it needs.

Every command runs in a fresh interpreter (stdout a pipe, as under cron or in a script)
with the settings and catalogue caches warm, and reports which heavy modules it
imported and who imported them. Typer 0.29 itself imports Pydantic to coerce any
command's parameters (``typer._adapters``): that import is Typer's, allowed; Pydantic
imported from anywhere else fails. sqlite-utils is for migrations only, YAML and
Pydantic for validating a changed data file only, rich for a terminal (and Typer's help)
only, openpyxl, Jinja2 and python-docx for their formats only."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jsgj import paths
from jsgj.demo import DEMO_AS_OF, build_demo
from jsgj.store.db import Store

HEAVY = ("pydantic", "sqlite_utils", "yaml", "rich", "openpyxl", "jinja2", "docx")

# Records, for each heavy package, the first module that imported it (the frame that
# ran the import statement, importlib's own frames skipped), then runs jsgj.
_PROBE = """
import json, sys
HEAVY = {heavy!r}
seen = {{}}

class Watch:
    def find_spec(self, name, path=None, target=None):
        top = name.split(".")[0]
        if top in HEAVY and top not in seen:
            frame = sys._getframe(1)
            while frame is not None and (
                frame.f_globals.get("__name__", "").startswith(("importlib", "_frozen"))
                or frame.f_code.co_filename.startswith("<frozen")
            ):
                frame = frame.f_back
            seen[top] = frame.f_globals.get("__name__", "?") if frame else "?"
        return None

sys.meta_path.insert(0, Watch())
sys.argv = {argv!r}
import gc
import jsgj.cli
from jsgj.cli import main  # the console script's entry point

# Garbage collections before and after the command's body began (jsgj.cli.start_command).
collections = {{"start-up": 0, "command": 0}}
phase = ["start-up"]
gc.callbacks.append(lambda when, info: when == "start" and collections.update(
    {{phase[0]: collections[phase[0]] + 1}}))
begin = jsgj.cli.start_command
def start_command():
    phase[0] = "command"
    begin()
jsgj.cli.start_command = start_command
try:
    main()
except SystemExit as e:
    code = e.code
else:
    code = 0
sys.stdout.flush()
mine = sorted(m for m in sys.modules if m.startswith("jsgj"))
collector = {{"enabled": gc.isenabled(), "frozen": gc.get_freeze_count(), **collections}}
sys.stderr.write(
    "\\nPROBE "
    + json.dumps({{"code": code, "imported": seen, "jsgj": mine, "gc": collector}})
    + "\\n"
)
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A demo database and a warm cache (the state every command but the first meets)."""
    from jsgj.catalog.load import load_catalog

    home = tmp_path_factory.mktemp("startup")
    db = home / "demo.db"
    env = {
        **os.environ,
        "JSGJ_DB": str(db),
        "JSGJ_CACHE": str(home / "cache"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "JSGJ_TODAY": DEMO_AS_OF.isoformat(),
        "PYTHONIOENCODING": "utf-8",
    }
    for var in ("JSGJ_NO_CACHE", "JSGJ_MEASURES", "JSGJ_DEPARTMENTS", "FORCE_COLOR"):
        env.pop(var, None)
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        with Store.open(db, load_catalog(paths.measures_path(), paths.departments_path())) as s:
            build_demo(s)
    # Warm the caches: the catalogue and the three settings files.
    probe(["jsgj", "report", "weekly", "-f", "json"], env)
    yield env


def probe(argv: list[str], env: dict[str, str]) -> dict[str, str]:
    """Run jsgj in a fresh interpreter: {heavy package: the module that imported it}."""
    imported: dict[str, str] = run_probe(argv, env)["imported"]
    return imported


def run_probe(argv: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run jsgj in a fresh interpreter: its exit code, the heavy packages it imported
    and who imported them, and the jsgj modules it loaded."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(heavy=HEAVY, argv=argv)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    last = done.stderr.rstrip("\n").splitlines()[-1]
    assert last.startswith("PROBE "), done.stderr
    result: dict[str, Any] = json.loads(last[len("PROBE ") :])
    assert result["code"] in (0, None), done.stderr
    return result


def unneeded(imported: dict[str, str], allowed: tuple[str, ...] = ()) -> dict[str, str]:
    """The heavy imports a command did not need: Pydantic through Typer is Typer's."""
    return {
        name: by
        for name, by in imported.items()
        if name not in allowed and not (name == "pydantic" and by.startswith("typer"))
    }


COMMANDS = (
    ("measures", "list", "--json"),
    ("departments", "list", "--json"),
    ("tasks", "list", "--json"),
    ("tasks", "list"),
    ("tasks", "show", "13-1"),
    ("tasks", "show", "13-1", "--json"),
    ("matrix", "--format", "json"),
    ("report", "weekly", "--format", "json"),
    ("indicators", "list", "--json"),
    ("search", "用地", "--json"),
    ("search", "用地"),
)


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_read_imports_no_heavy_module_it_does_not_need(
    demo: dict[str, str], args: tuple[str, ...]
) -> None:
    imported = probe(["jsgj", *args], demo)
    assert unneeded(imported) == {}, f"`jsgj {' '.join(args)}` imported {imported}"


def test_writes_import_no_heavy_module(demo: dict[str, str], tmp_path: Path) -> None:
    """assign, acknowledge, progress (a claim) and review, one after another, each in a
    fresh interpreter: no sqlite-utils (the schema is current), no YAML, no rich."""
    db = tmp_path / "writes.db"
    shutil.copy(demo["JSGJ_DB"], db)
    env = {**demo, "JSGJ_DB": str(db)}
    steps = [
        ("assign", "3", "--title", "组织实施技能大师工作室认定工作", "--due", "2025-12-31"),
        ("acknowledge", "3-{seq}", "--by", "教育厅", "--contact", "王明", "--phone", "0"),
        ("progress", "3-{seq}", "--by", "教育厅", "-s", "推进中", "-p", "50", "-n", "推进会"),
        ("progress", "3-{seq}", "--by", "教育厅", "-s", "已完成", "-p", "100", "-n", "完成")
        + ("--evidence", "苏教发〔2025〕1号"),
        ("review", "3-{seq}", "--by", "office", "--approve"),
    ]
    before = int(
        subprocess.run(
            [sys.executable, "-c", _COUNT.format(db=str(db))],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    for step in steps:
        argv = ["jsgj", *(a.format(seq=before + 1) for a in step)]
        result = run_probe(argv, env)
        imported = result["imported"]
        assert unneeded(imported) == {}, f"`{' '.join(argv)}` imported {imported}"
        # The measures and departments commands are not built for a write (issue 15).
        assert "jsgj.cli.catalog" not in result["jsgj"], argv


_COUNT = """
import sqlite3
conn = sqlite3.connect({db!r})
print(conn.execute("SELECT COUNT(*) FROM tasks WHERE measure = 3 AND parent_id IS NULL")
      .fetchone()[0])
"""


def test_the_collector_skips_start_up_and_collects_the_command_s_objects(
    demo: dict[str, str],
) -> None:
    """The console script (``jsgj.cli.main``) keeps the cyclic garbage collector out of
    start-up only: the objects Typer, Pydantic and jsgj create on import are frozen,
    and a command runs with the collector on (a long import or demo collects its
    cycles as before)."""
    from importlib.metadata import entry_points

    (script,) = entry_points(group="console_scripts", name="jsgj")
    assert script.value == "jsgj.cli:main"
    collector = run_probe(["jsgj", "tasks", "show", "3-1"], demo)["gc"]
    assert collector["start-up"] == 0
    assert collector["enabled"] is True
    assert collector["frozen"] > 10_000
    # A command whose body makes enough objects is collected as it goes.
    assert run_probe(["jsgj", "tasks", "list", "--json"], demo)["gc"]["command"] > 0


def test_help_imports_nothing_heavy_but_typers_rich(demo: dict[str, str]) -> None:
    """Typer prints its help with rich; nothing else heavy."""
    imported = probe(["jsgj", "--help"], demo)
    assert unneeded(imported, allowed=("rich",)) == {}, imported
    assert "pydantic" not in imported


def test_a_pending_migration_imports_sqlite_utils(demo: dict[str, str], tmp_path: Path) -> None:
    """The reverse: sqlite-utils is imported when (and because) a migration runs."""
    env = {**demo, "JSGJ_DB": str(tmp_path / "new.db")}
    imported = probe(["jsgj", "db", "init"], env)
    assert imported.get("sqlite_utils", "").startswith("jsgj.store"), imported


def test_a_changed_settings_file_is_read_again(demo: dict[str, str], tmp_path: Path) -> None:
    """The settings cache is keyed by the file's content: an edited lights.yaml is
    parsed (YAML imported) and its values used, the next run reads the cache."""
    lights = tmp_path / "lights.yaml"
    text = paths.lights_path().read_text(encoding="utf-8")
    lights.write_text(text + "\n# edited\n", encoding="utf-8")
    env = {**demo, "JSGJ_LIGHTS": str(lights)}
    assert "yaml" in probe(["jsgj", "tasks", "show", "13-1", "--json"], env)
    assert "yaml" not in probe(["jsgj", "tasks", "show", "13-1", "--json"], env)


def test_the_sql_functions_registered_lazily_are_the_ones_the_triggers_call() -> None:
    from jsgj.store import chain, search
    from jsgj.store.functions import FUNCTIONS

    assert {name for name, *_ in FUNCTIONS} == {chain.SQL_FUNCTION, search.FOLD_FUNCTION}


def test_a_failed_savepoint_leaves_the_outer_transaction_as_it_was(tmp_path: Path) -> None:
    import sqlite3

    from jsgj.store.connection import Connection

    db = Connection(sqlite3.connect(tmp_path / "t.db"))
    db.execute("CREATE TABLE t (x INTEGER)")
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(ZeroDivisionError):
        with db.atomic():
            db.execute("INSERT INTO t VALUES (2)")
            1 / 0  # noqa: B018
    db.execute("COMMIT")
    assert [r["x"] for r in db.query("SELECT x FROM t")] == [1]


@pytest.mark.parametrize(
    ("args", "absent"),
    [
        (("measures", "list", "--json"), ("jsgj.document.model", "jsgj.tasks.records")),
        (("tasks", "list", "--json"), ("jsgj.tasks.history", "jsgj.document.model")),
        (("matrix", "--format", "json"), ("jsgj.tasks.history",)),
        (
            ("tasks", "show", "13-1"),
            ("jsgj.render.columns", "jsgj.cli.lifecycle", "jsgj.cli.catalog", "jsgj.reports.tasks"),
        ),
        (("tasks", "show", "13-1", "--json"), ("jsgj.render.card", "jsgj.cli.catalog")),
        (
            ("report", "weekly", "--format", "json"),
            ("jsgj.document.model", "jsgj.render.weekly", "jsgj.render.weekly_annex"),
        ),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) and v and "." not in v[0] else "",
)
def test_a_command_defines_none_of_jsgj_s_classes_it_does_not_use(
    demo: dict[str, str], args: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    """On Python 3.11 a frozen dataclass costs ~5 M instructions to define (issue 15):
    a listing never builds a history record, the catalogue's JSON no task, `tasks show`
    off a terminal no listing layout, the weekly report's JSON none of its text sections."""
    loaded = set(run_probe(["jsgj", *args], demo)["jsgj"])
    assert not loaded & set(absent), (
        f"`jsgj {' '.join(args)}` loaded {sorted(loaded & set(absent))}"
    )
