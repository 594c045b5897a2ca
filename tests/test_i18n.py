"""The message catalogs: every msgid in the source has a Chinese translation with the same
placeholders, the compiled catalogs shipped in the package match their .po files, and
the language follows JSGJ_LANG, then the locale, then Chinese."""

from __future__ import annotations

import gettext
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from jsgj.i18n import LOCALE_DIR

REPO = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None}


def _source_msgids() -> set[str]:
    with open(REPO / "babel.cfg", encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    return {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(REPO / "src"), method_map, options_map, keywords=KEYWORDS
        )
        if isinstance(message, str) and message
    }


def _catalog(lang: str) -> Catalog:
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / "jsgj.po", "rb") as f:
        return read_po(f)


def _fields(text: str) -> set[str]:
    return set(re.findall(r"\{(\w*)[^{}]*\}", text))


def test_every_message_has_a_chinese_translation() -> None:
    zh = _catalog("zh")
    missing = []
    for msgid in sorted(_source_msgids()):
        entry = zh.get(msgid)
        if entry is None or not entry.string or entry.fuzzy:
            missing.append(msgid)
    assert missing == [], f"untranslated (run `make messages`, then translate): {missing}"


def test_translations_keep_their_placeholders() -> None:
    for message in _catalog("zh"):
        if message.id and message.string:
            assert _fields(message.string) == _fields(message.id), message.id


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_compiled_catalogs_match_their_po_files(lang: str) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, _catalog(lang))
    compiled.seek(0)
    fresh = gettext.GNUTranslations(compiled)
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / "jsgj.mo", "rb") as f:
        shipped = gettext.GNUTranslations(f)
    assert shipped._catalog == fresh._catalog, "stale .mo: run `make messages`"  # type: ignore[attr-defined]


def _error_line(env_update: dict[str, str], tmp_path: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("JSGJ_LANG", "LC_ALL", "LANG")}
    env.pop("LC_MESSAGES", None)
    env.update(env_update, JSGJ_CACHE=str(tmp_path / "cache"), JSGJ_DB=str(tmp_path / "x.db"))
    done = subprocess.run(
        [sys.executable, "-m", "jsgj", "tasks", "list", "--as-of", "2025-13-01"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    return done.stderr.strip()


def test_language_follows_jsgj_lang_then_locale_then_chinese(tmp_path: Path) -> None:
    chinese = "jsgj：错误：--as-of：'2025-13-01' 不是日期；请写成 YYYY-MM-DD"
    english = "jsgj: error: --as-of: '2025-13-01' is not a date; write YYYY-MM-DD"
    assert _error_line({}, tmp_path) == chinese
    assert _error_line({"LANG": "C.UTF-8"}, tmp_path) == chinese
    assert _error_line({"LANG": "zh_CN.UTF-8"}, tmp_path) == chinese
    assert _error_line({"LANG": "en_US.UTF-8"}, tmp_path) == english
    assert _error_line({"LANG": "en_US.UTF-8", "JSGJ_LANG": "zh"}, tmp_path) == chinese
    assert _error_line({"LANG": "zh_CN.UTF-8", "JSGJ_LANG": "en"}, tmp_path) == english


def test_usage_errors_in_chinese_never_in_the_librarys_words(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "JSGJ_LANG"}
    env.update(LANG="zh_CN.UTF-8", JSGJ_DB=str(tmp_path / "x.db"))
    for args in (
        ["progress", "1-1", "-s", "推进中", "-p", "50%", "-n", "x"],
        ["progress", "1-1", "-s", "推进中", "-p", "101", "-n", "x"],
        ["validate", "--format", "xml"],
        ["progress", "1-1", "-s", "推进中"],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "jsgj", *args], env=env, capture_output=True, text=True
        )
        assert done.returncode == 2
        assert done.stderr.startswith("jsgj：错误："), done.stderr
        for library in ("Input should", "Value error", "unable to parse", "Invalid value"):
            assert library not in done.stderr


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_lookup_in_place_gives_what_gettext_gives(lang: str) -> None:
    """jsgj looks messages up in the .mo by binary search (start-up, issue 15): every
    msgid, and a message the catalog lacks, gives exactly what gettext's parsed
    catalog gives; the table it searches is in the order the search needs."""
    import struct

    from jsgj import i18n

    mo = LOCALE_DIR / lang / "LC_MESSAGES" / "jsgj.mo"
    data = mo.read_bytes()
    reference = gettext.GNUTranslations(io.BytesIO(data))
    found = i18n.MessageCatalog(data)
    n, originals = struct.unpack_from("<2I", data, 8)
    keys = [
        data[offset : offset + length]
        for length, offset in (struct.unpack_from("<2I", data, originals + 8 * i) for i in range(n))
    ]
    assert keys == sorted(keys)
    msgids = [k.decode("utf-8") for k in keys if k] + ["not a message jsgj has", "Usage:"]
    for msgid in msgids:
        assert found.gettext(msgid) == reference.gettext(msgid), msgid


def test_a_damaged_catalog_falls_back_to_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A .mo that is not one (truncated, overwritten) leaves messages in English
    rather than failing every command."""
    from jsgj import i18n

    with pytest.raises(ValueError):
        i18n.MessageCatalog(b"\x00" * 28)
    (tmp_path / "zh" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "zh" / "LC_MESSAGES" / "jsgj.mo").write_bytes(b"garbage")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setenv("JSGJ_LANG", "zh")
    i18n._translations.cache_clear()
    try:
        assert i18n._("Show the version.") == "Show the version."
    finally:
        i18n._translations.cache_clear()
