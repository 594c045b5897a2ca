"""Any terminal: every table view of the demo database at 60, 80 and 120 columns keeps
every column, stays within the width, and shows every id, date, percent, light and
department name whole (a narrow terminal folds a row, it never cuts a value). And the
task list streams: plain lines off a terminal, --limit/--offset, no rich."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import Invoke
from jsgj import paths
from jsgj.catalog.load import load_catalog
from jsgj.demo import DEMO_AS_OF, build_demo
from jsgj.render.columns import wrap
from jsgj.render.text import cells
from jsgj.store.db import Store
from jsgj.tasks.roles import short

AS_OF = DEMO_AS_OF.isoformat()
WIDTHS = (60, 80, 120)
VIEWS = (
    ("tasks", "list"),
    ("tasks", "show", "1-2"),
    ("matrix",),
    ("matrix", "--department", "教育厅"),
    ("indicators", "list"),
    ("report", "weekly", "-f", "table"),
)
LIGHTS = ("●红", "●黄", "●蓝", "●绿", "◐审", "✓结", "×撤")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("widths") / "demo.db"
    catalog = load_catalog(paths.measures_path(), paths.departments_path())
    with Store.open(path, catalog) as store:
        build_demo(store)
    yield path


def run(jsgj: Invoke, db: Path, *args: str) -> str:
    result = jsgj("--db", str(db), *args, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("args", VIEWS, ids=" ".join)
def test_every_view_fits_and_keeps_dates_whole(
    jsgj: Invoke, demo_db: Path, monkeypatch: pytest.MonkeyPatch, width: int, args: tuple[str, ...]
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    out = run(jsgj, demo_db, *args)
    assert "\x1b[" not in out  # off a terminal: plain lines
    for line in out.splitlines():
        assert cells(line) <= width, (width, line)
        # no two-digit year, no date cut at a line's end or start, no cell cut by "…"
        assert not re.search(r"(?<![\d-])\d{2}-\d{2}-\d{2}(?!\d)", line), line
        assert not re.search(r"\d{4}-\d{1,2}-?$|^\s*\d{1,2}-\d{2}\b", line), line
        assert "…" not in line or "2025" not in line.split("…")[0][-4:], line


@pytest.mark.parametrize("width", WIDTHS)
def test_tasks_list_shows_every_value_whole(
    jsgj: Invoke, demo_db: Path, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    catalog = load_catalog(paths.measures_path(), paths.departments_path())
    records = json.loads(run(jsgj, demo_db, "tasks", "list", "--json"))
    out = run(jsgj, demo_db, "tasks", "list")
    words = set(out.split())
    lines = out.splitlines()
    for r in records:
        row = next(i for i, line in enumerate(lines) if line.split()[:1] == [r["id"]])
        block = " ".join(lines[row : row + 6])  # the row with its folded lines
        assert r["id"] in words
        assert r["due_date"] in block.split(), (r["id"], block)
        assert f"{r['percent']}%" in block.split(), (r["id"], block)
        assert short(catalog, r["lead"]) in block.split(), (r["id"], block)
        assert any(dot in block.split() for dot in LIGHTS), (r["id"], block)
        assert r["status_label"] in block.split(), (r["id"], block)
        if not r["parent"]:  # a city's share names its city instead of the title
            text = lines[row].split()[1]
            for line in lines[row + 1 : row + 6]:
                if not line.startswith(" "):
                    break
                text += line.split()[0]
            assert r["title"] in text, (r["id"], text)
    if width >= 80:  # one line a row: the light closes it
        first = [line for line in lines if line.split()[:1] == ["1-1"]]
        assert first and first[0].rstrip().endswith(LIGHTS)


@pytest.mark.parametrize("width", WIDTHS)
def test_indicators_and_the_card_keep_every_column(
    jsgj: Invoke, demo_db: Path, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    listed = run(jsgj, demo_db, "indicators", "list")
    assert "状态" in listed.splitlines()[1]
    for r in json.loads(run(jsgj, demo_db, "indicators", "list", "--json")):
        assert r["id"] in listed.split()
    title = "依托中西部劳务协作基地拓宽技工院校招生范围，推行“招工+招生”模式"
    card = run(jsgj, demo_db, "tasks", "show", "1-3")
    body = "".join(line.strip("│ ").removeprefix("任务 ") for line in card.splitlines()[1:4])
    assert title in body, card


def test_tasks_list_limit_and_offset(jsgj: Invoke, demo_db: Path) -> None:
    full = run(jsgj, demo_db, "tasks", "list", "--json")
    ids = [r["id"] for r in json.loads(full)]
    out = run(jsgj, demo_db, "tasks", "list", "--offset", "3", "--limit", "4")
    counts = run(jsgj, demo_db, "tasks", "list").splitlines()[-1]
    # the figures are the whole selection's (the counting rule), the rows a slice
    assert out.splitlines()[-1] == counts.removesuffix("。") + f"（显示第4至7行，共{len(ids)}行）。"
    shown = [line.split()[0] for line in out.splitlines() if line.split()[:1] in [[i] for i in ids]]
    assert shown == ids[3:7]
    # --json is sliced alike (a script paging through a province: one page at a time)
    sliced = run(jsgj, demo_db, "tasks", "list", "--json", "--offset", "3", "--limit", "4")
    page = json.loads(sliced)
    assert page == json.loads(full)[3:7]
    rest = json.loads(run(jsgj, demo_db, "tasks", "list", "--json", "--offset", str(len(ids) - 2)))
    assert [r["id"] for r in rest] == ids[-2:]


def test_titles_wrap_between_characters_never_inside_a_number() -> None:
    lines = wrap("落实2025年全省职业学校招生计划，报送#916号文件（2025-12-31前）", 12)
    assert all(cells(x) <= 12 for x in lines)
    joined = "".join(lines)
    assert "2025-12-31" in joined and any("2025-12-31" in x for x in lines)
    assert any("#916" in x for x in lines)
    assert not any(x.startswith(("，", "）")) for x in lines)


def test_the_matrix_and_the_lists_use_one_short_name(jsgj: Invoke, demo_db: Path) -> None:
    """The department sheet and the list name a department by the catalogue's short."""
    sheet = run(jsgj, demo_db, "matrix", "--department", "自然资源厅")
    assert "自然资源厅" in sheet


def imported(*args: str, db: Path) -> set[str]:
    code = (
        "import sys\n"
        "from jsgj.cli.app import main\n"
        f"sys.argv = ['jsgj', '--db', {str(db)!r}, *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    return set(done.stderr.split())


NOT_FOR_TEXT = ("rich", "openpyxl", "jinja2", "docx")
"""Heavy modules a command printing plain lines or JSON never needs."""


@pytest.mark.parametrize(
    "args",
    [
        ("tasks", "list", "--as-of", AS_OF),
        ("tasks", "list", "--json"),
        ("tasks", "show", "1-1", "--json"),
        ("indicators", "list", "--as-of", AS_OF),
        ("report", "weekly", "-f", "json", "--as-of", AS_OF),
        ("matrix", "-f", "json", "--as-of", AS_OF),
    ],
    ids=" ".join,
)
def test_a_command_imports_only_what_it_needs(demo_db: Path, args: tuple[str, ...]) -> None:
    """Typer 0.29 itself imports Pydantic (typer._adapters): that one no command avoids."""
    modules = imported(*args, db=demo_db)
    assert "jsgj" in modules
    assert not modules & set(NOT_FOR_TEXT), sorted(modules & set(NOT_FOR_TEXT))


class FakeTerminal:
    """stdout as a terminal, for choosing the pager."""

    encoding = "utf-8"

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def test_a_listing_on_a_terminal_goes_through_the_pager(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jsgj.cli import output

    seen = tmp_path / "paged.txt"
    pager = (
        f'{sys.executable} -c "import os, sys; '
        f"open({str(seen)!r}, 'w', encoding='utf-8').write(sys.stdin.read() + os.environ['LESS'])\""
    )
    monkeypatch.setattr(output.sys, "stdout", FakeTerminal())
    monkeypatch.delenv("LESS", raising=False)
    monkeypatch.setenv("JSGJ_PAGER", pager)
    output.page(["任务清单", "1-1  2025-06-30"])
    assert seen.read_text(encoding="utf-8") == "任务清单\n1-1  2025-06-30\nFRX"
    assert output.pager_command(no_pager=True) is None
    monkeypatch.setenv("JSGJ_PAGER", "cat")
    assert output.pager_command() is None
    monkeypatch.delenv("JSGJ_PAGER")
    monkeypatch.setenv("PAGER", "more")
    assert output.pager_command() in ("more", None)  # None where `more` is not installed
    monkeypatch.delenv("PAGER")
    assert output.pager_command() in ("less -R", None)
    monkeypatch.undo()
    assert output.pager_command() is None  # stdout not a terminal: never a pager


def test_a_title_is_cut_where_its_pieces_would_be() -> None:
    """``wrap``'s way for a title (cut at the width, moved back to a break) agrees
    with the piece-by-piece rule, on texts made of every kind of character it treats
    apart; and each line's width is its cells."""
    import random

    from jsgj.render.columns import _wrap_pieces, wrap_cells

    kinds = [*"（《「『【〔‘“([，。、；：？！）》」』】〕’”,.;:?!)]%", *"年任务完成" * 5]
    kinds += [*"ab1.-_/:#+ ", "\u200b", "\x1b", "\n", "\u3000", "é", "e\u0301", "\\", "①"]
    kinds += ["abcdefghijklmnopqrstuvwxyz0123", "\\u200b", "ｱ"]
    rnd = random.Random(3)
    for _ in range(20000):
        text = "".join(rnd.choice(kinds) for _ in range(rnd.randint(0, 30)))
        if rnd.random() < 0.5:
            text = "".join(text.split())
        width = rnd.choice([2, 3, 5, 8, 18, 30])
        lines = wrap_cells(text, width)
        assert [line for line, _ in lines] == _wrap_pieces(text, width), (text, width)
        assert all(cells(line) == n for line, n in lines)
