"""The split command and its helpers: placement, lineage, criteria, undo/redo."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.errors import CommandError
from model.item import Kind, Status
from model.meta import Settings
from model.split import PATTERNS, ChildDraft, SplitDraft, SplitItem, review, split_reasons
from tests.tui.scenario import make_service


def comparable(service) -> dict:
    """The stored tables, without what legitimately differs after undo (revision, counter, stamps,
    and the history, where the undo itself is recorded)."""
    tables = service.backlog.to_tables()
    tables.pop("history")
    meta = tables["meta"]["1"]
    meta.pop("revision")
    meta.pop("next_number")
    for doc in tables["items"].values():
        doc.pop("updated")
    return tables


@pytest.fixture
def service(tmp_path: Path):
    return make_service(tmp_path / "backlog.json")


def test_children_take_the_parents_place_in_order(service):
    before = list(service.backlog.order)
    children = (ChildDraft("Pay with a saved Visa", points=3, parent_criteria=(0,)),
                ChildDraft("Pay with a saved Mastercard", points=2, parent_criteria=(1,)),
                ChildDraft("Spike: card vault", kind=Kind.SPIKE, new_criteria=("Given …, then a decision",)))
    outcome = service.execute(SplitItem("SHOP-1", children, "Major effort"))
    order = service.backlog.order
    assert order[: before.index("SHOP-1") + 1] == before[: before.index("SHOP-1") + 1]
    assert order[1:4] == ["SHOP-19", "SHOP-20", "SHOP-21"]
    assert [k for k in order if k not in ("SHOP-19", "SHOP-20", "SHOP-21")] == before
    parent = service.backlog.item("SHOP-1")
    assert parent.status == Status.SPLIT and parent.is_closed
    first, second, spike = (service.backlog.item(k) for k in ("SHOP-19", "SHOP-20", "SHOP-21"))
    assert {first.parent, second.parent, spike.parent} == {"SHOP-1"}
    assert first.labels == parent.labels and first.moscow == parent.moscow
    assert [c.text for c in first.acceptance_criteria] == [parent.acceptance_criteria[0].text]
    assert first.acceptance_criteria[0].done is parent.acceptance_criteria[0].done
    assert [c.text for c in second.acceptance_criteria] == [parent.acceptance_criteria[1].text]
    assert spike.kind == Kind.SPIKE and spike.points is None
    assert [c.text for c in spike.acceptance_criteria] == ["Given …, then a decision"]
    assert [c.key for c in service.backlog.children("SHOP-1")] == ["SHOP-19", "SHOP-20", "SHOP-21"]
    assert outcome.label == "Split SHOP-1 into 3 stories"


def test_split_is_one_undo_step_and_redo_reapplies_exactly(service):
    start = comparable(service)
    children = (ChildDraft("Guest pays by card", points=5), ChildDraft("Guest pays by PayPal"))
    service.execute(SplitItem("SHOP-5", children))
    after = comparable(service)
    service.undo()
    assert comparable(service) == start
    service.redo()
    assert comparable(service) == after
    assert service.backlog.item("SHOP-19").title == "Guest pays by card"


def test_the_split_parent_no_longer_counts_against_capacity(service):
    from model.capacity import sprint_plan

    service.execute(SplitItem("SHOP-5", (ChildDraft("A guest pays", points=3), ChildDraft("A guest registers later"))))
    planned = {key for sprint in sprint_plan(service.backlog).sprints for key in sprint.keys}
    assert "SHOP-5" not in planned
    assert "SHOP-19" in planned


@pytest.mark.parametrize(
    ("key", "children", "message"),
    [
        ("SHOP-7", (ChildDraft("x y z"),), "SHOP-7 is split"),
        ("SHOP-15", (ChildDraft("x y z"),), "SHOP-15 is done"),
        ("SHOP-1", (), "at least one child"),
        ("SHOP-1", (ChildDraft("a child", parent_criteria=(5,)),), "criterion 6"),
        ("SHOP-1", (ChildDraft("   "),), "child 1: title: must not be empty"),
        ("SHOP-1", (ChildDraft("ok", points=7),), "7"),
        ("SHOP-99", (ChildDraft("ok"),), "there is no item SHOP-99"),
    ],
)
def test_refused_splits_say_why_and_change_nothing(service, key, children, message):
    before = service.store.path.read_bytes()
    with pytest.raises(CommandError, match=message):
        service.execute(SplitItem(key, children))
    assert service.store.path.read_bytes() == before


def test_review_warns_about_what_is_missing():
    from tests.tui.scenario import build_backlog

    item = build_backlog().item("SHOP-1")
    draft = SplitDraft("SHOP-1", (ChildDraft("Only child", points=20),))
    warnings = review(item, draft, Settings()).warnings
    assert any("only one child" in w for w in warnings)
    assert any("no acceptance criteria" in w for w in warnings)
    assert any("above the split threshold" in w for w in warnings)
    assert sum("assigned to no child" in w for w in warnings) == 2
    good = SplitDraft("SHOP-1", (ChildDraft("a b c", points=3, parent_criteria=(0,)),
                                 ChildDraft("d e f", points=2, parent_criteria=(1,))))
    result = review(item, good, Settings())
    assert result.warnings == ()
    assert (result.points_total, result.parent_points) == (5, 5)


def test_reasons_to_split():
    from tests.tui.scenario import build_backlog

    backlog = build_backlog()
    assert any("above the split threshold" in r for r in split_reasons(backlog.item("SHOP-13"), Settings()))
    assert any("vague" in r for r in split_reasons(backlog.item("SHOP-12"), Settings()))
    assert any("no acceptance criteria" in r for r in split_reasons(backlog.item("SHOP-14"), Settings()))
    assert split_reasons(backlog.item("SHOP-1"), Settings()) == []


def test_patterns_prefill_children():
    from tests.tui.scenario import build_backlog

    item = build_backlog().item("SHOP-1")
    by_name = {p.name: p for p in PATTERNS}
    assert len(PATTERNS) == 9
    crud = SplitDraft("SHOP-1").with_pattern(by_name["Operations (CRUD)"], item)
    assert [c.title.rsplit(": ", 1)[1] for c in crud.children] == ["create", "read", "update", "delete"]
    spike = SplitDraft("SHOP-1").with_pattern(by_name["Break out a spike"], item)
    assert [c.kind for c in spike.children] == [Kind.SPIKE, Kind.STORY]
    assert spike.children[0].title == "Spike: Pay with a saved card"
    assert all(p.hint and p.example for p in PATTERNS)


def test_draft_editing():
    draft = SplitDraft("SHOP-1", (ChildDraft("a"), ChildDraft("b"), ChildDraft("c")))
    assert [c.title for c in draft.move_child(0, 1).children] == ["b", "a", "c"]
    assert draft.move_child(2, 1) == draft
    assert [c.title for c in draft.remove_child(1).children] == ["a", "c"]
    toggled = draft.toggle_criterion(1, 0).toggle_criterion(1, 1)
    assert toggled.children[1].parent_criteria == (0, 1)
    assert toggled.toggle_criterion(1, 0).children[1].parent_criteria == (1,)


child_strategy = st.builds(
    ChildDraft,
    title=st.text(min_size=1, max_size=60).filter(lambda t: t.strip()),
    kind=st.sampled_from(list(Kind)),
    points=st.sampled_from([None, 0, 0.5, 1, 2, 3, 5, 8, 13]),
    parent_criteria=st.lists(st.integers(0, 1), unique=True, max_size=2).map(tuple),
    new_criteria=st.lists(st.text(min_size=1, max_size=40).filter(lambda t: t.strip()), max_size=3).map(tuple),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parent=st.sampled_from(["SHOP-1", "SHOP-2", "SHOP-3", "SHOP-5", "SHOP-18"]),
       children=st.lists(child_strategy, min_size=1, max_size=6))
def test_random_splits_keep_order_totals_and_undo(tmp_path_factory, parent, children):
    service = make_service(tmp_path_factory.mktemp("split") / "backlog.json")
    item = service.backlog.item(parent)
    children = [ChildDraft(c.title, c.kind, c.points,
                           tuple(i for i in c.parent_criteria if i < len(item.acceptance_criteria)),
                           c.new_criteria) for c in children]
    start, before = comparable(service), list(service.backlog.order)
    service.execute(SplitItem(parent, tuple(children)))
    new_keys = [f"SHOP-{19 + i}" for i in range(len(children))]
    position = before.index(parent)
    assert service.backlog.order == before[: position + 1] + new_keys + before[position + 1:]
    made = [service.backlog.item(k) for k in new_keys]
    assert sum(m.points or 0 for m in made) == sum(c.points or 0 for c in children)
    for child, spec in zip(made, children, strict=True):
        assert child.parent == parent
        assert len(child.acceptance_criteria) == len(spec.parent_criteria) + len(spec.new_criteria)
    after = comparable(service)
    service.undo()
    assert comparable(service) == start
    service.redo()
    assert comparable(service) == after
