"""Commands, run through the BacklogService the way the TUI runs them."""

from __future__ import annotations

import os

import pytest

from model.change import ITEMS
from model.commands import (
    AddCriterion,
    AddItem,
    AddQuestion,
    CycleMoscow,
    DeleteCriterion,
    DeleteItem,
    DeleteQuestion,
    EditCriterion,
    EditItem,
    EditQuestion,
    MoveCriterion,
    MoveItem,
    SetPoints,
    ToggleCriterion,
)
from model.errors import CommandError
from model.item import MoSCoW, Status

from ._helpers import add_items, order, reopen


def added_key(outcome) -> str:
    return outcome.change.docs[-1].after["key"]


def criteria(service, key: str) -> list[tuple[str, bool]]:
    return [(c.text, c.done) for c in service.backlog.item(key).acceptance_criteria]


@pytest.fixture
def six(service) -> list[str]:
    """SHOP-1 .. SHOP-6, in that order."""
    return add_items(service, "one", "two", "three", "four", "five", "six")


# ----- AddItem -----------------------------------------------------------------------------


def test_first_item_gets_key_1_and_the_clock_time(service, backlog_path):
    outcome = service.execute(AddItem("  Pay   with card "))
    assert outcome.label == "Add SHOP-1"
    item = service.backlog.item("SHOP-1")
    assert item.title == "Pay with card"
    assert item.to_doc()["created"] == item.to_doc()["updated"] == "2024-05-01T09:00:00Z"
    assert reopen(backlog_path).item("SHOP-1") == item


def test_add_places_right_below_the_given_item_with_the_next_key(service, six):
    outcome = service.execute(AddItem("new", below="SHOP-3"))
    assert added_key(outcome) == "SHOP-7"
    assert order(service.backlog) == ["SHOP-1", "SHOP-2", "SHOP-3", "SHOP-7", "SHOP-4", "SHOP-5", "SHOP-6"]
    service.execute(AddItem("last", below="SHOP-6"))
    assert order(service.backlog)[-1] == "SHOP-8"


def test_add_without_below_goes_to_the_top(service, six):
    service.execute(AddItem("urgent"))
    assert order(service.backlog)[0] == "SHOP-7"


def test_add_below_the_same_item_repeatedly_puts_the_newest_right_below_it(service, six):
    for _ in range(5):
        service.execute(AddItem("again", below="SHOP-2"))
    assert order(service.backlog) == [
        "SHOP-1", "SHOP-2", "SHOP-11", "SHOP-10", "SHOP-9", "SHOP-8", "SHOP-7", "SHOP-3", "SHOP-4", "SHOP-5", "SHOP-6",
    ]


def test_add_with_fields_and_kind(service):
    outcome = service.execute(AddItem("Crash on pay", kind="bug", fields={"points": "½", "labels": ["pay", "pay"]}))
    item = service.backlog.item(added_key(outcome))
    assert (item.kind, item.points, item.labels) == ("bug", 0.5, ("pay",))


def test_add_refuses_bad_input_without_using_a_key(service, six):
    with pytest.raises(CommandError, match="there is no item SHOP-99"):
        service.execute(AddItem("x", below="SHOP-99"))
    with pytest.raises(CommandError, match=r"^new item: title: "):
        service.execute(AddItem("   "))
    with pytest.raises(CommandError, match="unknown field 'rank'"):
        service.execute(AddItem("x", fields={"rank": "0"}))
    assert added_key(service.execute(AddItem("fine"))) == "SHOP-7"


def test_keys_are_never_reused(service, backlog_path, six):
    service.execute(DeleteItem("SHOP-6"))
    assert added_key(service.execute(AddItem("after delete"))) == "SHOP-7"
    service.execute(DeleteItem("SHOP-7"))
    service.undo()  # SHOP-7 comes back
    assert "SHOP-7" in service.backlog
    assert added_key(service.execute(AddItem("after undo"))) == "SHOP-8"
    service.undo()  # removes SHOP-8 again
    assert "SHOP-8" not in service.backlog
    assert added_key(service.execute(AddItem("after undone add"))) == "SHOP-9"
    service.undo()
    service.redo()  # SHOP-9 re-created
    assert added_key(service.execute(AddItem("after redo"))) == "SHOP-10"
    service.undo()
    assert reopen(backlog_path).next_key() == "SHOP-11"


# ----- MoveItem ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "where", "anchor", "expected"),
    [
        ("SHOP-4", "up", None, [1, 2, 4, 3, 5, 6]),
        ("SHOP-4", "down", None, [1, 2, 3, 5, 4, 6]),
        ("SHOP-4", "top", None, [4, 1, 2, 3, 5, 6]),
        ("SHOP-4", "bottom", None, [1, 2, 3, 5, 6, 4]),
        ("SHOP-4", "above", "SHOP-2", [1, 4, 2, 3, 5, 6]),
        ("SHOP-4", "below", "SHOP-2", [1, 2, 4, 3, 5, 6]),
        ("SHOP-2", "above", "SHOP-5", [1, 3, 4, 2, 5, 6]),
        ("SHOP-2", "below", "SHOP-5", [1, 3, 4, 5, 2, 6]),
        ("SHOP-1", "below", "SHOP-6", [2, 3, 4, 5, 6, 1]),
        ("SHOP-6", "above", "SHOP-1", [6, 1, 2, 3, 4, 5]),
        ("SHOP-1", "bottom", None, [2, 3, 4, 5, 6, 1]),
        ("SHOP-6", "top", None, [6, 1, 2, 3, 4, 5]),
    ],
)
def test_move_rewrites_only_the_moved_items_rank(service, backlog_path, six, key, where, anchor, expected):
    before = {k: service.backlog.item(k) for k in six}
    outcome = service.execute(MoveItem(key, where, anchor))
    assert order(service.backlog) == [f"SHOP-{n}" for n in expected]
    (doc,) = outcome.change.docs
    assert (doc.table, doc.doc_id, doc.fields()) == (ITEMS, int(key.split("-")[1]), ["rank"])
    for k in six:
        if k != key:
            assert service.backlog.item(k) == before[k]
    moved = service.backlog.item(key)
    assert moved.updated == before[key].updated  # a move is not an edit of the item
    assert order(reopen(backlog_path)) == order(service.backlog)


@pytest.mark.parametrize(
    ("key", "where", "anchor"),
    [
        ("SHOP-1", "up", None),
        ("SHOP-1", "top", None),
        ("SHOP-6", "down", None),
        ("SHOP-6", "bottom", None),
        ("SHOP-3", "above", "SHOP-4"),
        ("SHOP-3", "below", "SHOP-2"),
        ("SHOP-3", "below", "SHOP-3"),
        ("SHOP-3", "above", "SHOP-3"),
    ],
)
def test_moves_that_change_nothing_are_empty(service, six, key, where, anchor):
    outcome = service.execute(MoveItem(key, where, anchor))
    assert not outcome.change
    assert order(service.backlog) == six


def test_move_needs_known_items(service, six):
    with pytest.raises(CommandError, match="there is no item SHOP-42"):
        service.execute(MoveItem("SHOP-42", "up"))
    with pytest.raises(CommandError, match="there is no item SHOP-42"):
        service.execute(MoveItem("SHOP-1", "below", "SHOP-42"))
    with pytest.raises(CommandError, match="needs that item"):
        service.execute(MoveItem("SHOP-1", "below"))


def test_move_refuses_an_unknown_direction(service, six):
    with pytest.raises(CommandError):
        service.execute(MoveItem("SHOP-1", "sideways", "SHOP-3"))  # type: ignore[arg-type]


def test_many_moves_to_the_top_keep_everyone_elses_order(service, backlog_path):
    keys = add_items(service, *(f"item {n}" for n in range(12)))
    expected = list(keys)
    for step in range(150):
        key = expected[-1 - step % 3]
        service.execute(MoveItem(key, "top"))
        expected.remove(key)
        expected.insert(0, key)
        assert order(service.backlog) == expected
    assert order(reopen(backlog_path)) == expected
    assert max(len(item.rank) for item in service.backlog) <= 12


# ----- points and MoSCoW ---------------------------------------------------------------------


def test_set_points(service, six):
    assert service.execute(SetPoints("SHOP-1", "½")).label == "Estimate SHOP-1: ½"
    assert service.backlog.item("SHOP-1").points == 0.5
    service.execute(SetPoints("SHOP-1", 8))
    assert service.backlog.item("SHOP-1").points == 8
    service.execute(SetPoints("SHOP-1", "?"))
    assert service.backlog.item("SHOP-1").points is None


def test_set_points_refuses_values_off_the_scale(service, backlog_path, six):
    data = backlog_path.read_bytes()
    for bad in (7, "seven", True):
        with pytest.raises(CommandError, match=r"^SHOP-1: ") as caught:
            service.execute(SetPoints("SHOP-1", bad))
        assert "points" in str(caught.value) or "estimat" in str(caught.value)
    assert backlog_path.read_bytes() == data


def test_cycle_moscow_goes_all_the_way_round(service, six):
    seen = []
    for _ in range(6):
        service.execute(CycleMoscow("SHOP-2"))
        seen.append(service.backlog.item("SHOP-2").moscow)
    assert seen == [MoSCoW.MUST, MoSCoW.SHOULD, MoSCoW.COULD, MoSCoW.WONT, None, MoSCoW.MUST]


# ----- acceptance criteria -----------------------------------------------------------------------


def test_criteria_add_edit_toggle_delete_move(service, backlog_path, six):
    service.execute(AddCriterion("SHOP-1", "  Given a card "))
    service.execute(AddCriterion("SHOP-1", "When I pay"))
    service.execute(AddCriterion("SHOP-1", "Then it works"))
    assert criteria(service, "SHOP-1") == [("Given a card", False), ("When I pay", False), ("Then it works", False)]
    service.execute(EditCriterion("SHOP-1", 1, "When I pay twice"))
    assert service.execute(ToggleCriterion("SHOP-1", 2)).label == "Tick criterion 3 of SHOP-1"
    assert criteria(service, "SHOP-1")[1:] == [("When I pay twice", False), ("Then it works", True)]
    assert service.execute(ToggleCriterion("SHOP-1", 2)).label == "Untick criterion 3 of SHOP-1"
    service.execute(ToggleCriterion("SHOP-1", 0, done=True))
    assert not service.execute(ToggleCriterion("SHOP-1", 0, done=True)).change  # already ticked
    service.execute(MoveCriterion("SHOP-1", 2, -1))
    assert criteria(service, "SHOP-1") == [
        ("Given a card", True), ("Then it works", False), ("When I pay twice", False),
    ]
    service.execute(MoveCriterion("SHOP-1", 0, +1))
    assert [t for t, _ in criteria(service, "SHOP-1")] == ["Then it works", "Given a card", "When I pay twice"]
    service.execute(DeleteCriterion("SHOP-1", 0))
    assert criteria(service, "SHOP-1") == [("Given a card", True), ("When I pay twice", False)]
    assert reopen(backlog_path).item("SHOP-1") == service.backlog.item("SHOP-1")


def test_criteria_commands_refuse_missing_criteria_and_empty_text(service, six):
    service.execute(AddCriterion("SHOP-1", "only one"))
    for command in (EditCriterion("SHOP-1", 1, "x"), ToggleCriterion("SHOP-1", 5), DeleteCriterion("SHOP-1", 1),
                    MoveCriterion("SHOP-1", 3, -1), EditCriterion("SHOP-1", -1, "x")):
        with pytest.raises(CommandError, match=r"^SHOP-1 has no criterion -?\d+$"):
            service.execute(command)
    with pytest.raises(CommandError, match=r"^SHOP-1: acceptance criterion 2 text: "):
        service.execute(AddCriterion("SHOP-1", "   "))
    with pytest.raises(CommandError, match=r"^SHOP-1: acceptance criterion 1 text: "):
        service.execute(EditCriterion("SHOP-1", 0, ""))
    assert criteria(service, "SHOP-1") == [("only one", False)]


def test_moving_a_criterion_past_either_end_is_empty(service, six):
    service.execute(AddCriterion("SHOP-1", "a"))
    service.execute(AddCriterion("SHOP-1", "b"))
    assert not service.execute(MoveCriterion("SHOP-1", 0, -1)).change
    assert not service.execute(MoveCriterion("SHOP-1", 1, +1)).change


# ----- questions and the status they imply -------------------------------------------------------


def status(service, key: str) -> Status:
    return service.backlog.item(key).status


def test_questions_make_the_item_need_info_until_the_last_is_answered(service, six):
    service.execute(AddQuestion("SHOP-1", "Which cards?", ask="Product"))
    assert status(service, "SHOP-1") == Status.NEEDS_INFO
    service.execute(AddQuestion("SHOP-1", "Which countries?"))
    assert service.execute(EditQuestion("SHOP-1", 0, answer="Visa only")).label == "Answer question 1 of SHOP-1"
    assert status(service, "SHOP-1") == Status.NEEDS_INFO  # one still open
    service.execute(EditQuestion("SHOP-1", 1, answer="EU"))
    assert status(service, "SHOP-1") == Status.NEW
    assert [q.answer for q in service.backlog.item("SHOP-1").questions] == ["Visa only", "EU"]
    service.execute(EditQuestion("SHOP-1", 1, answer=""))  # un-answered again
    assert status(service, "SHOP-1") == Status.NEEDS_INFO


def test_deleting_the_last_open_question_returns_the_item_to_new(service, six):
    service.execute(AddQuestion("SHOP-2", "Why?"))
    service.execute(DeleteQuestion("SHOP-2", 0))
    assert status(service, "SHOP-2") == Status.NEW
    assert service.backlog.item("SHOP-2").questions == ()


def test_a_question_sends_a_ready_item_back_to_needs_info(service, six):
    service.execute(EditItem("SHOP-3", {"status": "ready"}))
    service.execute(AddQuestion("SHOP-3", "Is this still wanted?"))
    assert status(service, "SHOP-3") == Status.NEEDS_INFO


@pytest.mark.parametrize("closed", ["planned", "done", "dropped"])
def test_a_question_does_not_reopen_planned_or_closed_items(service, six, closed):
    service.execute(EditItem("SHOP-3", {"status": closed}))
    service.execute(AddQuestion("SHOP-3", "Why?"))
    assert status(service, "SHOP-3") == closed


def test_editing_questions_through_the_form_applies_the_same_rule(service, six):
    service.execute(EditItem("SHOP-4", {"questions": [{"text": "Who?"}]}))
    assert status(service, "SHOP-4") == Status.NEEDS_INFO
    service.execute(EditItem("SHOP-4", {"questions": [{"text": "Who?", "answer": "Ops"}]}))
    assert status(service, "SHOP-4") == Status.NEW


def test_adding_an_item_with_an_open_question_makes_it_need_info(service):
    outcome = service.execute(AddItem("Unclear", fields={"questions": [{"text": "What for?"}]}))
    assert status(service, added_key(outcome)) == Status.NEEDS_INFO


def test_question_commands_refuse_bad_input(service, six):
    with pytest.raises(CommandError, match=r"^SHOP-1 question: text: "):
        service.execute(AddQuestion("SHOP-1", "  "))
    with pytest.raises(CommandError, match=r"^SHOP-1 has no question 1$"):
        service.execute(EditQuestion("SHOP-1", 0, answer="x"))
    service.execute(AddQuestion("SHOP-1", "Why?"))
    with pytest.raises(CommandError, match=r"^SHOP-1 question 1: text: "):
        service.execute(EditQuestion("SHOP-1", 0, text=""))


# ----- EditItem ------------------------------------------------------------------------------------


def test_edit_sets_fields_and_stamps_updated(service, six):
    before = service.backlog.item("SHOP-2")
    outcome = service.execute(EditItem("SHOP-2", {"title": "Two!", "points": "3", "labels": ["a", "a", "b"]}))
    item = service.backlog.item("SHOP-2")
    assert (item.title, item.points, item.labels) == ("Two!", 3, ("a", "b"))
    assert item.updated > before.updated
    assert item.created == before.created
    (doc,) = outcome.change.docs
    assert doc.fields() == ["labels", "points", "title", "updated"]


@pytest.mark.parametrize("field", ["rank", "key", "created", "updated", "colour"])
def test_edit_refuses_fields_that_cannot_be_edited_naming_the_field(service, six, field):
    with pytest.raises(CommandError, match=f"'{field}'"):
        service.execute(EditItem("SHOP-2", {field: "x"}))


def test_edit_refusing_an_unknown_field_names_the_item(service, six):
    with pytest.raises(CommandError, match="SHOP-2"):
        service.execute(EditItem("SHOP-2", {"colour": "red"}))


@pytest.mark.parametrize(
    ("fields", "field_words"),
    [
        ({"points": 7}, "points"),
        ({"title": "x" * 201}, "title"),
        ({"title": ""}, "title"),
        ({"status": "blocked"}, "status"),
        ({"kind": "saga"}, "kind"),
        ({"moscow": "maybe"}, "moscow"),
        ({"parent": "not a key"}, "parent"),
        ({"acceptance_criteria": [{"text": "ok"}, {"text": ""}]}, "acceptance criterion 2 text"),
        pytest.param(
            {"questions": [{"text": "ok"}, {"text": ""}]},
            "question 2 text",
        ),
        ({"scores": {"reach": -1}}, "scores reach"),
    ],
)
def test_edit_refuses_invalid_values_naming_the_item_and_field(service, backlog_path, six, fields, field_words):
    data = backlog_path.read_bytes()
    before = service.backlog.to_tables()
    with pytest.raises(CommandError) as caught:
        service.execute(EditItem("SHOP-2", fields))
    assert str(caught.value).startswith(f"SHOP-2: {field_words}: ")
    assert service.backlog.to_tables() == before
    assert backlog_path.read_bytes() == data
    assert service.undo_label == "Add SHOP-6"


def test_edit_of_an_unknown_item_is_refused(service):
    with pytest.raises(CommandError, match="there is no item SHOP-3"):
        service.execute(EditItem("SHOP-3", {"title": "x"}))


def test_an_item_cannot_be_its_own_parent(service, six):
    with pytest.raises(CommandError):
        service.execute(EditItem("SHOP-2", {"parent": "SHOP-2"}))


def test_children_follow_rank_order(service, six):
    for key in ("SHOP-5", "SHOP-3", "SHOP-4"):
        service.execute(EditItem(key, {"parent": "SHOP-1"}))
    assert [c.key for c in service.backlog.children("SHOP-1")] == ["SHOP-3", "SHOP-4", "SHOP-5"]
    service.execute(MoveItem("SHOP-5", "top"))
    assert [c.key for c in service.backlog.children("SHOP-1")] == ["SHOP-5", "SHOP-3", "SHOP-4"]
    service.execute(EditItem("SHOP-3", {"parent": None}))
    assert [c.key for c in service.backlog.children("SHOP-1")] == ["SHOP-5", "SHOP-4"]


# ----- commands that change nothing ------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        SetPoints("SHOP-2", 3),
        SetPoints("SHOP-2", "3"),
        EditItem("SHOP-2", {"title": "  two \t"}),
        EditItem("SHOP-2", {"labels": ["x", "x"]}),
        EditItem("SHOP-2", {}),
        MoveItem("SHOP-1", "up"),
        MoveItem("SHOP-6", "bottom"),
        MoveCriterion("SHOP-2", 0, -1),
        ToggleCriterion("SHOP-2", 0, done=False),
    ],
    ids=repr,
)
def test_no_op_commands_make_no_change_no_undo_entry_and_no_write(service, backlog_path, six, command):
    service.execute(SetPoints("SHOP-2", 3))
    service.execute(EditItem("SHOP-2", {"labels": ["x"]}))
    service.execute(AddCriterion("SHOP-2", "c"))
    data, stat = backlog_path.read_bytes(), os.stat(backlog_path)
    tables = service.backlog.to_tables()
    undo_label = service.undo_label
    outcome = service.execute(command)
    assert not outcome.change and outcome.change.docs == ()
    assert service.undo_label == undo_label
    assert service.backlog.to_tables() == tables
    assert backlog_path.read_bytes() == data
    after = os.stat(backlog_path)
    assert (after.st_ino, after.st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)


def test_a_no_op_does_not_clear_redo(service, six):
    service.execute(SetPoints("SHOP-1", 5))
    service.undo()
    service.execute(SetPoints("SHOP-1", None))  # already unestimated
    assert service.redo_label == "Estimate SHOP-1: 5"


def test_delete_item(service, backlog_path, six):
    outcome = service.execute(DeleteItem("SHOP-3"))
    assert outcome.label == "Delete SHOP-3"
    assert order(service.backlog) == ["SHOP-1", "SHOP-2", "SHOP-4", "SHOP-5", "SHOP-6"]
    assert "SHOP-3" not in reopen(backlog_path)
    with pytest.raises(CommandError, match="there is no item SHOP-3"):
        service.execute(DeleteItem("SHOP-3"))
