"""`R` as a user drives it: start a session, the countdown and its warnings (the clock is the
service's, moved by the test: nothing sleeps), the agenda keys, time per item, ending with the
summary, quitting, resuming after a crash, another Groom's session; the history in the detail
pane and `h`. Snapshots of the start dialog, the running session, the summary and the history."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Input, RadioSet, SelectionList

from model.commands import AddCriterion, AddQuestion, EditItem, SetPoints
from model.service import BacklogService
from model.session import StartSession, UpdateSession
from model.session_record import SessionOwner
from model.store import Store
from tests.model.test_session import START, ManualClock
from tests.tui import scenario
from tests.tui.conftest import grooming, notifications, screen_text, widget_text
from tests.tui.test_snapshots import matches
from tui.app import GroomApp
from tui.screens.grooming import GroomingScreen
from tui.screens.history import HistoryScreen
from tui.screens.session import ChoiceDialog, SessionStartDialog, SessionSummaryScreen
from tui.widgets.detail import DetailPane
from tui.widgets.history_view import history_section
from tui.widgets.session_bar import SessionBar

AGENDA = ["SHOP-3", "SHOP-4", "SHOP-6", "SHOP-8", "SHOP-9", "SHOP-10"]


@pytest.fixture(autouse=True)
def utc(monkeypatch):
    """Times are shown in local time: make it UTC so what the tests read does not depend on the machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def manual() -> ManualClock:
    return ManualClock()


@pytest.fixture
def shop(tmp_path: Path, manual: ManualClock) -> BacklogService:
    Store.create(tmp_path / "webshop.json", scenario.build_backlog())
    return BacklogService.open(tmp_path / "webshop.json", clock=manual, user="ana")


def bar_text(app: GroomApp) -> str:
    bar = grooming(app).query_one(SessionBar)
    return widget_text(bar) if bar.display else ""


async def start_session(pilot, *keys: str) -> None:
    await pilot.press("R")
    await pilot.pause()
    await pilot.press(*keys, "enter")
    await pilot.pause()


# ----- starting ----------------------------------------------------------------------------------


async def test_R_offers_the_default_agenda_and_enter_starts_the_session(shop, manual):
    app = GroomApp(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert bar_text(app) == ""
        await pilot.press("R")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SessionStartDialog)
        listing = dialog.query_one(SelectionList)
        assert list(listing.selected) == AGENDA
        assert dialog.query_one("#session-timebox", Input).value == "60"
        await pilot.press("enter")
        await pilot.pause()
        screen = grooming(app)
        assert app.screen is screen
        assert screen.filter.text == "key:" + ",".join(AGENDA)
        assert list(screen.list.keys) == AGENDA
        assert screen.current_key == "SHOP-3"
        assert "1:00:00 left" in bar_text(app) and "item 1 of 6 SHOP-3 0:00" in bar_text(app)
        assert "Session started: 60 minutes for 6 items (≈10 min each)." in notifications(app)[-1]
        (session,) = Store.open(shop.store.path)[1].sessions.values()
        assert session.running and session.agenda == tuple(AGENDA) and session.started == START


async def test_the_timebox_and_the_agenda_can_be_changed_before_starting(shop):
    app = GroomApp(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("backspace", "backspace", "0")  # 0 minutes: refused, the dialog stays
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionStartDialog)
        assert "The timebox is a number of minutes from 1 to 480" in widget_text(app.screen.query_one("#session-error"))
        await pilot.press("backspace", "9", "0", "tab")  # 90 minutes; to the agenda
        await pilot.press("space", "down", "down", "space")  # drop SHOP-3 and SHOP-6
        await pilot.press("ctrl+s")
        await pilot.pause()
        (session,) = shop.backlog.sessions.values()
        assert session.timebox == 90 and session.agenda == ("SHOP-4", "SHOP-8", "SHOP-9", "SHOP-10")
        assert grooming(app).current_key == "SHOP-4"


async def test_the_start_dialog_reads_whole_at_80x24(shop):
    app = GroomApp(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, SessionStartDialog)
        # The checkbox's label is not cut at the dialog's edge.
        assert "Show only the agenda in the list (escape shows all)" in screen_text(app)


async def test_with_a_filter_on_its_items_can_be_the_agenda(shop):
    app = GroomApp(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"kind:feature", "enter")
        await pilot.press("R")
        await pilot.pause()
        dialog = app.screen
        radios = dialog.query_one(RadioSet)
        radios.focus()
        await pilot.press("right", "enter")  # the second choice: the filtered items
        await pilot.pause()
        assert list(dialog.query_one(SelectionList).selected) == ["SHOP-3", "SHOP-13", "SHOP-14"]
        await pilot.press("ctrl+s")
        await pilot.pause()
        (session,) = shop.backlog.sessions.values()
        assert session.agenda == ("SHOP-3", "SHOP-13", "SHOP-14")
        assert session.agenda_source == "the filter “kind:feature”"


async def test_escape_cancels_the_start_with_nothing_written(shop):
    before = shop.store.path.read_bytes()
    app = GroomApp(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen) and bar_text(app) == ""
    assert shop.store.path.read_bytes() == before


# ----- running -----------------------------------------------------------------------------------


async def test_the_countdown_warns_at_ten_minutes_left_and_when_over_time(shop, manual):
    app = GroomApp(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_session(pilot)
        runner = grooming(app).sessions
        app.clear_notifications()
        manual.advance(minutes=49, seconds=59)
        runner.tick()
        assert "10:01 left" in bar_text(app) and notifications(app) == []
        manual.advance(seconds=2)
        runner.tick()
        await pilot.pause()
        assert "9:59 left" in bar_text(app)
        assert notifications(app) == ["Session: 9 min 59 s left in the refinement session: you are on item 1 of 6."
                                      .replace("9 min 59 s", "10 min")]
        manual.advance(minutes=10)
        runner.tick()
        runner.tick()
        await pilot.pause()
        assert "0:01 over" in bar_text(app)
        assert notifications(app)[1:] == [
            "Session: time is up: The 60-minute timebox is up (5 of 6 agenda items not discussed). R ends the session "
            "and shows the summary."]
        assert isinstance(app.screen, GroomingScreen)  # a notification, never a dialog
        # Everything else keeps working during the session.
        await pilot.press("5")
        await pilot.pause()
        assert shop.backlog.item("SHOP-3").points == 5


async def test_agenda_keys_move_along_and_time_goes_to_the_item_under_the_cursor(shop, manual):
    app = GroomApp(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_session(pilot)
        screen = grooming(app)
        manual.advance(seconds=30)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert screen.current_key == "SHOP-4" and "item 2 of 6 SHOP-4 0:00" in bar_text(app)
        manual.advance(seconds=20)
        screen.sessions.tick()
        assert "item 2 of 6 SHOP-4 0:20" in bar_text(app)
        await pilot.press("left_square_bracket")
        await pilot.pause()
        manual.advance(seconds=5)
        await pilot.press("left_square_bracket")  # nothing before the first item
        await pilot.pause()
        assert screen.current_key == "SHOP-3"
        assert "That was the first item on the agenda" in notifications(app)[-1]
        await pilot.press("escape")  # all items: the agenda keys still find the agenda
        await pilot.pause()
        assert len(screen.list.keys) == 18
        await pilot.press("G", "right_square_bracket")
        await pilot.pause()
        assert screen.current_key == "SHOP-4"
        await pilot.press("R", "y")
        await pilot.pause()
        summary = app.screen.summary
        times = {row.key: row.seconds for row in summary.agenda}
        assert times["SHOP-3"] == 35 and times["SHOP-4"] == 20


async def test_R_again_ends_the_session_and_shows_the_summary_from_the_history(shop, manual, tmp_path):
    app = GroomApp(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_session(pilot)
        manual.advance(minutes=5)
        await pilot.press("3")  # SHOP-3 estimated 3 → 3: no change
        await pilot.press("right_square_bracket", "2")  # SHOP-4 re-estimated 3 → 2
        await pilot.pause()
        manual.advance(minutes=3)
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, type(app.screen)) and "End the refinement session (52:00 left)?" in widget_text(
            app.screen.query_one("Static"))
        await pilot.press("y")
        await pilot.pause()
        summary_screen = app.screen
        assert isinstance(summary_screen, SessionSummaryScreen)
        text = widget_text(summary_screen.query_one("#summary-text"))
        assert "8 min of a 60-minute timebox (52 min to spare)" in text
        assert "Estimated: 1 item (SHOP-4 3 → 2)" in text
        assert "SHOP-4" in text and "estimated 3 → 2" in text
        await pilot.press("x")
        await pilot.pause()
        exported = shop.store.path.with_name("webshop-session-1.md")
        assert exported.read_text().startswith("# Refinement session 1: Webshop checkout")
        assert notifications(app)[-1] == f"Session summary: Saved to {exported}"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        assert bar_text(app) == "" and not grooming(app).filter.active
        session = Store.open(shop.store.path)[1].sessions[1]
        assert not session.running and session.summary.estimated[0].key == "SHOP-4"
        assert shop.undo_label == "Estimate SHOP-4: 2"  # the session is not an undo step


async def test_quitting_asks_and_keep_leaves_the_session_open_for_later(shop, manual):
    app = GroomApp(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_session(pilot)
        manual.advance(seconds=40)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("escape")  # stay
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen) and app.is_running
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
    assert app.return_code == 0
    session = Store.open(shop.store.path)[1].sessions[1]
    assert session.running and session.seconds == {"SHOP-3": 40}


async def test_quitting_can_end_the_session_first(shop, manual):
    app = GroomApp(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_session(pilot)
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, SessionSummaryScreen)
        await pilot.press("escape")
        await pilot.pause()
    assert not Store.open(shop.store.path)[1].sessions[1].running


async def test_a_session_survives_a_crash_and_resumes_when_groom_opens_again(shop, manual):
    gone = SessionOwner(user="ana", host=SessionOwner.this_process("ana").host, pid=2 ** 22 + 11)
    shop.execute(StartSession(60, tuple(AGENDA), gone, "not ready in the next two sprints"))
    shop.backlog.sessions[1] = shop.backlog.sessions[1].model_copy(update={"owner": gone})
    manual.advance(minutes=10)
    app = GroomApp(BacklogService.open(shop.store.path, clock=manual, user="ana"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "50:00 left" in bar_text(app)
        assert "Resumed the refinement session started at 09:00 (50:00 left)." in notifications(app)[-1]
        assert grooming(app).sessions.running
    session = Store.open(shop.store.path)[1].sessions[1]
    assert session.owner == SessionOwner.this_process("ana")


async def test_another_grooms_session_is_shown_running_and_ended_there(shop, manual):
    elsewhere = SessionOwner(user="ben", host="ben-laptop", pid=99)
    shop.execute(StartSession(60, tuple(AGENDA), elsewhere, "not ready in the next two sprints"))
    app = GroomApp(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        manual.advance(minutes=1)
        grooming(app).sessions.tick()
        assert "59:00 left" in bar_text(app) and "ben's, run in another Groom" in bar_text(app)
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        assert notifications(app)[-1] == ("Session: ben's refinement session runs in another Groom on this file "
                                          "(59:00 left); it is ended there.")
        manual.advance(minutes=10)  # no heartbeat from ben for 10 minutes: his Groom is gone
        grooming(app).sessions.tick()
        assert "an unfinished session from 09:00 by ben" in bar_text(app)
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("e")  # end it: the summary stops when ben was last seen
        await pilot.pause()
        assert isinstance(app.screen, SessionSummaryScreen)
        assert app.screen.summary.ended == START


async def test_a_session_ended_in_another_groom_stops_here(shop, manual):
    app = GroomApp(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_session(pilot)
        other = BacklogService.open(shop.store.path, clock=manual, user="ben")
        other.execute(UpdateSession(1, {}, 0, None, owner=SessionOwner(user="ben", host="x", pid=1)))
        shop.refresh()
        grooming(app).sessions.tick()
        await pilot.pause()
        assert not grooming(app).sessions.running
        assert "The refinement session was ended in another Groom on this file." in notifications(app)[-1]


# ----- history in the detail pane ------------------------------------------------------------------


def history_service(shop: BacklogService, manual: ManualClock) -> BacklogService:
    """SHOP-1 with seven recorded changes, one by ben from another Groom, one with markup-like text."""
    shop.execute(SetPoints("SHOP-1", 3))
    manual.advance(minutes=2)
    shop.execute(AddCriterion("SHOP-1", "Given [bold]markup[/], when shown, then it is literal"))
    manual.advance(minutes=2)
    shop.execute(AddQuestion("SHOP-1", "Which cards do we keep?", ask="Legal"))
    shop.undo()
    ben = BacklogService.open(shop.store.path, clock=manual, user="ben")
    manual.advance(minutes=1)
    ben.execute(EditItem("SHOP-1", {"title": "Pay with a saved card [/]", "labels": ["payments"]}))
    shop.refresh()
    manual.advance(hours=26)
    shop.execute(SetPoints("SHOP-1", 5))
    shop.execute(EditItem("SHOP-1", {"moscow": "should"}))
    return shop


async def test_the_detail_pane_shows_the_newest_history_and_h_shows_it_all(shop, manual):
    app = GroomApp(history_service(shop, manual))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        lines = grooming(app).query_one(DetailPane).section_text("history").splitlines()
        assert lines[:3] == ["History (7)", "11-03 11:05 ana Edit SHOP-1", "  MoSCoW must → should"]
        text = history_section(shop.backlog, "SHOP-1").plain  # the same, unwrapped
        assert ("11-02 09:05 ben Edit SHOP-1\n  labels −checkout\n"
                "  title “Pay with a saved card” → “Pay with a saved card [/]”") in text
        assert "Undo: Ask about SHOP-1" in text
        assert "… 2 more: press h for all" in text
        assert "Given [bold]markup[/]" not in text  # older than the five shown
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        everything = str(app.screen.query_one("#history-entries").render())
        assert "2026-11-02 09:02 ana Add criterion to SHOP-1" in everything
        assert "criterion added: “Given [bold]markup[/], when shown, then it is literal”" in everything
        assert everything.index("Edit SHOP-1") < everything.index("Estimate SHOP-1: 3")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)


async def test_an_item_without_history_shows_no_history_section(shop):
    app = GroomApp(shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "history" not in grooming(app).query_one(DetailPane).sections_shown()
        assert grooming(app).query_one(DetailPane).item.key == "SHOP-1"


# ----- snapshots ---------------------------------------------------------------------------------

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_snapshot_start_dialog(snap_compare, shop, size):
    async def run_before(pilot) -> None:
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SessionStartDialog)

    assert matches(snap_compare, GroomApp(shop), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_snapshot_running_session(snap_compare, shop, manual, size):
    """22 minutes in, on the second agenda item for 4 minutes, after estimating it."""

    async def run_before(pilot) -> None:
        await start_session(pilot)
        pilot.app.clear_notifications()
        manual.advance(minutes=18)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        manual.advance(minutes=4)
        await pilot.press("2")
        grooming(pilot.app).sessions.tick()
        pilot.app.clear_notifications()
        await pilot.pause()
        assert "38:00 left" in bar_text(pilot.app)

    assert matches(snap_compare, GroomApp(shop), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_snapshot_summary(snap_compare, shop, manual, size):
    """A 70-minute session over its 60 minutes: an estimate, a question raised (markup-like), an item made ready."""

    async def run_before(pilot) -> None:
        await start_session(pilot)
        # The warnings have their own tests: here they would pop up whenever the 1-second tick runs.
        grooming(pilot.app).sessions.warned = {"soon", "over"}
        pilot.app.clear_notifications()
        service = pilot.app.service
        manual.advance(minutes=12)
        service.execute(AddQuestion("SHOP-3", "Do we deliver on [b]Sundays[/b]?", ask="Sam"))
        await pilot.press("right_square_bracket")
        manual.advance(minutes=20)
        await pilot.press("right_square_bracket")
        await pilot.press("c", *"Given the SDK 5, when I pay, then it works", "enter")
        manual.advance(minutes=30)
        await pilot.press("right_square_bracket", "right_square_bracket", "5")
        manual.advance(minutes=8)
        pilot.app.clear_notifications()
        await pilot.pause()
        await pilot.press("R", "y")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SessionSummaryScreen)

    assert matches(snap_compare, GroomApp(shop), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_snapshot_detail_pane_history(snap_compare, shop, manual, size):
    """SHOP-1's history in the detail pane, scrolled to it: newest first, ben's edit, markup literal."""

    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press("tab")
        detail = grooming(pilot.app).query_one(DetailPane)
        detail.scroll_to_section("history", top=True)
        await pilot.pause()

    assert matches(snap_compare, GroomApp(history_service(shop, manual)), terminal_size=size, run_before=run_before)


def test_history_timestamps_are_shown_in_local_time(shop, manual, monkeypatch):
    shop.execute(SetPoints("SHOP-1", 3))
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    assert "11-02 14:30 ana Estimate SHOP-1: 3" in history_section(shop.backlog, "SHOP-1").plain
    assert START + timedelta(0) == shop.backlog.history.for_item("SHOP-1")[0].when


async def test_stories_split_from_an_agenda_item_join_the_agenda_view(shop):
    from model.split import ChildDraft, SplitItem

    app = GroomApp(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_session(pilot)
        screen = grooming(app)
        screen.run_command(SplitItem("SHOP-4", (ChildDraft("Spike: providers"), ChildDraft("Autocomplete"))))
        await pilot.pause()
        assert list(screen.list.keys) == ["SHOP-3", "SHOP-4", "SHOP-19", "SHOP-20", "SHOP-6", "SHOP-8", "SHOP-9",
                                          "SHOP-10"]
        assert shop.backlog.sessions[1].agenda == tuple(AGENDA)  # the agenda itself is unchanged
