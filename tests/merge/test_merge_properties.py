"""Property tests: two random grooming sessions on copies of one backlog, then the merge.

Each side runs its edits through a BacklogService on its own file (as the app does); the
merge must be a valid backlog that holds every item either side created, takes every field
changed on one side only from that side, records every field both sides changed to
different values as a conflict (or merges it where the field's parts are independent), and
is the same every time.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.commands import (
    AddCriterion,
    AddItem,
    CycleMoscow,
    DeleteItem,
    EditItem,
    MoveItem,
    SetPoints,
    ToggleCriterion,
)
from model.errors import CommandError
from model.merge import Branches, merge_backlogs
from model.merge_values import merge_value
from model.service import BacklogService
from model.storage import dumps, loads
from model.store import Store
from tests.tui import scenario

WORDS = st.sampled_from(["Alpha", "Beta", "Gamma", "[bold]x[/]"])
INDEX = st.integers(min_value=0, max_value=40)
OPERATION = st.one_of(
    st.tuples(st.just("points"), INDEX, st.sampled_from([None, 1, 3, 8, 13])),
    st.tuples(st.just("moscow"), INDEX),
    st.tuples(st.just("title"), INDEX, WORDS),
    st.tuples(st.just("kind"), INDEX, st.sampled_from(["story", "bug", "chore"])),
    st.tuples(st.just("describe"), INDEX, WORDS),
    st.tuples(st.just("labels"), INDEX, st.lists(st.sampled_from(["a", "b", "c"]), unique=True, max_size=3)),
    st.tuples(st.just("criterion"), INDEX, WORDS),
    st.tuples(st.just("tick"), INDEX),
    st.tuples(st.just("add"), INDEX, WORDS),
    st.tuples(st.just("delete"), INDEX),
    st.tuples(st.just("move"), INDEX, st.sampled_from(["up", "down", "top", "bottom"])),
)
SESSION = st.lists(OPERATION, max_size=8)
GENERIC = ("title", "kind", "points", "moscow", "status", "parent", "source")
BRANCHES = Branches("main", "topic")


def command(operation: tuple, order: list[str]) -> object:
    kind, index, *rest = operation
    key = order[index % len(order)] if order else None
    value = rest[0] if rest else None
    if kind == "add":
        return AddItem(f"New {value}", below=key)
    if key is None:
        return None
    return {
        "points": lambda: SetPoints(key, value),
        "moscow": lambda: CycleMoscow(key),
        "title": lambda: EditItem(key, {"title": value}),
        "kind": lambda: EditItem(key, {"kind": value}),
        "describe": lambda: EditItem(key, {"description": f"{value}\n"}),
        "labels": lambda: EditItem(key, {"labels": value}),
        "criterion": lambda: AddCriterion(key, f"Given {value}"),
        "tick": lambda: ToggleCriterion(key, 0),
        "delete": lambda: DeleteItem(key),
        "move": lambda: MoveItem(key, value),
    }[kind]()


def groom(path: Path, session: list[tuple], start) -> None:
    service = BacklogService.open(path, clock=scenario.frozen_clock(start), user="tester")
    for operation in session:
        step = command(operation, list(service.backlog.order))
        if step is None:
            continue
        try:
            service.execute(step)
        except CommandError:
            pass  # e.g. ticking a criterion the item does not have


def read(path: Path) -> dict:
    return loads(path.read_bytes(), path)


def new_items(side: dict, base: dict) -> dict[tuple[str, str], dict]:
    return {(doc["created"], doc["title"]): doc for doc_id, doc in side["items"].items() if doc_id not in base["items"]}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ours_session=SESSION, theirs_session=SESSION)
def test_merging_two_random_sessions(ours_session, theirs_session):
    # Durability is not what is tested here: skip the fsyncs that make each write slow.
    with tempfile.TemporaryDirectory() as folder, mock.patch("model.storage.os.fsync"):
        folder = Path(folder)
        scenario.make_service(folder / "base.json")
        shutil.copy(folder / "base.json", folder / "ours.json")
        shutil.copy(folder / "base.json", folder / "theirs.json")
        groom(folder / "ours.json", ours_session, scenario.START)
        groom(folder / "theirs.json", theirs_session, scenario.START + timedelta(days=1))
        base, ours, theirs = (read(folder / f"{name}.json") for name in ("base", "ours", "theirs"))

    result = merge_backlogs(base, ours, theirs, branches=BRANCHES)
    backlog = result.backlog
    items = {item.number: item.to_doc() for item in backlog.items.values()}

    # A valid store: it round-trips through the file and its order is strict.
    with tempfile.TemporaryDirectory() as folder:
        Store.create(Path(folder) / "merged.json", backlog)
        _, reread = Store.open(Path(folder) / "merged.json")
        assert reread.to_tables() == backlog.to_tables()
        # (a deleted parent leaves its children a note, as it does without a merge)
        assert [w for w in reread.warnings if "which no longer exists" not in w] == []
    ranks = [item.rank for item in backlog]
    assert ranks == sorted(set(ranks))
    assert backlog.meta.next_number > max(items, default=0)
    assert backlog.meta.next_number >= max(ours["meta"]["1"]["next_number"], theirs["meta"]["1"]["next_number"])

    # Every item created on either side is there (renumbered where both used a number).
    by_identity = {(doc["created"], doc["title"]): doc for doc in items.values()}
    for side in (ours, theirs):
        for identity, doc in new_items(side, base).items():
            kept = by_identity[identity]
            for name in set(doc) - {"key", "rank", "former_keys"}:
                assert kept.get(name) == doc[name], (identity, name)
            if kept["key"] != doc["key"]:
                assert {"key": doc["key"], "branch": BRANCHES.name("ours" if side is ours else "theirs")} \
                    in kept["former_keys"]

    # Items of the common ancestor, field by field.
    for doc_id, before in base["items"].items():
        mine, other = ours["items"].get(doc_id), theirs["items"].get(doc_id)
        merged = items.get(int(doc_id))
        if mine is None or other is None:
            survivor = mine if other is None else other
            edited = survivor is not None and {k: v for k, v in survivor.items() if k not in ("rank", "updated")} != \
                {k: v for k, v in before.items() if k not in ("rank", "updated")}
            assert (merged is not None) == edited, doc_id
            if edited:
                assert any(c["field"] == "deleted" for c in merged["conflicts"])
            continue
        conflicts = {c["field"]: c for c in merged.get("conflicts", [])}
        for name in before:
            if name in ("key", "rank", "updated"):
                continue
            b, o, t = before[name], mine[name], other[name]
            if o == t or t == b:
                assert merged[name] == o, (doc_id, name)
                assert name not in conflicts
            elif o == b:
                assert merged[name] == t, (doc_id, name)
                assert name not in conflicts
            elif name in GENERIC:
                assert merged[name] == o
                assert (conflicts[name]["base"], conflicts[name]["ours"], conflicts[name]["theirs"]) == (b, o, t)
            else:  # parts merge: labels, criteria, description
                expected = merge_value(name, b, o, t)
                assert merged[name] == expected.value
                assert (name in conflicts) == (expected.clash is not None)
                if name == "acceptance_criteria" and expected.clash is None:
                    for entry in (*o, *t):
                        if entry not in b:
                            assert entry in merged[name]

    # The same inputs always give the same bytes.
    assert dumps(merge_backlogs(base, ours, theirs, branches=BRANCHES).tables) == dumps(result.tables)
    # Who keeps a clashing key does not depend on which branch merges into which.
    swapped = merge_backlogs(base, theirs, ours, branches=Branches("topic", "main")).backlog
    assert {(i.key, i.created) for i in swapped.items.values()} == {(i.key, i.created) for i in backlog.items.values()}
