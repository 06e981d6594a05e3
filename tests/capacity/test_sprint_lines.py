"""Where the sprint cut lines fall: hand-computed examples, the flags for unestimated and
oversized items, the horizon, the chosen basis, and properties over random backlogs."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from model.capacity import plan_sprints, sprint_plan
from model.item import POINT_SCALE
from tests.capacity.build import backlog


def slices(plan) -> list[tuple[tuple[str, ...], float, tuple[str, ...], tuple[str, ...]]]:
    return [(s.keys, s.points, s.unestimated, s.oversized) for s in plan.sprints]


def test_a_sprint_ends_before_the_item_that_would_overflow_it():
    # Capacity 10: 3 + 5 + 2 = 10 exactly fits; 8 starts sprint 2; 8 + 1 = 9.
    plan = plan_sprints(backlog([3, 5, 2, 8, 1]), 10, horizon=3)
    assert slices(plan) == [
        (("K-1", "K-2", "K-3"), 10, (), ()),
        (("K-4", "K-5"), 9, (), ()),
    ]


def test_strict_rank_order_no_skipping_ahead():
    # Capacity 10: 8, then 5 does not fit (13), and the 2 after it waits its turn.
    plan = plan_sprints(backlog([8, 5, 2]), 10, horizon=3)
    assert [s.keys for s in plan.sprints] == [("K-1",), ("K-2", "K-3")]


def test_an_item_bigger_than_a_sprint_gets_one_to_itself_and_is_flagged():
    plan = plan_sprints(backlog([3, 13, 2]), 10, horizon=5)
    assert slices(plan) == [
        (("K-1",), 3, (), ()),
        (("K-2",), 13, (), ("K-2",)),
        (("K-3",), 2, (), ()),
    ]


def test_unestimated_items_inside_a_sprint_count_as_zero_and_are_flagged():
    plan = plan_sprints(backlog([5, None, 5, 3]), 10, horizon=3)
    assert slices(plan) == [
        (("K-1", "K-2", "K-3"), 10, ("K-2",), ()),
        (("K-4",), 3, (), ()),
    ]


def test_closed_items_take_no_capacity():
    plan = plan_sprints(backlog([5, 8, 5], closed=[2]), 10, horizon=3)
    assert [s.keys for s in plan.sprints] == [("K-1", "K-3")]


def test_half_points_add_up_without_float_noise():
    plan = plan_sprints(backlog([0.5] * 7 + [1]), 4.5, horizon=3)  # 7 × ½ + 1 = 4.5 exactly
    assert [len(s.keys) for s in plan.sprints] == [8]


def test_the_horizon_limits_the_sprints_and_the_work():
    plan = plan_sprints(backlog([5] * 100), 10, horizon=3)
    assert [s.keys for s in plan.sprints] == [("K-1", "K-2"), ("K-3", "K-4"), ("K-5", "K-6")]
    oversized = plan_sprints(backlog([20, 20, 20, 20]), 10, horizon=2)
    assert [s.oversized for s in oversized.sprints] == [("K-1",), ("K-2",)]


def test_no_capacity_no_lines():
    assert plan_sprints(backlog([3, 5]), None, 3).sprints == ()
    assert plan_sprints(backlog([3, 5]), 0, 3).sprints == ()


def test_all_unestimated_fall_in_the_first_sprint_all_flagged():
    plan = plan_sprints(backlog([None] * 4), 10, horizon=3)
    assert slices(plan) == [(("K-1", "K-2", "K-3", "K-4"), 0, ("K-1", "K-2", "K-3", "K-4"), ())]


def test_all_closed_gives_no_sprints():
    assert plan_sprints(backlog([3, 5], closed=[1, 2]), 10, horizon=3).sprints == ()


def test_sprint_plan_follows_the_chosen_basis_and_horizon():
    items = [5, 5, 5, 5, 5, 5, 5, 5]
    by_velocity = sprint_plan(backlog(items, sprints=[10, 10, 10], team=[10, 10], horizon=2))
    assert (by_velocity.basis, by_velocity.capacity) == ("velocity", 10)
    assert [s.keys for s in by_velocity.sprints] == [("K-1", "K-2"), ("K-3", "K-4")]
    # 0.7 × 20 person-days = 14: two 5s per sprint still, three lines with horizon 3.
    by_focus = sprint_plan(backlog(items, sprints=[10, 10, 10], team=[10, 10], capacity_basis="focus", horizon=3))
    assert (by_focus.basis, by_focus.capacity) == ("focus", 14)
    assert len(by_focus.sprints) == 3
    # 0.7 × 30 = 21: four 5s per sprint.
    wider = sprint_plan(backlog(items, sprints=[10], team=[10, 10, 10], capacity_basis="focus"))
    assert [len(s.keys) for s in wider.sprints] == [4, 4]


def test_sprint_plan_without_capacity_says_why():
    plan = sprint_plan(backlog([3, 5], team=[10]))
    assert plan.sprints == () and plan.capacity is None
    assert plan.note.startswith("No sprint history yet")
    zero = sprint_plan(backlog([3, 5], sprints=[10], team=[0], capacity_basis="focus"))
    assert zero.capacity == 0 and zero.note.startswith("The team has 0 available person-days")


# ----- properties ------------------------------------------------------------------------------

estimates = st.sampled_from([*POINT_SCALE, None])


@settings(max_examples=300, deadline=None)
@given(points=st.lists(estimates, max_size=40), closed=st.sets(st.integers(1, 40)),
       capacity=st.sampled_from([0.5, 1, 3, 8, 10, 13.5, 20, 40]), horizon=st.integers(1, 6))
def test_sprints_are_consecutive_runs_of_open_items_that_fit(points, closed, capacity, horizon):
    log = backlog(points, closed=[n for n in closed if n <= len(points)])
    plan = plan_sprints(log, capacity, horizon)
    open_keys = [item.key for item in log if not item.is_closed]
    planned = [key for s in plan.sprints for key in s.keys]
    assert planned == open_keys[:len(planned)]  # a prefix, in rank order, nothing skipped
    assert len(plan.sprints) <= horizon
    assert [s.number for s in plan.sprints] == list(range(1, len(plan.sprints) + 1))
    for index, s in enumerate(plan.sprints):
        items = [log.items[k] for k in s.keys]
        assert s.keys, "no empty sprint"
        assert s.points == sum(i.points or 0 for i in items)
        assert s.unestimated == tuple(i.key for i in items if i.points is None)
        assert s.oversized == tuple(i.key for i in items if (i.points or 0) > capacity)
        if s.oversized:
            assert s.keys == s.oversized, "an oversized item has its sprint to itself"
        else:
            assert s.points <= capacity + 1e-9
        following = plan.sprints[index + 1] if index + 1 < len(plan.sprints) else None
        if following is not None and not s.oversized:
            first_next = log.items[following.keys[0]].points or 0
            assert s.points + first_next > capacity, "a sprint is closed only when the next item overflows it"
    if len(plan.sprints) < horizon:
        assert planned == open_keys, "fewer sprints than the horizon only when every open item is planned"
