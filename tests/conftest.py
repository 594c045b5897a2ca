"""Shared fixtures: every test runs with the database, cache and data-file variables
pointed at tmp_path, and rich output at a fixed 80 columns."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

# Help texts are translated when their module is imported: English for the whole run
# (subprocesses inherit it), whatever the machine's locale says.
os.environ["JSGJ_LANG"] = "en"

from jsgj.cli.app import app  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JSGJ_DB", str(tmp_path / "jsgj.db"))
    monkeypatch.setenv("JSGJ_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("JSGJ_MEASURES", raising=False)
    monkeypatch.delenv("JSGJ_DEPARTMENTS", raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("JSGJ_USER", "tester")
    # Messages in English, the msgids the tests compare with (Chinese is the default:
    # tests/test_i18n.py checks the Chinese side).
    monkeypatch.setenv("JSGJ_LANG", "en")
    return tmp_path


@pytest.fixture
def db_path(isolated: Path) -> Path:
    return isolated / "jsgj.db"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ (measures, departments, source) for mutation tests."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


Invoke = Callable[..., Result]


@pytest.fixture
def jsgj() -> Invoke:
    """Run the CLI in-process: jsgj("tasks", "list") -> Result (stdout and stderr apart)."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return invoke
