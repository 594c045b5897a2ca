"""What the global options select, resolved lazily so that --help loads nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from jsgj import paths

if TYPE_CHECKING:
    from jsgj.catalog.catalog import Catalog
    from jsgj.catalog.indicators import IndicatorsFile
    from jsgj.catalog.office import OfficeFile
    from jsgj.status import Thresholds
    from jsgj.store.db import Store


@dataclass
class State:
    db_option: Path | None = None
    measures_option: Path | None = None
    departments_option: Path | None = None
    _catalog: Catalog | None = field(default=None, repr=False)

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
        from jsgj.catalog.indicators import load_indicators

        return load_indicators(paths.indicators_path())

    def office(self) -> OfficeFile:
        from jsgj.catalog.office import load_office

        return load_office(paths.office_path())

    def thresholds(self) -> Thresholds:
        from jsgj.status import load_thresholds

        return load_thresholds(paths.lights_path())

    def store(self) -> Store:
        """Open (creating and migrating when needed) the database."""
        from jsgj.store.db import Store

        return Store.open(self.db_path, self.catalog())


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    if not isinstance(obj, State):
        obj = State()
        ctx.find_root().obj = obj
    return obj
