"""The change log: one entry per item per change, in the same write, with the author; undo and
redo recorded as changes; other processes' entries pulled in with their names; the v1 → v2
migration; bounded growth."""

from __future__ import annotations

import json
import os
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import history as history_module
from model.change import ITEMS, Change, DocChange
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
    EditSettings,
    MoveCriterion,
    MoveItem,
    SetPoints,
    ToggleCriterion,
)
from model.errors import StoreError
from model.history import describe, entries_for, positions_before
from model.rank_by_score import RankByScore
from model.service import BacklogService
from model.split import ChildDraft, SplitItem
from model.store import Store
from model.team_commands import AddSprint, AddTeamMember

from ._helpers import add_items, item_doc, meta_doc, order, reopen, tables_with, write_tables
from .test_undo import command_for, seeded_service


def entries(service: BacklogService, key: str) -> list:
    """The item's entries, oldest first."""
    return list(reversed(service.backlog.history.for_item(key)))


def last(service: BacklogService, key: str):
    return service.backlog.history.for_item(key, limit=1)[0]


# ----- what each command records -----------------------------------------------------------------


def test_an_added_item_is_recorded_as_created_with_its_author_time_and_label(service, clock):
    (key,) = add_items(service, "Pay with a saved card")
    (entry,) = entries(service, key)
    assert entry.doc == {
        "item": "SHOP-1", "at": "2024-05-01T09:00:00Z", "by": "tester", "what": "Add SHOP-1", "op": "created",
        "fields": {"title": [None, "Pay with a saved card"], "kind": [None, "story"]},
    }
    assert entry.changes() == ["created “Pay with a saved card” (story)"]


def test_estimates_and_moscow_record_old_and_new_values(service):
    (key,) = add_items(service, "one")
    service.execute(SetPoints(key, 3))
    service.execute(SetPoints(key, "½"))
    service.execute(CycleMoscow(key))
    points_3, points_half, moscow = entries(service, key)[1:]
    assert (points_3.what, points_3.fields) == ("Estimate SHOP-1: 3", {"points": [None, 3]})
    assert points_3.changes() == ["points ? → 3"]
    assert points_half.changes() == ["points 3 → ½"]
    assert (moscow.fields, moscow.changes()) == ({"moscow": [None, "must"]}, ["MoSCoW none → must"])


def test_criteria_changes_are_said_in_words(service):
    (key,) = add_items(service, "one")
    service.execute(AddCriterion(key, "Given a card"))
    service.execute(AddCriterion(key, "Given no card"))
    service.execute(ToggleCriterion(key, 0))
    service.execute(ToggleCriterion(key, 0))
    service.execute(EditCriterion(key, 1, "Given an expired card"))
    service.execute(MoveCriterion(key, 1, -1))
    service.execute(DeleteCriterion(key, 0))
    said = [entry.changes() for entry in entries(service, key)[1:]]
    assert said == [
        ["criterion added: “Given a card”"],
        ["criterion added: “Given no card”"],
        ["criterion ticked: “Given a card”"],
        ["criterion unticked: “Given a card”"],
        ["criterion 2 edited: “Given no card” → “Given an expired card”"],
        ["criteria reordered"],
        ["criterion removed: “Given an expired card”"],
    ]
    ticked = entries(service, key)[3]
    assert ticked.fields["acceptance_criteria"] == [
        [{"text": "Given a card", "done": False}, {"text": "Given no card", "done": False}],
        [{"text": "Given a card", "done": True}, {"text": "Given no card", "done": False}],
    ]


def test_questions_record_the_status_they_imply(service):
    (key,) = add_items(service, "one")
    service.execute(AddQuestion(key, "May we store the CVC?", ask="Legal"))
    service.execute(EditQuestion(key, 0, answer="No"))
    service.execute(EditQuestion(key, 0, answer=""))
    service.execute(DeleteQuestion(key, 0))
    raised, answered, reopened, deleted = entries(service, key)[1:]
    assert raised.changes() == ["question added: “May we store the CVC?”", "status new → needs info"]
    assert answered.what == "Answer question 1 of SHOP-1"
    assert answered.changes() == ["question answered: “May we store the CVC?” → “No”", "status needs info → new"]
    assert reopened.changes() == ["question reopened: “May we store the CVC?”", "status new → needs info"]
    assert deleted.changes() == ["question removed: “May we store the CVC?”", "status needs info → new"]


def test_an_edit_records_only_what_it_changed(service):
    (key,) = add_items(service, "one")
    service.execute(EditItem(key, {"title": "One", "labels": ["pay"], "kind": "bug", "description": "Why"}))
    entry = last(service, key)
    assert entry.fields == {"description": ["", "Why"], "kind": ["story", "bug"], "labels": [[], ["pay"]],
                            "title": ["one", "One"]}
    assert entry.changes() == ["description added", "kind story → bug", "labels +pay", "title “one” → “One”"]
    assert "updated" not in entry.fields and "rank" not in entry.fields


def test_a_move_records_the_positions_and_neighbours_get_nothing(service):
    keys = add_items(service, "a", "b", "c", "d")
    service.execute(MoveItem("SHOP-4", "up"))
    service.execute(MoveItem("SHOP-4", "top"))
    assert [e.changes() for e in entries(service, "SHOP-4")[1:]] == [["moved from #4 to #3"], ["moved from #3 to #1"]]
    for key in keys[:3]:
        assert [e.op for e in entries(service, key)] == ["created"]


def test_re_ranked_neighbours_are_not_recorded_as_moves(tmp_path, clock):
    service = seeded_service(tmp_path, clock)  # SHOP-3..5 are crowded: an add there re-ranks them
    before = {key: service.backlog.item(key).rank for key in ("SHOP-3", "SHOP-4", "SHOP-5")}
    outcome = service.execute(AddItem("squeezed in", below="SHOP-3"))
    assert any(d.doc_id in (3, 4, 5) and not d.created for d in outcome.change.docs), "the spot was not crowded"
    assert {key: service.backlog.item(key).rank for key in before} != before
    assert service.backlog.history.count("SHOP-3") == 0
    assert service.backlog.history.count("SHOP-4") == 0
    assert service.backlog.history.count("SHOP-5") == 0
    assert last(service, "SHOP-8").op == "created"


def test_only_the_moved_item_moves_when_neighbours_are_re_spread():
    """`entries_for` on a hand-made change: X moves from last to first, its neighbours' ranks are
    rewritten but keep their order among the rest."""
    from model.backlog import Backlog

    backlog = Backlog.from_tables(tables_with([item_doc(1, "A"), item_doc(2, "B"), item_doc(3, "C")]))
    change = Change("Move SHOP-3 to the top", (
        DocChange(ITEMS, 1, {"rank": "A"}, {"rank": "AV"}),
        DocChange(ITEMS, 2, {"rank": "B"}, {"rank": "Ak"}),
        DocChange(ITEMS, 3, {"rank": "C"}, {"rank": "A"}),
    ))
    before = positions_before(backlog, change)
    backlog.apply(change)
    from datetime import UTC, datetime

    made = entries_for(change, backlog, before, what=change.label, at=datetime(2024, 5, 1, tzinfo=UTC), by="ana")
    assert [(e["item"], e["fields"]) for e in made] == [("SHOP-3", {"position": [3, 1]})]


def test_delete_and_split_and_rank_by_score_are_recorded(service):
    add_items(service, "a", "b", "c")
    service.execute(EditItem("SHOP-1", {"scores": {"reach": 10, "impact": 1, "confidence": 100, "effort": 5}}))
    service.execute(EditItem("SHOP-3", {"scores": {"reach": 900, "impact": 3, "confidence": 100, "effort": 1}}))
    service.execute(RankByScore("rice"))
    assert last(service, "SHOP-3").what.startswith("Rank by RICE")
    assert last(service, "SHOP-3").fields == {"position": [3, 1]}
    service.execute(SplitItem("SHOP-2", (ChildDraft("b one", points=3), ChildDraft("b two"))))
    split = last(service, "SHOP-2")
    assert (split.what, split.fields) == ("Split SHOP-2 into 2 stories", {"status": ["new", "split"]})
    child = last(service, "SHOP-4")
    assert child.op == "created" and child.fields["parent"] == [None, "SHOP-2"]
    assert child.changes() == ["created “b one” (story)", "points 3", "split from SHOP-2"]
    service.execute(DeleteItem("SHOP-1"))
    deleted = last(service, "SHOP-1")
    assert deleted.op == "deleted" and deleted.changes() == ["deleted “a”"]
    assert deleted.fields["title"] == ["a", None]


def test_settings_sprints_and_team_are_not_item_history(service):
    add_items(service, "a")
    count = len(service.backlog.history)
    service.execute(EditSettings({"horizon": 2}))
    service.execute(AddSprint({"name": "Sprint 1", "committed": 20, "completed": 18}))
    service.execute(AddTeamMember("Ana", 8))
    assert len(service.backlog.history) == count


def test_user_text_is_kept_as_typed(service):
    (key,) = add_items(service, "[bold]x[/] \x1b[31mred")
    assert last(service, key).changes() == ["created “[bold]x[/] \x1b[31mred” (story)"]


def test_long_text_is_abbreviated_in_the_log(service):
    (key,) = add_items(service, "one")
    service.execute(EditItem(key, {"description": "x" * 5000}))
    old, new = last(service, key).fields["description"]
    assert old == "" and len(new) == history_module.TEXT_KEPT and new.endswith("…")


# ----- undo and redo ------------------------------------------------------------------------------


def test_undo_and_redo_are_recorded_and_never_erase_the_original(service, backlog_path):
    (key,) = add_items(service, "one")
    service.execute(SetPoints(key, 5))
    service.undo()
    service.redo()
    log = [(e.what, e.fields) for e in entries(service, key)[1:]]
    assert log == [
        ("Estimate SHOP-1: 5", {"points": [None, 5]}),
        ("Undo: Estimate SHOP-1: 5", {"points": [5, None]}),
        ("Redo: Estimate SHOP-1: 5", {"points": [None, 5]}),
    ]
    assert reopen(backlog_path).history.to_table() == service.backlog.history.to_table()


def test_undoing_an_add_records_the_deletion_and_redo_the_re_creation(service):
    (key,) = add_items(service, "one")
    service.undo()
    service.redo()
    assert [(e.what, e.op) for e in entries(service, key)] == [
        ("Add SHOP-1", "created"), ("Undo: Add SHOP-1", "deleted"), ("Redo: Add SHOP-1", "created")]


def test_the_undo_stack_and_the_log_tell_the_same_story(tmp_path, make_clock):
    """Property over random command sequences with undos and redos: the latest entry of every
    item says what its recorded fields now hold, and every own change has its entries."""

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(st.tuples(st.sampled_from(["add", "move", "points", "moscow", "title", "criterion", "tick",
                                                "question", "answer", "delete", "undo", "redo"]),
                              st.integers(0, 50), st.integers(0, 50)), min_size=1, max_size=25))
    def run(steps):
        folder = tmp_path / f"run{len(os.listdir(tmp_path))}"
        folder.mkdir()
        service = seeded_service(folder, make_clock())
        for what, a, b in steps:
            try:
                if what == "undo":
                    service.undo()
                elif what == "redo":
                    service.redo()
                else:
                    service.execute(command_for(service.backlog, what, a, b))
            except Exception as exc:  # refused commands are fine: they must leave no entry
                assert "Error" in type(exc).__name__
        history = service.backlog.history
        for item in service.backlog:
            found = history.for_item(item.key)
            if not found:
                continue
            doc = item.to_doc()
            for field in ("points", "moscow", "title", "status", "labels"):
                latest = next((e for e in found if field in e.fields), None)
                if latest is not None:
                    assert latest.fields[field][1] == doc[field], (item.key, field, latest.doc)
        for key in {e["item"] for e in history.docs.values()} - set(service.backlog.items):
            assert history.for_item(key, limit=1)[0].op == "deleted"
        assert reopen(service.store.path).history.to_table() == history.to_table()

    run()


# ----- other processes ----------------------------------------------------------------------------


def test_changes_pulled_from_another_groom_keep_their_author(service, backlog_path, clock):
    add_items(service, "one")
    ben = BacklogService.open(backlog_path, clock=clock, user="ben")
    ben.execute(SetPoints("SHOP-1", 8))
    assert service.refresh() is not None
    entry = last(service, "SHOP-1")
    assert (entry.by, entry.what, entry.fields) == ("ben", "Estimate SHOP-1: 8", {"points": [None, 8]})
    service.execute(CycleMoscow("SHOP-1"))  # our next entry does not clash with ben's
    assert [e.by for e in entries(service, "SHOP-1")] == ["tester", "ben", "tester"]
    assert len({e.doc_id for e in entries(service, "SHOP-1")}) == 3
    ben.refresh()
    assert ben.backlog.history.to_table() == service.backlog.history.to_table()


def test_a_history_entry_is_written_in_the_same_write_as_its_change(service, backlog_path):
    (key,) = add_items(service, "one")
    service.execute(SetPoints(key, 3))
    on_disk = json.loads(backlog_path.read_text())
    assert on_disk["items"]["1"]["points"] == 3
    assert [doc["what"] for doc in on_disk["history"].values()] == ["Add SHOP-1", "Estimate SHOP-1: 3"]


def test_a_failed_write_leaves_no_history_behind(service, backlog_path, monkeypatch):
    (key,) = add_items(service, "one")
    table = service.backlog.history.to_table()

    def refuse(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", refuse)
    with pytest.raises(StoreError):
        service.execute(SetPoints(key, 5))
    monkeypatch.undo()
    assert service.backlog.history.to_table() == table
    service.execute(SetPoints(key, 8))
    assert [e.what for e in entries(service, key)] == ["Add SHOP-1", "Estimate SHOP-1: 8"]
    assert reopen(backlog_path).history.to_table() == service.backlog.history.to_table()


# ----- bounded growth and bad entries -------------------------------------------------------------


def test_the_oldest_entries_of_an_item_go_beyond_the_cap(service, backlog_path, monkeypatch):
    monkeypatch.setattr(history_module, "PER_ITEM_LIMIT", 3)
    add_items(service, "one", "two")
    for points in (1, 2, 3, 5):
        service.execute(SetPoints("SHOP-1", points))
    assert [e.what for e in entries(service, "SHOP-1")] == [
        "Estimate SHOP-1: 2", "Estimate SHOP-1: 3", "Estimate SHOP-1: 5"]
    assert [e.what for e in entries(service, "SHOP-2")] == ["Add SHOP-2"]
    on_disk = reopen(backlog_path).history
    assert on_disk.to_table() == service.backlog.history.to_table()
    assert len(on_disk) == 4


@pytest.mark.parametrize(("doc", "problem"), [
    ({"item": "SHOP-1", "at": "yesterday", "by": "a", "what": "x", "fields": {}}, "has no time like"),
    ({"item": "SHOP-1", "at": "2024-05-01T09:00:00Z", "by": "a", "what": "x", "fields": {"points": 3}},
     "needs fields as"),
    ({"at": "2024-05-01T09:00:00Z", "by": "a", "what": "x", "fields": {}}, "has no item key"),
    ("not an object", "is not a JSON object"),
])
def test_a_bad_history_entry_is_refused_naming_it_and_the_file_is_untouched(tmp_path, doc, problem):
    path = tmp_path / "shop.json"
    tables = tables_with([item_doc(1, "V")])
    tables["history"] = {"7": doc}
    data = write_tables(path, tables)
    with pytest.raises(StoreError, match=f"history document 7 {problem}"):
        Store.open(path)
    assert path.read_bytes() == data


# ----- the v1 → v2 migration ------------------------------------------------------------------------


def test_a_version_1_file_is_upgraded_with_a_byte_identical_backup(tmp_path):
    path = tmp_path / "shop.json"
    tables = {"meta": {"1": meta_doc(next_number=3, schema_version=1)},
              "items": {"1": item_doc(1, "V"), "2": item_doc(2, "k", points=3)}, "sprints": {}, "team": {}}
    original = write_tables(path, tables)
    service = BacklogService.open(path, user="ana")
    backup = tmp_path / "shop.json.v1.bak"
    assert backup.read_bytes() == original
    upgraded = json.loads(path.read_text())
    assert upgraded["meta"]["1"]["schema_version"] == 2
    assert upgraded["history"] == {} and upgraded["sessions"] == {}
    assert upgraded["items"] == {"1": item_doc(1, "V"), "2": item_doc(2, "k", points=3)}
    service.execute(SetPoints("SHOP-1", 5))
    assert [e.by for e in service.backlog.history.for_item("SHOP-1")] == ["ana"]
    # Opened again, nothing is migrated twice and the backup stays the original.
    again = BacklogService.open(path)
    assert again.backlog.history.count("SHOP-1") == 1
    assert backup.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["shop.json",
                                                                                        "shop.json.v1.bak"]


def test_describe_reads_stored_entries(service):
    assert describe("edited", {"position": [4, 2]}) == ["moved from #4 to #2"]
    assert describe("edited", {"parent": [None, "SHOP-7"]}) == ["split from SHOP-7"]
    assert describe("edited", {"scores": [{}, {"reach": 100}]}) == ["scores reach none → 100"]
    assert describe("deleted", {}) == ["deleted"]


def test_entries_of_a_running_session_window(service, clock):
    add_items(service, "a", "b")
    start = clock.now
    service.execute(SetPoints("SHOP-1", 3))
    clock.now += timedelta(hours=1)
    service.execute(SetPoints("SHOP-2", 5))
    from model.item import format_timestamp

    window = service.backlog.history.between(format_timestamp(start), format_timestamp(start + timedelta(minutes=5)))
    assert [e.what for e in window] == ["Estimate SHOP-1: 3"]
    assert order(service.backlog) == ["SHOP-1", "SHOP-2"]
