"""Sprint, team member and capacity-setting commands through the backlog service: each one
undoable step, on disk before it returns, and every bad input refused in words."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from model.errors import CommandError
from model.service import BacklogService
from model.store import Store
from model.team_commands import (
    AddSprint,
    AddTeamMember,
    DeleteSprint,
    DeleteTeamMember,
    EditCapacitySettings,
    EditSprint,
    EditTeamMember,
    SetCapacityBasis,
    parse_number,
    suggest_next_sprint,
)
from tests.capacity.build import backlog, sprint

SPRINT = {"name": "Sprint 7", "start": "2026-03-02", "end": "2026-03-13", "committed": "30", "completed": "26",
          "available_days": "45"}


@pytest.fixture
def service(tmp_path: Path) -> BacklogService:
    Store.create(tmp_path / "team.json", backlog([5, 3], sprints=[20, 24], team=[("Ana", 10)]))
    return BacklogService.open(tmp_path / "team.json", user="tester")


def on_disk(service: BacklogService):
    return Store.open(service.store.path)[1]


def test_add_sprint_from_typed_fields(service):
    outcome = service.execute(AddSprint(SPRINT))
    assert outcome.label == "Add sprint Sprint 7"
    added = on_disk(service).sprints[3]
    assert (added.name, added.start, added.end) == ("Sprint 7", date(2026, 3, 2), date(2026, 3, 13))
    assert (added.committed, added.completed, added.available_days) == (30, 26, 45)
    service.undo()
    assert 3 not in on_disk(service).sprints


def test_add_sprint_with_only_the_needed_fields(service):
    service.execute(AddSprint({"name": "  Sprint   8 ", "committed": 10, "completed": "7,5"}))
    added = service.backlog.sprints[3]
    assert (added.name, added.start, added.available_days, added.completed) == ("Sprint 8", None, None, 7.5)


@pytest.mark.parametrize("fields, message", [
    ({**SPRINT, "name": " "}, "A sprint needs a name"),
    ({**SPRINT, "name": "sprint 1"}, "There is already a sprint named sprint 1"),
    ({**SPRINT, "end": "2026-03-01"}, "Sprint 7 would end (2026-03-01) before it starts (2026-03-02)"),
    ({**SPRINT, "start": "2. März"}, "Start must be a date written like 2026-10-05 (got '2. März')"),
    ({**SPRINT, "committed": ""}, "Committed points is needed: type a number, like 30"),
    ({**SPRINT, "completed": "lots"}, "Completed points must be a number, like 26 (got 'lots')"),
    ({**SPRINT, "completed": "-3"}, "Completed points cannot be negative (got '-3')"),
    ({**SPRINT, "completed": "1,000"}, "Completed points must be a number, like 26 (got '1,000'): no thousands "
                                       "separators, and 2.5 for two and a half"),
    ({**SPRINT, "available_days": "nan"}, "Person-days must be a number, like 45 (got 'nan')"),
    ({**SPRINT, "velocity": "3"}, "'velocity' is not something a sprint has"),
])
def test_bad_sprints_are_refused_in_words(service, fields, message):
    before = service.store.path.read_bytes()
    with pytest.raises(CommandError) as refused:
        service.execute(AddSprint(fields))
    assert str(refused.value).startswith(message)
    assert service.store.path.read_bytes() == before
    assert service.undo_label is None


def test_edit_sprint_changes_only_the_fields_given(service):
    outcome = service.execute(EditSprint(2, {"completed": "22", "available_days": "40"}))
    assert outcome.label == "Edit sprint Sprint 2"
    [doc] = outcome.change.docs
    assert doc.before == {"completed": 24.0, "available_days": None}
    assert doc.after == {"completed": 22.0, "available_days": 40.0}
    assert on_disk(service).sprints[2].completed == 22
    service.undo()
    assert on_disk(service).sprints[2].completed == 24


def test_edit_sprint_that_changes_nothing_is_no_step(service):
    outcome = service.execute(EditSprint(1, {"completed": "20"}))
    assert not outcome.change
    assert service.undo_label is None


def test_edit_or_delete_a_sprint_someone_deleted(service):
    service.execute(DeleteSprint(1))
    for command in (EditSprint(1, {"completed": 3}), DeleteSprint(1)):
        with pytest.raises(CommandError, match="That sprint no longer exists"):
            service.execute(command)


def test_delete_sprint_and_undo(service):
    assert service.execute(DeleteSprint(1)).label == "Delete sprint Sprint 1"
    assert list(on_disk(service).sprints) == [2]
    service.undo()
    assert on_disk(service).sprints[1].completed == 20


def test_team_members(service):
    assert service.execute(AddTeamMember("Ben", "8")).label == "Add Ben to the team"
    assert on_disk(service).team[2].available_days == 8
    assert service.execute(EditTeamMember(2, {"available_days": 6.5})).label == "Edit team member Ben"
    assert on_disk(service).team[2].available_days == 6.5
    assert service.execute(DeleteTeamMember(1)).label == "Remove Ana from the team"
    assert list(on_disk(service).team) == [2]
    service.undo()
    service.undo()
    assert on_disk(service).team[2].available_days == 8
    assert set(on_disk(service).team) == {1, 2}


@pytest.mark.parametrize("fields, message", [
    ({"name": "", "available_days": "5"}, "A team member needs a name"),
    ({"name": "ana", "available_days": "5"}, "ana is already in the team"),
    ({"name": "Ben", "available_days": ""}, "Ben's available days is needed: type a number, like 10"),
    ({"name": "Ben", "available_days": "400"}, "Ben's available days must be from 0 to 366 (got '400')"),
    ({"name": "Ben" * 40, "available_days": "5"}, "A team member name is 120 characters long; the limit is 100"),
])
def test_bad_team_members_are_refused_in_words(service, fields, message):
    with pytest.raises(CommandError) as refused:
        service.execute(AddTeamMember(**fields))
    assert str(refused.value) == message


def test_capacity_settings(service):
    fields = {"sprint_length_days": "15", "focus_factor": "0,6", "velocity_window": "4", "horizon": "5"}
    assert service.execute(EditCapacitySettings(fields)).label == "Change capacity settings"
    settings = on_disk(service).meta.settings
    assert (settings.sprint_length_days, settings.focus_factor, settings.velocity_window, settings.horizon) == \
        (15, 0.6, 4, 5)
    service.undo()
    assert on_disk(service).meta.settings.horizon == 3


@pytest.mark.parametrize("fields, message", [
    ({"focus_factor": "0"}, "Focus factor (points per person-day) must be above 0 and at most 50 (got '0')"),
    ({"velocity_window": "2.5"}, "Velocity window (sprints averaged) must be a whole number, like 3 (got '2.5')"),
    ({"horizon": "21"}, "Sprint lines shown must be from 1 to 20 (got '21')"),
    ({"sprint_length_days": ""}, "Sprint length (working days) is needed: type a number, like 10"),
    ({"capacity_basis": "magic"}, "Capacity basis must be one of velocity, focus (got 'magic')"),
    ({"split_threshold": "8"}, "'split_threshold' is not something a capacity setting has"),
])
def test_bad_capacity_settings_are_refused_in_words(service, fields, message):
    with pytest.raises(CommandError) as refused:
        service.execute(EditCapacitySettings(fields))
    assert str(refused.value).startswith(message)


def test_capacity_basis_toggles_and_undoes(service):
    assert service.execute(SetCapacityBasis()).label == "Size sprints by focus factor × person-days"
    assert on_disk(service).meta.settings.capacity_basis == "focus"
    assert service.execute(SetCapacityBasis()).label == "Size sprints by velocity"
    assert service.backlog.meta.settings.capacity_basis == "velocity"
    assert not service.execute(SetCapacityBasis("velocity")).change  # already: nothing to undo
    service.undo()
    assert on_disk(service).meta.settings.capacity_basis == "focus"


def test_parse_number_bounds():
    assert parse_number(" 2,5 ", "x", "1") == 2.5
    assert parse_number(3, "x", "1", whole=True) == 3
    assert parse_number("", "x", "1", optional=True) is None
    with pytest.raises(CommandError, match="x must be a number"):
        parse_number(True, "x", "1")


def test_suggest_next_sprint_follows_the_cadence_and_the_name():
    log = backlog(sprints=[sprint(20, name="Sprint 24", start=date(2026, 9, 28), end=date(2026, 10, 9)),
                           sprint(20, name="Sprint 25", start=date(2026, 10, 12), end=date(2026, 10, 23))])
    assert suggest_next_sprint(log) == {"name": "Sprint 26", "start": "2026-10-26", "end": "2026-11-06"}
    three_weeks = backlog(sprints=[sprint(20, name="S1", start=date(2026, 1, 5), end=date(2026, 1, 23)),
                                   sprint(20, name="S2", start=date(2026, 1, 26), end=date(2026, 2, 13))])
    assert suggest_next_sprint(three_weeks) == {"name": "S3", "start": "2026-02-16", "end": "2026-03-06"}
    one = backlog(sprints=[sprint(20, name="Kick-off", start=date(2026, 1, 5), end=date(2026, 1, 16))],
                  sprint_length_days=10)
    assert suggest_next_sprint(one) == {"name": "Sprint 2", "start": "2026-01-19", "end": "2026-01-30"}
    assert suggest_next_sprint(backlog()) == {"name": "Sprint 1", "start": "", "end": ""}
    taken = backlog(sprints=[sprint(20, name="Sprint 2", undated=True), sprint(20, name="Sprint 1", undated=True)])
    assert suggest_next_sprint(taken)["name"] == "Sprint 3"
