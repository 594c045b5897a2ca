"""Where jsgj finds its data files and its database.

Order for each: command-line option, then environment variable, then default.
"""

from __future__ import annotations

import os
from pathlib import Path

MEASURES_ENV = "JSGJ_MEASURES"
DEPARTMENTS_ENV = "JSGJ_DEPARTMENTS"
INDICATORS_ENV = "JSGJ_INDICATORS"
LIGHTS_ENV = "JSGJ_LIGHTS"
OFFICE_ENV = "JSGJ_OFFICE"
SCORING_ENV = "JSGJ_SCORING"
DB_ENV = "JSGJ_DB"
APP_NAME = "jsgj"


def _package_data() -> Path:
    """The data files: ``jsgj/data`` inside an installed wheel (the build copies the
    top-level ``data/`` there, see pyproject.toml), else the checkout's ``data/``
    (an editable install or a run from the source tree). No symlink: an sdist and
    every wheel built from it carry real files."""
    here = Path(__file__).resolve().parent
    installed = here / "data"
    if installed.is_dir():
        return installed
    return here.parent.parent / "data"


PACKAGE_DATA = _package_data()


def _pick(option: Path | None, env: str, default: Path) -> Path:
    if option is not None:
        return option
    value = os.environ.get(env)
    return Path(value) if value else default


def measures_path(option: Path | None = None) -> Path:
    return _pick(option, MEASURES_ENV, PACKAGE_DATA / "measures.yaml")


def departments_path(option: Path | None = None) -> Path:
    return _pick(option, DEPARTMENTS_ENV, PACKAGE_DATA / "departments.yaml")


def indicators_path(option: Path | None = None) -> Path:
    return _pick(option, INDICATORS_ENV, PACKAGE_DATA / "indicators.yaml")


def lights_path() -> Path:
    """Traffic-light thresholds (data/lights.yaml)."""
    return _pick(None, LIGHTS_ENV, PACKAGE_DATA / "lights.yaml")


def demo_dir() -> Path:
    """The demo's plans (data/demo/plans.yaml, indicators.yaml): `jsgj demo` builds them."""
    return PACKAGE_DATA / "demo"


def scoring_path() -> Path:
    """The 考核 scoring of the monthly 通报 (data/scoring.yaml)."""
    return _pick(None, SCORING_ENV, PACKAGE_DATA / "scoring.yaml")


def office_path() -> Path:
    """The office's masthead, issue numbering and distribution (data/office.yaml)."""
    return _pick(None, OFFICE_ENV, PACKAGE_DATA / "office.yaml")


def source_path() -> Path:
    """The shipped copy of the official text, the reference for provenance checks."""
    return PACKAGE_DATA / "source" / "su-zheng-ban-fa-2024-37.txt"


def db_path(option: Path | None, app_dir: Path) -> Path:
    """``app_dir`` is the user's data directory (the CLI passes ``typer.get_app_dir``)."""
    return _pick(option, DB_ENV, app_dir / "jsgj.db")


def display(path: Path) -> str:
    """A path as error messages and annotations show it: relative to the working
    directory when it lies below it (so CI annotations point into the repository)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(os.environ.get("JSGJ_CACHE", str(Path(base) / APP_NAME)))
