"""The backlog file: TinyDB format, round trips, refusing bad files untouched, migrations."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from tinydb import TinyDB

from model import meta as meta_module
from model import store as store_module
from model.backlog import Backlog
from model.commands import AddCriterion, AddItem, AddQuestion, EditItem, SetPoints
from model.errors import StoreError
from model.service import BacklogService
from model.store import Store

from ._helpers import add_items, item_doc, meta_doc, order, reopen, tables_with, write_tables

ITEM_FIELDS = {
    "key", "title", "kind", "description", "rank", "status", "points", "moscow", "acceptance_criteria",
    "questions", "labels", "parent", "evidence", "scores", "source", "created", "updated",
}
META_FIELDS = {"schema_version", "name", "prefix", "next_number", "revision", "settings"}


@pytest.fixture
def filled(service, backlog_path) -> BacklogService:
    """A backlog with a few items using most fields."""
    add_items(service, "Pay with a saved card", "Refunds", "Gift cards")
    service.execute(SetPoints("SHOP-1", "½"))
    service.execute(EditItem("SHOP-1", {"labels": ["pay", "ux"], "moscow": "must", "description": "Long\ntext",
                                        "scores": {"reach": 100, "effort": 2}, "parent": "SHOP-3"}))
    service.execute(AddCriterion("SHOP-1", "Given a card"))
    service.execute(AddQuestion("SHOP-2", "Which countries?", ask="Legal"))
    return service


# ----- round trip and format -----------------------------------------------------------------------


def test_create_then_open_round_trips(filled, backlog_path):
    store, backlog = Store.open(backlog_path)
    assert backlog.to_tables() == filled.backlog.to_tables()
    assert order(backlog) == order(filled.backlog)
    assert backlog.warnings == []
    assert store.path == backlog_path


def test_create_refuses_to_replace_an_existing_file(service, backlog_path):
    data = backlog_path.read_bytes()
    with pytest.raises(StoreError, match="already exists"):
        Store.create(backlog_path, Backlog.empty("Other", "OTHER"))
    assert backlog_path.read_bytes() == data


def test_create_in_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(StoreError, match="is not a folder"):
        Store.create(tmp_path / "nowhere" / "shop.json", Backlog.empty("Shop", "SHOP"))


def test_the_file_is_plain_tinydb(filled, backlog_path):
    data = backlog_path.read_bytes()
    db = TinyDB(backlog_path)
    try:
        assert set(db.tables()) == {"meta", "items", "sprints", "team", "sessions", "history"}
        (meta,) = db.table("meta").all()
        assert meta.doc_id == 1
        assert set(meta) == META_FIELDS
        assert (meta["name"], meta["prefix"], meta["schema_version"], meta["next_number"]) == ("Shop", "SHOP", 2, 4)
        items = {doc.doc_id: doc for doc in db.table("items").all()}
        assert sorted(items) == [1, 2, 3]
        for doc_id, doc in items.items():
            assert set(doc) == ITEM_FIELDS
            assert doc["key"] == f"SHOP-{doc_id}"
        first = items[1]
        assert first["points"] == 0.5 and first["labels"] == ["pay", "ux"] and first["moscow"] == "must"
        assert first["acceptance_criteria"] == [{"text": "Given a card", "done": False}]
        assert first["scores"] == {"reach": 100, "effort": 2}  # only the inputs given
        assert first["created"] == "2024-05-01T09:00:00Z"
        assert items[2]["questions"] == [{"text": "Which countries?", "ask": "Legal", "answer": ""}]
        assert items[2]["status"] == "needs_info"
        assert db.table("sprints").all() == [] and db.table("team").all() == []
    finally:
        db.close()
    assert backlog_path.read_bytes() == data  # reading through TinyDB changes nothing


def test_the_file_is_readable_through_store_database(filled):
    db = filled.store.database()
    assert {doc["key"] for doc in db.table("items").all()} == {"SHOP-1", "SHOP-2", "SHOP-3"}


def test_the_file_is_pretty_printed_json_with_sorted_keys(filled, backlog_path):
    text = backlog_path.read_text()
    assert text.endswith("}\n")
    tables = json.loads(text)
    assert list(tables) == sorted(tables)
    assert list(tables["items"]["1"]) == sorted(ITEM_FIELDS)
    assert '\n  "items": {\n    "1": {\n      "acceptance_criteria": [' in text


def test_new_files_are_private(tmp_path):
    old = os.umask(0o022)
    try:
        service = BacklogService.create(tmp_path / "shop.json", "Shop", "SHOP")
        assert stat.S_IMODE(os.stat(service.store.path).st_mode) == 0o600
        service.execute(AddItem("one"))  # rewrites keep the mode
        assert stat.S_IMODE(os.stat(service.store.path).st_mode) == 0o600
    finally:
        os.umask(old)


def test_writes_keep_a_mode_the_user_chose(service, backlog_path):
    os.chmod(backlog_path, 0o640)
    service.execute(AddItem("one"))
    assert stat.S_IMODE(os.stat(backlog_path).st_mode) == 0o640


def test_the_same_backlog_always_gives_the_same_bytes(filled, backlog_path, tmp_path):
    _, backlog = Store.open(backlog_path)
    Store.create(tmp_path / "a.json", backlog)
    Store.create(tmp_path / "b.json", backlog)
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    store, backlog = Store.open(tmp_path / "a.json")
    store.storage.write(store.tables)
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_no_temporary_files_are_left_behind(filled, backlog_path):
    leftovers = [p.name for p in backlog_path.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_unknown_default_table_is_kept(tmp_path):
    path = tmp_path / "shop.json"
    tables = tables_with([item_doc(1, "V")])
    tables["_default"] = {"1": {"note": "written by a script"}}
    write_tables(path, tables)
    service = BacklogService.open(path)
    service.execute(SetPoints("SHOP-1", 3))
    assert json.loads(path.read_text())["_default"] == {"1": {"note": "written by a script"}}


# ----- bad files are refused, named, and left alone ------------------------------------------------


def good_tables() -> dict:
    return tables_with([item_doc(1, "F"), item_doc(2, "V"), item_doc(3, "k")])


def with_item(number: int, **fields) -> dict:
    tables = good_tables()
    tables["items"][str(number)].update(fields)
    return tables


BAD_FILES = {
    "not json": (b"this is not json\n", ["not valid JSON", "line 1"]),
    "truncated json": (json.dumps(good_tables(), indent=2).encode()[:-40], ["not valid JSON"]),
    "empty file": (b"", ["is empty"]),
    "only whitespace": (b"  \n\n", ["is empty"]),
    "a json list": (b"[1, 2]", ["not a backlog file"]),
    "no meta table": (json.dumps({"items": {}}).encode(), ["no meta table"]),
    "schema version text": (
        json.dumps({"meta": {"1": meta_doc(schema_version="1")}}).encode(), ["schema_version", "'1'"]
    ),
    "points seven": (with_item(2, points="seven"), ["item SHOP-2 (document 2)", "points", "'seven'"]),
    "title empty": (with_item(3, title=""), ["item SHOP-3 (document 3)", "title"]),
    "status unknown": (with_item(1, status="blocked"), ["item SHOP-1 (document 1)", "status", "'blocked'"]),
    "criterion without text": (
        with_item(2, acceptance_criteria=[{"text": "ok"}, {"done": True}]),
        ["item SHOP-2 (document 2)", "acceptance criterion 2 text", "missing"],
    ),
    "unknown item field": (with_item(1, colour="red"), ["item SHOP-1 (document 1)", "colour"]),
    "rank not base 62": (with_item(1, rank="a-b"), ["item SHOP-1 (document 1)", "rank"]),
    "unknown table": ({**good_tables(), "users": {}}, ["unknown table 'users'"]),
    "items not an object": ({**good_tables(), "items": [1]}, ["items table"]),
    "item not an object": ({**good_tables(), "items": {"1": "SHOP-1"}}, ["items document 1"]),
    "doc id not a number": ({**good_tables(), "items": {"one": item_doc(1, "V")}}, ["'one'"]),
    "duplicate key": (
        {**good_tables(), "items": {"1": item_doc(1, "F"), "2": item_doc(1, "V")}},
        ["SHOP-1", "stored twice", "document 2"],
    ),
    "doc id not matching the key": (
        {**good_tables(), "items": {"1": item_doc(1, "F"), "7": item_doc(2, "V")}},
        ["SHOP-2", "document 7", "must be document 2"],
    ),
    "wrong prefix": (
        {**good_tables(), "items": {"1": item_doc(1, "F", prefix="OTHER")}}, ["OTHER-1", "prefix SHOP"]
    ),
    "meta invalid": (
        {**good_tables(), "meta": {"1": meta_doc(prefix="shop")}}, ["backlog settings (meta)", "prefix", "'shop'"]
    ),
    "sprint ends before it starts": (
        {**good_tables(), "sprints": {"1": {"name": "S1", "start": "2024-05-10", "end": "2024-05-01"}}},
        ["sprint (document 1)", "ends"],
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_are_refused_naming_the_file_and_problem_and_left_untouched(tmp_path, case):
    content, words = BAD_FILES[case]
    path = tmp_path / "shop.json"
    data = content if isinstance(content, bytes) else write_tables(path, content)
    path.write_bytes(data)
    os.chmod(path, 0o644)
    before = os.stat(path)
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    message = str(caught.value)
    assert str(path) in message
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"
    assert "Traceback" not in message and len(message) < 400
    assert path.read_bytes() == data
    after = os.stat(path)
    assert (after.st_ino, after.st_mtime_ns, after.st_mode) == (before.st_ino, before.st_mtime_ns, before.st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop.json"]  # no backup, no temp file


def test_a_folder_is_refused(tmp_path):
    folder = tmp_path / "shop.json"
    folder.mkdir()
    with pytest.raises(StoreError, match="is a folder"):
        Store.open(folder)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(StoreError, match="no such file"):
        Store.open(tmp_path / "missing.json")


def test_an_unreadable_file_is_refused(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads everything")
    path = tmp_path / "shop.json"
    write_tables(path, good_tables())
    os.chmod(path, 0)
    with pytest.raises(StoreError, match="cannot read"):
        Store.open(path)


def test_a_stale_key_counter_is_repaired_with_a_warning(tmp_path):
    path = tmp_path / "shop.json"
    data = write_tables(path, tables_with([item_doc(1, "F"), item_doc(5, "V")], next_number=2))
    service = BacklogService.open(path)
    assert any("SHOP-5" in w for w in service.backlog.warnings)
    assert path.read_bytes() == data  # opening never writes
    assert service.execute(AddItem("new")).change.docs[-1].after["key"] == "SHOP-6"


def test_a_dangling_parent_is_a_warning_not_an_error(tmp_path):
    path = tmp_path / "shop.json"
    write_tables(path, tables_with([item_doc(1, "V", parent="SHOP-9")]))
    _, backlog = Store.open(path)
    assert backlog.warnings == ["SHOP-1 was split from SHOP-9, which no longer exists"]


def test_hand_written_values_are_normalised_in_memory(tmp_path):
    path = tmp_path / "shop.json"
    write_tables(path, tables_with([item_doc(1, "V", points="½", title="  spaced   out ", labels=["a", "a"])]))
    _, backlog = Store.open(path)
    item = backlog.item("SHOP-1")
    assert (item.points, item.title, item.labels) == (0.5, "spaced out", ("a",))


# ----- schema versions -----------------------------------------------------------------------------


def test_a_newer_file_format_is_refused_untouched(tmp_path):
    path = tmp_path / "shop.json"
    tables = good_tables()
    tables["meta"]["1"]["schema_version"] = 3
    data = write_tables(path, tables)
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    message = str(caught.value)
    assert str(path) in message and "newer Groom" in message and "file format 3" in message
    assert path.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop.json"]


@pytest.fixture
def schema_3(monkeypatch):
    """Pretend this Groom writes format 3, upgrading format 2 by adding a label to every item.
    (The real upgrade from format 1 is tested in test_history.py.)"""
    monkeypatch.setattr(meta_module, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 3)
    calls = []

    def upgrade(tables):
        calls.append(tables["meta"]["1"]["schema_version"])
        for doc in tables["items"].values():
            doc["labels"] = [*doc["labels"], "migrated"]
        return tables

    monkeypatch.setitem(store_module.MIGRATIONS, 2, upgrade)
    return calls


def test_migration_keeps_a_byte_identical_backup_and_writes_the_new_format(tmp_path, schema_3):
    path = tmp_path / "shop.json"
    original = write_tables(path, good_tables())
    os.chmod(path, 0o640)
    _, backlog = Store.open(path)
    assert schema_3 == [2]
    backup = tmp_path / "shop.json.v2.bak"
    assert backup.read_bytes() == original
    assert stat.S_IMODE(os.stat(backup).st_mode) == 0o640
    migrated = json.loads(path.read_text())
    assert migrated["meta"]["1"]["schema_version"] == 3
    assert all(doc["labels"] == ["migrated"] for doc in migrated["items"].values())
    assert backlog.meta.schema_version == 3
    assert backlog.item("SHOP-1").labels == ("migrated",)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    # The migrated file opens without migrating again, and writes keep format 3.
    service = BacklogService.open(path)
    assert schema_3 == [2]
    service.execute(SetPoints("SHOP-1", 3))
    assert json.loads(path.read_text())["meta"]["1"]["schema_version"] == 3
    assert backup.read_bytes() == original


def test_migration_does_not_overwrite_an_earlier_backup(tmp_path, schema_3):
    path = tmp_path / "shop.json"
    write_tables(path, good_tables())
    (tmp_path / "shop.json.v2.bak").write_bytes(b"the first backup")
    Store.open(path)
    assert (tmp_path / "shop.json.v2.bak").read_bytes() == b"the first backup"


def test_a_migration_that_breaks_the_backlog_leaves_the_file_untouched(tmp_path, monkeypatch, schema_3):
    monkeypatch.setitem(store_module.MIGRATIONS, 2, lambda tables: {**tables, "items": {"1": {"key": "bad"}}})
    path = tmp_path / "shop.json"
    original = write_tables(path, good_tables())
    with pytest.raises(StoreError, match=str(path)):
        Store.open(path)
    assert path.read_bytes() == original


def test_no_migration_for_an_old_format_is_refused(tmp_path, monkeypatch, schema_3):
    monkeypatch.delitem(store_module.MIGRATIONS, 2)
    path = tmp_path / "shop.json"
    original = write_tables(path, good_tables())
    with pytest.raises(StoreError, match="no way to upgrade file format 2"):
        Store.open(path)
    assert path.read_bytes() == original


def test_a_file_rewritten_in_another_format_is_not_pulled(service, backlog_path):
    add_items(service, "one")
    tables = json.loads(backlog_path.read_text())
    tables["meta"]["1"]["schema_version"] = 3
    write_tables(backlog_path, tables)
    with pytest.raises(StoreError, match="another file format"):
        service.execute(AddItem("two"))
    assert len(reopen_raw(backlog_path)["items"]) == 1


def reopen_raw(path: Path) -> dict:
    return json.loads(path.read_text())


# ----- failed writes leave memory and the file as they were ---------------------------------------


def test_a_failed_write_changes_nothing(service, backlog_path, monkeypatch):
    add_items(service, "one", "two")
    data = backlog_path.read_bytes()
    tables = service.backlog.to_tables()

    def refuse(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", refuse)
    with pytest.raises(StoreError, match=r"cannot save \(No space left on device\); the file on disk is unchanged"):
        service.execute(SetPoints("SHOP-1", 5))
    monkeypatch.undo()
    assert backlog_path.read_bytes() == data
    assert service.backlog.to_tables() == tables
    assert service.undo_label == "Add SHOP-2"
    assert sorted(p.name for p in backlog_path.parent.iterdir() if not p.name.endswith(".lock")) == ["shop.json"]
    service.execute(SetPoints("SHOP-1", 8))  # and the next write works, from the right base
    assert reopen(backlog_path).to_tables() == service.backlog.to_tables()
