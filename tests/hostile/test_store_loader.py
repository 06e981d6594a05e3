"""Fuzzing the store loader with broken backlog files: documents with random values, fields
and tables added or removed, bytes cut off or flipped, members written twice. Opening one
either works (and gives a valid backlog) or says what is wrong, naming the file, never with a
traceback, and never touches the file."""

from __future__ import annotations

import copy
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.backlog import Backlog
from model.errors import StoreError
from model.storage import dumps
from model.store import Store
from tests.hostile.strategies import hostile_text
from tests.tui.scenario import build_backlog

TABLES = build_backlog().to_tables()
CANONICAL = dumps(TABLES)  # the scenario file exactly as Groom writes it

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**63), max_value=2**64 - 1),
              st.floats(allow_nan=False, allow_infinity=False), hostile_text,
              st.sampled_from(["", "SHOP-1", "SHOP-99", "story", "V", "2026-13-45", "2024-05-01T09:00:00Z",
                               "x" * 300_000])),
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(st.one_of(hostile_text, st.sampled_from(["key", "title", "1"])),
                                               children, max_size=3)),
    max_leaves=6,
)

LOADER = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for name, child in node.items():
            found += paths(child, (*prefix, name))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += paths(child, (*prefix, index))
    return found


ALL_PATHS = paths(TABLES)[1:]


def mutate(tables: dict, path: tuple[Any, ...], how: str, value: Any) -> None:
    parent = tables
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if how == "set":
        parent[last] = value
    elif how == "delete":
        del parent[last]
    elif how == "add" and isinstance(parent, dict):
        parent[f"{last}_extra"] = value


def opens_or_says_why(data: bytes) -> tuple[Backlog | None, str | None]:
    """Open `data` as a backlog file; check the file is left exactly as it was."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "shop.json"
        path.write_bytes(data)
        os.chmod(path, 0o600)
        before = os.stat(path)
        try:
            _, backlog = Store.open(path)
            message = None
        except StoreError as exc:
            backlog, message = None, str(exc)
            assert message.startswith(str(path)), message
            assert "Traceback" not in message and len(message) < 600, message
        assert path.read_bytes() == data
        after = os.stat(path)
        assert (after.st_ino, after.st_mtime_ns, after.st_mode) == (before.st_ino, before.st_mtime_ns, before.st_mode)
        assert os.listdir(folder) == ["shop.json"]  # no backup, no temporary file, no lock
    if backlog is not None:
        Backlog.from_tables(backlog.to_tables())  # what was loaded is a valid backlog
    return backlog, message


@LOADER
@given(st.lists(st.tuples(st.sampled_from(ALL_PATHS), st.sampled_from(["set", "set", "delete", "add"]), json_values),
                min_size=1, max_size=3))
def test_documents_with_random_values_are_opened_or_refused_by_name(mutations):
    tables = copy.deepcopy(TABLES)
    for path, how, value in mutations:
        try:
            mutate(tables, path, how, value)
        except (KeyError, IndexError, TypeError):
            pass  # an earlier mutation removed or replaced that part
    _, message = opens_or_says_why(json.dumps(tables, ensure_ascii=False).encode())
    [(path, how, _)] = mutations[:1]
    if message and len(mutations) == 1 and len(path) >= 3 and path[0] == "items" and how != "add":
        assert f"SHOP-{path[1]}" in message or f"document {path[1]}" in message, (path, message)


@LOADER
@given(st.data())
def test_cut_or_flipped_bytes_are_opened_or_refused(data):
    raw = bytearray(CANONICAL)
    for _ in range(data.draw(st.integers(1, 4))):
        if not raw:
            break
        at = data.draw(st.integers(0, len(raw) - 1))
        how = data.draw(st.sampled_from(["cut", "flip", "insert", "delete"]))
        if how == "cut":
            del raw[at:]
        elif how == "flip":
            raw[at] = data.draw(st.integers(0, 255))
        elif how == "insert":
            raw[at:at] = data.draw(st.binary(min_size=1, max_size=8))
        else:
            del raw[at:at + data.draw(st.integers(1, 40))]
    opens_or_says_why(bytes(raw))


MEMBER_LINE = re.compile(rb'^ +"[^"\\]*": .*,$')
MEMBER_LINES = [i for i, line in enumerate(CANONICAL.split(b"\n")) if MEMBER_LINE.match(line)]


@LOADER
@given(st.sampled_from(MEMBER_LINES), st.booleans())
def test_a_member_written_twice_is_found_and_named(index, same_value):
    """The parser keeps only the last of two same-named members; the loader must say so."""
    lines = CANONICAL.split(b"\n")
    line = lines[index]
    copy_of = line if same_value else line.split(b": ", 1)[0] + b': "another value",'
    lines.insert(index + 1, copy_of)
    _, message = opens_or_says_why(b"\n".join(lines))
    name = line.strip().split(b'"')[1].decode()
    assert message is not None and (f"'{name}' twice" in message or f"document {name} twice" in message), message


def test_a_document_id_written_twice_names_both_items():
    text = CANONICAL.decode()
    second = json.dumps(TABLES["items"]["4"], indent=2)
    doubled = text.replace('"items": {', '"items": {\n    "3": ' + second + ",", 1)
    _, message = opens_or_says_why(doubled.encode())
    assert message is not None and "the items table holds document 3 twice (SHOP-4 and SHOP-3)" in message


def test_hand_spacing_and_escaped_quotes_are_not_taken_for_duplicates():
    tables = copy.deepcopy(TABLES)
    tables["items"]["1"]["title"] = 'He said \\": "and": \\\\"'
    tables["items"]["1"]["description"] = '{"key": 1, "key": 2}'
    data = json.dumps(tables, indent=4, separators=(",", " : ")).encode()  # not as Groom writes it
    backlog, message = opens_or_says_why(data)
    assert message is None and backlog is not None
    assert backlog.item("SHOP-1").description == '{"key": 1, "key": 2}'
