"""The one JSON writer (``document.jsonout``): the text reads back as
``jsonable(value)``, laid out by its rule (a record, a container holding no object,
on one line, compact, as ``json.dumps`` writes it but for NaN, written null; any
other container one item a line, indented two spaces a level), whole or in pieces;
and JSON on stdout shows hidden characters as JSON escapes, on any line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import math
import random
from typing import Any

import pytest

from jsgj.document.jsonout import dumps, iter_json, jsonable
from jsgj.render.text import json_visible


class Word(enum.Enum):
    a = "甲"


class Number(enum.IntEnum):
    one = 1


@dataclasses.dataclass(frozen=True)
class Record:
    x: int
    y: tuple[Any, ...] = ()
    data: Any = "left out"


SCALARS: list[Any] = [
    None, True, False, 0, -5, 10**20, 1.5, 3.0, float("nan"), float("inf"), -float("inf"),
    "", "中文", 'quote " backslash \\ newline \n tab \t', "\u202e\x85\x1b", Word.a, Number.one,
    dt.date(2025, 1, 2), dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
]  # fmt: skip
KEYS: list[Any] = ["a", "键", 1, Word.a, dt.date(2020, 1, 1), True, None, 2.5]


def value(rnd: random.Random, depth: int = 0) -> Any:
    r = rnd.random()
    if depth > 4 or r < 0.35:
        return rnd.choice(SCALARS)
    width = rnd.choice([0, 1, 3, 12, 40])
    if r < 0.6:
        return [value(rnd, depth + 1) for _ in range(width)]
    if r < 0.7:
        return tuple(value(rnd, depth + 1) for _ in range(width))
    if r < 0.8:
        return Record(rnd.randint(0, 3), tuple(value(rnd, depth + 1) for _ in range(2)))
    return {rnd.choice(KEYS): value(rnd, depth + 1) for _ in range(width)}


def holds_object(v: Any) -> bool:
    items = v.values() if isinstance(v, dict) else v
    return any(isinstance(x, dict) or isinstance(x, list) and holds_object(x) for x in items)


def finite(v: Any) -> Any:
    """NaN and the infinities as None: JSON has no such numbers (``null``)."""
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, dict):
        return {k: finite(x) for k, x in v.items()}
    if isinstance(v, list):
        return [finite(x) for x in v]
    return v


def laid_out(v: Any, level: int = 0) -> str:
    """The layout rule, written plainly over ``jsonable``'s plain JSON types."""
    if not isinstance(v, dict | list) or not v or not holds_object(v):
        return json.dumps(finite(v), ensure_ascii=False, separators=(",", ":"))
    inner = "\n" + "  " * (level + 1)
    if isinstance(v, dict):
        key = json.dumps
        parts = [f"{key(k, ensure_ascii=False)}: {laid_out(x, level + 1)}" for k, x in v.items()]
        start, end = "{", "}"
    else:
        parts = [laid_out(x, level + 1) for x in v]
        start, end = "[", "]"
    return start + inner + ("," + inner).join(parts) + "\n" + "  " * level + end


def reference(v: Any) -> str:
    return laid_out(jsonable(v))


def same_data(text: str, v: Any) -> bool:
    return json.loads(text) == finite(jsonable(v))


@pytest.mark.parametrize("seed", range(6))
def test_the_text_is_the_data_laid_out_by_the_rule_whole_and_in_pieces(seed: int) -> None:
    rnd = random.Random(seed)
    for _ in range(150):
        v = value(rnd)
        expected = reference(v)
        assert dumps(v) == expected
        assert same_data(expected, v)
        pieces = list(iter_json(v, size=64))
        assert "".join(pieces) == expected


def test_a_listing_is_an_array_of_one_record_a_line() -> None:
    tasks = [
        {"id": f"7-{i}", "title": "任务{一}", "co": ["hrss"], "on": dt.date(2025, 1, i + 1),
         "word": Word.a, "n": Number.one, "children": [], "pair": (1, [2, None])}
        for i in range(5)
    ]  # fmt: skip
    text = dumps(iter(tasks))
    lines = text.split("\n")
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == 7
    for line, task in zip(lines[1:-1], tasks, strict=True):
        assert line.startswith("  {") and "\n" not in line
        assert json.loads(line.removesuffix(",")) == jsonable(task)
    first = '  {"id":"7-0","title":"任务{一}","co":["hrss"],"on":"2025-01-01"'
    assert lines[1].startswith(first)
    assert same_data(text, tasks)
    # A record holding an object (here a dataclass) is not one: it is walked.
    walked = '[\n  {\n    "a": 1,\n    "r": {"x":2,"y":[]}\n  }\n]'
    assert dumps([{"a": 1, "r": Record(2)}]) == walked


def test_a_long_listing_comes_in_many_pieces() -> None:
    tasks = [{"id": f"7-{i}", "title": "任务" * 20, "co": ["hrss", "finance"]} for i in range(3000)]
    doc = {"title": "周报", "groups": [{"name": "人社厅", "tasks": tasks}], "tasks": tasks}
    pieces = list(iter_json(doc, size=1 << 14))
    assert len(pieces) > 20
    assert max(map(len, pieces)) < 1 << 15
    assert "".join(pieces) == reference(doc)


def test_what_json_cannot_hold_is_refused() -> None:
    with pytest.raises(TypeError):
        dumps({"x": object()})


def test_hidden_characters_on_any_line_of_indented_json_are_escaped() -> None:
    text = dumps({"a": "正常", "b": "右到左\u202e覆盖", "c": ["零宽\u200b", "fine"]})
    shown = json_visible(text)
    assert "\u202e" not in shown and "\u200b" not in shown
    assert "\\u202e" in shown and "\\u200b" in shown
    assert json.loads(shown) == json.loads(text)  # the same data for a program
    plain = dumps({"a": "正常", "b": ["中文", "行"]})
    assert json_visible(plain) is plain  # nothing to show: returned as is


def test_a_record_listed_twice_at_other_depths_is_written_as_where_it_stands() -> None:
    shared = {"id": "7-1", "co": ["hrss"], "title": "任务"}
    other = {"id": "7-2", "co": [], "n": 1}
    doc = {
        "chase": [{"name": "人社厅", "tasks": [shared, other] * 6}],
        "overdue": [shared, other] * 6,
        "records": [Record(i, (shared,)) for i in range(12)],  # temporaries: ids reused
    }
    assert dumps(doc) == reference(doc)
    assert "".join(iter_json(doc, size=32)) == reference(doc)


def test_in_a_run_of_records_each_not_all_printable_is_shown_and_the_rest_as_is() -> None:
    """A map or a list of records (a weekly report's ``tasks``, a listing) is written
    record by record as any other container is: ``shown`` on each record or key not
    all printable, a "{" in a text left as text, what orjson refuses written by the
    standard library, and an item holding an object walked."""

    def marked(text: str) -> str:
        return f"<{text}>"

    records = {
        "a": {"t": "x", "n": 1},
        "b": {"t": "右\u202e", "n": None},
        "c": {"t": "{", "n": 2},
        "d": {"n": 10**20},
        "e": {"x": {"y": 1}},
        "f\u200b": {"t": "y"},
        "g": {"t": ["{\u200b"], "d": dt.date(2025, 1, 2)},
        "h": {"t": "z"},
    }
    lines = [
        '"a": {"t":"x","n":1}',
        '"b": <{"t":"右\u202e","n":null}>',
        '"c": {"t":"{","n":2}',
        '"d": {"n":100000000000000000000}',
        '"e": {\n    "x": {"y":1}\n  }',
        '<"f\u200b">: {"t":"y"}',
        '"g": <{"t":["{\u200b"],"d":"2025-01-02"}>',
        '"h": {"t":"z"}',
    ]
    expected = "{\n  " + ",\n  ".join(lines) + "\n}"
    assert "".join(iter_json(records, shown=marked)) == expected
    assert "".join(iter_json(records, size=16, shown=marked)) == expected
    as_list = [records["e"], *records.values()]
    listed = [line.split(": ", 1)[1] for line in lines]
    expected = "[\n  " + ",\n  ".join([listed[4], *listed]) + "\n]"
    assert "".join(iter_json(as_list, shown=marked)) == expected
    assert "".join(iter_json(iter(as_list), shown=marked)) == expected
    assert dumps(records) == reference(records)
