"""The detail pane's own keys, with focus on it: select, tick, edit, delete and reorder the
acceptance criteria and questions of the item under the list cursor."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.tui.conftest import SIZES, on_disk, started
from tui.screens.dialogs import PromptDialog
from tui.screens.grooming import GroomingScreen
from tui.widgets.detail import DetailPane, Entry

SHOP1_CRITERIA = [
    ("Given a saved card, when I choose it, then the CVC is the only field asked", True),
    ("Given an expired saved card, when I open checkout, then it is marked expired", False),
]


async def focus_detail(pilot, key: str) -> DetailPane:
    app = pilot.app
    app.screen.list.move_cursor_to(app.service.backlog.position(key))
    await pilot.press("tab")
    await pilot.pause()
    detail = app.screen.query_one(DetailPane)
    assert app.focused is detail
    assert detail.item.key == key
    return detail


def criteria_text(app) -> str:
    return app.screen.query_one(DetailPane).section_source("criteria")


def questions_text(app) -> str:
    return app.screen.query_one(DetailPane).section_source("questions")


def criteria_on_disk(path, key: str) -> list[tuple[str, bool]]:
    return [(c.text, c.done) for c in on_disk(path).item(key).acceptance_criteria]


@pytest.mark.parametrize("size", SIZES)
async def test_j_k_select_criteria_then_questions(app, size):
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        detail = await focus_detail(pilot, "SHOP-3")
        assert detail.current_entry == Entry("criterion", 0)
        assert "▶ [ ] Given a postcode" in criteria_text(app)
        await pilot.press("j")
        await pilot.pause()
        assert detail.current_entry == Entry("question", 0)
        assert "▶ ? Which carriers give reliable dates?" in questions_text(app)
        assert "▶" not in criteria_text(app)
        await pilot.press("j", "j")  # stops at the last entry
        await pilot.pause()
        assert detail.current_entry == Entry("question", 1)
        assert "▶ ✓ Do we show Saturday delivery?" in questions_text(app)
        await pilot.press("k", "k", "k")
        await pilot.pause()
        assert detail.current_entry == Entry("criterion", 0)
        # Without focus nothing is marked as selected.
        await pilot.press("tab")
        await pilot.pause()
        assert "▶" not in criteria_text(app) + questions_text(app)


async def test_space_and_x_untick_and_tick_a_criterion(app, backlog_path):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await focus_detail(pilot, "SHOP-1")
        assert "Acceptance criteria (1/2)" in criteria_text(app)
        await pilot.press("space")
        await pilot.pause()
        assert criteria_on_disk(backlog_path, "SHOP-1")[0][1] is False
        assert "Acceptance criteria (0/2)" in criteria_text(app)
        assert "▶ [ ] Given a saved card" in criteria_text(app)
        await pilot.press("x")
        await pilot.pause()
        assert criteria_on_disk(backlog_path, "SHOP-1") == SHOP1_CRITERIA
        assert "▶ [x] Given a saved card" in criteria_text(app)
        await pilot.press("j", "x")
        await pilot.pause()
        assert criteria_on_disk(backlog_path, "SHOP-1")[1][1] is True
        assert "Acceptance criteria (2/2)" in criteria_text(app)
        # Focus stays on the detail pane and the list cursor on the item.
        assert isinstance(app.focused, DetailPane)
        assert app.screen.list.current_key == "SHOP-1"


async def test_space_on_a_question_changes_nothing(app, backlog_path):
    before = backlog_path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await focus_detail(pilot, "SHOP-3")
        await pilot.press("j", "space", "x")
        await pilot.pause()
    assert backlog_path.read_bytes() == before


async def test_e_edits_the_selected_criterion(app, backlog_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await focus_detail(pilot, "SHOP-1")
        await pilot.press("j", "e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PromptDialog)
        assert dialog.heading == "Edit criterion 2 of SHOP-1"
        assert dialog.query_one("#field-text", Input).value == SHOP1_CRITERIA[1][0]
        await pilot.press("end", "ctrl+u", *"Expired", "enter")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        assert criteria_on_disk(backlog_path, "SHOP-1") == [SHOP1_CRITERIA[0], ("Expired", False)]
        assert "▶ [ ] Expired" in criteria_text(app)


async def test_e_on_a_question_can_answer_it(app, backlog_path):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await focus_detail(pilot, "SHOP-3")
        await pilot.press("j", "e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PromptDialog)
        assert dialog.heading == "Edit question 1 of SHOP-3"
        assert dialog.query_one("#field-ask", Input).value == "Head of Logistics (Sam)"
        await pilot.press("enter", "enter", *"DHL", "enter")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        question = on_disk(backlog_path).item("SHOP-3").questions[0]
        assert (question.text, question.answer) == ("Which carriers give reliable dates?", "DHL")
        assert "Questions (0 open)" in questions_text(app)


async def test_d_deletes_the_selected_criterion_and_question(app, backlog_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await focus_detail(pilot, "SHOP-3")
        await pilot.press("d")
        await pilot.pause()
        item = on_disk(backlog_path).item("SHOP-3")
        assert item.acceptance_criteria == ()
        assert len(item.questions) == 2
        assert "none yet: press c to add one" in criteria_text(app)
        # The selection is now the first question; d deletes it.
        await pilot.press("d")
        await pilot.pause()
        item = on_disk(backlog_path).item("SHOP-3")
        assert [q.text for q in item.questions] == ["Do we show Saturday delivery?"]
        # u brings it back.
        await pilot.press("u")
        await pilot.pause()
        assert len(on_disk(backlog_path).item("SHOP-3").questions) == 2


async def test_J_K_reorder_criteria(app, backlog_path):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        detail = await focus_detail(pilot, "SHOP-1")
        await pilot.press("J")
        await pilot.pause()
        assert criteria_on_disk(backlog_path, "SHOP-1") == SHOP1_CRITERIA[::-1]
        assert detail.current_entry == Entry("criterion", 1)  # the selection moved with it
        await pilot.press("J")  # already last: nothing
        await pilot.pause()
        assert criteria_on_disk(backlog_path, "SHOP-1") == SHOP1_CRITERIA[::-1]
        await pilot.press("K")
        await pilot.pause()
        assert criteria_on_disk(backlog_path, "SHOP-1") == SHOP1_CRITERIA
        assert detail.current_entry == Entry("criterion", 0)
        # The list order is untouched by the detail pane's J/K.
        assert app.service.backlog.order[0] == "SHOP-1"


async def test_c_and_n_from_the_detail_pane(app, backlog_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await focus_detail(pilot, "SHOP-4")
        await pilot.press("c", *"Done", "enter")
        await pilot.pause()
        await pilot.press("n", *"Who?", "enter", "enter")
        await pilot.pause()
        item = on_disk(backlog_path).item("SHOP-4")
        assert [c.text for c in item.acceptance_criteria] == ["Done"]
        assert [q.text for q in item.questions] == ["Who?"]
        assert isinstance(app.focused, DetailPane)


def _selected_line_shown(detail: DetailPane) -> bool:
    """Whether the ▶ line is among the pane's visible lines."""
    top = int(detail.scroll_offset.y)
    visible = detail._lines[top:top + detail.scrollable_content_region.height]
    return any(strip.text.lstrip().startswith("▶") for strip in visible)


async def test_the_selected_entry_stays_in_view_when_the_terminal_shrinks(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        detail = await focus_detail(pilot, "SHOP-3")
        entries = len(detail.entries)
        await pilot.press(*["j"] * (entries - 1))  # the last question, at the bottom of the pane
        await pilot.pause()
        assert detail.current_entry == Entry("question", 1)
        assert _selected_line_shown(detail)
        await pilot.resize_terminal(60, 16)  # narrower: every section wraps onto more lines
        await pilot.pause()
        await pilot.pause()
        assert detail.virtual_size.height > detail.scrollable_content_region.height  # it scrolls now
        assert _selected_line_shown(detail)


async def test_a_cursor_move_redraws_the_pane_in_one_layout(app):
    """The pane's height changes with the item; it is laid out once per item, and a frame
    only copies lines (the pane used to be re-measured over several frames per move)."""
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)  # the first description is drawn after the first frame
        detail = app.screen.query_one(DetailPane)
        renders: list[int] = []
        real = detail._render_sections
        detail._render_sections = lambda width, base: renders.append(width) or real(width, base)  # type: ignore[method-assign]
        await pilot.press("j")
        await pilot.pause()
        await pilot.pause()
        assert detail.item is not None and detail.item.key == app.screen.current_key
        assert 1 <= len(renders) <= 2  # once, or twice when it needs the scroll bar's width


async def test_a_cursor_move_lays_the_screen_out_only_when_the_pane_s_scroll_bar_comes_or_goes(app, monkeypatch):
    """The pane's content height changes with the item, its outer size does not: a move draws
    the pane in the frame after the list's, with no layout of the whole screen (which had also
    redrawn the list's scroll bars, in a third frame). A scroll bar that appears needs one."""
    from textual.screen import Screen

    layouts: list[int] = []
    refresh_layout = Screen._refresh_layout

    def counted(self, *args, **kwargs):
        layouts.append(1)
        return refresh_layout(self, *args, **kwargs)

    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        detail = app.screen.query_one(DetailPane)
        await pilot.press("j", "j", "j")  # SHOP-4
        await pilot.pause()
        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        heights = set()
        for _ in range(4):  # SHOP-5 … SHOP-8: none needs the scroll bar
            await pilot.press("j")
            await pilot.pause()
            await pilot.pause()
            assert not detail.show_vertical_scrollbar
            heights.add(detail.virtual_size.height)
        assert len(heights) > 1 and layouts == []  # the content height changed, and nothing was laid out
        await pilot.press("k", "k", "k", "k", "k")  # SHOP-3: long enough to scroll
        await pilot.pause()
        await pilot.pause()
        assert app.screen.current_key == "SHOP-3"
        assert detail.show_vertical_scrollbar and detail.virtual_size.height > detail.scrollable_content_region.height
        assert layouts  # the scroll bar came: laid out
