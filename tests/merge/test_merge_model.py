"""merge_backlogs: the rules of the three-way merge, one at a time, without git."""

from __future__ import annotations

import copy
import io
from datetime import timedelta

import orjson
import pytest

from model.backlog import Backlog, InvalidBacklog
from model.commands import AddItem, AddQuestion, DeleteItem, EditItem, EditQuestion, EditSettings, MoveItem, SetPoints
from model.filter import parse_filter
from model.health import health
from model.merge import MergeError
from model.merge_driver import run
from model.merge_report import MergeReport
from model.merge_tables import merge_records, rekeyed
from model.resolve import ResolveConflict
from model.service import BacklogService
from model.storage import dumps
from model.store import Store
from model.team_commands import AddSprint, EditSprint
from tests.merge._tables import BRANCHES, base_tables, edited, merged
from tests.tui import scenario

LATER = scenario.START + timedelta(hours=1)


def without_revision(tables: dict) -> dict:
    tables = copy.deepcopy(tables)
    del tables["meta"]["1"]["revision"]
    return tables


def test_changes_on_one_side_only_give_that_side():
    base = base_tables()
    theirs = edited(base, SetPoints("SHOP-12", 3), AddItem("New", below="SHOP-3"), DeleteItem("SHOP-14"),
                    MoveItem("SHOP-6", "top"))
    result = merged(base, base, theirs)
    assert without_revision(result.tables) == without_revision(theirs)
    assert result.tables["meta"]["1"]["revision"] == theirs["meta"]["1"]["revision"] + 1
    assert without_revision(merged(base, theirs, base).tables) == without_revision(theirs)


def test_merging_is_deterministic_and_the_inputs_are_not_changed():
    base = base_tables()
    ours = edited(base, AddItem("Ours"), SetPoints("SHOP-1", 8))
    theirs = edited(base, AddItem("Theirs"), SetPoints("SHOP-1", 3), at=LATER)
    frozen = orjson.dumps([base, ours, theirs])
    first = dumps(merged(base, ours, theirs).tables)
    assert dumps(merged(base, ours, theirs).tables) == first
    assert orjson.dumps([base, ours, theirs]) == frozen


def test_a_conflict_keeps_ours_in_place_and_records_both_values():
    base = base_tables()
    result = merged(base, edited(base, EditItem("SHOP-2", {"title": "Ours"})),
                    edited(base, EditItem("SHOP-2", {"title": "Theirs"}), at=LATER))
    item = result.backlog.items["SHOP-2"]
    assert item.title == "Ours"
    (conflict,) = item.conflicts
    assert conflict.model_dump() == {"field": "title", "base": base["items"]["2"]["title"], "ours": "Ours",
                                     "theirs": "Theirs", "ours_label": "main", "theirs_label": "feature"}
    assert result.report.conflicts == [("SHOP-2", "title")]
    assert item.updated == LATER  # the later of the two edits


def test_a_deleted_item_stays_deleted_when_the_other_side_only_re_ranked_it():
    base = base_tables()
    ours = edited(base, DeleteItem("SHOP-5"))
    theirs = edited(base, MoveItem("SHOP-5", "bottom"))
    result = merged(base, ours, theirs)
    assert "SHOP-5" not in result.backlog.items
    assert result.report.deleted == ["SHOP-5"]


def test_questions_from_one_side_and_status_from_the_other_follow_the_apps_rule():
    base = base_tables()
    # ours answers SHOP-13's only question (back to new); theirs raises another one.
    ours = edited(base, EditQuestion("SHOP-13", 0, answer="Yes, up to the full amount"))
    theirs = edited(base, AddQuestion("SHOP-13", "Which currencies?", "Finance"), at=LATER)
    item = merged(base, ours, theirs).backlog.items["SHOP-13"]
    assert [q.text for q in item.open_questions] == ["Which currencies?"]
    assert item.status == "needs_info"  # an open question: not "new" as ours alone would say


def test_items_added_at_the_same_place_get_a_strict_order():
    base = base_tables()
    ours = edited(base, AddItem("Ours", below="SHOP-3"))
    theirs = edited(base, AddItem("Theirs", below="SHOP-3"), at=LATER)
    assert ours["items"]["19"]["rank"] == theirs["items"]["19"]["rank"]
    backlog = merged(base, ours, theirs).backlog
    ranks = [item.rank for item in backlog]
    assert ranks == sorted(set(ranks))
    position = backlog.position("SHOP-3")
    assert backlog.order[position + 1:position + 3] == ["SHOP-19", "SHOP-20"]


def test_moved_on_both_sides_keeps_ours_place_and_says_so():
    base = base_tables()
    result = merged(base, edited(base, MoveItem("SHOP-9", "top")), edited(base, MoveItem("SHOP-9", "bottom")))
    assert result.backlog.order[0] == "SHOP-9"
    assert any("SHOP-9 was moved on both branches" in note for note in result.report.notes)


def test_parents_changed_into_a_loop_become_a_conflict():
    base = base_tables()
    ours = edited(base, EditItem("SHOP-17", {"parent": "SHOP-18"}))
    theirs = edited(base, EditItem("SHOP-18", {"parent": "SHOP-17"}))
    backlog = merged(base, ours, theirs).backlog
    assert backlog.items["SHOP-17"].parent == "SHOP-18"
    assert backlog.items["SHOP-18"].parent is None
    (conflict,) = backlog.items["SHOP-18"].conflicts
    assert (conflict.field, conflict.ours, conflict.theirs) == ("parent", None, "SHOP-17")


def test_sprints_and_team_merge_record_by_record_and_a_clash_keeps_ours():
    base = base_tables()
    ours = edited(base, EditSprint(6, {"completed": 20}),
                  AddSprint({"name": "Sprint 26", "committed": 30, "completed": 25}))
    theirs = edited(base, EditSprint(6, {"completed": 21, "available_days": 40}),
                    AddSprint({"name": "Sprint 27", "committed": 28, "completed": 20}))
    result = merged(base, ours, theirs)
    sprints = result.backlog.sprints
    assert (sprints[6].completed, sprints[6].available_days) == (20, 40)
    assert [sprints[7].name, sprints[8].name] == ["Sprint 26", "Sprint 27"]
    assert any("sprints record 6 completed" in note for note in result.report.notes)


def test_settings_merge_setting_by_setting():
    base = base_tables()
    ours = edited(base, EditSettings({"split_threshold": 8}))
    theirs = edited(base, EditSettings({"score_model": "wsjf"}))
    settings = merged(base, ours, theirs).backlog.meta.settings
    assert (settings.split_threshold, settings.score_model) == (8, "wsjf")


def test_other_tables_are_unioned_and_clashing_new_records_are_renumbered_in_time_order():
    """Tables this merge does not know (history, sessions…): every record of both sides is kept."""
    base = {"1": {"at": "2026-11-01T10:00:00Z", "what": "base"}}
    ours = {**base, "2": {"at": "2026-11-02T12:00:00Z", "what": "ours"}}
    theirs = {**base, "2": {"at": "2026-11-02T11:00:00Z", "what": "theirs", "key": "SHOP-19"},
              "3": {"started": "2026-11-03T08:00:00Z", "what": "theirs later"}}
    report = MergeReport()
    table = merge_records("history", base, ours, rekeyed(theirs, {"SHOP-19": "SHOP-20"}), None, BRANCHES, report,
                          renumber_by_time=True)
    assert [(doc_id, doc["what"]) for doc_id, doc in table.items()] == [
        ("1", "base"), ("2", "theirs"), ("3", "ours"), ("4", "theirs later")]
    assert table["2"]["key"] == "SHOP-20"  # references follow a renumbered item
    same = merge_records("history", base, ours, ours, None, BRANCHES, MergeReport(), renumber_by_time=True)
    assert same == ours  # the same record added on both sides is kept once


def test_without_a_common_ancestor_both_files_are_unioned():
    base = base_tables()
    ours = edited(base, AddItem("Ours"))
    theirs = edited(base, AddItem("Theirs"), at=LATER)
    backlog = merged(None, ours, theirs).backlog
    assert len(backlog) == 20
    assert backlog.items["SHOP-20"].former_keys[0].key == "SHOP-19"
    assert not backlog.conflicted


def test_different_prefixes_or_a_newer_format_cannot_be_merged():
    base = base_tables()
    other = copy.deepcopy(base)
    other["meta"]["1"]["prefix"] = "OTHER"
    other["items"] = {}
    with pytest.raises(MergeError, match="key prefixes differ"):
        merged(base, base, other)
    newer = copy.deepcopy(base)
    newer["meta"]["1"]["schema_version"] = 99
    with pytest.raises(MergeError, match="newer Groom"):
        merged(base, base, newer)


def test_an_earlier_conflict_resolved_on_one_side_stays_resolved():
    base = base_tables()
    first = merged(base, edited(base, SetPoints("SHOP-1", 8)), edited(base, SetPoints("SHOP-1", 3))).tables
    resolved = edited(first, ResolveConflict("SHOP-1", "points", "theirs"))
    untouched_elsewhere = edited(first, SetPoints("SHOP-2", 8))
    backlog = merged(first, resolved, untouched_elsewhere).backlog
    assert not backlog.items["SHOP-1"].conflicts
    assert backlog.items["SHOP-1"].points == 3
    assert backlog.items["SHOP-2"].points == 8


# ----- resolving, finding and reporting conflicts -----------------------------------------


@pytest.fixture
def conflicted(tmp_path) -> BacklogService:
    base = base_tables()
    ours = edited(base, SetPoints("SHOP-1", 8), EditItem("SHOP-1", {"title": "Ours"}), DeleteItem("SHOP-4"),
                  AddItem("Ours new"))
    theirs = edited(base, SetPoints("SHOP-1", 3), EditItem("SHOP-1", {"title": "Theirs"}), SetPoints("SHOP-4", 1),
                    AddItem("Theirs new"), at=LATER)
    path = tmp_path / "merged.json"
    Store.create(path, Backlog.from_tables(merged(base, ours, theirs).tables))
    return BacklogService.open(path, clock=scenario.frozen_clock(LATER + timedelta(hours=1)))


def test_picking_a_side_sets_the_value_and_clears_that_conflict_undoably(conflicted):
    conflicted.execute(ResolveConflict("SHOP-1", "points", "theirs"))
    item = conflicted.backlog.items["SHOP-1"]
    assert item.points == 3 and [c.field for c in item.conflicts] == ["title"]
    conflicted.execute(ResolveConflict("SHOP-1", "title", "base"))
    assert conflicted.backlog.items["SHOP-1"].title == "Pay with a saved card"
    assert "SHOP-1" not in conflicted.backlog.conflicted
    on_disk = orjson.loads(conflicted.store.path.read_bytes())["items"]["1"]
    assert "conflicts" not in on_disk  # stored as if there had never been a conflict
    conflicted.undo()
    conflicted.undo()
    item = conflicted.backlog.items["SHOP-1"]
    assert (item.points, item.title) == (8, "Ours") and len(item.conflicts) == 2


def test_picking_the_deleting_side_deletes_the_item(conflicted):
    assert conflicted.backlog.items["SHOP-4"].conflict("deleted") is not None
    conflicted.execute(ResolveConflict("SHOP-4", "deleted", "ours"))
    assert "SHOP-4" not in conflicted.backlog.items
    conflicted.undo()
    assert conflicted.backlog.items["SHOP-4"].points == 1


def test_picking_a_conflict_that_is_not_there_is_refused(conflicted):
    from model.errors import CommandError

    with pytest.raises(CommandError, match="SHOP-2 has no merge conflict on points"):
        conflicted.execute(ResolveConflict("SHOP-2", "points", "ours"))


def test_filters_and_health_find_conflicts_and_former_keys(conflicted):
    backlog = conflicted.backlog
    assert parse_filter("has:conflicts").apply(backlog) == [k for k in backlog.order if k in ("SHOP-1", "SHOP-4")]
    assert set(parse_filter("key:SHOP-19").apply(backlog)) == {"SHOP-19", "SHOP-20"}  # SHOP-20 was SHOP-19
    finding = next(f for f in health(backlog).findings if f.label == "Unresolved merge conflicts")
    assert set(finding.keys) == {"SHOP-1", "SHOP-4"} and finding.filter == "has:conflicts"


# ----- the driver's files and exit codes -------------------------------------------------


def test_the_driver_writes_ours_and_reports(tmp_path):
    base = base_tables()
    files = {name: tmp_path / name for name in ("base", "ours", "theirs")}
    files["base"].write_bytes(dumps(base))
    files["ours"].write_bytes(dumps(edited(base, AddItem("Ours"))))
    files["theirs"].write_bytes(dumps(edited(base, AddItem("Theirs"), at=LATER)))
    err = io.StringIO()
    code = run(files["base"], files["ours"], files["theirs"], path="backlog.json", theirs_label="%Y",
               err=err, env={"GITHEAD_" + "a" * 40: "topic"})
    assert code == 0
    assert "renumbered SHOP-19 from topic to SHOP-20 “Theirs”" in err.getvalue()
    assert len(Store.open(files["ours"])[1]) == 20


@pytest.mark.parametrize("broken", [b"{not json", b"", b'{"meta": {}}', b"[]"])
def test_the_driver_refuses_a_broken_side_and_writes_nothing(tmp_path, broken):
    base = base_tables()
    files = {name: tmp_path / name for name in ("base", "ours", "theirs")}
    files["base"].write_bytes(dumps(base))
    files["ours"].write_bytes(dumps(base))
    files["theirs"].write_bytes(broken)
    before = files["ours"].read_bytes()
    err = io.StringIO()
    assert run(files["base"], files["ours"], files["theirs"], err=err, env={}) == 1
    assert files["ours"].read_bytes() == before
    assert "cannot merge" in err.getvalue() and "Traceback" not in err.getvalue()


# ----- the item's merge records in the file ------------------------------------------------


def test_merge_records_are_left_out_of_the_file_when_empty_and_checked_when_present():
    tables = base_tables()
    assert "conflicts" not in tables["items"]["1"] and "former_keys" not in tables["items"]["1"]
    tables["items"]["1"]["conflicts"] = [{"field": "rank", "ours": "A", "theirs": "B"}]
    with pytest.raises(InvalidBacklog, match=r"SHOP-1.*conflicts.*'rank' is not a field a merge conflict can be on"):
        Backlog.from_tables(tables)
    tables["items"]["1"]["conflicts"] = [{"field": "points", "ours": 1, "theirs": 2}] * 2
    with pytest.raises(InvalidBacklog, match="only one merge conflict"):
        Backlog.from_tables(tables)
    tables["items"]["1"]["conflicts"] = []
    tables["items"]["1"]["former_keys"] = [{"key": "shop 4", "branch": "x"}]
    with pytest.raises(InvalidBacklog, match="SHOP-1"):
        Backlog.from_tables(tables)


def test_a_sprint_whose_merged_fields_do_not_fit_together_keeps_ours():
    base = base_tables()  # sprint 1 runs 2026-08-03 to 2026-08-14
    ours = edited(base, EditSprint(1, {"start": "2026-08-10"}))
    theirs = edited(base, EditSprint(1, {"end": "2026-08-05"}))
    result = merged(base, ours, theirs)
    sprint = result.backlog.sprints[1]
    assert (str(sprint.start), str(sprint.end)) == ("2026-08-10", "2026-08-14")
    assert any("sprints record 1: the branches' changes do not combine" in n for n in result.report.notes)
