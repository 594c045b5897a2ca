"""JSON on stdout: the one encoder (``document.jsonout``) writes the data as
``jsonable`` makes it, a record (a container holding no object) on one line and the
containers above it indented, streams iterators, and keeps hidden characters inert."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from jsgj.cli.output import to_json
from jsgj.document.jsonout import dumps, jsonable
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
def test_the_json_is_the_data_as_jsonable_makes_it(value: Any) -> None:
    text = dumps(value)
    assert json.loads(text) == jsonable(value)
    assert to_json(value) == json_visible(text)
    for line in text.split("\n"):  # a record's line parses alone, and holds no object
        body = line.strip().removesuffix(",")
        if body.startswith("{") and body.endswith("}") or body.startswith("[") and len(body) > 1:
            assert isinstance(json.loads(body), dict | list)
            assert body.count("{") <= 1


def test_the_layout_a_record_a_line() -> None:
    value = VALUES[14]
    assert to_json(value).split("\n") == [
        "{",
        '  "id": "1-2",',
        '  "children": ["1-2.nanjing","1-2.wuxi"],',
        '  "title": "标题",',
        '  "co": [],',
        '  "n": 3,',
        '  "parent": null,',
        '  "nested": {',
        '    "x": [',
        "      1,",
        "      [",
        "        2,",
        "        [",
        "          3,",
        "          {}",
        "        ]",
        "      ]",
        "    ],",
        '    "y": {"z":null}',
        "  },",
        '  "role": "lead",',
        '  "day": "2025-06-30",',
        '  "tuple": [1,2]',
        "}",
    ]


def test_an_iterator_is_written_as_a_list_item_by_item() -> None:
    records = [{"id": f"{i}-1", "title": "标题", "co": ["a"] * i} for i in range(4)]
    line = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in records]
    expected = "[\n  " + ",\n  ".join(line) + "\n]"
    assert to_json(iter(records)) == expected
    assert to_json(r for r in []) == "[]"
    assert to_json(tuple(records)) == expected
    assert to_json(records) == expected


def test_hidden_characters_are_escaped_on_any_line() -> None:
    text = to_json([{"a": "正常"}, {"b": "坏\u202e字", "c": "x\u200by"}])
    assert "\u202e" not in text and "\u200b" not in text
    assert "\\u202e" in text and "\\u200b" in text
    assert json.loads(text)[1] == {"b": "坏\u202e字", "c": "x\u200by"}
