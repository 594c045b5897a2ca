"""`make install` installs exactly the locked versions: every package requirements.lock
pins for this platform is installed in the running environment at that version."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.utils import canonicalize_name

LOCK = Path(__file__).resolve().parent.parent / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        found = PIN.match(line)
        if found is None:
            continue
        name, version, marker = found.groups()
        if marker and not Marker(marker).evaluate():
            continue  # for another platform (e.g. colorama on Windows)
        pins[canonicalize_name(name)] = version
    return pins


def test_the_lock_pins_with_hashes() -> None:
    text = LOCK.read_text(encoding="utf-8")
    assert len(_pins()) > 20
    assert text.count("--hash=sha256:") >= len(_pins())


def test_installed_versions_are_the_locked_ones() -> None:
    installed = {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}
    wrong = {
        name: (version, installed.get(name))
        for name, version in _pins().items()
        if installed.get(name) != version
    }
    assert wrong == {}, f"(locked, installed): {wrong}; run `make install`"
