"""JSON on stdout: the C-speed indenter writes exactly what Python's indenting
encoder writes, streams iterators, and keeps hidden characters inert."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from jsgj.cli.output import to_json
from jsgj.document.jsonout import text_at
from jsgj.render.text import json_visible
from jsgj.tasks.records import Role

VALUES: list[Any] = [
    None,
    True,
    0,
    -3,
    1.5,
    "",
    "任务\n标题\t\"引号\"\\",
    [],
    {},
    [[]],
    [{}],
    {"a": []},
    {"a": {}},
    [1, "二", None, False],
    {"id": "1-2", "children": ["1-2.nanjing", "1-2.wuxi"], "title": "标题", "co": [],
     "n": 3, "parent": None, "nested": {"x": [1, [2, [3, {}]]], "y": {"z": None}},
     "role": Role.lead, "day": dt.date(2025, 6, 30), "tuple": (1, 2)},
    [{"a": 1}, {"b": [{"c": "d"}], "e": 2}, [], "x", [1, [2]]],
    {1: "int key", "s": [1]},
    {"a": {2: [3]}},
    {"": "empty key", "k\u202e": "bidi in a key"},
]  # fmt: skip


@pytest.mark.parametrize("value", VALUES)
def test_the_json_encoder_is_pythons_indenting_encoder(value: Any) -> None:
    expected = json.dumps(value, ensure_ascii=False, indent=2, default=str)
    assert text_at(value, 0) == expected
    assert to_json(value) == json_visible(expected)


def test_an_iterator_is_written_as_a_list_item_by_item() -> None:
    records = [{"id": f"{i}-1", "title": "标题", "co": ["a"] * i} for i in range(4)]
    expected = json.dumps(records, ensure_ascii=False, indent=2)
    assert to_json(iter(records)) == expected
    assert to_json(r for r in []) == "[]"
    assert to_json(tuple(records)) == expected


def test_hidden_characters_are_escaped_on_any_line() -> None:
    text = to_json([{"a": "正常"}, {"b": "坏\u202e字", "c": "x\u200by"}])
    assert "\u202e" not in text and "\u200b" not in text
    assert "\\u202e" in text and "\\u200b" in text
    assert json.loads(text)[1] == {"b": "坏\u202e字", "c": "x\u200by"}
