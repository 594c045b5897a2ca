"""Every help text a user sees, in both languages: the whole command tree (each module
loaded, as when it runs) is walked in a process whose language is Chinese and in one
whose language is English; every command's, group's, option's and argument's help (and
each argument's name in the usage line) must be translated, and rendered at 60 and 80
columns none may be cut."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from functools import cache
from typing import Any

import pytest

# Walks the tree as `jsgj` builds it (typer.main.get_command on the app, each listed
# command through the root's get_command, which loads its module), renders each help
# as `--help` would, and prints one JSON object: path -> texts and rendered help.
WALK = r"""
import contextlib, io, json, sys
import typer
from jsgj.cli.app import app

root = typer.main.get_command(app)
ctx = typer.Context(root, info_name="jsgj")
out = {}

def walk(path, command, parent):
    sub = typer.Context(command, info_name=path.split()[-1] if path else "jsgj", parent=parent)
    printed = io.StringIO()  # Typer's rich help prints the --help as it renders it
    with contextlib.redirect_stdout(printed):
        returned = command.get_help(sub)
    rendered = printed.getvalue() + (returned or "")
    texts = {"help": command.help or ""}
    for param in command.get_params(sub):
        key = param.param_type_name + " " + (max(param.opts, key=len) if param.opts else param.name)
        texts[key] = param.help or ""
        if param.param_type_name == "argument":  # its name in the usage line
            texts["metavar " + param.name] = param.metavar or ""
    out[path] = {"texts": texts, "rendered": rendered}
    for name in getattr(command, "list_commands", lambda c: [])(sub):
        walk(f"{path} {name}".strip(), command.get_command(sub, name), sub)

walk("", root, None)
json.dump(out, sys.stdout, ensure_ascii=False)
"""

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
WORDS = re.compile(r"[A-Za-z]{3,}")


@cache
def _help(lang: str, columns: int) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    env.update(JSGJ_LANG=lang, COLUMNS=str(columns), TERMINAL_WIDTH=str(columns))
    env.pop("FORCE_COLOR", None)
    done = subprocess.run(
        [sys.executable, "-c", WALK], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    found: dict[str, Any] = json.loads(done.stdout)
    return found


def _english_words(text: str) -> str:
    """The English prose of a text: without option names, placeholders, formats,
    file names and the ids users type (not_started, very_urgent ...)."""
    text = re.sub(r"--?[\w-]+|\{\w*\}|\$\w+|`[^`]*`|'[^']*'|\S*[./_=]\S*", " ", text)
    return " ".join(WORDS.findall(text))


def test_the_walk_reaches_every_command() -> None:
    paths = set(_help("en", 80))
    assert {"", "tasks", "tasks list", "db check", "report monthly", "chase", "demo"} <= paths
    assert _help("en", 80)["progress"]["texts"]["metavar task"] == "TASK"
    assert _help("zh", 80)["progress"]["texts"]["metavar task"] == "任务编号"


def test_every_help_text_is_translated() -> None:
    english, chinese = _help("en", 80), _help("zh", 80)
    assert set(english) == set(chinese)
    untranslated = []
    for path, entry in english.items():
        for key, en in entry["texts"].items():
            zh = chinese[path]["texts"].get(key, "")
            if not _english_words(en):
                continue  # nothing in words to translate (e.g. formats only)
            if zh == en or not CJK.search(zh):
                untranslated.append(f"jsgj {path}: {key}: {en!r}")
    assert untranslated == [], "\n".join(untranslated)


def test_english_help_has_no_chinese_prose() -> None:
    """English help may quote Chinese terms (状态, 催办) but its sentences are English."""
    for path, entry in _help("en", 80).items():
        for key, en in entry["texts"].items():
            if CJK.search(en):
                assert _english_words(en), f"jsgj {path}: {key}: {en!r}"


@pytest.mark.parametrize("columns", [60, 80])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rendered_help_is_never_cut(lang: str, columns: int) -> None:
    for path, entry in _help(lang, columns).items():
        rendered = entry["rendered"]
        assert "…" not in rendered, f"jsgj {path} --help cut at {columns} columns:\n{rendered}"
        assert "<bool>" not in rendered, path


def test_rendered_chinese_help_speaks_chinese() -> None:
    rendered = _help("zh", 80)["tasks list"]["rendered"]
    for word in ("选项", "只看逾期任务", "显示本帮助并退出", "（YYYY-MM-DD）"):
        assert word in rendered, rendered
    for english in ("Show this message", "[required]", "Options"):
        assert english not in rendered


def _commands() -> list[tuple[str, str, str | None, str]]:
    """Every command of src/jsgj/cli as written: (module, function, its help= text when
    given as one literal or an implicit concatenation, its docstring). Both ways of
    registering are read: ``@x.command(..., help=_(...))`` and ``app.command(...)(fn)``."""
    import ast
    from pathlib import Path

    def literal(call: ast.Call) -> str | None:
        for k in call.keywords:
            if k.arg == "help":
                v = k.value
                if isinstance(v, ast.Call) and v.args and isinstance(v.args[0], ast.Constant):
                    return str(v.args[0].value)
                return ""  # help given, not as a literal (a listing entry's summary)
        return None

    found = []
    for path in sorted((Path(__file__).parent.parent / "src" / "jsgj" / "cli").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        funcs = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        pairs: list[tuple[ast.Call, ast.FunctionDef]] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                pairs += [
                    (d, node)
                    for d in node.decorator_list
                    if isinstance(d, ast.Call)
                    and isinstance(d.func, ast.Attribute)
                    and d.func.attr == "command"
                ]
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Call)
                and isinstance(node.func.func, ast.Attribute)
                and node.func.func.attr == "command"
            ):
                pairs += [(node.func, funcs[a.id]) for a in node.args if isinstance(a, ast.Name)]
        for call, fn in pairs:
            found.append((path.name, fn.name, literal(call), ast.get_docstring(fn) or ""))
    return found


def _words(text: str) -> list[str]:
    return re.sub(r"\s+", " ", text).strip().split(" ")


def test_a_commands_help_is_its_help_text_and_its_docstring_is_for_developers() -> None:
    """In Typer a command's docstring is its help unless ``help=`` is given: every
    command gives ``help=`` (translated: the one user text), and no docstring copies it
    (a copy drifts: `report monthly`'s once told --as-of rules its help did not)."""
    commands = _commands()
    assert len(commands) >= 25  # the walk reads both ways of registering
    without_help = [f"{m}:{f}" for m, f, help_text, _doc in commands if help_text is None]
    assert without_help == []
    copies = []
    for module, fn, help_text, doc in commands:
        if not help_text or not doc:
            continue
        head = " ".join(_words(doc)[:8])
        if head in " ".join(_words(help_text)):
            copies.append(f"{module}:{fn}")
    assert copies == []
