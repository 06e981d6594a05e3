"""Capacity by velocity and by focus factor × person-days, worked out by hand; the report's
warnings; and the edge cases that must give a sentence, never a crash or a division by zero."""

from __future__ import annotations

from datetime import date

import pytest

from model.capacity import average_velocity, capacity_report, focus_capacity, velocity_capacity
from tests.capacity.build import backlog, sprint

HISTORY = [26, 24, 29, 20, 22, 18]  # completed points, oldest first


# ----- velocity ---------------------------------------------------------------------------


def test_velocity_is_the_average_completed_of_the_last_window_sprints():
    result = velocity_capacity(backlog(sprints=HISTORY))  # window 3: (20 + 22 + 18) / 3
    assert result.capacity == 20
    assert result.problem == ""
    assert [s.completed for s in result.sprints] == [20, 22, 18]
    assert result.lines() == ["average completed of the last 3 sprints: (20 + 22 + 18) / 3 = 20 pts"]


def test_velocity_window_setting_and_rounding_half_up():
    # (29 + 20 + 22 + 18) / 4 = 22.25 -> 22.3 (to one decimal, halves up)
    result = velocity_capacity(backlog(sprints=HISTORY, velocity_window=4))
    assert result.capacity == 22.3
    assert result.lines()[0].endswith("(29 + 20 + 22 + 18) / 4 = 22.3 pts")
    # (24 + 29 + 20 + 22 + 18) / 5 = 22.6
    assert velocity_capacity(backlog(sprints=HISTORY, velocity_window=5)).capacity == 22.6


def test_velocity_uses_the_history_in_date_order_not_in_the_order_added():
    specs = [sprint(10, name="Late", start=date(2026, 3, 2), end=date(2026, 3, 13)),
             sprint(40, name="Early", start=date(2026, 1, 5), end=date(2026, 1, 16)),
             sprint(20, name="Middle", start=date(2026, 2, 2), end=date(2026, 2, 13))]
    result = velocity_capacity(backlog(sprints=specs, velocity_window=2))  # Middle, Late
    assert [s.name for s in result.sprints] == ["Middle", "Late"]
    assert result.capacity == 15


def test_velocity_with_one_sprint_says_it_is_a_rough_guess():
    result = velocity_capacity(backlog(sprints=[17]))
    assert result.capacity == 17
    assert result.lines() == ["average completed of the last 1 sprint: (17) / 1 = 17 pts",
                              "only 1 sprint of history (the window is 3): a rough guess"]


def test_velocity_without_history_says_so():
    result = velocity_capacity(backlog())
    assert result.capacity is None
    assert "No sprint history yet" in result.problem
    assert result.lines() == [result.problem]
    assert average_velocity(backlog()) is None


def test_velocity_of_zero_completed_points_says_nothing_fits():
    result = velocity_capacity(backlog(sprints=[0, 0]))
    assert result.capacity == 0
    assert result.problem.startswith("The last 2 sprints completed 0 pts: velocity is zero")


def test_velocity_in_ideal_days_says_days():
    result = velocity_capacity(backlog(sprints=[6, 8], estimate_unit="days"))
    assert result.capacity == 7
    assert result.lines("days")[0].endswith("= 7 days")


def test_average_velocity_is_the_velocity_capacity():
    assert average_velocity(backlog(sprints=HISTORY)) == 20
    assert average_velocity(backlog(sprints=HISTORY), window=2) == 20  # (22 + 18) / 2


# ----- focus factor × person-days -----------------------------------------------------------


def test_focus_with_the_setting_when_no_sprint_records_person_days():
    result = focus_capacity(backlog(sprints=HISTORY, team=[10, 8, 10, 5]))  # 0.7 × 33 = 23.1
    assert (result.capacity, result.factor, result.learned, result.person_days) == (23.1, 0.7, False, 33)
    assert result.lines() == [
        "0.7 pts per person-day, the focus factor setting (no recent sprint records its person-days)",
        "× 33 person-days next sprint (4 members) = 23.1 pts",
    ]


def test_focus_factor_learned_from_recent_sprints_with_person_days():
    # Window 3: sprints 2–4. Sprint 3 has no person-days; 2 and 4 give (21 + 24) / (36 + 40) = 0.592…
    history = [sprint(50, 10), sprint(21, 36), sprint(30), sprint(24, 40)]
    result = focus_capacity(backlog(sprints=history, team=[10, 8, 10, 5]))
    assert result.learned
    assert result.factor == pytest.approx(45 / 76)
    assert result.capacity == 19.5  # 0.5921 × 33 = 19.54
    assert [s.completed for s in result.learned_from] == [21, 24]
    assert result.lines()[0] == "0.592 pts per person-day, learned: 45 pts done in 76 person-days over 2 sprints"


def test_focus_factor_setting_is_used_as_given():
    result = focus_capacity(backlog(sprints=HISTORY, team=[10, 10], focus_factor=0.55))
    assert result.capacity == 11  # 0.55 × 20


def test_focus_without_a_team_says_so():
    result = focus_capacity(backlog(sprints=HISTORY))
    assert result.capacity is None
    assert result.problem.startswith("No team members yet")
    assert result.lines()[-1] == result.problem


def test_focus_with_zero_person_days_says_nothing_fits():
    result = focus_capacity(backlog(sprints=HISTORY, team=[0, 0]))
    assert result.capacity == 0
    assert result.problem == "The team has 0 available person-days next sprint: nothing fits."


def test_focus_with_a_learned_factor_of_zero_says_why():
    result = focus_capacity(backlog(sprints=[sprint(0, 40)], team=[10]))
    assert result.capacity == 0
    assert "learned focus factor is 0" in result.problem


def test_focus_that_rounds_to_zero_says_so():
    result = focus_capacity(backlog(team=[0.5], focus_factor=0.05))  # 0.025 -> 0.0
    assert result.capacity == 0
    assert "rounds to 0" in result.problem


def test_sprints_with_zero_person_days_are_left_out_of_the_factor_and_warned_about():
    history = [sprint(20, 40), sprint(30, 0, name="Sprint odd")]
    report = capacity_report(backlog(sprints=history, team=[10]))
    assert report.focus.factor == 0.5  # 20 / 40 only
    assert report.warnings == ("Sprint odd records 0 person-days but 30 points completed: left out of the "
                               "focus factor.",)


# ----- the report ---------------------------------------------------------------------------


def test_report_follows_the_chosen_basis():
    velocity = capacity_report(backlog(sprints=HISTORY, team=[10, 8, 10, 5]))
    assert (velocity.basis, velocity.capacity, velocity.other.capacity) == ("velocity", 20, 23.1)
    focus = capacity_report(backlog(sprints=HISTORY, team=[10, 8, 10, 5], capacity_basis="focus"))
    assert (focus.basis, focus.capacity, focus.other.capacity) == ("focus", 23.1, 20)


def test_report_warns_about_a_member_with_more_days_than_the_sprint():
    report = capacity_report(backlog(sprints=HISTORY, team=[("Ana", 12), ("Ben", 10)]))
    assert report.warnings == ("Ana has 12 days but a sprint is 10 days long.",)


def test_report_warns_about_an_undated_sprint_among_dated_ones():
    report = capacity_report(backlog(sprints=[20, sprint(25, name="Loose", undated=True), 30]))
    assert report.warnings == ("Loose has no dates, so it counts as the latest sprint: give it dates to place "
                               "it in the history.",)
    # It counts as the latest: the window (3) ends with it.
    assert [s.completed for s in report.velocity.sprints] == [20, 30, 25]
    # No warning when no sprint has dates: they are in the order they were added.
    undated = [sprint(v, undated=True) for v in (20, 25, 30)]
    assert capacity_report(backlog(sprints=undated)).warnings == ()


@pytest.mark.parametrize("case", [
    {},  # nothing at all
    {"sprints": [18]},  # one sprint
    {"sprints": [0, 0, 0], "team": [0]},  # zero capacity both ways
    {"team": [10, 10]},  # a team but no history
    {"sprints": [sprint(0, 0)], "team": [5]},  # zero person-days recorded
    {"points": [None, None], "sprints": [20]},  # all unestimated
    {"points": [3, 5], "closed": [1, 2], "sprints": [20], "team": [10]},  # all closed
])
@pytest.mark.parametrize("basis", ["velocity", "focus"])
def test_edge_cases_give_sentences_not_crashes(case, basis):
    report = capacity_report(backlog(**case, capacity_basis=basis))
    for method in (report.velocity, report.focus):
        lines = method.lines()
        assert lines and all(isinstance(line, str) and line for line in lines)
        if method.capacity is None or method.capacity <= 0:
            assert method.problem, f"{type(method).__name__} has no capacity but no reason"
