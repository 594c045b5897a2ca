"""A release works as a new user gets it: `python -m build` makes the sdist, then the
wheel FROM that sdist; the wheel, installed into a fresh venv, runs `validate`,
`matrix` and `demo` from a directory outside the clone (no symlink, no checkout data).

The everyday form builds without isolation (hatchling from the dev venv, no network);
the stress form builds the way a release is built, in an isolated environment that
fetches hatchling from the package index."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA_FILES = (
    "measures.yaml",
    "departments.yaml",
    "indicators.yaml",
    "lights.yaml",
    "office.yaml",
    "scoring.yaml",
    "demo/plans.yaml",
    "demo/indicators.yaml",
    "source/su-zheng-ban-fa-2024-37.txt",
)


def _run(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{argv}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _build(out: Path, isolated: bool) -> tuple[Path, Path]:
    argv = [sys.executable, "-m", "build", "--outdir", str(out)]
    if not isolated:
        argv.append("--no-isolation")
    _run([*argv, str(REPO)], cwd=REPO)
    (sdist,) = out.glob("jsgj-*.tar.gz")
    (wheel,) = out.glob("jsgj-*.whl")
    return sdist, wheel


def _fresh_venv(where: Path, wheel: Path) -> Path:
    """A venv holding only the wheel; its dependencies come from the running venv
    through a .pth file (so the test needs no network and installs exactly the
    locked versions the suite runs on), never jsgj's source tree."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    python = where / "bin" / "python"
    _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet"]
        + ["--no-deps", "--no-index", str(wheel)],
        cwd=where,
    )
    purelib = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            cwd=where,
        ).strip()
    )
    (purelib / "_jsgj_test_deps.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    return where / "bin"


def _check_release(tmp_path: Path, isolated: bool) -> None:
    sdist, wheel = _build(tmp_path / "dist", isolated)
    with tarfile.open(sdist) as tar:
        names = tar.getnames()
    root = sdist.name.removesuffix(".tar.gz")
    for name in DATA_FILES:
        assert f"{root}/data/{name}" in names, f"sdist lacks data/{name}"
    assert not any(n.endswith("src/jsgj/data") for n in names), "a data symlink is back"
    with zipfile.ZipFile(wheel) as whl:
        inside = set(whl.namelist())
    for name in DATA_FILES:
        assert f"jsgj/data/{name}" in inside, f"wheel lacks jsgj/data/{name}"
    assert any(n.startswith("jsgj/locale/zh/") and n.endswith(".mo") for n in inside)

    bin_dir = _fresh_venv(tmp_path / "venv", wheel)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("JSGJ_")}
    env.update(
        JSGJ_DB=str(elsewhere / "jsgj.db"), JSGJ_CACHE=str(elsewhere / "cache"), JSGJ_LANG="en"
    )
    where = _run([str(bin_dir / "python"), "-c", "import jsgj; print(jsgj.__file__)"], elsewhere)
    assert str(tmp_path / "venv") in where, f"jsgj imported from {where}"

    jsgj = str(bin_dir / "jsgj")
    assert "data files are valid" in _run([jsgj, "validate"], elsewhere, env)
    # The compiled catalogs are in the wheel: in Chinese under a Chinese locale.
    zh = {k: v for k, v in env.items() if k not in ("JSGJ_LANG", "LC_ALL", "LC_MESSAGES")}
    assert "数据文件检查通过" in _run([jsgj, "validate"], elsewhere, {**zh, "LANG": "zh_CN.UTF-8"})
    _run([jsgj, "db", "init"], elsewhere, env)  # reading never creates: make one first
    assert "人社厅" in _run([jsgj, "matrix"], elsewhere, env)
    _run([jsgj, "demo", "--db", "demo.db"], elsewhere, env)
    assert (elsewhere / "demo.db").is_file()
    listing = _run([jsgj, "--db", "demo.db", "tasks", "list", "--json"], elsewhere, env)
    assert json.loads(listing)[0]["id"] == "1-1"


def test_release_from_sdist_works_outside_the_clone(tmp_path: Path) -> None:
    _check_release(tmp_path, isolated=False)


@pytest.mark.stress
def test_isolated_release_build(tmp_path: Path) -> None:
    _check_release(tmp_path, isolated=True)
