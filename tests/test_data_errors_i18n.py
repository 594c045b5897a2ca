"""Problems in the data files, in the user's language and never in the YAML parser's or
the validation library's words: each data file broken in several ways, checked with
`jsgj validate` (lights.yaml by a command that reads it) under a Chinese and an English
locale. Every line reported must be Chinese (zh) or English with no Chinese outside
quoted values (en)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from language import CJK, language_problem, outside_quotes

DATA = Path(__file__).resolve().parent.parent / "data"

# (file, environment variable, what is replaced, by what)
BREAKAGES = [
    ("office.yaml", "JSGJ_OFFICE", "chase_reply_days: 5", "chase_reply_days: [5"),
    ("office.yaml", "JSGJ_OFFICE", "chase_reply_days: 5", "chase_reply_days: five"),
    ("office.yaml", "JSGJ_OFFICE", "chase_reply_days: 5", "chase_reply_days: 500"),
    ("office.yaml", "JSGJ_OFFICE", "chase_reply_days: 5", "chase_reply_day: 5"),
    ("scoring.yaml", "JSGJ_SCORING", "base: 60", "base: sixty"),
    ("scoring.yaml", "JSGJ_SCORING", "base: 60", "base: 60: 1"),
    ("scoring.yaml", "JSGJ_SCORING", "base: 60", "base: !!python/name:os.system"),
    ("lights.yaml", "JSGJ_LIGHTS", "pace_margin: 20", "pace_margin: [20"),
    ("lights.yaml", "JSGJ_LIGHTS", "pace_margin: 20", "pace_margin: -1"),
    ("lights.yaml", "JSGJ_LIGHTS", "pace_margin: 20", "pace_margn: 20"),
    ("measures.yaml", "JSGJ_MEASURES", "number: 3\n", "number: 33\n"),
    ("measures.yaml", "JSGJ_MEASURES", "number: 3\n", "number: three\n"),
    ("departments.yaml", "JSGJ_DEPARTMENTS", "id: hrss", "id: HRSS"),
    ("departments.yaml", "JSGJ_DEPARTMENTS", "id: hrss", "idd: hrss"),
]


def _lines(tmp_path: Path, file: str, var: str, old: str, new: str, lang: str) -> list[str]:
    text = (DATA / file).read_text(encoding="utf-8")
    assert old in text, (file, old)
    broken = tmp_path / file
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("JSGJ_LANG", "LC_ALL", "LC_MESSAGES", "LANG")
    }
    env.update(
        {var: str(broken)},
        LANG=lang,
        JSGJ_DB=str(tmp_path / "x.db"),
        JSGJ_CACHE=str(tmp_path / "cache"),
    )
    args = ["tasks", "list", "--as-of", "2025-06-30"] if file == "lights.yaml" else ["validate"]
    if file == "lights.yaml":
        init = dict(env)
        init.pop(var)
        subprocess.run([sys.executable, "-m", "jsgj", "db", "init"], env=init, check=True,
                       capture_output=True)  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "jsgj", *args], env=env, capture_output=True, text=True
    )
    assert done.returncode == 1, (done.stdout, done.stderr)
    lines = [ln for ln in (done.stdout + done.stderr).splitlines() if ln.strip()]
    assert lines
    return lines


@pytest.mark.parametrize(("file", "var", "old", "new"), BREAKAGES)
def test_data_file_problems_are_chinese_under_a_chinese_locale(
    tmp_path: Path, file: str, var: str, old: str, new: str
) -> None:
    for line in _lines(tmp_path, file, var, old, new, "zh_CN.UTF-8"):
        assert CJK.search(outside_quotes(line, str(tmp_path))), line
        assert language_problem(line, "zh", str(tmp_path)) is None, line


@pytest.mark.parametrize(("file", "var", "old", "new"), BREAKAGES)
def test_data_file_problems_are_english_under_an_english_locale(
    tmp_path: Path, file: str, var: str, old: str, new: str
) -> None:
    for line in _lines(tmp_path, file, var, old, new, "en_US.UTF-8"):
        assert not CJK.search(outside_quotes(line, str(tmp_path))), line
        assert language_problem(line, "en", str(tmp_path)) is None, line
