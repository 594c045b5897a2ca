"""Which language a message line is in, for the tests that hold every error to the
user's language: Chinese lines carry Chinese outside any quoted value and no English
sentence; English lines carry English words and no Chinese sentence punctuation outside
quoted values (a department's name may appear unquoted in an English sentence)."""

from __future__ import annotations

import re

PREFIX = {"en": "jsgj: error: ", "zh": "jsgj：错误："}
CJK = re.compile(r"[\u3400-\u9fff]")
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”|‘[^’]*’|`[^`]*`")
ENGLISH_SENTENCE = re.compile(r"\b[A-Za-z]{2,} [a-z]{2,} [a-z]{2,} [a-z]{2,}\b")
CHINESE_PUNCTUATION = re.compile(r"[，。；：！？]")
LIBRARY_WORDS = (
    "Input should",
    "input should",
    "Value error",
    "unable to parse",
    "while parsing",
    "while scanning",
    "did not find expected",
    "mapping values are not allowed",
    "Extra inputs",
    "Field required",
    "Invalid value",
)


def outside_quotes(line: str, *remove: str) -> str:
    for text in remove:
        line = line.replace(text, "")
    return QUOTED.sub("", line)


def language_problem(line: str, lang: str, *remove: str) -> str | None:
    """Why ``line`` is not in ``lang`` (None when it is)."""
    if not any(ch.isalpha() for ch in line):
        return None  # a table's rule or a blank line says nothing
    if any(word in line for word in LIBRARY_WORDS):
        return "the library's own words"
    bare = outside_quotes(line, *remove)
    if lang == "zh":
        if not CJK.search(bare):
            return "no Chinese"
        if ENGLISH_SENTENCE.search(bare):
            return "an English sentence"
        return None
    if not re.search(r"[A-Za-z]{3,}", bare):
        return "no English"
    if CJK.search(bare) and CHINESE_PUNCTUATION.search(bare):
        return "a Chinese sentence"
    return None
