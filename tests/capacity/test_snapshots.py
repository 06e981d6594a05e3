"""What the team screen, the velocity chart and the forecast look like, compared with approved
SVG snapshots (tests/capacity/__snapshots__). After an intended change, regenerate with
`pytest tests/capacity/test_snapshots.py --snapshot-update` and look at every changed SVG."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.team_commands import DeleteSprint, DeleteTeamMember
from tests.tui import scenario
from tests.tui.test_snapshots import matches
from tui.app import GroomApp
from tui.screens.record_form import RecordForm
from tui.screens.team import TeamScreen

SIZES = [(80, 24), (120, 40)]
TAB_KEYS = {"capacity": "1", "team": "2", "history": "3", "chart": "4"}


@pytest.fixture
def app(tmp_path: Path) -> GroomApp:
    return GroomApp(scenario.make_service(tmp_path / "webshop.json"))


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def open_tab(tab: str, *then: str):
    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press("C")
        await _settle(pilot)
        await pilot.press(TAB_KEYS[tab])
        await _settle(pilot)
        assert isinstance(pilot.app.screen, TeamScreen)
        assert pilot.app.screen.tab == tab
        if then:
            await pilot.press(*then)
            await _settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("tab", list(TAB_KEYS))
def test_team_screen_tabs(snap_compare, app, tab, size):
    """Capacity: both methods with their inputs, the forecast, the sprint lines, the settings.
    Team: four members and their days. History: six sprints, newest first, the last three
    marked as averaged. Chart: committed vs completed bars with the average line at 20."""
    assert matches(snap_compare, app, terminal_size=size, run_before=open_tab(tab))


def test_velocity_chart_with_many_sprints_at_80x24(snap_compare, tmp_path):
    """Sixteen sprints do not all fit in 80 columns: the newest are drawn and the title says so."""
    sprints = [(f"Sprint {n}", 28 + n % 4, 18 + (n * 7) % 11) for n in range(10, 26)]
    app = GroomApp(scenario.make_service(tmp_path / "long.json", sprints=sprints))
    assert matches(snap_compare, app, terminal_size=(80, 24), run_before=open_tab("chart"))


def test_add_sprint_form_at_80x24(snap_compare, app):
    """The six fields of a new sprint side by side with their labels, name and dates suggested."""

    async def run_before(pilot) -> None:
        await open_tab("history", "a")(pilot)
        assert isinstance(pilot.app.screen, RecordForm)

    assert matches(snap_compare, app, terminal_size=(80, 24), run_before=run_before)


def test_capacity_tab_with_no_history_and_no_team(snap_compare, tmp_path):
    """Every part says what is missing and how to add it, instead of a number."""
    service = scenario.make_service(tmp_path / "bare.json", sprints=[])
    for doc_id in list(service.backlog.team):
        service.execute(DeleteTeamMember(doc_id))
    assert matches(snap_compare, GroomApp(service), terminal_size=(80, 24), run_before=open_tab("capacity"))


def test_forecast_in_the_detail_pane_and_the_meter(snap_compare, app):
    """The cursor on SHOP-18, unestimated and far down: "50% in 3 sprints · 85% in 4 sprints" with
    the caveat that four unestimated items count as 0; the meter's 85% headline."""

    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press("G")
        await _settle(pilot)

    assert matches(snap_compare, app, terminal_size=(120, 40), run_before=run_before)


def test_meter_with_one_sprint_of_history_at_80x24(snap_compare, tmp_path):
    """One sprint of history: the meter and the forecast still speak; no spread, and it says so
    on the Capacity tab (not in this snapshot)."""
    service = scenario.make_service(tmp_path / "one.json")
    for doc_id in list(service.backlog.sprints)[:-1]:
        service.execute(DeleteSprint(doc_id))
    assert matches(snap_compare, GroomApp(service), terminal_size=(80, 24))
