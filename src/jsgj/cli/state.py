"""What the global options select, resolved lazily so that --help loads nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from jsgj import paths

if TYPE_CHECKING:
    from jsgj.catalog.catalog import Catalog
    from jsgj.catalog.indicators import IndicatorsFile
    from jsgj.catalog.office import OfficeFile
    from jsgj.catalog.scoring import ScoringFile
    from jsgj.status import Thresholds
    from jsgj.store.db import Store


class State:
    """The global options of one run, and what they select, loaded when first asked
    for. A plain class: every command makes one, and a dataclass costs ~1-5 M
    instructions to define (issue 15)."""

    def __init__(
        self,
        db_option: Path | None = None,
        measures_option: Path | None = None,
        departments_option: Path | None = None,
    ) -> None:
        self.db_option = db_option
        self.measures_option = measures_option
        self.departments_option = departments_option
        self._catalog: Catalog | None = None
        # Whatever this command writes (a report, an export, a backup), never the
        # database: jsgj.files refuses it under any spelling or link.
        from jsgj.files import protect

        protect(self.db_path)

    @property
    def measures_path(self) -> Path:
        return paths.measures_path(self.measures_option)

    @property
    def departments_path(self) -> Path:
        return paths.departments_path(self.departments_option)

    @property
    def db_path(self) -> Path:
        return paths.db_path(self.db_option, Path(typer.get_app_dir(paths.APP_NAME)))

    def catalog(self) -> Catalog:
        if self._catalog is None:
            from jsgj.catalog.load import load_catalog

            self._catalog = load_catalog(self.measures_path, self.departments_path)
        return self._catalog

    def indicators(self) -> IndicatorsFile:
        from jsgj.catalog.indicators import IndicatorsFile, load_indicators
        from jsgj.catalog.load import load_settings

        return load_settings(IndicatorsFile, paths.indicators_path(), load_indicators)

    # The settings files (and indicators.yaml) come from the catalogue's cache while
    # unchanged: no YAML, no Pydantic (jsgj.catalog.load.load_settings).

    def office(self) -> OfficeFile:
        from jsgj.catalog.load import load_settings
        from jsgj.catalog.office import OfficeFile, load_office

        return load_settings(OfficeFile, paths.office_path(), load_office)

    def scoring(self) -> ScoringFile:
        from jsgj.catalog.load import load_settings
        from jsgj.catalog.scoring import ScoringFile, load_scoring

        return load_settings(ScoringFile, paths.scoring_path(), load_scoring)

    def thresholds(self) -> Thresholds:
        from jsgj.catalog.load import load_settings
        from jsgj.status import Thresholds, load_thresholds

        return load_settings(Thresholds, paths.lights_path(), load_thresholds)

    def store(self, *, write: bool = False) -> Store:
        """Open the database (migrating it when needed). The one place that decides
        whether a command may create it: a command that only reads (the default) never
        does, and a missing file is one line and exit 1; a command that writes
        (``write=True``) creates a missing file after saying so on stderr."""
        from jsgj.store.db import Store

        path = self.db_path
        if write and not path.exists():
            from jsgj.i18n import _

            typer.echo(_("jsgj: creating a new database at {path}").format(path=path), err=True)
        return Store.open(path, self.catalog(), create=write, on_wait=_say_waiting(path))


def _say_waiting(path: Path) -> Callable[[float], None] | None:
    """On a terminal, a line on stderr while a write waits for another process's lock."""
    import sys

    if not sys.stderr.isatty():
        return None

    def say(waited: float) -> None:
        from jsgj.i18n import _

        typer.echo(
            _(
                "jsgj: waiting for the write lock on {path}, held by another process "
                "({seconds} s so far; Ctrl-C gives up, nothing is changed)"
            ).format(path=path, seconds=f"{waited:.0f}"),
            err=True,
        )

    return say


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    if not isinstance(obj, State):
        obj = State()
        ctx.find_root().obj = obj
    return obj
