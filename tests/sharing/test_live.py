"""Two Grooms on one file, as a pair in two tmux panes uses it: the app on the scenario backlog
and a second Groom on the same file (another BacklogService, or a second app). Each shows the
other's changes within a second, keeps its own cursor, filter and open dialog, and what that
dialog then saves merges with the other's changes field by field."""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Select

from model.commands import (
    AddCriterion,
    AddItem,
    CycleMoscow,
    DeleteCriterion,
    DeleteItem,
    EditItem,
    EditSettings,
    MoveCriterion,
    SetPoints,
)
from model.item import MoSCoW
from model.service import BacklogService
from tests.tui.conftest import backlog_list, grooming, item_row, notifications, on_disk, row_head
from tests.tui.scenario import frozen_clock
from tui.app import GroomApp
from tui.screens.dialogs import PointsPicker, PromptDialog
from tui.screens.help import HelpScreen
from tui.screens.item_form import ItemForm
from tui.screens.score_form import ScoreForm
from tui.screens.settings import SettingsScreen
from tui.screens.split_wizard import SplitWizard
from tui.widgets.detail import DetailPane

POLL_SECONDS = 1.0  # the grooming screen looks at the file once a second


@pytest.fixture
def other(backlog_path: Path, service: BacklogService) -> BacklogService:
    """The second Groom on the same file: the pair's other half."""
    return BacklogService.open(backlog_path, clock=frozen_clock(), user="partner")


async def wait_for(pilot, condition: Callable[[], bool], seconds: float = POLL_SECONDS + 4.0) -> float:
    # Generous: the machine running the tests may be busy; the poll's own period is checked
    # in test_the_others_change_shows_within_a_second_with_a_note.
    """Let the app run (timers fire) until `condition` holds; return how long it took."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, f"not within {seconds} s: {inspect.getsource(condition).strip()}"
        await pilot.pause(0.02)
    return time.monotonic() - started


async def pulled(pilot) -> None:
    """What the once-a-second poll does, without waiting for it."""
    grooming(pilot.app).pull_external_changes()
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    await pilot.press(*["space" if ch == " " else ch for ch in text])


# ----- seeing the other's changes ------------------------------------------------------------


async def test_the_others_change_shows_within_a_second_with_a_note(app, other):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        polls = [t for t in app.screen._timers if t._callback == app.screen.pull_external_changes]
        assert [t._interval for t in polls] == [POLL_SECONDS]
        assert "?" in item_row(app, "SHOP-9").split("page")[-1]
        other.execute(SetPoints("SHOP-9", 8))
        # The poll period asserted above is what makes it "within a second"; the wall clock only
        # has to show it came from that poll, with room for a busy CI machine.
        took = await wait_for(pilot, lambda: " 8 " in item_row(app, "SHOP-9").split("page")[-1])
        assert took <= POLL_SECONDS + 5
        assert "1 item changed by another Groom on this file." in notifications(app)
        assert app.service.undo_label is None  # the other's change is not ours to undo


async def test_idle_polling_only_stats_the_file(app, monkeypatch):
    """Cheap when idle: no change on disk means no read, only a stat."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        store = app.service.store
        reads = []
        monkeypatch.setattr(store.storage, "read", lambda: reads.append(1))
        import model.store as store_module

        real_read = store_module._read_bytes
        monkeypatch.setattr(store_module, "_read_bytes", lambda path: reads.append(path) or real_read(path))
        real_log = store_module.journal.read
        monkeypatch.setattr(store_module.journal, "read", lambda path: reads.append(path) or real_log(path))
        for _ in range(3):
            await pulled(pilot)
        assert reads == []


async def test_the_cursor_stays_on_its_item_when_items_are_added_above(app, other):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "j", "j")  # SHOP-5
        await pilot.pause()
        assert backlog_list(app).current_key == "SHOP-5"
        other.execute(AddItem("added on top"))
        other.execute(AddItem("added below one", below="SHOP-1"))
        other.execute(SetPoints("SHOP-5", 3))  # and the item under the cursor itself changed
        await wait_for(pilot, lambda: len(app.service.backlog) == 20)
        await pilot.pause()
        assert backlog_list(app).current_key == "SHOP-5"
        assert row_head(item_row(app, "SHOP-5")) == ("▶", 7, "SHOP-5")
        assert "SHOP-5" in grooming(app).query_one(DetailPane).section_text("head")  # the detail pane follows
        assert app.screen.current_key == "SHOP-5"
        await pilot.press("3")  # and keys act on it
        assert on_disk(app.service.store.path).item("SHOP-5").points == 3


async def test_when_the_others_delete_the_item_under_the_cursor_it_moves_to_a_neighbour(app, other):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j")  # SHOP-3
        other.execute(DeleteItem("SHOP-3"))
        await pulled(pilot)
        assert backlog_list(app).current_key == "SHOP-4"
        assert app.screen.current_key == "SHOP-4"
        await pilot.press("e")
        assert isinstance(app.screen, ItemForm) and app.screen.heading == "Edit SHOP-4"


async def test_the_filter_and_its_half_typed_text_are_kept(app, other):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await type_text(pilot, "kind:story redesign")
        await pilot.pause()
        assert list(backlog_list(app).keys) == ["SHOP-8", "SHOP-9"]
        other.execute(EditItem("SHOP-9", {"kind": "bug"}))  # drops out of the filter
        other.execute(EditItem("SHOP-12", {"title": "Redesign the receipt"}))  # comes into it
        await wait_for(pilot, lambda: "SHOP-12" in backlog_list(app).keys)
        field = grooming(app).query_one("#filter", Input)
        assert field.value == "kind:story redesign" and field.has_focus
        assert list(backlog_list(app).keys) == ["SHOP-8", "SHOP-12"]
        await type_text(pilot, " page")  # typing goes on where it was
        assert list(backlog_list(app).keys) == ["SHOP-8"]


# ----- open dialogs ------------------------------------------------------------------------------


async def test_a_half_typed_edit_form_survives_and_saves_only_what_was_typed(app, other, backlog_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "j", "j", "e")  # edit SHOP-5
        form = app.screen
        assert isinstance(form, ItemForm)
        await pilot.press("end")
        await type_text(pilot, " for guests")
        # Meanwhile the partner estimates it, changes its MoSCoW and adds a criterion.
        other.execute(SetPoints("SHOP-5", 13))
        other.execute(CycleMoscow("SHOP-5"))
        other.execute(AddCriterion("SHOP-5", "Given a guest, when paying, then no account is made"))
        await wait_for(pilot, lambda: app.service.backlog.item("SHOP-5").points == 13)
        await pilot.pause()
        assert app.screen is form  # still open, still typing in the title
        title = form.query_one("#title", Input)
        assert title.has_focus and title.value == "Guest checkout without an account 🛒 for guests"
        await type_text(pilot, " only")
        await pilot.press("ctrl+s")
        assert not isinstance(app.screen, ItemForm)
        item = on_disk(backlog_path).item("SHOP-5")
        assert item.title == "Guest checkout without an account 🛒 for guests only"
        assert (item.points, item.moscow) == (13, MoSCoW.COULD)  # the partner's fields survive
        assert len(item.acceptance_criteria) == 2
        assert not [n for n in notifications(app) if "replaced" in n]  # nothing of ours was replaced


async def test_same_field_later_wins_and_whose_edit_was_replaced_is_told(app, other, backlog_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "j", "j", "e")  # edit SHOP-5 ...
        form = app.screen
        await pilot.press("end")
        await type_text(pilot, " mine")
        other.execute(EditItem("SHOP-5", {"title": "Guest checkout theirs"}))  # ... the partner renames it first
        await pulled(pilot)
        await pilot.press("ctrl+s")  # ours is later: it wins
        assert on_disk(backlog_path).item("SHOP-5").title == "Guest checkout without an account 🛒 mine"
        assert form is not app.screen
        # The partner is told, naming item and field.
        assert other.refresh().replaced == (
            "SHOP-5 title: your change was replaced by a later one from another Groom",)
        # The other way round: our estimate replaced by the partner's later one.
        await pilot.press("2")
        other.execute(SetPoints("SHOP-5", 8))
        await wait_for(pilot, lambda: any("SHOP-5 points: your change was replaced" in n for n in notifications(app)))
        assert item_row(app, "SHOP-5").split()[-3] == "8"


async def test_undo_refuses_when_the_partner_changed_the_item_since(app, other, backlog_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "8")  # SHOP-2: 8 points
        other.execute(SetPoints("SHOP-2", 3))
        other.execute(SetPoints("SHOP-4", 1))
        await pulled(pilot)
        await pilot.press("u")
        assert any("cannot undo “Estimate SHOP-2: 8”: SHOP-2 points was changed since" in n
                   for n in notifications(app))
        assert on_disk(backlog_path).item("SHOP-2").points == 3
        await pilot.press("m")  # our own change to another field undoes fine
        await pilot.press("u")
        assert on_disk(backlog_path).item("SHOP-2").moscow == MoSCoW.MUST
        assert on_disk(backlog_path).item("SHOP-4").points == 1


async def test_adding_below_an_item_the_partner_deleted_adds_where_it_was(app, other, backlog_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "a")  # a new item below SHOP-3
        form = app.screen
        await type_text(pilot, "typed while the partner deleted SHOP-3")
        other.execute(DeleteItem("SHOP-3"))  # not pulled yet: the save must still see it
        await pilot.press("ctrl+s")
        assert app.screen is not form
        order = on_disk(backlog_path).order
        assert order[:4] == ["SHOP-1", "SHOP-2", "SHOP-19", "SHOP-4"]
        assert "1 item changed by another Groom on this file." in notifications(app)


async def test_the_split_wizard_stays_open_and_applies_on_the_fresh_backlog(app, other, backlog_path):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*["j"] * 10, "s")  # SHOP-11, 13 points
        wizard = app.screen
        assert isinstance(wizard, SplitWizard)
        await pilot.press("enter")  # check -> pattern
        step = wizard.step
        other.execute(AddItem("added above", below="SHOP-1"))
        other.execute(SetPoints("SHOP-12", 5))
        other.execute(EditItem("SHOP-11", {"description": "more context from the partner"}))
        await wait_for(pilot, lambda: len(app.service.backlog) == 19)
        assert app.screen is wizard and wizard.step == step
        await pilot.press("enter", "enter", "enter")  # pattern -> children -> review -> apply
        await pilot.pause()
        assert not isinstance(app.screen, SplitWizard)
        backlog = on_disk(backlog_path)
        assert backlog.item("SHOP-11").status.value == "split"
        assert backlog.item("SHOP-11").description == "more context from the partner"
        children = backlog.children("SHOP-11")
        assert len(children) >= 2
        assert backlog.item("SHOP-12").points == 5 and "SHOP-19" in backlog
        positions = [backlog.position(c.key) for c in children]
        assert positions[0] == backlog.position("SHOP-11") + 1  # right below the parent


async def test_help_and_the_points_picker_stay_open_while_the_partner_works(app, other, backlog_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await type_text(pilot, "undo")
        help_screen = app.screen
        filter_field = help_screen.query_one(Input)
        other.execute(SetPoints("SHOP-9", 2))
        await wait_for(pilot, lambda: app.service.backlog.item("SHOP-9").points == 2)
        assert app.screen is help_screen and filter_field.value == "undo"
        await pilot.press("escape")
        await pilot.press("p")  # the picker on SHOP-1
        picker = app.screen
        assert isinstance(picker, PointsPicker)
        await pilot.press("j")
        highlighted = picker.query_one(OptionList).highlighted
        other.execute(CycleMoscow("SHOP-1"))
        await pulled(pilot)
        assert app.screen is picker and picker.query_one(OptionList).highlighted == highlighted
        await pilot.press("enter")
        item = on_disk(backlog_path).item("SHOP-1")
        assert item.points == 8 and item.moscow == MoSCoW.SHOULD  # 5 -> next on the scale; the partner's MoSCoW


async def test_editing_a_criterion_the_partner_moved_edits_that_criterion(app, other, backlog_path):
    """Criteria are a list: the dialog must edit the criterion it showed, wherever it is now."""
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("tab", "j", "e")  # SHOP-1's second criterion
        dialog = app.screen
        assert isinstance(dialog, PromptDialog)
        assert dialog.query_one(Input).value.startswith("Given an expired saved card")
        await pilot.press("end")
        await type_text(pilot, " in red")
        other.execute(MoveCriterion("SHOP-1", 1, -1))  # the partner puts it first
        other.execute(AddCriterion("SHOP-1", "Given three cards, when I pay, then I choose one"))
        await pulled(pilot)
        await pilot.press("enter")
        texts = [c.text for c in on_disk(backlog_path).item("SHOP-1").acceptance_criteria]
        assert texts == [
            "Given an expired saved card, when I open checkout, then it is marked expired in red",
            "Given a saved card, when I choose it, then the CVC is the only field asked",
            "Given three cards, when I pay, then I choose one",
        ]


async def test_editing_a_criterion_the_partner_deleted_is_refused_with_the_reason(app, other, backlog_path):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("tab", "j", "e")
        dialog = app.screen
        other.execute(DeleteCriterion("SHOP-1", 1))
        await pulled(pilot)
        await pilot.press("end", "x", "enter")
        assert app.screen is dialog  # kept open with what was typed
        assert "was changed or removed by another Groom" in str(dialog.query_one("#prompt-error").render())
        texts = [c.text for c in on_disk(backlog_path).item("SHOP-1").acceptance_criteria]
        assert texts == ["Given a saved card, when I choose it, then the CVC is the only field asked"]


async def test_the_score_form_saves_only_the_inputs_typed_into_it(app, other, backlog_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")  # scores of SHOP-1
        form = app.screen
        assert isinstance(form, ScoreForm)
        form.query_one("#score-business_value", Select).value = "8"
        form.query_one("#score-job_size", Select).value = "2"
        other.execute(EditItem("SHOP-1", {"scores": {"reach": 500, "job_size": 13}}))
        await pulled(pilot)
        assert app.screen is form
        await pilot.press("ctrl+s")
        scores = on_disk(backlog_path).item("SHOP-1").scores
        assert (scores.business_value, scores.job_size, scores.reach) == (8, 2, 500)


async def test_the_settings_save_only_what_was_changed(app, other, backlog_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("O")
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        screen.query_one("#setting-score", Select).value = "wsjf"
        other.execute(EditSettings({"split_threshold": 8, "ready_rules": ["criteria"]}))
        await pulled(pilot)
        await pilot.press("ctrl+s")
        settings = on_disk(backlog_path).meta.settings
        assert (settings.score_model, settings.split_threshold, settings.ready_rules) == ("wsjf", 8, ("criteria",))


# ----- two apps --------------------------------------------------------------------------------------


async def test_two_apps_on_one_file_both_keep_every_change(app, backlog_path):
    partner = GroomApp(BacklogService.open(backlog_path, clock=frozen_clock(), user="partner"))
    async with app.run_test(size=(80, 24)) as ours, partner.run_test(size=(80, 24)) as theirs:
        await ours.press("j", "j", "8")  # SHOP-3: 8
        await theirs.press("j", "m")  # SHOP-2: MoSCoW should
        await ours.press("j", "J")  # SHOP-4 down below SHOP-5
        await theirs.press("G", "a")  # add at the bottom ...
        await type_text(theirs, "from the partner")
        await theirs.press("ctrl+s")
        await ours.press("c")  # a criterion on SHOP-4
        await type_text(ours, "Given a provider when chosen then documented")
        await ours.press("enter")
        await wait_for(ours, lambda: "SHOP-19" in app.service.backlog)
        await wait_for(theirs, lambda: partner.service.backlog.item("SHOP-4").acceptance_criteria)
        disk = on_disk(backlog_path)
        assert disk.item("SHOP-3").points == 8
        assert disk.item("SHOP-2").moscow == MoSCoW.SHOULD
        assert disk.order.index("SHOP-4") == disk.order.index("SHOP-5") + 1
        assert disk.item("SHOP-19").title == "from the partner"
        assert [c.text for c in disk.item("SHOP-4").acceptance_criteria] == [
            "Given a provider when chosen then documented"]
        assert app.service.backlog.to_tables() == partner.service.backlog.to_tables() == disk.to_tables()
        assert backlog_list(app).current_key == "SHOP-4"  # each kept its own cursor
        assert backlog_list(partner).current_key == "SHOP-19"
