"""A backlog file edited by hand (or by a git merge) into a bad state, opened with `groom FILE`
and `groom check FILE` as a user would: a clear error naming file, item and field, or a repair
in memory that is reported, in the app too; never a traceback; the file byte for byte as it
was until the user's next change."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from model.commands import AddItem, MoveItem
from model.service import BacklogService
from model.storage import dumps
from model.store import Store
from tests.hostile.test_store_loader import CANONICAL, TABLES
from tests.tui.conftest import grooming, notifications
from tests.tui.scenario import frozen_clock
from tui import cli
from tui.app import GroomApp


def edited(change) -> bytes:
    tables = copy.deepcopy(TABLES)
    change(tables)
    return json.dumps(tables, indent=2).encode()


def set_item(number: int, **fields):
    return lambda tables: tables["items"][str(number)].update(fields)


def text_edit(old: str, new: str) -> bytes:
    text = CANONICAL.decode()
    assert old in text
    return text.replace(old, new, 1).encode()


REFUSED = {
    "bad JSON (a stray comma)": (
        text_edit('"title": "Apple Pay"', '"title": "Apple Pay",,'), ["not valid JSON", "line "]),
    "wrong type: points as a word": (edited(set_item(3, points="three")),
                                     ["item SHOP-3 (document 3)", "points", "'three' is not an estimate"]),
    "wrong type: labels as one string": (edited(set_item(3, labels="payments")),
                                         ["item SHOP-3 (document 3)", "labels: must be a list (got 'payments')"]),
    "wrong type: a table as a list": (edited(lambda t: t.update(sprints=[])),
                                      ["the sprints table is not a JSON object"]),
    "an item stored twice under two ids": (
        edited(lambda t: t["items"].update({"30": t["items"]["3"]})),
        ["item SHOP-3 is stored twice (document 30 repeats it)"]),
    "one document id written twice (a merge kept both)": (
        text_edit('"items": {', '"items": {\n    "3": ' + json.dumps(TABLES["items"]["4"]) + ","),
        ["the items table holds document 3 twice (SHOP-4 and SHOP-3)", "give the others new numbers"]),
    "one field written twice": (
        text_edit('"title": "Apple Pay",', '"title": "Apple Pay",\n      "title": "Google Pay",'),
        ["item SHOP-14 (items document 14) has the field 'title' twice (\"Apple Pay\" and \"Google Pay\")"]),
    "a setting written twice": (text_edit('"horizon": 3,', '"horizon": 3,\n "horizon": 4,'),
                                ["meta document 1 settings has the field 'horizon' twice (3 and 4)"]),
    "an invalid rank": (edited(set_item(2, rank="not a rank!")),
                        ["item SHOP-2 (document 2): rank: 'not a rank!' does not have the expected form"]),
    "an unknown field": (edited(set_item(2, colour="red")), ["item SHOP-2 (document 2): colour: is not a field"]),
    "no meta table": (edited(lambda t: t.pop("meta")), ["not a Groom backlog (no meta table"]),
    "meta without the backlog record": (edited(lambda t: t.update(meta={})), ["not a Groom backlog"]),
    "an unknown table": (edited(lambda t: t.update(people={})), ["unknown table 'people'"]),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_broken_file_is_refused_by_groom_and_groom_check_and_left_alone(tmp_path, capsys, case):
    data, words = REFUSED[case]
    path = tmp_path / "shop.json"
    path.write_bytes(data)
    for argv in ([str(path)], ["check", str(path)]):
        assert cli.main(argv) == 1
        _, err = capsys.readouterr()
        assert err.startswith(f"groom: {path}"), err
        for word in words:
            assert word in err, f"{word!r} not in {err!r}"
        assert "Traceback" not in err and err.count("\n") == 1
        assert path.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop.json"]


REPAIRED = {
    "next_number too low": (edited(lambda t: t["meta"]["1"].update(next_number=3)),
                            "next key number was 3 but SHOP-18 exists; new items continue from 19"),
    "a parent that does not exist": (edited(set_item(9, parent="SHOP-99")),
                                     "SHOP-9 was split from SHOP-99, which no longer exists"),
    "two items with the same rank": (
        edited(lambda t: t["items"]["6"].update(rank=t["items"]["5"]["rank"])),
        "SHOP-5 and SHOP-6 have the same rank"),
}


@pytest.mark.parametrize("case", list(REPAIRED))
def test_a_repair_is_reported_by_groom_check_and_the_file_is_unchanged(tmp_path, capsys, case):
    data, note = REPAIRED[case]
    path = tmp_path / "shop.json"
    path.write_bytes(data)
    assert cli.main(["check", str(path)]) == 0
    out, _ = capsys.readouterr()
    assert f"Warning: {note}" in out
    assert path.read_bytes() == data


@pytest.mark.parametrize("case", list(REPAIRED))
async def test_the_app_shows_the_repairs_at_start_and_leaves_the_file_until_a_change(tmp_path, case):
    data, note = REPAIRED[case]
    path = tmp_path / "shop.json"
    path.write_bytes(data)
    service = BacklogService.open(path, clock=frozen_clock())
    app = GroomApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        [shown] = [n for n in notifications(app) if n.startswith("Opened with notes")]
        assert note in shown and "The file is unchanged until your next change." in shown
        await pilot.pause(0.2)
        assert path.read_bytes() == data  # opening and looking never writes
        await pilot.press("G", "5")  # the user's first change writes the backlog as repaired
    _, backlog = Store.open(path)
    assert backlog.item("SHOP-18").points == 5
    if case == "next_number too low":  # the counter was written as repaired with that change
        assert backlog.warnings == [] and backlog.meta.next_number == 19
    else:  # nothing to write: the note stands until the user fixes the parent or moves an item
        assert [w[:20] for w in backlog.warnings] == [note[:20]]


def test_a_stale_key_counter_never_reuses_a_key(tmp_path):
    path = tmp_path / "shop.json"
    path.write_bytes(REPAIRED["next_number too low"][0])
    service = BacklogService.open(path)
    added = service.execute(AddItem("new")).change.docs[-1].after["key"]
    assert added == "SHOP-19"


def test_equal_ranks_are_listed_by_key_and_the_next_move_separates_them(tmp_path):
    path = tmp_path / "shop.json"
    path.write_bytes(REPAIRED["two items with the same rank"][0])
    service = BacklogService.open(path)
    order = list(service.backlog.order)
    assert order.index("SHOP-6") == order.index("SHOP-5") + 1
    service.execute(MoveItem("SHOP-6", "up"))
    _, backlog = Store.open(path)
    assert backlog.warnings == []
    assert backlog.order.index("SHOP-6") == backlog.order.index("SHOP-5") - 1


def test_document_order_in_the_file_does_not_matter(tmp_path):
    """"Out of order" by hand (documents shuffled, ids descending) is fine: ranks give the order."""
    tables = copy.deepcopy(TABLES)
    tables["items"] = dict(reversed(list(tables["items"].items())))
    path = tmp_path / "shop.json"
    path.write_bytes(json.dumps(tables).encode())
    _, backlog = Store.open(path)
    assert backlog.order == Store.open(_canonical(tmp_path))[1].order
    assert backlog.warnings == []


def _canonical(tmp_path: Path) -> Path:
    path = tmp_path / "canonical.json"
    path.write_bytes(dumps(TABLES))
    return path


async def test_a_file_broken_while_the_app_runs_is_said_once_and_never_overwritten(tmp_path):
    path = tmp_path / "shop.json"
    path.write_bytes(CANONICAL)
    app = GroomApp(BacklogService.open(path, clock=frozen_clock()))
    async with app.run_test(size=(80, 24)) as pilot:
        broken = CANONICAL[:-30]
        path.write_bytes(broken)  # someone's editor saves half a file
        screen = grooming(app)
        for _ in range(3):
            screen.pull_external_changes()
            await pilot.pause()
        said = [n for n in notifications(app) if n.startswith("Backlog file")]
        assert len(said) == 1 and "not valid JSON" in said[0] and "Changes wait" in said[0]
        await pilot.press("5")  # a change is refused, the file stays as it is
        assert any(n.startswith("Not done") and "not valid JSON" in n for n in notifications(app))
        assert path.read_bytes() == broken
        path.write_bytes(CANONICAL)  # fixed
        screen.pull_external_changes()
        await pilot.pause()
        assert "Backlog file: The backlog file is readable again." in notifications(app)
        await pilot.press("5")
    assert Store.open(path)[1].item("SHOP-1").points == 5
