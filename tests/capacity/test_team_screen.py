"""The team and capacity screen (`C`) driven from the keyboard: every key, every change on disk
as one undo step, and the grooming screen's cut lines, meter and detail pane following."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets import Input

from model.commands import SetPoints
from model.forecast import Forecast, forecast_for
from model.service import BacklogService
from model.store import Store
from model.team_commands import AddSprint
from tests.tui import scenario
from tests.tui.conftest import backlog_list, grooming, list_rows, notifications, screen_text, widget_text
from tui.app import GroomApp
from tui.screens.dialogs import ConfirmDialog
from tui.screens.grooming import GroomingScreen
from tui.screens.help import HelpScreen
from tui.screens.record_form import RecordForm
from tui.screens.team import TeamScreen
from tui.widgets.capacity_meter import CapacityMeter
from tui.widgets.capacity_summary import CapacityView
from tui.widgets.detail import DetailPane
from tui.widgets.team_tables import MemberTable, SprintTable
from tui.widgets.velocity_chart import VelocityChart

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "webshop.json"


@pytest.fixture
def service(path: Path) -> BacklogService:
    return scenario.make_service(path)


@pytest.fixture
def app(service: BacklogService) -> GroomApp:
    return GroomApp(service)


def on_disk(path: Path):
    return Store.open(path)[1]


def cut_lines(app: GroomApp) -> list[str]:
    return [row.strip("─ ") for row in list_rows(app) if row.startswith("── end of sprint")]


def detail_text(app: GroomApp) -> str:
    """What the detail pane shows, every part of it, wrapped lines joined with one space."""
    detail = grooming(app).query_one(DetailPane)
    return " ".join(" ".join(detail.section_text(name).split()) for name in detail.sections_shown())


def meter_text(app: GroomApp) -> str:
    """Every row the meter draws (its border included: `widget_text` would stop short of it)."""
    meter = grooming(app).query_one(CapacityMeter)
    return "\n".join(strip.text.rstrip() for strip in meter.render_lines(Region(0, 0, *meter.outer_size)))


async def open_team(pilot, tab: str | None = None) -> TeamScreen:
    await pilot.press("C")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, TeamScreen)
    if tab:
        await pilot.press({"capacity": "1", "team": "2", "history": "3", "chart": "4"}[tab])
        await pilot.pause()
    return screen


async def fill_form(pilot, **values: str) -> RecordForm:
    """Type into the open form's fields (replacing what they hold), then leave it for the caller."""
    form = pilot.app.screen
    assert isinstance(form, RecordForm)
    for name, value in values.items():
        field = form.query_one(f"#field-{name}", Input)
        field.value = value
    await pilot.pause()
    return form


def form_error(app: GroomApp) -> str:
    """The reason the open form gives for refusing a save, on one line."""
    return " ".join(widget_text(app.screen.query_one("#prompt-error")).split())


async def save(pilot) -> None:
    await pilot.press("ctrl+s")
    await pilot.pause()


# ----- opening, tabs, leaving --------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_C_opens_the_capacity_tab_and_escape_goes_back(app, path, size):
    before = path.read_bytes()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = await open_team(pilot)
        assert screen.tab == "capacity"
        assert app.focused is screen.query_one(CapacityView)
        text = screen_text(app)
        assert "Team & capacity · next sprint 20 pts (velocity) · Webshop checkout" in text
        assert "▶ By velocity: 20 pts" in text
        assert "(20 + 22 + 18) / 3 = 20 pts" in text
        assert "By focus factor × person-days: 23.1 pts" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        assert app.focused is backlog_list(app)
    assert path.read_bytes() == before  # looking changes nothing


async def test_number_keys_and_tab_switch_tabs_and_focus(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_team(pilot)
        expected = {"2": ("team", MemberTable), "3": ("history", SprintTable), "4": ("chart", VelocityChart),
                    "1": ("capacity", CapacityView)}
        for key, (tab, widget) in expected.items():
            await pilot.press(key)
            await pilot.pause()
            assert screen.tab == tab and isinstance(app.focused, widget)
            assert f"[ {key} {tab.title()} ]" in screen_text(app)
        await pilot.press("tab")
        assert screen.tab == "team"
        await pilot.press("shift+tab", "shift+tab")
        assert screen.tab == "chart"
        await pilot.press("tab")
        assert screen.tab == "capacity"


async def test_j_k_scroll_the_capacity_tab_at_80x24(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_team(pilot)
        view = screen.query_one(CapacityView)
        assert view.max_scroll_y > 0  # more than a 80x24 screen: it scrolls
        await pilot.press("j", "j")
        await pilot.pause()
        assert view.scroll_y == 2
        await pilot.press("k")
        await pilot.pause()
        assert view.scroll_y == 1


# ----- team members ----------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_add_a_member_then_undo_from_the_grooming_screen(app, path, size):
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = await open_team(pilot, "team")
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecordForm)
        assert form.query_one("#field-available_days", Input).value == "10"  # a whole sprint
        await pilot.press(*"Eve [b]", "enter")  # enter moves to the next field
        await pilot.press("ctrl+u", "7", "enter")  # enter on the last field saves
        await pilot.pause()
        assert app.screen is screen
        assert [m.name for m in on_disk(path).team.values()] == ["Ana", "Ben", "Chen", "Dee", "Eve [b]"]
        assert on_disk(path).team[5].available_days == 7
        members = screen.members
        assert members.current_id == 5  # the cursor is on the new member
        assert "▶  Eve [b]" in screen_text(app)  # markup-like names shown as typed
        assert "Total: 40 person-days next sprint (5 members)" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert 5 not in on_disk(path).team
        assert "Undo: Undone: Add Eve [b] to the team" in notifications(app)


async def test_a_refused_member_keeps_the_form_open_with_the_reason(app, path):
    before = path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_team(pilot, "team")
        await pilot.press("a")
        await pilot.pause()
        await fill_form(pilot, name="Ana", available_days="5")
        await save(pilot)
        assert isinstance(app.screen, RecordForm)
        assert form_error(app) == "⚠ Ana is already in the team"
        await fill_form(pilot, name="Zoe", available_days="lots")
        await save(pilot)
        assert form_error(app) == "⚠ Zoe's available days must be a number, like 10 (got 'lots')"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TeamScreen)
    assert path.read_bytes() == before


async def test_edit_a_member_sends_only_what_changed(app, path, service):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_team(pilot, "team")
        await pilot.press("j")  # Ben
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert form.query_one("#field-name", Input).value == "Ben"
        assert form.query_one("#field-available_days", Input).value == "8"
        # Meanwhile another Groom renames Ben: our edit of the days must not undo that.
        other = BacklogService.open(path, user="other")
        from model.team_commands import EditTeamMember
        other.execute(EditTeamMember(2, {"name": "Benjamin"}))
        await fill_form(pilot, available_days="4")
        await save(pilot)
        assert app.screen is screen
        assert on_disk(path).team[2].name == "Benjamin"
        assert on_disk(path).team[2].available_days == 4
        assert service.undo_label == "Edit team member Benjamin"


async def test_plus_and_minus_change_the_days_one_step_each(app, path, service):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_team(pilot, "team")
        await pilot.press("j", "j", "j")  # Dee, 5 days
        await pilot.press("plus", "plus", "minus")
        await pilot.pause()
        assert on_disk(path).team[4].available_days == 6
        await pilot.press("u")  # undo in the team screen: one step
        await pilot.pause()
        assert on_disk(path).team[4].available_days == 7
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert on_disk(path).team[4].available_days == 6
        for _ in range(6):
            await pilot.press("minus")
        await pilot.pause()
        assert on_disk(path).team[4].available_days == 0
        await pilot.press("minus")
        await pilot.pause()
        assert "Dee already has 0 days next sprint." in notifications(app)


async def test_delete_a_member_asks_first(app, path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_team(pilot, "team")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert 1 in on_disk(path).team
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is screen
        assert 1 not in on_disk(path).team
        assert "Removed Ana from the team. Press u to undo." in notifications(app)
        assert screen.members.current_id == 2
        await pilot.press("u")
        await pilot.pause()
        assert on_disk(path).team[1].name == "Ana"


async def test_team_keys_on_an_empty_team_say_what_to_do(tmp_path):
    service = scenario.make_service(tmp_path / "t.json")
    from model.team_commands import DeleteTeamMember
    for doc_id in list(service.backlog.team):
        service.execute(DeleteTeamMember(doc_id))
    app = GroomApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_team(pilot, "team")
        assert "No team members yet: press a to add one" in screen_text(app)
        await pilot.press("e", "d", "plus")
        await pilot.pause()
        assert notifications(app).count("No team member selected: press a to add one.") == 3


# ----- sprints --------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_add_a_sprint_with_the_suggested_name_and_dates(app, path, size):
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert cut_lines(app)[0] == "end of sprint 1 · 13/20 pts"
        screen = await open_team(pilot, "history")
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecordForm)
        values = {name: form.query_one(f"#field-{name}", Input).value
                  for name in ("name", "start", "end", "committed", "completed", "available_days")}
        assert values == {"name": "Sprint 26", "start": "2026-10-26", "end": "2026-11-06", "committed": "",
                          "completed": "", "available_days": ""}
        await pilot.press("enter", "enter", "enter", *"30", "enter", *"32", "enter", *"36", "enter")
        await pilot.pause()
        assert app.screen is screen
        added = on_disk(path).sprints[7]
        assert (added.name, added.committed, added.completed, added.available_days) == ("Sprint 26", 30, 32, 36)
        assert screen.sprints.current_id == 7  # newest first: on top, with the cursor
        # The scenario's today is 2026-11-02: a sprint ending 2026-11-06 is not over yet.
        assert any("Sprint 26 ends on 2026-11-06, after today" in n for n in notifications(app))
        text = screen_text(app)
        assert "next sprint 24 pts (velocity)" in text  # (22 + 18 + 32) / 3
        await pilot.press("escape")
        await pilot.pause()
        assert cut_lines(app)[0] == "end of sprint 1 · 23/24 pts"  # SHOP-1..6, SHOP-7 is split
        await pilot.press("u")
        await pilot.pause()
        assert 7 not in on_disk(path).sprints
        assert cut_lines(app)[0] == "end of sprint 1 · 13/20 pts"


async def test_edit_and_delete_a_sprint(app, path, service):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_team(pilot, "history")
        assert screen.sprints.current_id == 6  # Sprint 25, the newest
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#field-completed", Input).value == "18"
        await fill_form(pilot, completed="27", available_days="30")
        await save(pilot)
        assert on_disk(path).sprints[6].completed == 27
        assert service.undo_label == "Edit sprint Sprint 25"
        assert "next sprint 23 pts (velocity)" in screen_text(app)  # (20 + 22 + 27) / 3
        await pilot.press("e")
        await pilot.pause()
        await fill_form(pilot, end="2026-10-01")  # before its start
        await save(pilot)
        assert form_error(app) == "⚠ Sprint 25 would end (2026-10-01) before it starts (2026-10-12)"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("j", "d")  # Sprint 24
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert 5 not in on_disk(path).sprints
        assert "Deleted Sprint 24. Press u to undo." in notifications(app)
        await pilot.press("u")
        await pilot.pause()
        assert on_disk(path).sprints[5].name == "Sprint 24"


async def test_a_on_the_capacity_tab_opens_nothing_unexpected(app):
    """`a`, `e`, `d` belong to the Team and History tabs; elsewhere they do nothing."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_team(pilot)
        await pilot.press("a", "e", "d")
        await pilot.pause()
        assert app.screen is screen


# ----- basis, settings, undo ----------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_b_switches_the_basis_and_the_cut_lines_and_meter_follow(app, path, size):
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert cut_lines(app)[0] == "end of sprint 1 · 13/20 pts"
        assert "13 / 20 pts · velocity" in meter_text(app)
        await open_team(pilot)
        await pilot.press("b")
        await pilot.pause()
        assert on_disk(path).meta.settings.capacity_basis == "focus"
        assert "▶ By focus factor × person-days: 23.1 pts" in screen_text(app)
        assert any("Sprints are now sized by focus factor × person-days: 23.1 pts" in n for n in notifications(app))
        await pilot.press("escape")
        await pilot.pause()
        # 0.7 × 33 = 23.1: SHOP-1..6 (SHOP-7 is split, closed) = 23 points.
        assert cut_lines(app)[0] == "end of sprint 1 · 23/23.1 pts"
        assert "23 / 23.1 pts" in meter_text(app)
        await pilot.press("u")
        await pilot.pause()
        assert on_disk(path).meta.settings.capacity_basis == "velocity"
        assert cut_lines(app)[0] == "end of sprint 1 · 13/20 pts"


async def test_s_edits_the_settings_and_the_horizon_sets_the_lines(app, path):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert len(cut_lines(app)) == 3
        await open_team(pilot)
        await pilot.press("s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecordForm)
        assert {n: form.query_one(f"#field-{n}", Input).value for n in
                ("sprint_length_days", "focus_factor", "velocity_window", "horizon")} == \
            {"sprint_length_days": "10", "focus_factor": "0.7", "velocity_window": "3", "horizon": "3"}
        await fill_form(pilot, horizon="0")
        await save(pilot)
        assert form_error(app) == "⚠ Sprint lines shown must be from 1 to 20 (got '0')"
        await fill_form(pilot, horizon="2", velocity_window="6")
        await save(pilot)
        assert isinstance(app.screen, TeamScreen)
        settings = on_disk(path).meta.settings
        assert (settings.horizon, settings.velocity_window) == (2, 6)
        assert "(26 + 24 + 29 + 20 + 22 + 18) / 6 = 23.2 pts" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert len(cut_lines(app)) == 2
        await pilot.press("u")
        await pilot.pause()
        assert len(cut_lines(app)) == 3


async def test_O_also_opens_the_settings(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_team(pilot)
        await pilot.press("O")
        await pilot.pause()
        assert isinstance(app.screen, RecordForm)


# ----- help and palette ---------------------------------------------------------------------------


TEAM_KEYS = {
    "team screen": ["escape", "1", "2", "3", "4", "tab", "shift+tab", "b", "s", "O", "u", "ctrl+r", "?"],
    "team tab": ["a", "e", "enter", "d", "+", "-", "j", "k", "down", "up", "g", "G"],
    "history tab": ["a", "e", "enter", "d"],  # the moves are the same keys as the team table's: listed once
    "capacity tab": ["j", "k", "down", "up"],
    "everywhere": ["q", "ctrl+p"],
}


async def test_help_lists_every_key_of_the_team_screen(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_team(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        for place, keys in TEAM_KEYS.items():
            listed = {part for key in help_screen.keys if key.place == place for part in key.keys.split(" / ")}
            assert [k for k in keys if k not in listed] == [], place
        descriptions = {key.description for key in help_screen.keys}
        assert {"Add a team member", "Add a past sprint", "One more available day next sprint"} <= descriptions
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TeamScreen)


async def test_g_G_and_arrows_move_in_the_tables(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_team(pilot, "history")
        await pilot.press("G")
        assert screen.sprints.current_id == 1  # the oldest, at the bottom
        await pilot.press("up")
        assert screen.sprints.current_id == 2
        await pilot.press("g")
        assert screen.sprints.current_id == 6
        await pilot.press("down", "j")
        await pilot.pause()
        assert screen.sprints.current_id == 4
        assert "▶  Sprint 23" in screen_text(app)


async def test_the_palette_runs_a_team_screen_action(app, path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_team(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"add a past sprint")
        await pilot.pause()
        assert "key: a (history tab)" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecordForm)
        assert screen.tab == "history"


# ----- the grooming screen: meter, detail pane, cut lines --------------------------------------------


async def test_the_meter_and_the_detail_pane_show_the_forecast(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        meter = meter_text(app)
        assert "85%: down to SHOP-12 in 3 sprints · 2 unestimated" in meter
        assert "Forecast: 50% in 1 sprint · 85% in 1 sprint" in detail_text(app)
        await pilot.press("G")  # SHOP-18: unestimated, far down
        await pilot.pause()
        text = detail_text(app)
        assert "Forecast: 50% in 3 sprints · 85% in 4 sprints" in text  # 69 open points, ~23 a sprint
        assert "⚠ optimistic: counts 4 unestimated items down to here as 0" in text
        await pilot.press("k", "k", "k")  # SHOP-15: done
        await pilot.pause()
        assert "Forecast" not in detail_text(app)


async def test_moving_the_cursor_computes_no_forecast(app, monkeypatch):
    """The forecast is made once per change; the cursor only asks it (binary searches, and a walk
    down the list that each forecast makes at most once)."""
    made, walked = [], []
    original_init, original_walk = Forecast.__init__, Forecast._walk

    def counting_init(self, *args, **kwargs):
        made.append(1)
        original_init(self, *args, **kwargs)

    def counting_walk(self, **kwargs):
        before = len(self._cumulative)
        original_walk(self, **kwargs)
        walked.append(len(self._cumulative) - before)

    monkeypatch.setattr(Forecast, "__init__", counting_init)
    monkeypatch.setattr(Forecast, "_walk", counting_walk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        first = forecast_for(app.service.backlog)
        made.clear(), walked.clear()
        for _ in range(10):
            await pilot.press("j")
        await pilot.press("G", "g")
        await pilot.pause()
        assert made == []
        assert forecast_for(app.service.backlog) is first
        assert sum(walked) <= len(app.service.backlog)  # never the same items twice
        walked.clear()
        await pilot.press("3")  # a change: one new forecast, walked at most once
        await pilot.pause()
        assert len(made) == 1
        assert 0 < sum(walked) <= len(app.service.backlog)


async def test_an_oversized_item_and_unestimated_items_are_flagged_in_the_list_and_meter(tmp_path):
    service = scenario.make_service(tmp_path / "over.json", items=scenario.over_capacity_items(),
                                    sprints=scenario.OVER_CAPACITY_SPRINTS)
    app = GroomApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert cut_lines(app)[0] == "end of sprint 1 · 40/23 pts  ⚠ SHOP-1 bigger than a sprint"
        assert "40 / 23 pts  OVER by 17" in meter_text(app)
        assert "⚠ SHOP-1 bigger than a sprint: split" in meter_text(app)
        assert cut_lines(app)[2] == "end of sprint 3 · 23/23 pts  ⚠ 2 unestimated"


async def test_no_history_and_no_team_give_sentences_everywhere(tmp_path):
    service = scenario.make_service(tmp_path / "bare.json", sprints=[])
    from model.team_commands import DeleteTeamMember
    for doc_id in list(service.backlog.team):
        service.execute(DeleteTeamMember(doc_id))
    app = GroomApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert cut_lines(app) == []
        meter = meter_text(app)
        assert "No sprint lines: No sprint history yet" in meter
        assert "Forecast: needs sprint history (C)" in meter
        assert "Forecast: needs sprint history (C)" in detail_text(app)
        screen = await open_team(pilot)
        text = screen_text(app)
        assert "No sprint history yet: add past sprints (C, History tab)" in text
        assert "No team members yet" in text
        await pilot.press("b")
        await pilot.pause()
        assert "next sprint no capacity (focus × days)" in screen_text(app)
        await pilot.press("4")
        await pilot.pause()
        assert "No sprint history yet: add past sprints on the History tab" in screen_text(app)
        await pilot.press("3")
        await pilot.pause()
        assert "No sprint history yet: press a to add the last sprints" in screen_text(app)
        assert screen.sprints.current_id is None


async def test_why_there_are_no_sprint_lines_is_readable_whole_at_80x24(tmp_path):
    """The meter is 50 columns wide at 80x24: the reason wraps instead of being cut mid-word."""
    service = scenario.make_service(tmp_path / "bare.json", sprints=[])
    app = GroomApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        meter = " ".join(line.strip() for line in meter_text(app).splitlines() if line.strip("─ "))
        assert ("No sprint lines: No sprint history yet: add past sprints (C, History tab) to size the next "
                "sprint by velocity.") in meter
        assert "Forecast: needs sprint history (C)" in meter
        assert "…" not in meter


async def test_zero_person_days_suggests_the_other_basis(tmp_path):
    service = scenario.make_service(tmp_path / "zero.json")
    from model.team_commands import EditTeamMember, SetCapacityBasis
    for doc_id in list(service.backlog.team):
        service.execute(EditTeamMember(doc_id, {"available_days": 0}))
    service.execute(SetCapacityBasis("focus"))
    app = GroomApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "No sprint lines: The team has 0 available person-days next sprint" in meter_text(app)
        assert cut_lines(app) == []
        await open_team(pilot)
        assert ("⚠ No sprint lines by focus factor × person-days; by velocity the capacity would be 20 pts: "
                "press b to use it.") in screen_text(app)


async def test_all_items_closed(tmp_path):
    items = [{**spec, "status": "done"} for spec in scenario.ITEMS]
    app = GroomApp(scenario.make_service(tmp_path / "done.json", items=items))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert cut_lines(app) == []
        assert "0 / 20 pts" in meter_text(app)
        assert "Forecast: no open items." in meter_text(app)
        await open_team(pilot)
        assert "none: no open items to plan." in screen_text(app)


async def test_the_team_screen_follows_another_groom_on_the_file(app, path):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await open_team(pilot, "history")
        other = BacklogService.open(path, user="other")
        other.execute(AddSprint({"name": "Sprint 26", "committed": 30, "completed": 30}))
        other.execute(SetPoints("SHOP-9", "3"))
        for _ in range(30):
            await pilot.pause(0.1)
            if 7 in screen.backlog.sprints and "Sprint 26" in screen_text(app):
                break
        assert "Sprint 26" in screen_text(app)
        assert "next sprint 23.3 pts (velocity)" in screen_text(app)  # (22 + 18 + 30) / 3


@pytest.mark.forecast_in_background
async def test_the_first_screen_does_not_wait_for_the_forecast_trials(app, monkeypatch):
    """A history the app has not simulated yet: the first frame says "working it out", the trials
    are drawn in a thread, and the meter and the detail pane then show the forecast."""
    import threading

    import model.forecast as forecast_module

    monkeypatch.setattr(forecast_module, "_SIMULATED", set())
    forecast_module.simulate.cache_clear()
    release = threading.Event()
    real = forecast_module.simulate

    drawings = []

    def held(*args, **kwargs):
        drawings.append(args)
        release.wait(30)  # the drawing is held until the first frame has been looked at
        return real(*args, **kwargs)

    monkeypatch.setattr(forecast_module, "simulate", held)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        meter = app.screen.query_one(CapacityMeter)
        assert "drawing 10,000 trials" in meter.render().plain
        assert "working it out" in app.screen.query_one(DetailPane).section_text("head")
        await pilot.press("j", "m", "m")  # the screen answers keys meanwhile
        await pilot.pause()
        assert len(drawings) == 1  # changes made meanwhile do not draw the same trials again
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "85%: down to" in meter.render().plain
        assert "Forecast: 50% in" in app.screen.query_one(DetailPane).section_text("head")


@pytest.mark.parametrize("tab", ["capacity", "team", "history", "chart"])
async def test_footer_keeps_help_and_quit_at_80_columns_on_every_tab(app, tab):
    """The Team tab's keys need the whole line at 80 columns: "^p palette" gives way (as on the list)."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_team(pilot, tab)
        footer = screen_text(app).splitlines()[-1]
        assert "? Help" in footer and "q Quit" in footer, footer
