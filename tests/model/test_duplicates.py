"""find_duplicates: its quick way of recognising a file that holds no name twice."""

from __future__ import annotations

import json

import orjson
import pytest

from model import duplicates
from model.duplicates import find_duplicates
from model.storage import dumps

TABLES = {"meta": {"1": {"name": "Shop", "prefix": "SHOP"}},
          "items": {"2": {"title": "b", "key": "SHOP-2", "labels": ["x"]}, "1": {"key": "SHOP-1", "title": "a"}}}


def _no_slow_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the quick way may answer: no parsing again."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("not recognised by writing it back")

    monkeypatch.setattr(duplicates.json, "loads", refuse)


def test_a_file_as_groom_writes_it_is_recognised_without_parsing_it_again(monkeypatch: pytest.MonkeyPatch) -> None:
    data = dumps(TABLES)
    _no_slow_parse(monkeypatch)
    assert find_duplicates(data, orjson.loads(data)) == []


def test_groom_layout_with_keys_out_of_order_is_recognised_too(monkeypatch: pytest.MonkeyPatch) -> None:
    data = orjson.dumps(TABLES, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    assert data != dumps(TABLES)
    _no_slow_parse(monkeypatch)
    assert find_duplicates(data, orjson.loads(data)) == []


@pytest.mark.parametrize("sort", [True, False])
def test_a_name_twice_in_groom_layout_is_found(sort: bool) -> None:
    text = (dumps(TABLES) if sort else orjson.dumps(TABLES, option=orjson.OPT_INDENT_2)).decode()
    data = text.replace('"title": "a"', '"title": "a",\n      "title": "z"', 1).encode()
    [found] = find_duplicates(data, orjson.loads(data))
    assert "has the field 'title' twice" in found


@pytest.mark.parametrize("data", [b'{"a"\n: 1, "a": 2, "b": 3}', b'{"a\\\\": 1, "a\\\\": 2}',
                                  b'{"a"  : 1, "a" : 2, "b" :3}'])
def test_a_duplicate_is_found_whatever_the_spacing_or_escapes(data: bytes) -> None:
    assert len(json.loads(data)) < data.count(b":")
    assert find_duplicates(data, orjson.loads(data)) != []


def test_a_hand_formatted_file_without_duplicates_passes() -> None:
    data = json.dumps(TABLES, indent=4).encode()  # not Groom's layout: checked member by member
    assert find_duplicates(data, orjson.loads(data)) == []
