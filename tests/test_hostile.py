"""Hostile input, property-based: whatever a form, a shell or an edited data file holds.

For every argument of `assign`, `progress`, `import`, `indicators record` and `report
weekly` - dates, percents, department names, notes with control characters, right-to-
left marks, 100 KB strings, SQL-looking and HTML-looking text, invalid UTF-8 in a CSV
return - and for the YAML loader on mutated data files:

* never a traceback (nor an "internal error", exit 70): exit 0, or exit 1 or 2 with
  one line on stderr ("jsgj: error: ..."; an import refusal first lists its rows);
* every error line in the user's language: the commands run in English and Chinese by
  turns (JSGJ_LANG), and each line is held to its language, never the libraries' words;
* after a refusal the database is byte for byte what it was;
* user text is shown back as text: stored verbatim (less surrounding blanks), escaped
  in error messages (no raw control or bidi characters reach the terminal), inert in
  the HTML and Markdown reports, and JSON stays JSON.

Few examples by default (seconds); ``make stress`` runs many more.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import itertools
import json
import os
import re
import shutil
import sqlite3
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from conftest import DATA
from jsgj.cli.app import app
from jsgj.store.functions import register_functions
from language import PREFIX, language_problem

FEW = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
MANY = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


# The same property with few examples (default run) and many (``-m stress``).
SCALES = [
    pytest.param(FEW, id="few"),
    pytest.param(MANY, id="many", marks=pytest.mark.stress),
]

TODAY = "2025-06-30"

# --- hostile values -----------------------------------------------------------------

NASTY = [
    "",
    " ",
    "\t\n ",
    "\x00",
    "nul\x00inside",
    "\x1b[31mred\x1b[0m",
    "\x07bell\x08",
    "\r\n",
    "line1\nline2",
    "\u2028\u2029",
    "\u202eevil\u202c",
    "\u200f\u200e\u061c",
    "\u200b\ufeff",
    "'; DROP TABLE tasks; --",
    "1 OR 1=1",
    "Robert'); DELETE FROM progress_reports;--",
    '" OR ""="',
    "<script>alert(1)</script>",
    "<b>粗体</b> &amp; &lt;",
    "[bold red]markup[/]",
    "[/]",
    "[link=http://x]x[/link]",
    '=HYPERLINK("http://x","y")',
    "+1",
    "-1",
    "@SUM(A1)",
    "%s%n%x{0}${HOME}$(id)`id`",
    "\\",
    "ｈｒｓｓ",
    "　全角空格　",
    "𠀀𪚥🎉",
    "9" * 400,
    "a" * 100_000,
    "长" * 34_000,  # ~100 KB of UTF-8
]
DEPARTMENTS = [
    "人社厅",
    "hrss",
    "省人力资源社会保障厅",
    "office",
    "督查督办",
    "cities",
    "南京市",
    "nanjing",
]
DATES = [
    TODAY,
    "2025-01-01",
    "2025-02-29",
    "2025-02-30",
    "2025-13-01",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "2025/06/30",
    "20250630",
    "2025-6-3",
    " 2025-06-30 ",
    "2025-06-30T00:00",
    "２０２５-０６-３０",
    "2025-06-31",
    "2099-01-01",
]
PERCENTS = [
    "0",
    "50",
    "99",
    "100",
    "101",
    "-1",
    "1e2",
    "0x10",
    "NaN",
    "inf",
    "50%",
    "１００",
    "99999999999999999999999",
    "3.5",
]
STATUSES = ["推进中", "in_progress", "已完成", "done", "未启动", "受阻", "blocked", "DONE", "完成"]
TASKS = [
    "7-1",
    "7-2",
    "1-1",
    "1-1.nanjing",
    "1-1.南京",
    "1-1.南京市",
    "99-1",
    "7-999",
    "7-1.",
    "-1-1",
]


def texts() -> st.SearchStrategy[str]:
    """Hostile text: the list above, generated text, control and format characters,
    and mixtures of them."""
    controls = st.text(st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Co"]), max_size=6)
    return st.one_of(
        st.sampled_from(NASTY),
        st.text(max_size=40),
        controls,
        st.builds(lambda a, b, c: a + b + c, st.sampled_from(NASTY), st.text(max_size=8), controls),
    )


def pick(values: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(values), texts())


def maybe(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str | None]:
    return st.one_of(st.none(), strategy)


# --- running the command line -----------------------------------------------------


_TURNS = itertools.count()


def run(*args: str) -> Result:
    """Invoke jsgj in process, in English and Chinese by turns (see ``lang_of``)."""
    lang = ("en", "zh")[next(_TURNS) % 2]
    # Wide, so that no table folds a message over lines: each line is held whole.
    with patched_env({"JSGJ_LANG": lang, "COLUMNS": "1000"}):
        result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    setattr(result, "jsgj_lang", lang)  # noqa: B010
    return result


def lang_of(result: Result) -> str:
    lang: str = getattr(result, "jsgj_lang", "en")
    return lang


def assert_in_its_language(result: Result) -> None:
    """Every line on stderr is in the language the command ran in."""
    lang = lang_of(result)
    for line in result.stderr.splitlines():
        if line.strip():
            problem = language_problem(line, lang)
            assert problem is None, f"{lang}: {problem}: {line}"


def snapshot(db: Path) -> str:
    """Every row of every table (and the schema), hashed: "unchanged" means this."""
    if not db.exists():
        return "absent"
    conn = sqlite3.connect(db)
    register_functions(conn)  # the search index's view computes its text with it
    try:
        h = hashlib.sha256()
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        for table in tables:
            h.update(table.encode())
            for row in sorted(map(repr, conn.execute(f"SELECT * FROM [{table}]"))):
                h.update(row.encode())
        return h.hexdigest()
    finally:
        conn.close()


def terminal_safe(text: str) -> bool:
    """No raw control, format (bidi, zero-width) or line-separator characters except
    the newlines that end lines."""
    return all(
        ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp") for ch in text
    )


def assert_well_behaved(result: Result, before: str, db: Path, *, table_ok: bool = False) -> None:
    """The contract of every command with any input."""
    out, err = result.stdout, result.stderr
    assert "Traceback" not in out + err
    assert result.exit_code in (0, 1, 2), (result.exit_code, err[-2000:])
    assert terminal_safe(err), ascii(err[-500:])
    if result.exit_code == 0:
        return
    assert_in_its_language(result)
    lines = err.splitlines()
    errors = [line for line in lines if line.startswith(PREFIX[lang_of(result)])]
    assert len(errors) == 1 and lines[-1] == errors[0], err[-2000:]
    if not table_ok:
        assert len(lines) == 1, err[-2000:]
    assert snapshot(db) == before, "a refused command changed the database"


def assert_renders(*commands: list[str]) -> None:
    """The terminal views of what was just accepted still render: user text is never
    read as rich markup ("[/]" would break it, "[red]" would colour it)."""
    for args in commands:
        result = run(*args)
        assert result.exit_code == 0, (args, result.stderr)
        assert "Traceback" not in result.stdout + result.stderr


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small database: tasks of one department, one with a co-owner, one shared out
    to the cities, a report each, an indicator value."""
    folder = tmp_path_factory.mktemp("hostile-template")
    db = folder / "jsgj.db"
    env = {"JSGJ_DB": str(db), "JSGJ_TODAY": TODAY, "JSGJ_CACHE": str(folder / "cache")}
    with patched_env(env):
        for args in (
            ["assign", "7", "--title", "推进企业新型学徒制", "--due", "2025-12-31"],
            ["assign", "7", "--title", "技能大师工作室", "--co", "总工会", "--due", "2025-09-30"],
            [
                "assign",
                "1",
                "--title",
                "各市落实招生计划",
                "--lead",
                "cities",
                "--due",
                "2025-08-31",
            ],
            ["progress", "7-1", "--status", "推进中", "--percent", "20", "--note", "首次填报"],
            ["progress", "1-1.nanjing", "--status", "推进中", "--note", "南京市已启动"],
            [
                "indicators",
                "record",
                "skilled_share_of_employed",
                "29.6",
                "--date",
                "2024-12-31",
                "--source",
                "统计公报",
            ],
        ):
            result = run(*args)
            assert result.exit_code == 0, (args, result.stderr)
    return db


@contextlib.contextmanager
def patched_env(values: dict[str, str]) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture
def db(template_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the template for one test (examples of a test share it: what
    one accepts, the next sees)."""
    path = tmp_path / "hostile.db"
    shutil.copyfile(template_db, path)
    monkeypatch.setenv("JSGJ_DB", str(path))
    monkeypatch.setenv("JSGJ_TODAY", TODAY)
    return path


def stored_notes(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT note FROM progress_reports ORDER BY id")]
    finally:
        conn.close()


# --- assign -----------------------------------------------------------------------


@pytest.mark.parametrize("config", SCALES)
def test_assign_with_any_arguments(config: settings, db: Path) -> None:
    @config
    @given(
        measure=pick(["7", "1", "19", "0", "20", "-1", "07", "七"]),
        title=texts(),
        lead=maybe(pick(DEPARTMENTS)),
        co=st.lists(pick(DEPARTMENTS), max_size=3),
        due=maybe(pick(DATES)),
        start=maybe(pick(DATES)),
    )
    def check(
        measure: str,
        title: str,
        lead: str | None,
        co: list[str],
        due: str | None,
        start: str | None,
    ) -> None:
        args = ["assign", measure, "--title", title]
        if lead is not None:
            args += ["--lead", lead]
        for c in co:
            args += ["--co", c]
        if due is not None:
            args += ["--due", due]
        if start is not None:
            args += ["--start", start]
        before = snapshot(db)
        result = run(*args)
        assert_well_behaved(result, before, db)
        if result.exit_code == 0:
            task_id = result.stdout.strip()
            shown = json.loads(run("tasks", "show", task_id, "--json").stdout)
            assert shown["task"]["title"] == title.strip()
            assert_renders(["tasks", "show", task_id], ["tasks", "list", "-m", measure])

    check()


# --- progress ---------------------------------------------------------------------


@pytest.mark.parametrize("config", SCALES)
def test_progress_with_any_arguments(config: settings, db: Path) -> None:
    @config
    @given(
        task=pick(TASKS),
        status=pick(STATUSES),
        note=texts(),
        percent=maybe(pick(PERCENTS)),
        date=maybe(pick(DATES)),
        by=maybe(pick(DEPARTMENTS)),
        evidence=maybe(texts()),
        corrects=maybe(pick(["1", "2", "0", "-1", "999999", "1.5"])),
    )
    def check(
        task: str,
        status: str,
        note: str,
        percent: str | None,
        date: str | None,
        by: str | None,
        evidence: str | None,
        corrects: str | None,
    ) -> None:
        args = ["progress", task, "--status", status, "--note", note]
        for option, value in (
            ("--percent", percent),
            ("--date", date),
            ("--by", by),
            ("--evidence", evidence),
            ("--corrects", corrects),
        ):
            if value is not None:
                args += [option, value]
        before = snapshot(db)
        result = run(*args)
        assert_well_behaved(result, before, db)
        if result.exit_code == 0:
            assert re.fullmatch(r"#\d+\n", result.stdout)
            assert stored_notes(db)[-1] == note.strip()  # verbatim, as text
            assert_renders(["tasks", "show", task], ["tasks", "list"])

    check()


# --- import -------------------------------------------------------------------------

HEADER = ["任务编号", "填报单位", "状态", "进度%", "日期", "进展情况", "佐证材料"]
BAD_BYTES = [b"\xff\xfe\x00", b"\xc3\x28", b"\xe4\xb8", b"\x80\x81", b"\xed\xa0\x80"]


@st.composite
def returns(draw: st.DrawFn) -> tuple[bytes, str]:
    """A CSV return: hostile cells, sometimes broken bytes, sometimes another encoding."""
    rows = draw(
        st.lists(
            st.tuples(
                pick(TASKS),
                pick(DEPARTMENTS),
                pick(STATUSES),
                pick(PERCENTS),
                pick(DATES),
                texts(),
                st.one_of(st.just(""), texts()),
            ),
            min_size=0,
            max_size=6,
        )
    )
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *[list(r) for r in rows]])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    data = out.getvalue().encode(encoding, errors="replace")
    if draw(st.booleans()):  # invalid UTF-8 (or other) bytes somewhere
        bad = draw(st.sampled_from(BAD_BYTES))
        at = draw(st.integers(0, len(data)))
        data = data[:at] + bad + data[at:]
    suffix = draw(st.sampled_from([".csv", ".csv", ".txt", ".xlsx", ".xls"]))
    return data, suffix


@pytest.mark.parametrize("config", SCALES)
def test_import_of_any_return(config: settings, db: Path, tmp_path: Path) -> None:
    @config
    @given(
        content=returns(),
        by=maybe(pick(DEPARTMENTS)),
        dry_run=st.booleans(),
        name=st.sampled_from(["return", "进展填报表", "a b", "<x>", "[bold]r[x]"]),
    )
    def check(content: tuple[bytes, str], by: str | None, dry_run: bool, name: str) -> None:
        data, suffix = content
        path = tmp_path / f"{name}{suffix}"
        path.write_bytes(data)
        args = ["import", str(path)]
        if by is not None:
            args += ["--by", by]
        if dry_run:
            args.append("--dry-run")
        before = snapshot(db)
        result = run(*args)
        assert_well_behaved(result, before, db, table_ok=True)
        if dry_run:
            assert snapshot(db) == before

    check()


# --- indicators record --------------------------------------------------------------


@pytest.mark.parametrize("config", SCALES)
def test_indicators_record_with_any_arguments(config: settings, db: Path) -> None:
    @config
    @given(
        indicator=pick(["skilled_share_of_employed", "high_skilled_per_10k_workers", "nope"]),
        value=pick(
            ["29.6", "0", "100", "101", "-3", "1e309", "NaN", "inf", "30%", "三十", "1,000"]
        ),
        date=pick(DATES),
        source=texts(),
        region=maybe(pick(["南京市", "nanjing", "province", "全省", "江苏省", "hrss", "cities"])),
    )
    def check(indicator: str, value: str, date: str, source: str, region: str | None) -> None:
        args = ["indicators", "record", indicator, value, "--date", date, "--source", source]
        if region is not None:
            args += ["--region", region]
        before = snapshot(db)
        result = run(*args)
        assert_well_behaved(result, before, db)

    check()


# --- report weekly --------------------------------------------------------------------


@pytest.mark.parametrize("config", SCALES)
def test_report_weekly_with_any_arguments(config: settings, db: Path, tmp_path: Path) -> None:
    # Hostile text in the database first: what clerks typed must come out as text.
    hostile = [
        "<script>alert(1)</script>",
        "[bold red]markup[/] | --- | *x* _y_ `z` <b>b</b> &amp;",
    ]
    for note in hostile:
        assert run("progress", "7-2", "--status", "推进中", "--note", note).exit_code == 0
    # Control and bidi characters are refused at the door, with one line.
    refused = run("progress", "7-2", "--status", "推进中", "--note", "\u202eevil\u202c\x1b[31m")
    assert refused.exit_code == 2 and "U+202E" in refused.stderr
    title = ["assign", "7", "--title", "<img src=x onerror=alert(1)>", "--due", "2025-07-05"]
    assert run(*title).exit_code == 0

    @config
    @given(
        as_of=maybe(pick(DATES)),
        fmt=pick(["markdown", "md", "html", "json", "JSON", "pdf", "xlsx"]),
        output=maybe(
            st.sampled_from(["周报-{year}-W{week}.md", "{date}.html", "{nope}.md", "", "x/y.json"])
        ),
    )
    def check(as_of: str | None, fmt: str, output: str | None) -> None:
        args = ["report", "weekly", "--format", fmt]
        if as_of is not None:
            args += ["--as-of", as_of]
        shutil.rmtree(tmp_path / "out", ignore_errors=True)
        target: Path | None = None
        if output is not None:
            target = tmp_path / "out" / output if output else None
            args += ["--output", str(target) if target else ""]
        before = snapshot(db)
        result = run(*args)
        assert_well_behaved(result, before, db)
        assert snapshot(db) == before  # a report never writes to the database
        if result.exit_code != 0:
            return
        text = result.stdout
        if output:
            written = sorted((tmp_path / "out").rglob("*"), key=lambda p: p.stat().st_mtime)
            text = [p for p in written if p.is_file()][-1].read_text(encoding="utf-8")
        kind = fmt.strip().lower()
        if kind == "json":
            json.loads(text)
        elif kind == "html":
            for raw in ("<script>alert(1)", "<img src=x", "<b>b</b>"):
                assert raw not in text
        else:  # Markdown: every '<' of user text escaped
            assert re.search(r"(?<!\\)<(script>alert|img src=x|b>b)", text) is None

    check()


# --- mutated data files -----------------------------------------------------------

DATA_FILES = ["measures.yaml", "departments.yaml", "indicators.yaml", "lights.yaml"]


@st.composite
def mutations(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(DATA_FILES))
    data = (DATA / name).read_bytes()
    lines = data.split(b"\n")
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(
            st.sampled_from(
                ["delete", "duplicate", "insert", "truncate", "replace", "bytes", "indent", "swap"]
            )
        )
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        if kind == "delete" and len(lines) > 1:
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "insert":
            piece = draw(
                st.sampled_from(
                    [
                        "- x",
                        "key: value",
                        "  -",
                        ": :",
                        "!!python/object/apply:os.system ['echo hacked']",
                        "&a [x, *a]",
                        "{",
                        "[",
                        "'",
                        '"',
                        "\t",
                        "---",
                        "...",
                        "? complex",
                        "number: 1e999",
                        "date: 2025-02-30",
                        "id: null",
                    ]
                )
                | texts()
            )
            lines.insert(i, piece.encode("utf-8", "surrogatepass"))
        elif kind == "truncate":
            lines = lines[: i + 1]
            cut = draw(st.integers(0, len(lines[-1])))
            lines[-1] = lines[-1][:cut]
        elif kind == "replace" and lines[i]:
            j = draw(st.integers(0, len(lines[i]) - 1))
            ch = draw(st.sampled_from(list(":-[]{}&*!|>%@`#'\"\t ,?") + ["\u3000", "："]))
            lines[i] = lines[i][:j] + ch.encode() + lines[i][j + 1 :]
        elif kind == "bytes":
            lines[i] = lines[i] + draw(st.sampled_from(BAD_BYTES))
        elif kind == "indent":
            lines[i] = draw(st.sampled_from([b" ", b"  ", b"\t", b""])) + lines[i].lstrip()
        elif kind == "swap" and len(lines) > 1:
            k = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[k] = lines[k], lines[i]
    return name, b"\n".join(lines)


@pytest.mark.parametrize("config", SCALES)
def test_mutated_data_files(
    config: settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    env = {
        "measures.yaml": "JSGJ_MEASURES",
        "departments.yaml": "JSGJ_DEPARTMENTS",
        "indicators.yaml": "JSGJ_INDICATORS",
        "lights.yaml": "JSGJ_LIGHTS",
    }

    @config
    @given(
        mutation=mutations(),
        command=st.sampled_from(["measures", "validate", "tasks", "indicators"]),
    )
    def check(mutation: tuple[str, bytes], command: str) -> None:
        name, data = mutation
        path = tmp_path / name
        path.write_bytes(data)
        with patched_env({env[name]: str(path)}):
            before = snapshot(db)
            if command == "measures":
                result = run("measures", "list", "--json")
            elif command == "tasks":
                result = run("tasks", "list", "--json")
            elif command == "indicators":
                result = run("indicators", "list", "--json")
            else:
                result = run("validate")
        out, err = result.stdout, result.stderr
        assert "Traceback" not in out + err
        assert terminal_safe(err), ascii(err[-500:])
        assert snapshot(db) == before
        assert_in_its_language(result)
        if command == "validate":
            # The CI gate lists every problem (on stdout), exit 1; a usage error exits 2.
            assert result.exit_code in (0, 1), (result.exit_code, err)
            assert "hacked" not in out
            for line in out.splitlines():  # each problem, in the user's language
                problem = language_problem(line, lang_of(result), str(tmp_path))
                assert problem is None, f"{lang_of(result)}: {problem}: {line}"
            return
        assert result.exit_code in (0, 1, 2), (result.exit_code, err)
        if result.exit_code:
            assert len(err.splitlines()) == 1, err
            assert err.startswith(PREFIX[lang_of(result)]), err
        else:
            json.loads(out)

    check()


def test_a_yaml_alias_bomb_is_refused_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nested aliases ("billion laughs") would make loading take exponential time."""
    lines = ["a0: &a0 [x, x]"] + [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]" for i in range(1, 40)]
    path = tmp_path / "measures.yaml"
    path.write_text("\n".join([*lines, "document: *a39"]) + "\n", encoding="utf-8")
    monkeypatch.setenv("JSGJ_MEASURES", str(path))
    for _turn in range(2):  # once in each language
        result = run("measures", "list")
        assert result.exit_code == 1
        word = {"en": "aliases", "zh": "别名"}[lang_of(result)]
        assert word in result.stderr and len(result.stderr.splitlines()) == 1
        assert_in_its_language(result)


# --- the error line itself ----------------------------------------------------------


@given(message=texts())
@FEW
def test_an_error_message_is_one_safe_line(message: str) -> None:
    import io
    import sys

    from jsgj.cli.app import report_error

    buf = io.StringIO()
    real = sys.stderr
    sys.stderr = buf
    try:
        report_error(message)
    finally:
        sys.stderr = real
    text = buf.getvalue()
    assert text.startswith("jsgj: error: ") and text.endswith("\n")
    assert text.count("\n") == 1
    assert terminal_safe(text)
