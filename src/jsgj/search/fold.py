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

# The CJK characters, by their UTF-8 bytes: 々 〇, the Suzhou numerals 〡-〩 and 〸〹〺〻,
# hiragana and katakana (U+3040-30FF), CJK unified ideographs and extension A
# (U+3400-4DBF, U+4E00-9FFF), hangul syllables (U+AC00-D7AF), the compatibility
# ideographs NFKC leaves alone (U+F900-FAFF) and extensions B and later (U+20000-3FFFF).
# Matched in bytes because a str pattern's class of those ranges costs ~37 M
# instructions to compile (``re`` fills a table character by character), a third of
# the start-up of every write, whose triggers call ``index_text`` (issue 15); a bytes
# class has at most 256 members. The commonest (U+4E00-9FFF) come first.
_CJK_UTF8 = (
    rb"[\xe5-\xe9][\x80-\xbf][\x80-\xbf]|\xe4[\xb8-\xbf][\x80-\xbf]"  # U+4E00-9FFF
    rb"|\xe3\x80[\x85\x87\xa1-\xa9\xb8-\xbb]"  # 々 〇 〡-〩 〸-〻
    rb"|\xe3[\x81-\x83][\x80-\xbf]"  # U+3040-30FF
    rb"|\xe3[\x90-\xbf][\x80-\xbf]|\xe4[\x80-\xb5][\x80-\xbf]|\xe4\xb6[\x80-\xbf]"
    rb"|\xea[\xb0-\xbf][\x80-\xbf]|[\xeb\xec][\x80-\xbf][\x80-\xbf]"  # U+AC00-CFFF
    rb"|\xed[\x80-\x9d][\x80-\xbf]|\xed\x9e[\x80-\xaf]"  # U+D000-D7AF
    rb"|\xef[\xa4-\xab][\x80-\xbf]"  # U+F900-FAFF
    rb"|\xf0[\xa0-\xbf][\x80-\xbf][\x80-\xbf]"  # U+20000-3FFFF
)
# A CJK run, or a run of ASCII letters and digits and non-CJK other characters: the
# second is cut into words (\w without "_") by _WORD, unless it is plain ASCII.
_TOKEN = re.compile(
    rb"((?:" + _CJK_UTF8 + rb")+)"
    rb"|((?:[0-9A-Za-z]|(?!" + _CJK_UTF8 + rb")[\xc0-\xf7][\x80-\xbf]+)+)"
)
_WORD = re.compile(r"[^\W_]+")


def _encoded(folded: str) -> bytes:
    # surrogatepass: a lone surrogate (an undecodable byte of a command line) is a
    # separator, as it was to the str pattern.
    return folded.encode("utf-8", "surrogatepass")


def fold(text: str) -> str:
    """The form two spellings share: NFKC, case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def segments(folded: str) -> Iterator[Segment]:
    """CJK runs and words of already folded text, in order; separators dropped."""
    for cjk, other in _TOKEN.findall(_encoded(folded)):
        if cjk:
            yield ("cjk", cjk.decode())
        elif other.isascii():
            yield ("word", other.decode())
        else:
            for word in _WORD.findall(other.decode("utf-8", "surrogatepass")):
                yield ("word", word)


def pairs(run: str) -> list[str]:
    """The overlapping character pairs of a CJK run (none for a single character)."""
    return list(map(add, run, run[1:]))


def tokens(text: str) -> list[str]:
    """The tokens the index holds for ``text``, in order."""
    out: list[str] = []
    for kind, run in segments(fold(text)):
        if kind == "cjk":
            out += map(add, run, run[1:])
            out.append(run[-1])
        else:
            out.append(run)
    return out


def index_text(text: str | None) -> str | None:
    """What is indexed for ``text`` (SQL: ``jsgj_fold``); None for no text. Pure and
    deterministic: ``db check`` recomputes it for every event and compares."""
    if text is None:
        return None
    return " ".join(tokens(str(text)))
