"""Changing items from the list: add, edit, delete, estimate, MoSCoW, criteria, questions, and the
keys of features still to come."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input, Static

from model.item import MoSCoW, Status
from tests.tui.conftest import (
    SIZES,
    backlog_list,
    item_row,
    list_rows,
    notifications,
    on_disk,
    order_on_disk,
    row_head,
)
from tui.screens.dialogs import ConfirmDialog, PointsPicker, PromptDialog
from tui.screens.grooming import GroomingScreen
from tui.screens.item_form import ItemForm
from tui.screens.rank_by_score import RankByScoreScreen
from tui.screens.split_wizard import SplitWizard
from tui.widgets.detail import DetailPane


async def open_screen(pilot, *keys: str) -> object:
    """Press `keys` and return the screen they opened."""
    await pilot.press(*keys)
    await pilot.pause()
    return pilot.app.screen


async def go_to(pilot, key: str) -> None:
    app = pilot.app
    app.screen.list.move_cursor_to(app.service.backlog.position(key))
    await pilot.pause()


async def clear_input(pilot) -> None:
    """Empty the focused one-line field the way a user does: end, then ctrl+u."""
    await pilot.press("end", "ctrl+u")


def form_error(screen) -> str:
    widget_id = "#form-error" if isinstance(screen, ItemForm) else "#prompt-error"
    return str(screen.query_one(widget_id, Static).render())


# ----- a: add ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_a_adds_an_item_below_the_cursor_with_the_next_key(app, backlog_path, size):
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("j", "j")  # SHOP-3
        form = await open_screen(pilot, "a")
        assert isinstance(form, ItemForm)
        assert "New item SHOP-19 (below SHOP-3)" in form.heading
        assert app.focused is form.query_one("#title", Input)
        await pilot.press(*"Gift wrap")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        disk = on_disk(backlog_path)
        assert disk.order[3] == "SHOP-19"
        assert disk.order[2] == "SHOP-3"
        assert disk.item("SHOP-19").title == "Gift wrap"
        assert disk.item("SHOP-19").status == Status.NEW
        assert disk.item("SHOP-19").points is None
        assert backlog_list(app).current_key == "SHOP-19"
        assert row_head(item_row(app, "SHOP-19")) == ("▶", 4, "SHOP-19")
        assert "Gift wrap" in item_row(app, "SHOP-19")
        assert "19 items" in str(app.screen.query_one("#title-bar", Static).render())


async def test_a_then_enter_in_the_title_saves_too(app, backlog_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_screen(pilot, "a")
        await pilot.press(*"Wrap", "enter")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        assert order_on_disk(backlog_path)[1] == "SHOP-19"


async def test_a_then_escape_creates_nothing(app, backlog_path):
    before = backlog_path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_screen(pilot, "a")
        await pilot.press(*"Gift", "escape")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        assert "SHOP-19" not in app.service.backlog
        assert backlog_list(app).current_key == "SHOP-1"
    assert backlog_path.read_bytes() == before


# ----- e / enter: edit ------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["e", "enter"])
async def test_e_and_enter_edit_the_title(app, backlog_path, key):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("j")
        form = await open_screen(pilot, key)
        assert isinstance(form, ItemForm)
        assert form.heading == "Edit SHOP-2"
        title = form.query_one("#title", Input)
        assert title.value == app.service.backlog.item("SHOP-2").title
        await clear_input(pilot)
        await pilot.press(*"Coupons")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        assert on_disk(backlog_path).item("SHOP-2").title == "Coupons"
        assert backlog_list(app).current_key == "SHOP-2"
        assert "Coupons" in item_row(app, "SHOP-2")


async def test_edit_with_an_empty_title_is_refused_and_keeps_what_was_typed(app, backlog_path):
    before = backlog_path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = await open_screen(pilot, "e")
        await pilot.press("tab", "tab", "tab", "tab", "tab")  # title → kind → status → points → moscow → labels
        assert app.focused is form.query_one("#labels", Input)
        await pilot.press("end", *",vip")
        await pilot.press("shift+tab", "shift+tab", "shift+tab", "shift+tab", "shift+tab")
        await clear_input(pilot)
        await pilot.press("space", "space")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert form_error(form) == "⚠ The title must not be empty."
        assert "⚠ The title must not be empty." in "\n".join(s.text for s in app.screen._compositor.render_strips())
        assert form.query_one("#title", Input).value == "  "
        assert form.query_one("#labels", Input).value == "payments, checkout,vip"
        assert app.focused is form.query_one("#title", Input)
        # Fixing the title then saves everything that was typed.
        await pilot.press(*"Saved cards", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        item = on_disk(backlog_path).item("SHOP-1")
        assert item.title == "Saved cards"
        assert item.labels == ("payments", "checkout", "vip")
    assert backlog_path.read_bytes() != before


async def test_a_title_over_the_limit_is_refused_with_the_models_message(app, backlog_path):
    before = backlog_path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = await open_screen(pilot, "a")
        form.query_one("#title", Input).post_message(events.Paste("x" * 250))
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert form_error(form).startswith("⚠ ")
        assert "250 characters long; the limit is 200" in form_error(form)
        assert form.query_one("#title", Input).value == "x" * 250
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
    assert backlog_path.read_bytes() == before


# ----- d: delete ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_d_then_y_deletes_and_u_restores(app, backlog_path, size):
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("j")
        dialog = await open_screen(pilot, "d")
        assert isinstance(dialog, ConfirmDialog)
        assert "Delete SHOP-2" in dialog.question
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        assert "SHOP-2" not in order_on_disk(backlog_path)
        assert not any(" SHOP-2 " in row for row in list_rows(app))
        assert backlog_list(app).current_key == "SHOP-3"
        assert "Deleted SHOP-2. Press u to undo." in notifications(app)
        await pilot.press("u")
        await pilot.pause()
        assert order_on_disk(backlog_path)[1] == "SHOP-2"
        assert backlog_list(app).current_key == "SHOP-2"
        assert "Undo: Undone: Delete SHOP-2" in notifications(app)


@pytest.mark.parametrize("answer", ["n", "escape"])
async def test_d_then_n_or_escape_keeps_the_item(app, backlog_path, answer):
    before = backlog_path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_screen(pilot, "d")
        await pilot.press(answer)
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        assert "SHOP-1" in app.service.backlog
        assert backlog_list(app).current_key == "SHOP-1"
    assert backlog_path.read_bytes() == before


# ----- estimates ------------------------------------------------------------------------------


async def test_number_keys_set_the_points(app, backlog_path):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("G", "k")  # SHOP-17, 3 points
        for key, points in [("0", 0), ("1", 1), ("2", 2), ("3", 3), ("5", 5), ("8", 8)]:
            await pilot.press(key)
            await pilot.pause()
            assert on_disk(backlog_path).item("SHOP-17").points == points
            assert item_row(app, "SHOP-17").split()[-3] == str(points)
            assert backlog_list(app).current_key == "SHOP-17"


async def test_p_picks_13_one_half_and_unestimated(app, backlog_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        picker = await open_screen(pilot, "p")
        assert isinstance(picker, PointsPicker)
        options = picker.query_one("#points-options")
        assert options.get_option_at_index(options.highlighted).id == "5"  # SHOP-1's estimate
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == [
            "0", "½", "1", "2", "3", "5", "8", "13", "20", "40", "100", "?"]
        await pilot.press("j", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        assert on_disk(backlog_path).item("SHOP-1").points == 13
        assert item_row(app, "SHOP-1").split()[-3] == "13"

        await open_screen(pilot, "p")
        await pilot.press("home", "down", "enter")
        await pilot.pause()
        assert on_disk(backlog_path).item("SHOP-1").points == 0.5
        assert item_row(app, "SHOP-1").split()[-3] == "½"

        await open_screen(pilot, "p")
        await pilot.press("end", "enter")
        await pilot.pause()
        assert on_disk(backlog_path).item("SHOP-1").points is None
        assert item_row(app, "SHOP-1").split()[-3] == "?"

        # escape picks nothing.
        before = backlog_path.read_bytes()
        await open_screen(pilot, "p")
        await pilot.press("k", "escape")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        assert backlog_path.read_bytes() == before


# ----- m: MoSCoW ------------------------------------------------------------------------------


async def test_m_cycles_must_should_could_wont_none(app, backlog_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.service.backlog.item("SHOP-1").moscow == MoSCoW.MUST
        for expected, mark in [(MoSCoW.SHOULD, "S"), (MoSCoW.COULD, "C"), (MoSCoW.WONT, "W"), (None, "·"),
                               (MoSCoW.MUST, "M")]:
            await pilot.press("m")
            await pilot.pause()
            assert on_disk(backlog_path).item("SHOP-1").moscow == expected
            assert item_row(app, "SHOP-1").split()[-2] == mark
            assert backlog_list(app).current_key == "SHOP-1"


# ----- c and n: criteria and questions --------------------------------------------------------


async def test_c_adds_an_acceptance_criterion(app, backlog_path):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("G")  # SHOP-18: no criteria
        dialog = await open_screen(pilot, "c")
        assert isinstance(dialog, PromptDialog)
        assert "SHOP-18" in dialog.heading
        await pilot.press(*"Tax shown", "enter")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        criteria = on_disk(backlog_path).item("SHOP-18").acceptance_criteria
        assert [(c.text, c.done) for c in criteria] == [("Tax shown", False)]
        detail = app.screen.query_one(DetailPane).section_source("criteria")
        assert "Acceptance criteria (0/1)" in detail
        assert "[ ] Tax shown" in detail


async def test_c_with_empty_text_is_refused_in_the_dialog(app, backlog_path):
    before = backlog_path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = await open_screen(pilot, "c")
        await pilot.press("space", "enter")
        await pilot.pause()
        assert app.screen is dialog
        assert form_error(dialog) == "⚠ Acceptance criterion must not be empty."
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
    assert backlog_path.read_bytes() == before


async def test_n_adds_a_question_and_the_item_needs_info(app, backlog_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.service.backlog.item("SHOP-1").status == Status.NEW
        assert item_row(app, "SHOP-1").endswith("✓")
        dialog = await open_screen(pilot, "n")
        assert isinstance(dialog, PromptDialog)
        await pilot.press(*"Amex?", "enter")  # to "Ask whom"
        assert app.focused is dialog.query_one("#field-ask", Input)
        await pilot.press(*"Ana", "enter")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        item = on_disk(backlog_path).item("SHOP-1")
        assert [(q.text, q.ask, q.answer) for q in item.questions] == [("Amex?", "Ana", "")]
        assert item.status == Status.NEEDS_INFO
        assert item_row(app, "SHOP-1").endswith("?")
        detail = app.screen.query_one(DetailPane).section_source("questions")
        assert "Questions (1 open)" in detail
        assert "? Amex?  (ask Ana)" in detail


# ----- s S C R: split, rank by score, and what is still to come ---------------------------------


async def test_s_opens_the_split_wizard_and_escape_changes_nothing(app, backlog_path):
    before = backlog_path.read_bytes()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        wizard = await open_screen(pilot, "s")
        assert isinstance(wizard, SplitWizard)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
    assert backlog_path.read_bytes() == before


async def test_s_on_a_closed_item_says_why_not(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await go_to(pilot, "SHOP-15")  # done
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        assert "SHOP-15 is done: only open items can be split." in notifications(app)


async def test_S_opens_the_rank_by_score_preview_and_escape_changes_nothing(app, backlog_path):
    before = backlog_path.read_bytes()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        preview = await open_screen(pilot, "S")
        assert isinstance(preview, RankByScoreScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        assert backlog_list(app).current_key == "SHOP-1"
    assert backlog_path.read_bytes() == before
