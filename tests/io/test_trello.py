"""Trello board import: both real boards in tests/io/fixtures, and hand-made edge cases."""

from __future__ import annotations

import json
from collections import Counter

import orjson
import pytest

from model.io.errors import BadImportFile
from model.io.trello import list_status, parse_trello
from tests.io.conftest import GOCD, SIMPLE_BOARD


def parse(path, **options):
    return parse_trello(path.read_bytes(), path.name, **options)


def board(**parts) -> dict:
    base = {"id": "b1", "name": "Team board", "shortLink": "BRD", "lists": [], "cards": [], "labels": [],
            "checklists": [], "customFields": [], "actions": []}
    return {**base, **parts}


def card(card_id: str, name: str, list_id: str = "l1", pos: float = 1, **more) -> dict:
    return {"id": card_id, "name": name, "idList": list_id, "pos": pos, "closed": False, "desc": "",
            "idLabels": [], "shortLink": card_id.upper(), **more}


def parse_dict(data: dict, **options):
    return parse_trello(json.dumps(data).encode(), "board.json", **options)


# ----- the real boards ---------------------------------------------------------------------


def test_simple_board_closed_list_and_card_skipped():
    export = parse(SIMPLE_BOARD)
    assert len(export.items) == 9  # 10 cards, one archived
    assert [(s.name, s.reason) for s in export.skipped] == [
        ("archived card in DONE", "archived card"),
        ("list “some archived list”", "archived list (it has no cards)")]
    assert export.name == "Simple Project Board" and export.prefix == "SPB"
    assert Counter(i.fields["status"] for i in export.items) == {"new": 5, "planned": 2, "done": 2}


def test_simple_board_two_checklists_on_one_card_and_empty_label_names():
    items = {i.fields["title"]: i for i in parse(SIMPLE_BOARD).items}
    two = items["a card with two checklists - this could look weird in planka"].fields["description"]
    assert "### first checklist" in two and "### second checklist" in two
    assert two.count("- [ ] ") + two.count("- [x] ") == 5
    # A label without a name is named by its colour; one without a colour keeps its name.
    assert "red" in items["attachments? comments too??"].fields["labels"]
    labels = set(items["wow, that's a nice simple project board"].fields["labels"])
    assert {"green label", "label without color"} <= labels


def test_simple_board_comments_come_from_actions():
    items = {i.fields["title"]: i for i in parse(SIMPLE_BOARD).items}
    description = items["wow, that's a nice simple project board"].fields["description"]
    assert "### Comments" in description and 'this card should have the labels "green label"' in description
    without = {i.fields["title"]: i for i in parse(SIMPLE_BOARD, comments=False).items}
    assert "### Comments" not in without["wow, that's a nice simple project board"].fields["description"]


def test_gocd_122_cards_78_closed_10_in_closed_lists():
    export = parse(GOCD)
    reasons = Counter(s.reason for s in export.skipped if not s.name.startswith("list “"))
    assert len(export.items) == 122 - 78 == 44
    assert reasons["archived card"] == 68
    assert sum(n for reason, n in reasons.items() if reason.startswith("in the archived list")) == 10
    assert export.name == "Test Drive"


def test_gocd_order_follows_float_positions_and_ties_keep_export_order():
    raw = orjson.loads(GOCD.read_bytes())
    lists = {entry["id"]: entry for entry in raw["lists"]}
    kept = [(index, c) for index, c in enumerate(raw["cards"])
            if not c["closed"] and not lists[c["idList"]]["closed"]]
    kept.sort(key=lambda p: (lists[p[1]["idList"]]["pos"], p[1]["pos"], p[0]))
    expected = [c["shortLink"] for _, c in kept]
    assert [i.ref.rpartition("/")[2] for i in parse(GOCD).items] == expected
    # The first list has pos 32767.5 and float card positions; two of its cards share one pos.
    first = [c for _, c in kept if lists[c["idList"]]["pos"] == 32767.5]
    assert any(isinstance(c["pos"], float) and not c["pos"].is_integer() for c in first)


def test_gocd_labels_and_research_label_makes_a_spike():
    items = parse(GOCD).items
    assert any("Pipelines as Code" in i.fields["labels"] for i in items)
    research = [i for i in items if "Research" in i.fields["labels"]]
    assert research and all(i.fields["kind"] == "spike" for i in research)


# ----- hand-made boards --------------------------------------------------------------------


def test_lists_become_statuses_and_labels():
    assert [list_status(name) for name in ("Backlog", "To Do", "Up Next", "Doing ⚙️", "Ready for QA", "DONE! 🙌",
                                           "Won't do", "Waiting for client", "Ideas")] == [
        "new", "new", "ready", "planned", "planned", "done", "dropped", "needs_info", "new"]
    data = board(lists=[{"id": "l1", "name": "Doing", "pos": 1}], cards=[card("c1", "Task")])
    assert parse_dict(data).items[0].fields["labels"] == ["list:Doing"]


def test_acceptance_checklist_becomes_criteria_others_stay_in_the_description():
    data = board(
        lists=[{"id": "l1", "name": "To Do", "pos": 1}],
        cards=[card("c1", "Pay", desc="**Why**: faster")],
        checklists=[
            {"id": "k1", "idCard": "c1", "name": "Acceptance Criteria", "pos": 2,
             "checkItems": [{"name": "second", "state": "incomplete", "pos": 2},
                            {"name": "first", "state": "complete", "pos": 1}]},
            {"id": "k2", "idCard": "c1", "name": "Tasks", "pos": 1,
             "checkItems": [{"name": "write code", "state": "complete", "pos": 1}]},
        ])
    fields = parse_dict(data).items[0].fields
    assert fields["acceptance_criteria"] == [{"text": "first", "done": True}, {"text": "second", "done": False}]
    assert fields["description"] == "**Why**: faster\n\n### Tasks\n\n- [x] write code"


@pytest.mark.parametrize("name", ["AC", "definition of done", "Acceptance criteria:"])
def test_criteria_checklist_names(name):
    data = board(lists=[{"id": "l1", "name": "To Do", "pos": 1}], cards=[card("c1", "Pay")],
                 checklists=[{"id": "k", "idCard": "c1", "name": name, "checkItems": [{"name": "ok"}]}])
    assert parse_dict(data).items[0].fields["acceptance_criteria"] == [{"text": "ok", "done": False}]


def test_points_from_a_number_custom_field_and_from_a_title_prefix():
    data = board(
        lists=[{"id": "l1", "name": "To Do", "pos": 1}],
        customFields=[{"id": "f1", "name": "Story Points", "type": "number"},
                      {"id": "f2", "name": "Cost", "type": "number"}],
        cards=[card("c1", "A", pos=1, customFieldItems=[{"idCustomField": "f1", "value": {"number": "4"}}]),
               card("c2", "B", pos=2, customFieldItems=[{"idCustomField": "f2", "value": {"number": "8"}}]),
               card("c3", "(3) C", pos=3)])
    export = parse_dict(data)
    assert [(i.fields["title"], i.fields["points"]) for i in export.items] == [("A", 5), ("B", None), ("C", 3)]
    assert [n.text for n in export.notes] == ["4 points is not on the scale: rounded up to 5"]


def test_card_in_a_missing_list_is_skipped():
    data = board(lists=[{"id": "l1", "name": "To Do", "pos": 1}], cards=[card("c1", "Lost", list_id="nope")])
    export = parse_dict(data)
    assert export.items == () and export.skipped[0].reason == "its list is not in the export"


@pytest.mark.parametrize(("data", "message"), [
    (b"", "is empty"),
    (b'{"name": "x", "cards": [', "not valid JSON"),
    (b"[1, 2, 3]", "not a Trello board export"),
    (b'{"name": "no lists"}', "not a Trello board export"),
    (b'{"id": "b", "lists": [], "cards": [{"id": 5}]}', "not a Trello board export Groom can read"),
    (b'{"id": "b", "lists": "x", "cards": []}', "not a Trello board export Groom can read"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
])
def test_broken_files_give_a_clear_error(data, message):
    with pytest.raises(BadImportFile, match=message):
        parse_trello(data, "board.json")


def test_truncated_real_export_is_refused():
    data = SIMPLE_BOARD.read_bytes()
    with pytest.raises(BadImportFile, match="not valid JSON"):
        parse_trello(data[: len(data) // 2], "half.json")
