"""Help that reads well, for every command: no `<bool>` after a flag, no line break from
the source inside a sentence, every option described, one meaning per short option, the
root listing whole, bare groups printing their help (exit 0); and shell completion."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer

from conftest import Invoke
from jsgj.cli.app import ENTRIES, app
from jsgj.cli.options import (
    SHORT_OPTIONS,
    complete_indicator,
    complete_reporter,
    complete_status,
    complete_task,
)

# Known help problems still to fix (none now): nothing may be added here.
PENDING: set[tuple[str, str, str]] = set()


def _commands() -> Iterator[tuple[str, Any]]:
    """(path, command) for every command and group under the root, built as they run."""
    root = typer.main.get_command(app)
    ctx = typer.Context(root, info_name="jsgj")

    def walk(prefix: str, group: Any) -> Iterator[tuple[str, Any]]:
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            path = f"{prefix} {name}".strip()
            yield path, command
            if hasattr(command, "commands"):
                yield from walk(path, command)

    yield from walk("", root)


COMMANDS = dict(_commands())
GROUPS = [p for p, c in COMMANDS.items() if hasattr(c, "commands")]


def _problems() -> set[tuple[str, str, str]]:
    found: set[tuple[str, str, str]] = set()
    for path, command in COMMANDS.items():
        for paragraph in (command.help or "").split("\n\n"):
            if "\n" in paragraph.strip():
                found.add(("line break", path, ""))
        for param in command.params:
            opts = [o for o in getattr(param, "opts", []) if o.startswith("-")]
            if not opts or param.param_type_name != "option":
                continue
            if not (param.help or "").strip():
                found.add(("undescribed", path, max(opts, key=len)))
            if "\n" in (param.help or ""):
                found.add(("line break", path, max(opts, key=len)))
            longs = [o for o in opts if o.startswith("--")]
            for short in (o for o in opts if not o.startswith("--")):
                allowed = SHORT_OPTIONS.get(short, ())
                allowed = (allowed,) if isinstance(allowed, str) else allowed
                if not set(longs) & set(allowed):
                    found.add(("short", path, short))
    return found


def test_every_command_is_reachable() -> None:
    assert {e.name for e in ENTRIES} <= set(COMMANDS)
    assert {"tasks list", "tasks edit", "db check", "report weekly"} <= set(COMMANDS)


def test_help_texts_are_whole_described_and_consistent() -> None:
    problems = _problems()
    assert problems - PENDING == set(), sorted(problems - PENDING)


def test_pending_list_only_names_real_problems() -> None:
    """When a pending problem is fixed, its entry must go (so the list only shrinks)."""
    assert PENDING - _problems() == set(), sorted(PENDING - _problems())


@pytest.mark.parametrize("path", ["", *COMMANDS])
def test_no_bool_placeholder_on_flags(jsgj: Invoke, path: str) -> None:
    result = jsgj(*path.split(), "--help")
    assert result.exit_code == 0, result.stderr
    assert "<bool>" not in result.stdout
    assert "Usage" in result.stdout


def test_flags_are_plain_flags(jsgj: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "d.db"
    assert jsgj("demo", "--db", str(target)).exit_code == 0
    again = jsgj("demo", "--db", str(target), "--force")
    assert again.exit_code == 0, again.stderr
    refused = jsgj("demo", "--db", str(target), "--force", "true")
    assert refused.exit_code == 2
    assert refused.stderr.startswith("jsgj: error: unexpected extra argument true")


@pytest.mark.parametrize("path", ["", *GROUPS])
def test_bare_group_prints_its_help_and_exits_0(jsgj: Invoke, path: str) -> None:
    result = jsgj(*path.split())
    assert result.exit_code == 0
    assert "Usage" in result.stdout
    assert result.stderr == ""


def test_root_listing_shows_each_summary_whole(jsgj: Invoke) -> None:
    out = jsgj("--help").stdout
    for entry in ENTRIES:
        line = next(ln for ln in out.splitlines() if ln.startswith(f"│ {entry.name} "))
        assert entry.summary in line, line
        assert "…" not in line


def test_usage_errors_are_jsgj_words(jsgj: Invoke) -> None:
    for args, expected in [
        (["validate", "--format", "xml"], "--format: 'xml' is not valid; expected one of"),
        (["tasks", "list", "--measure", "abc"], "--measure: 'abc' is not valid; expected a whole"),
        (["taskz"], "no such command 'taskz'; did you mean tasks?"),
        (["tasks", "list", "--bogus"], "no such option --bogus"),
    ]:
        result = jsgj(*args)
        assert result.exit_code == 2
        assert result.stderr.startswith("jsgj: error: " + expected), result.stderr
        for library in ("Input should", "Value error", "unable to parse", "Invalid value"):
            assert library not in result.stderr


# --- shell completion ----------------------------------------------------------------


def _ctx() -> typer.Context:
    return typer.Context(typer.main.get_command(app), info_name="jsgj")


def test_completion_of_statuses_in_both_languages() -> None:
    assert complete_status("") == [
        "not_started",
        "未启动",
        "in_progress",
        "推进中",
        "done",
        "已办结",
        "已完成",
        "blocked",
        "受阻",
        "pending_review",
        "待审核",
    ]
    assert complete_status("推") == ["推进中"]
    assert complete_status("bl") == ["blocked"]


def test_completion_of_reporters_offers_office() -> None:
    assert complete_reporter(_ctx(), "of") == ["office"]
    offered = complete_reporter(_ctx(), "")
    assert offered[0] == "office" and "hrss" in offered and "人社厅" in offered


def test_completion_of_task_ids(jsgj: Invoke, db_path: Path) -> None:
    assert complete_task(_ctx(), "") == []  # no database: nothing, and none is created
    assert not db_path.exists()
    assert jsgj("assign", "7", "--title", "学徒制").exit_code == 0
    assert jsgj("assign", "1", "--title", "并行招生", "--lead", "cities").exit_code == 0
    ids = complete_task(_ctx(), "")
    assert ids[:2] == ["1-1", "1-1.changzhou"] or ids[0] == "1-1"
    assert "7-1" in ids and "1-1.nanjing" in ids
    assert complete_task(_ctx(), "7") == ["7-1"]
    db_path.write_bytes(b"not a database")
    assert complete_task(_ctx(), "") == []  # fails silently


def test_completion_of_indicator_ids() -> None:
    offered = complete_indicator(_ctx(), "")
    assert offered and all(i.isascii() for i in offered)
    first = offered[0]
    assert complete_indicator(_ctx(), first[:3])[0].startswith(first[:3])


def test_shell_completion_end_to_end(tmp_path: Path) -> None:
    """What bash gets for `jsgj indicators show <TAB>`, through the lazy root."""
    env = {
        **os.environ,
        "_JSGJ_COMPLETE": "complete_bash",
        "COMP_WORDS": "jsgj indicators show ",
        "COMP_CWORD": "3",
        "JSGJ_CACHE": str(tmp_path / "cache"),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.argv[0] = 'jsgj'; from jsgj.cli.app import main; main()",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    offered = done.stdout.split()
    assert set(complete_indicator(_ctx(), "")) <= set(offered), done.stdout + done.stderr
