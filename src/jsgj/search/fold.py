"""Text as the search index sees it: folded, then cut into tokens.

Why not FTS5's own tokenizers: ``unicode61`` keeps a run of Chinese characters as one
token (``用地`` would never match ``协调用地指标``), and ``trigram`` cannot match a
two-character word, the commonest Chinese query. So the index holds a derived text,
computed here (and registered in SQLite as ``jsgj_fold`` so that triggers compute it
in the same transaction as each event):

* NFKC, then case folding: full-width and half-width forms (``ＡＢ１２`` / ``AB12``,
  ``，`` / ``,``) and compatibility ideographs become one form;
* a run of CJK characters ``c1 c2 … cn`` becomes the overlapping pairs
  ``c1c2 c2c3 … c(n-1)cn`` followed by the single last character ``cn``: any substring
  of two or more characters is a phrase of consecutive pairs, and a single character
  is the prefix of a pair or the run's last character;
* any other run of letters and digits is one token (a word); the rest separates.

Tokens are joined by spaces and indexed with FTS5's ``ascii`` tokenizer, which splits
on exactly those spaces (every other character of a token is a letter, a digit or
non-ASCII), so the tokenization is defined once, here, in Python.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from operator import add
from typing import Literal

Segment = tuple[Literal["cjk", "word"], str]

_CJK = (
    "\u3005\u3007\u3021-\u3029\u3038-\u303b"  # 々 〇 Suzhou numerals 〸〹〺〻
    "\u3040-\u30ff"  # hiragana, katakana
    "\u3400-\u4dbf\u4e00-\u9fff"  # CJK unified ideographs and extension A
    "\uac00-\ud7af"  # hangul syllables
    "\uf900-\ufaff"  # compatibility ideographs NFKC leaves alone
    "\U00020000-\U0003ffff"  # extensions B and later
)
# A CJK run, or a run of other letters and digits (\w without "_" and without CJK).
_TOKEN = re.compile(rf"([{_CJK}]+)|([^\W_{_CJK}]+)")


def fold(text: str) -> str:
    """The form two spellings share: NFKC, case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def segments(folded: str) -> Iterator[Segment]:
    """CJK runs and words of already folded text, in order; separators dropped."""
    for cjk, word in _TOKEN.findall(folded):
        yield ("cjk", cjk) if cjk else ("word", word)


def pairs(run: str) -> list[str]:
    """The overlapping character pairs of a CJK run (none for a single character)."""
    return list(map(add, run, run[1:]))


def tokens(text: str) -> list[str]:
    """The tokens the index holds for ``text``, in order."""
    out: list[str] = []
    for cjk, word in _TOKEN.findall(fold(text)):
        if cjk:
            out += map(add, cjk, cjk[1:])
            out.append(cjk[-1])
        else:
            out.append(word)
    return out


def index_text(text: str | None) -> str | None:
    """What is indexed for ``text`` (SQL: ``jsgj_fold``); None for no text. Pure and
    deterministic: ``db check`` recomputes it for every event and compares."""
    if text is None:
        return None
    return " ".join(tokens(str(text)))
