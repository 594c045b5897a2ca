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

import gettext
import os
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


@lru_cache(maxsize=4)
def _translations(lang: str) -> gettext.NullTranslations:
    return gettext.translation("jsgj", LOCALE_DIR, languages=[lang], fallback=True)


def _(message: str) -> str:
    """``message`` (English) in the user's language."""
    return _translations(language()).gettext(message)


def N_(message: str) -> str:
    """Marks a msgid for extraction where it is defined (a table built at import);
    ``_()`` translates it where it is shown."""
    return message
