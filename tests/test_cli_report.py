"""Cron-safety of `jsgj report weekly` and `jsgj matrix --output`: placeholders, atomic
writes, one-line failures with a non-zero exit, no output on success, and the crontab
line the README gives, run the way cron runs it."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, Invoke
from jsgj import files
from jsgj.errors import UsageError
from jsgj.files import expand, write_atomic
from report_helpers import build_small

AS_OF = "2025-06-29"

# The line README.md gives (cron: 07:00 every Monday, the week that ended yesterday).
CRON_LINE = (
    "0 7 * * 1 cd /srv/jsgj && .venv/bin/jsgj --db /srv/jsgj/jsgj.db report weekly "
    '--as-of "$(date -d yesterday +\\%F)" --format html '
    "--output '/srv/reports/周报-{year}-W{week}.html'"
)


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    path = tmp_path / "small.db"
    build_small(path)
    return path


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


# --- placeholders ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "day", "path"),
    [
        ("周报-{year}-W{week}.html", dt.date(2025, 6, 29), "周报-2025-W26.html"),
        ("r/{date}.md", dt.date(2025, 1, 15), "r/2025-01-15.md"),
        ("W{week}", dt.date(2025, 1, 15), "W03"),
        ("{year}-W{week}", dt.date(2024, 12, 30), "2025-W01"),  # the ISO year
        ("plain.json", dt.date(2025, 6, 29), "plain.json"),
    ],
)
def test_expand(template: str, day: dt.date, path: str) -> None:
    assert expand(template, day) == Path(path)


@pytest.mark.parametrize("template", ["{day}.md", "{}.md", "{ year }.md", ""])
def test_expand_refuses(template: str) -> None:
    with pytest.raises(UsageError):
        expand(template, dt.date(2025, 6, 29))


def test_output_with_placeholders(jsgj: Invoke, small_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    result = jsgj(
        "--db",
        str(small_db),
        "report",
        "weekly",
        "--as-of",
        AS_OF,
        "--format",
        "html",
        "--output",
        str(out / "{year}" / "周报-{year}-W{week}.html"),
    )
    assert result.exit_code == 0, result.stderr
    assert (result.stdout, result.stderr) == ("", "")  # quiet on success: cron mails output
    written = out / "2025" / "周报-2025-W26.html"  # the directory is created
    assert written.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert leftovers(written.parent) == []


def test_matrix_output_with_date(jsgj: Invoke, tmp_path: Path) -> None:
    assert jsgj("db", "init").exit_code == 0
    result = jsgj("matrix", "--as-of", AS_OF, "-f", "markdown", "-o", str(tmp_path / "m-{date}.md"))
    assert result.exit_code == 0
    assert (tmp_path / "m-2025-06-29.md").read_text(encoding="utf-8").startswith("# ")


def test_month_placeholder_names_a_monthly_file(jsgj: Invoke, tmp_path: Path) -> None:
    target = str(tmp_path / "{year}" / "矩阵-{year}-{month}.csv")
    assert jsgj("db", "init").exit_code == 0
    result = jsgj("matrix", "--as-of", "2025-03-02", "-f", "csv", "-o", target)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "2025" / "矩阵-2025-03.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_unknown_placeholder_is_a_usage_error(jsgj: Invoke, small_db: Path, tmp_path: Path) -> None:
    result = jsgj(
        "--db",
        str(small_db),
        "report",
        "weekly",
        "--as-of",
        AS_OF,
        "--output",
        str(tmp_path / "周报-{day}.md"),
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("jsgj: error: --output: unknown placeholder {day}")
    assert len(result.stderr.splitlines()) == 1
    assert list(tmp_path.glob("周报*")) == []


# --- atomic writes -------------------------------------------------------------------------


def test_write_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    target.write_text("old")
    write_atomic(target, "新的报告".encode())
    assert target.read_text(encoding="utf-8") == "新的报告"
    assert leftovers(tmp_path) == []


def test_a_failed_write_leaves_the_old_file_and_no_temp(
    jsgj: Invoke, small_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "weekly.md"
    target.write_text("last week's report", encoding="utf-8")

    def no_space(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", no_space)
    result = jsgj("--db", str(small_db), "report", "weekly", "--as-of", AS_OF, "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == (
        f"jsgj: error: {target}: cannot write (the disk is full); any previous file is unchanged\n"
    )
    assert target.read_text(encoding="utf-8") == "last week's report"
    assert leftovers(tmp_path) == []


def test_a_reader_never_sees_half_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Until the rename, the target holds the old report, whatever has been written."""
    target = tmp_path / "r.html"
    target.write_bytes(b"old")
    seen: list[bytes] = []
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        seen.append(target.read_bytes())  # what a reader would open right now
        assert Path(src).read_bytes() == b"x" * 100_000
        real_replace(src, dst)

    monkeypatch.setattr(files.os, "replace", spy)
    write_atomic(target, b"x" * 100_000)
    assert seen == [b"old"]
    assert target.read_bytes() == b"x" * 100_000


def test_the_report_is_readable_by_others(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "r.md", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "r.md").stat().st_mode) == 0o644


def test_output_to_a_directory_fails_cleanly(jsgj: Invoke, small_db: Path, tmp_path: Path) -> None:
    result = jsgj("--db", str(small_db), "report", "weekly", "--as-of", AS_OF, "-o", str(tmp_path))
    assert result.exit_code == 1
    assert "is a directory" in result.stderr and len(result.stderr.splitlines()) == 1


# --- failures -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--as-of", "2025-13-01"), 2, "--as-of: '2025-13-01' is not a date"),
        (("--format", "pdf"), 2, "--format: unknown format 'pdf'"),
    ],
)
def test_bad_options(
    jsgj: Invoke, small_db: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    result = jsgj("--db", str(small_db), "report", "weekly", *args)
    assert result.exit_code == code
    assert message in result.stderr and len(result.stderr.splitlines()) == 1
    assert result.stdout == ""


def test_a_missing_database_is_an_error_not_an_empty_report(jsgj: Invoke, tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    result = jsgj("--db", str(missing), "report", "weekly")
    assert result.exit_code == 1
    assert result.stderr == (
        f"jsgj: error: {missing}: no such database "
        "(give --db PATH or set JSGJ_DB; `jsgj db init` creates one)\n"
    )
    assert not missing.exists()


def test_no_colour_in_a_pipe(jsgj: Invoke, small_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "xterm-256color")
    for args in (("report", "weekly"), ("matrix", "--tasks"), ("matrix", "-d", "hrss")):
        result = jsgj("--db", str(small_db), *args, "--as-of", AS_OF)
        assert result.exit_code == 0
        assert "\x1b[" not in result.stdout


# --- start-up cost --------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["--help"], ["matrix", "--help"], ["report", "weekly", "--help"]])
def test_help_imports_nothing_heavy(argv: list[str]) -> None:
    """(Typer itself imports pydantic to convert int and bool options of a sub-command.)"""
    heavy = ("sqlite_utils", "yaml", "openpyxl", "jsgj.store.db", "jsgj.reports.weekly")
    if argv == ["--help"]:
        heavy += ("pydantic",)
    code = (
        "import sys\n"
        "from jsgj.cli.app import app\n"
        "try:\n"
        f"    app({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"heavy = {heavy!r}\n"
        "print(','.join(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr.strip() == ""


# --- the crontab line ----------------------------------------------------------------------------


def cron_command(line: str) -> str:
    """The command field of a crontab line, as cron hands it to /bin/sh: after the five
    time fields, with '\\%' turned into '%' (an unescaped % would end the command)."""
    command = line.split(None, 5)[5]
    assert "%" not in command.replace("\\%", "")
    return command.replace("\\%", "%")


@pytest.mark.skipif(shutil.which("date") is None, reason="needs date(1)")
def test_the_crontab_line_runs_as_cron_runs_it(tmp_path: Path) -> None:
    home = tmp_path / "srv" / "jsgj"
    reports = tmp_path / "srv" / "reports"
    home.mkdir(parents=True)
    (home / ".venv").symlink_to(REPO / ".venv")
    build_small(home / "jsgj.db")
    command = cron_command(CRON_LINE).replace("/srv/", f"{tmp_path}/srv/")
    # cron's environment: no terminal, no locale, a minimal PATH.
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "SHELL": "/bin/sh",
        "JSGJ_CACHE": str(tmp_path / "cache"),
    }
    done = subprocess.run(
        ["/bin/sh", "-c", command],
        env=env,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        cwd="/",
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert (done.stdout, done.stderr) == (b"", b"")
    yesterday = dt.date.today() - dt.timedelta(days=1)
    year, week, _ = yesterday.isocalendar()
    written = reports / f"周报-{year}-W{week:02d}.html"
    assert written.exists(), sorted(p.name for p in reports.iterdir())
    text = written.read_text(encoding="utf-8")
    assert f"{year}年第{week}周" in text and "催办清单" in text
    # Run again (cron retried, or a second job): the same bytes, atomically replaced.
    again = subprocess.run(["/bin/sh", "-c", command], env=env, capture_output=True, cwd="/")
    assert again.returncode == 0
    # The same report but for the moment it was computed (its footer names it).
    moment = re.compile(r"\d{4}-\d\d-\d\dT[\d:.]+\+00:00")
    assert moment.sub("", written.read_text(encoding="utf-8")) == moment.sub("", text)
    assert leftovers(reports) == []


def test_the_crontab_line_fails_loudly_on_a_wrong_database(tmp_path: Path) -> None:
    home = tmp_path / "srv" / "jsgj"
    home.mkdir(parents=True)
    (home / ".venv").symlink_to(REPO / ".venv")
    command = cron_command(CRON_LINE).replace("/srv/", f"{tmp_path}/srv/")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "JSGJ_CACHE": str(tmp_path / "c")}
    done = subprocess.run(["/bin/sh", "-c", command], env=env, capture_output=True, cwd="/")
    assert done.returncode == 1
    lines = done.stderr.decode().splitlines()
    # cron sets no locale: Chinese, the default
    assert len(lines) == 1 and lines[0].endswith(
        "没有这个数据库（用 --db PATH 或设置 JSGJ_DB；`jsgj db init` 可新建一个）"
    )
    assert not (tmp_path / "srv" / "reports").exists()
