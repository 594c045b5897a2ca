"""Text is text on a terminal: a title, note, evidence, reason or indicator source that
holds escape sequences (clear screen, set the window title, a hidden OSC 8 link), a
right-to-left override, zero-width marks or rich markup (``[link=...]``) reaches
every command's stdout as visible text, never as something the terminal acts on."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import Invoke
from jsgj.render.text import json_visible, one_line, rich_safe, visible

CLEAR = "\x1b[2J"
TITLE = "\x1b]0;pwned\x07"
LINK = "\x1b]8;;https://evil.example/\x1b\\点我\x1b]8;;\x1b\\"
RLO = "\u202e"
MARKUP = "[link=https://evil.example/]点此查看[/link]"
HOSTILE = f"{CLEAR}{TITLE}{LINK}{RLO}txt.exe\u200b\x9b31m{MARKUP}"
"""Every trick at once; the CSI-as-one-character (U+009B) too."""

# What a terminal could act on: C0 controls other than line breaks and tabs, DEL,
# C1 controls, bidi controls, zero-width marks, line/paragraph separators.
RAW = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]"
)


def assert_inert(text: str, *, where: str) -> None:
    found = RAW.search(text)
    assert found is None, f"{where}: raw {found.group()!r} in {text[:400]!r}"


ACCEPTED = f"{MARKUP}\u200d"
"""What the task core accepts where it refuses control and format characters in text
(titles, notes, reasons): rich markup, and the zero-width joiner it lets through."""


@pytest.fixture
def hostile_db(jsgj: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A task with a hostile title, report (note, evidence), edit reason, a cancelled
    task with a hostile reason, and an indicator observation with a hostile source:
    each field holds HOSTILE where jsgj accepts it, else what it accepts of it."""
    monkeypatch.setenv("JSGJ_TODAY", "2025-06-20")
    used: list[str] = []

    def run(*args: str) -> None:
        for text in (HOSTILE, ACCEPTED):
            result = jsgj(*(a.replace("{H}", text) for a in args))
            if result.exit_code == 0:
                used.append(text)
                return
            assert result.exit_code in (1, 2) and len(result.stderr.splitlines()) == 1
        raise AssertionError((args, result.stderr))

    assert jsgj("db", "init").exit_code == 0
    run("assign", "3", "--title", "{H}", "--co", "人社厅", "--due", "2025-12-31")
    run("assign", "3", "--title", "另一项{H}", "--due", "2025-09-30")
    run("assign", "1", "--title", "{H}", "--lead", "cities", "--due", "2025-12-31")
    run(
        "progress",
        "3-1",
        "--by",
        "教育厅",
        "--status",
        "推进中",
        "--percent",
        "20",
        "--note",
        "{H}",
        "--evidence",
        "{H}",
    )
    run("progress", "1-1.nanjing", "--by", "南京", "--status", "受阻", "--note", "{H}")
    run("tasks", "edit", "3-1", "--reason", "{H}", "--due", "2025-11-30")
    run("tasks", "cancel", "3-2", "--reason", "{H}")
    run(
        "indicators",
        "record",
        "high_skilled_share_of_skilled",
        "33.9",
        "--date",
        "2024-12-31",
        "--source",
        "{H}",
    )
    return used[0]  # the first task's title


COMMANDS = [
    ("tasks", "list"),
    ("tasks", "list", "--json"),
    ("tasks", "show", "3-1"),
    ("tasks", "show", "3-2"),
    ("tasks", "show", "1-1"),
    ("tasks", "show", "3-1", "--json"),
    ("report", "weekly", "--as-of", "2025-06-20"),
    ("report", "weekly", "--as-of", "2025-06-20", "--format", "html"),
    ("report", "weekly", "--as-of", "2025-06-20", "--format", "json"),
    ("matrix", "--tasks"),
    ("matrix", "--department", "教育厅"),
    ("matrix", "--department", "教育厅", "--format", "csv"),
    ("matrix", "--department", "教育厅", "--format", "markdown"),
    ("matrix", "--department", "教育厅", "--format", "json"),
    ("matrix", "--department", "教育厅", "--format", "html"),
    ("export", "--output", "-"),
    ("indicators", "list"),
    ("indicators", "show", "high_skilled_share_of_skilled"),
    ("indicators", "show", "high_skilled_share_of_skilled", "--json"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_every_command_shows_user_text_as_text(
    jsgj: Invoke, hostile_db: str, args: tuple[str, ...]
) -> None:
    result = jsgj(*args)
    assert result.exit_code == 0, result.stderr
    assert_inert(result.stdout, where=" ".join(args))
    assert_inert(result.stderr, where=" ".join(args) + " (stderr)")
    if "--json" in args or "json" in args or args[0] == "export":
        json.loads(result.stdout)  # still JSON, the escapes JSON escapes


def test_the_json_keeps_the_text_exactly(jsgj: Invoke, hostile_db: str) -> None:
    """Inert on a terminal, the same string for a program."""
    shown = json.loads(jsgj("tasks", "show", "3-1", "--json").stdout)
    assert shown["task"]["title"] == hostile_db


def test_markup_in_a_title_prints_literally(jsgj: Invoke, hostile_db: str) -> None:
    out = jsgj("tasks", "show", "3-1").stdout
    assert MARKUP in out.replace("\n", "").replace("│", "").replace(" ", "")
    if hostile_db == HOSTILE:
        assert "\\x1b[2J" in out  # the escape, as text


@pytest.mark.parametrize(
    "args", [("tasks", "list"), ("tasks", "show", "3-1"), ("matrix", "--department", "教育厅")]
)
def test_on_a_colour_terminal_only_colours_are_escapes(
    jsgj: Invoke, hostile_db: str, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    """rich writes colour codes to a terminal; nothing from the user may add a code,
    a title, a link or a screen clear."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    out = jsgj(*args).stdout
    assert "\x1b[" in out  # it is a colour terminal
    assert "\x1b]" not in out  # no OSC: no window title, no hyperlink
    assert CLEAR not in out and RLO not in out and "\x9b" not in out


def test_error_lines_show_typed_input_as_text(jsgj: Invoke, hostile_db: str) -> None:
    result = jsgj("tasks", "list", "--department", HOSTILE)
    assert result.exit_code in (1, 2)
    assert len(result.stderr.splitlines()) == 1
    assert_inert(result.stderr, where="stderr")


def test_an_import_shows_the_files_text_as_text(
    jsgj: Invoke, hostile_db: str, tmp_path: Path
) -> None:
    """The dry run's table holds the file's notes; a refusal's table its cells."""
    ret = tmp_path / "return.csv"
    note = ACCEPTED
    ret.write_text(
        f"填报单位,省教育厅\n任务编号,状态,进度%,日期,进展情况\n3-1,推进中,30,2025-06-20,{note}\n",
        encoding="utf-8",
    )
    result = jsgj("import", str(ret), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert_inert(result.stdout, where="import --dry-run")
    assert "[link=" in result.stdout
    bad = tmp_path / f"bad{RLO}.csv"
    bad.write_text(
        f"填报单位,省教育厅\n任务编号,状态,进度%,日期,进展情况\n3-1,{HOSTILE},30,2025-06-20,x\n",
        encoding="utf-8",
    )
    result = jsgj("import", str(bad))
    assert result.exit_code == 1
    assert_inert(result.stderr, where="import refusal")


# --- the functions themselves ------------------------------------------------------


def test_visible_shows_what_acts_and_keeps_what_reads() -> None:
    assert visible("完成调研\n第二行\t附件") == "完成调研\n第二行\t附件"
    assert visible(f"a{CLEAR}b{RLO}c\u200bd\x00") == "a\\x1b[2Jb\\u202ec\\u200bd\\x00"
    assert one_line("a\r\nb\x1b") == "a b\\x1b"
    assert rich_safe(MARKUP) == "\\[link=https://evil.example/]点此查看\\[/link]"


def test_json_visible_is_lossless() -> None:
    doc = {"t": HOSTILE + "\u2028\ud800"}
    text = json_visible(json.dumps(doc, ensure_ascii=False, indent=2))
    assert RAW.search(text) is None
    assert json.loads(text) == doc
