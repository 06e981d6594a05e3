"""Finding names that a JSON object holds twice, which the fast parser silently drops.

A backlog file edited by hand or put together by a git merge can hold the same document id
twice in a table (both sides added item 19) or the same field twice in a document. JSON
parsers, orjson included, keep the last and drop the others without a word: opening such a
file would quietly lose an item, and the next write would make the loss permanent.

A file as Groom writes it is recognised cheaply, by writing the parsed tables back in Groom's
layout (a third of the time parsing takes). Any other file (edited by hand, merged by git,
written by another tool) is parsed again by the standard library's parser, which hands over
every member of every object: ~18 ms at 1k items, ~0.7 s at 50k, once, as the first change
writes the file in Groom's layout. Counting member names in the raw bytes instead was cheaper
but not safe: spacing such as `"a"\n: 1`, or a name ending in a backslash, hid a member from the
count, and the duplicate went unnoticed.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

# Groom's layout (model/storage.py) without sorting the keys: the parsed objects keep the
# order of the file, sorted when Groom wrote it, and sorting 50k items costs ~15% of the dump.
# Sorted or not, equal bytes prove the point: the file is what dumping parsed objects gives.
_AS_WRITTEN = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
def find_duplicates(data: bytes, parsed: Any) -> list[str]:
    """Where `data` names one member twice in an object, in words; [] when nowhere.

    `parsed` is what the fast parser made of `data`.
    """
    if orjson.dumps(parsed, option=_AS_WRITTEN) == data:
        return []  # `data` is a dump of what was parsed: its objects hold no name twice
    found: list[tuple[list[tuple[str, Any]], str]] = []

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: set[str] = set()
        for name, _ in pairs:
            if name in seen:
                found.append((pairs, name))
            seen.add(name)
        return dict(pairs)

    try:
        json.loads(data, object_pairs_hook=pairs_hook)
    except ValueError:  # orjson read it, so this should not happen; nothing more to say then
        return []
    return [_describe(pairs, name, parsed) for pairs, name in found[:3]]


def _describe(pairs: list[tuple[str, Any]], name: str, parsed: Any) -> str:
    values = [value for key, value in pairs if key == name]
    times = "twice" if len(values) == 2 else f"{len(values)} times"
    path = () if dict(pairs) == parsed else _path_to(dict(pairs), parsed, ())
    if path is not None and len(path) == 1 and name.isdigit():
        keys = [value.get("key") for value in values if isinstance(value, dict) and isinstance(value.get("key"), str)]
        shown = f" ({' and '.join(keys)})" if keys else ""
        return (f"the {path[0]} table holds document {name} {times}{shown}; "
                "remove all but one, or give the others new numbers")
    shown = " and ".join(_short(value) for value in values)
    return f"{_where(path, parsed)} has the field {name!r} {times} ({shown}); remove all but one"


def _where(path: tuple[Any, ...] | None, parsed: Any) -> str:
    """A path into the tables, in words: "the file", "item SHOP-3 (items document 3) labels"."""
    if path is None:
        return "an object in the file"
    if not path:
        return "the file"
    if len(path) == 1:
        return f"the {path[0]} table"
    table, doc_id, *rest = path
    doc = parsed[table][doc_id]
    key = doc.get("key") if isinstance(doc, dict) else None
    words = f"item {key} ({table} document {doc_id})" if isinstance(key, str) else f"{table} document {doc_id}"
    return " ".join([words, *(str(part) for part in rest)])


def _path_to(target: dict[str, Any], node: Any, path: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The path to an object equal to `target` (a nested one: a criterion, a setting)."""
    if isinstance(node, dict):
        if node == target and path:
            return path
        children: Any = node.items()
    elif isinstance(node, list):
        children = enumerate(node, start=1)
    else:
        return None
    for name, child in children:
        found = _path_to(target, child, (*path, name))
        if found:
            return found
    return None


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 30 else text[:29] + "…"
