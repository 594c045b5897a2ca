"""Messages in the user's language: Chinese first, English available.

Every message a user reads goes through ``_()`` with its English text as the msgid
(``_("no task {task!r}").format(task=...)``: format *after* translating, so the
catalog holds one entry per message, not one per value). The catalogs live in
``jsgj/locale/<lang>/LC_MESSAGES/jsgj.mo``, built from ``.po`` files with Babel.

The language: ``JSGJ_LANG`` (``zh`` or ``en``) when set, else the locale
(``LC_ALL``, ``LC_MESSAGES``, ``LANG``): English when it names English, Chinese
otherwise, since the clerks who use jsgj are Chinese civil servants and a server's
``C``/``POSIX`` locale says nothing about its reader.
"""

from __future__ import annotations

import os
import struct
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("zh", "en")


def language() -> str:
    """'zh' or 'en', from JSGJ_LANG, else the locale, else Chinese."""
    chosen = os.environ.get("JSGJ_LANG", "").strip().lower()
    if chosen[:2] in LANGUAGES:
        return chosen[:2]
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"


class MessageCatalog:
    """A compiled catalog (``.mo``) looked up where it lies: a binary search over its
    table of msgids, which the format keeps sorted for exactly this (GNU gettext
    does the same). ``gettext.GNUTranslations`` decodes all ~600 entries into a dict
    first, on every command, for the few dozen messages a command shows: a tenth of
    the start-up jsgj adds to Typer's (issue 15). ``tests/test_i18n.py`` holds every
    lookup to ``gettext``'s and the table to its order."""

    def __init__(self, data: bytes) -> None:
        magic = struct.unpack_from("<I", data)[0]
        self._order = "<" if magic == _MAGIC else ">"
        if struct.unpack_from(self._order + "I", data)[0] != _MAGIC:
            raise ValueError("not a .mo file")
        self._n, self._originals, self._translations = struct.unpack_from(
            self._order + "3I", data, 8
        )
        self._data = data
        self._found: dict[str, str] = {}

    def gettext(self, message: str) -> str:
        found = self._found.get(message)
        if found is None:
            found = self._found[message] = self._lookup(message)
        return found

    def _lookup(self, message: str) -> str:
        key, data, entry = message.encode("utf-8"), self._data, self._order + "2I"
        lo, hi = 0, self._n
        while lo < hi:
            mid = (lo + hi) // 2
            length, offset = struct.unpack_from(entry, data, self._originals + 8 * mid)
            probe = data[offset : offset + length]
            if probe < key:
                lo = mid + 1
            elif probe > key:
                hi = mid
            else:
                length, offset = struct.unpack_from(entry, data, self._translations + 8 * mid)
                return data[offset : offset + length].decode("utf-8") or message
        return message


_MAGIC = 0x950412DE


class _Untranslated:
    @staticmethod
    def gettext(message: str) -> str:
        return message


@lru_cache(maxsize=4)
def _translations(lang: str) -> MessageCatalog | _Untranslated:
    try:
        return MessageCatalog((LOCALE_DIR / lang / "LC_MESSAGES" / "jsgj.mo").read_bytes())
    except (OSError, ValueError, struct.error):
        return _Untranslated()


def _(message: str) -> str:
    """``message`` (English) in the user's language."""
    return _translations(language()).gettext(message)


def N_(message: str) -> str:
    """Marks a msgid for extraction where it is defined (a table built at import);
    ``_()`` translates it where it is shown."""
    return message
