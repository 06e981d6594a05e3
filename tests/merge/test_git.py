"""Two branches groom one backlog in a real git repository; `git merge` runs the Groom driver."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

import pytest

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
from model.split import ChildDraft, SplitItem
from model.store import Store
from model.team_commands import AddSprint, AddTeamMember, EditTeamMember
from tests.merge.gitrepo import BACKLOG, LATER, ROOT, make_repo

pytestmark = pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
                                reason="needs git")


@pytest.fixture
def repo(tmp_path):
    return make_repo(tmp_path / "repo")


def test_two_grooming_sessions_merge_with_every_change_kept(repo):
    repo.git("checkout", "-q", "-b", "feature")
    repo.groom(
        AddItem("Feature: pay by bank transfer", below="SHOP-2"),  # SHOP-19 on this branch
        SplitItem("SHOP-11", (ChildDraft("Slow networks: lazy-load the payment form", points=5),
                              ChildDraft("Slow networks: smaller images", points=3))),  # SHOP-20, SHOP-21
        SetPoints("SHOP-9", 3),
        AddCriterion("SHOP-5", "Given a guest, when paying, then an account is offered afterwards"),
        EditItem("SHOP-3", {"description": "## Why\n\nFeature rewrote the last paragraph.\n"}),
        CycleMoscow("SHOP-17"),
        AddSprint({"name": "Sprint 26", "start": "2026-10-26", "end": "2026-11-06", "committed": 30,
                   "completed": 25}),
        start=LATER,
    )
    repo.commit("Groom on the feature branch")

    repo.git("checkout", "-q", "main")
    repo.groom(
        AddItem("Main: gift cards at checkout", below="SHOP-1"),  # SHOP-19 on main too: a clash
        MoveItem("SHOP-6", "top"),
        SetPoints("SHOP-12", 5),
        DeleteItem("SHOP-14"),
        ToggleCriterion("SHOP-1", 1),
        EditItem("SHOP-1", {"labels": ["payments", "checkout", "q4"]}),
        EditTeamMember(2, {"available_days": 3}),
        AddTeamMember("Eve", 10),
    )
    repo.commit("Groom on main")

    done = repo.merge("feature")
    assert done.returncode == 0, done.stderr
    assert "renumbered SHOP-19 from feature to SHOP-22" in done.stderr
    assert repo.git("status", "--porcelain").stdout == ""  # merged and committed, nothing conflicted
    _, merged = Store.open(repo.file)
    items = merged.items

    # main's changes
    assert items["SHOP-19"].title == "Main: gift cards at checkout"  # created first: keeps the key
    assert merged.order[0] == "SHOP-6"
    assert items["SHOP-12"].points == 5
    assert "SHOP-14" not in items
    assert items["SHOP-1"].acceptance_criteria[1].done is True
    assert items["SHOP-1"].labels == ("payments", "checkout", "q4")
    assert merged.team[2].available_days == 3
    assert [m.name for m in merged.team.values()] == ["Ana", "Ben", "Chen", "Dee", "Eve"]
    # the feature's changes
    renumbered = items["SHOP-22"]
    assert renumbered.title == "Feature: pay by bank transfer"
    assert [(f.key, f.branch) for f in renumbered.former_keys] == [("SHOP-19", "feature")]
    assert items["SHOP-11"].status == "split"
    children = merged.children("SHOP-11")
    assert [c.title for c in children] == ["Slow networks: lazy-load the payment form", "Slow networks: smaller images"]
    assert [c.key for c in children] == ["SHOP-20", "SHOP-21"]
    assert merged.position("SHOP-20") == merged.position("SHOP-11") + 1  # children right below their parent
    assert items["SHOP-9"].points == 3
    assert items["SHOP-5"].acceptance_criteria[-1].text.startswith("Given a guest, when paying")
    assert items["SHOP-3"].description == "## Why\n\nFeature rewrote the last paragraph.\n"
    assert items["SHOP-17"].moscow == "must"
    assert [s.name for s in merged.sprint_history()][-1] == "Sprint 26"
    # the counters: every number either side used stays used
    assert merged.meta.next_number == 23
    assert merged.meta.revision > max(json.loads(repo.show("main~0^1"))["meta"]["1"]["revision"],
                                      json.loads(repo.show("feature"))["meta"]["1"]["revision"])
    assert not merged.conflicted
    assert merged.warnings == []


def test_the_same_field_changed_both_ways_is_a_conflict_in_the_file_and_git_is_content(repo):
    repo.git("checkout", "-q", "-b", "feature")
    repo.groom(SetPoints("SHOP-1", 8), EditItem("SHOP-4", {"title": "Spike: pick an address provider"}),
               start=LATER)
    repo.commit("Feature estimates")
    repo.git("checkout", "-q", "main")
    repo.groom(SetPoints("SHOP-1", 3), EditItem("SHOP-4", {"description": "Two providers shortlisted."}))
    repo.commit("Main estimates")

    done = repo.merge("feature")
    assert done.returncode == 0, done.stderr
    assert "1 conflict recorded in the file: SHOP-1 points" in done.stderr
    _, merged = Store.open(repo.file)
    (conflict,) = merged.items["SHOP-1"].conflicts
    assert (conflict.field, conflict.base, conflict.ours, conflict.theirs) == ("points", 5, 3, 8)
    assert (conflict.ours_label, conflict.theirs_label) == ("main", "feature")
    assert merged.items["SHOP-1"].points == 3  # ours until someone picks
    shop4 = merged.items["SHOP-4"]
    assert (shop4.title, shop4.description) == ("Spike: pick an address provider", "Two providers shortlisted.")
    check = subprocess.run([sys.executable, "-m", "tui.cli", "check", "--strict", str(repo.file)],
                           capture_output=True, text=True, cwd=ROOT)
    assert check.returncode == 1
    assert "SHOP-1 points — ours (main): 3 · theirs (feature): 8" in check.stdout
    assert "unresolved merge conflicts" in check.stderr


def test_a_key_clash_renumbers_the_later_item_and_its_children_follow(repo):
    repo.git("checkout", "-q", "-b", "feature")
    repo.groom(AddItem("Feature epic", kind="epic"),  # SHOP-19
               SplitItem("SHOP-19", (ChildDraft("Feature part one"), ChildDraft("Feature part two"))),
               start=LATER)
    repo.commit("Feature adds an epic and splits it")
    repo.git("checkout", "-q", "main")
    repo.groom(AddItem("Main story"), AddItem("Main bug", kind="bug"))  # SHOP-19, SHOP-20
    repo.commit("Main adds two items")

    done = repo.merge("feature")
    assert done.returncode == 0, done.stderr
    _, merged = Store.open(repo.file)
    titles = {item.key: item.title for item in merged}
    assert titles["SHOP-19"] == "Main story" and titles["SHOP-20"] == "Main bug"
    epic = next(item for item in merged if item.title == "Feature epic")
    assert epic.key == "SHOP-22"  # SHOP-21 (not clashing) keeps its number
    assert [c.title for c in merged.children(epic.key)] == ["Feature part one", "Feature part two"]
    assert {c.key for c in merged.children(epic.key)} == {"SHOP-21", "SHOP-23"}
    assert "renumbered SHOP-19 from feature to SHOP-22 “Feature epic”" in done.stderr
    assert "renumbered SHOP-20 from feature to SHOP-23 “Feature part one”" in done.stderr
    assert merged.meta.next_number == 24

    # The feature branch goes on under its old keys, then merges main in: the later merge
    # follows the earlier renumbering (the former keys say which item is which).
    repo.git("checkout", "-q", "feature")
    repo.groom(SetPoints("SHOP-19", 40), SetPoints("SHOP-20", 3), start=LATER + timedelta(hours=1))
    repo.commit("Feature estimates its epic and a child")
    back = repo.merge("main")
    assert back.returncode == 0, back.stderr
    assert "renumbered" not in back.stderr and "conflict" not in back.stderr
    _, again = Store.open(repo.file)
    assert {item.key: item.title for item in again} == {item.key: item.title for item in merged}
    assert again.items["SHOP-22"].points == 40 and again.items["SHOP-23"].points == 3
    assert again.items["SHOP-19"].points is None  # main's story is not touched by the feature's estimate
    assert again.items["SHOP-23"].parent == "SHOP-22"


def test_the_branch_merging_main_in_gives_main_items_their_keys(repo):
    """Keys on main are published (commit messages, pull requests): a feature branch that
    merges main in is the one whose new item gets the next number."""
    repo.git("checkout", "-q", "-b", "feature")
    repo.groom(AddItem("Feature item"))  # created first, but only on the feature branch
    repo.commit("Feature item")
    repo.git("checkout", "-q", "main")
    repo.groom(AddItem("Main item"), start=LATER)
    repo.commit("Main item")
    repo.git("checkout", "-q", "feature")
    done = repo.merge("main")
    assert done.returncode == 0, done.stderr
    _, merged = Store.open(repo.file)
    assert merged.items["SHOP-19"].title == "Main item"
    assert merged.items["SHOP-20"].title == "Feature item"
    assert merged.items["SHOP-20"].former_keys[0].branch == "feature"


def test_deleted_on_one_branch_and_edited_on_the_other_is_kept_for_the_user_to_decide(repo):
    repo.git("checkout", "-q", "-b", "feature")
    repo.groom(DeleteItem("SHOP-13"), DeleteItem("SHOP-18"), start=LATER)
    repo.commit("Feature deletes")
    repo.git("checkout", "-q", "main")
    repo.groom(SetPoints("SHOP-13", 13), MoveItem("SHOP-18", "top"))  # a move alone is not an edit
    repo.commit("Main edits")
    assert repo.merge("feature").returncode == 0
    _, merged = Store.open(repo.file)
    assert "SHOP-18" not in merged.items
    (conflict,) = merged.items["SHOP-13"].conflicts
    assert (conflict.field, conflict.ours, conflict.theirs) == ("deleted", False, True)


def test_the_driver_refuses_an_invalid_side_and_leaves_ours_untouched(repo):
    repo.git("checkout", "-q", "-b", "feature")
    tables = json.loads(repo.file.read_text())
    tables["items"]["2"]["points"] = 7  # not on the estimation scale
    repo.file.write_text(json.dumps(tables, indent=2))
    repo.commit("A hand edit that breaks the backlog")
    repo.git("checkout", "-q", "main")
    repo.groom(SetPoints("SHOP-1", 3))
    repo.commit("Main estimates")
    ours = repo.file.read_bytes()

    done = repo.merge("feature")
    assert done.returncode != 0
    assert "cannot merge" in done.stderr and "SHOP-2" in done.stderr and "points" in done.stderr
    assert repo.file.read_bytes() == ours  # the driver wrote nothing
    assert repo.git("status", "--porcelain").stdout.startswith(f"UU {BACKLOG}")


def test_without_the_driver_git_sees_a_text_conflict(tmp_path):
    """What the driver is for: the same two sessions conflict as plain text."""
    repo = make_repo(tmp_path / "plain", driver=False)
    repo.git("checkout", "-q", "-b", "feature")
    repo.groom(AddItem("Feature item"), start=LATER)
    repo.commit("Feature")
    repo.git("checkout", "-q", "main")
    repo.groom(AddItem("Main item"))
    repo.commit("Main")
    assert repo.merge("feature").returncode != 0
