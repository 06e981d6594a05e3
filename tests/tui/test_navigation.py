"""Moving around the grooming screen: the cursor keys, panes, quitting."""

from __future__ import annotations

import pytest

from tests.tui.conftest import SIZES, backlog_list, item_row, list_rows
from tui.widgets.detail import DetailPane


def cursor_key(app) -> str | None:
    return backlog_list(app).current_key


@pytest.mark.parametrize("size", SIZES)
async def test_cursor_down_and_up_with_j_k_and_arrows(app, size):
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert cursor_key(app) == "SHOP-1"
        assert item_row(app, "SHOP-1").startswith("▶")
        await pilot.press("j")
        assert cursor_key(app) == "SHOP-2"
        await pilot.press("down", "down")
        assert cursor_key(app) == "SHOP-4"
        await pilot.press("k")
        assert cursor_key(app) == "SHOP-3"
        await pilot.press("up")
        assert cursor_key(app) == "SHOP-2"
        await pilot.pause()
        # The marker and the detail pane follow the cursor.
        assert item_row(app, "SHOP-2").startswith("▶")
        assert not item_row(app, "SHOP-1").startswith("▶")
        assert app.screen.query_one(DetailPane).item.key == "SHOP-2"


async def test_cursor_stops_at_both_ends(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("k", "up")
        assert cursor_key(app) == "SHOP-1"
        await pilot.press("G", "j", "down")
        assert cursor_key(app) == "SHOP-18"


@pytest.mark.parametrize("size", SIZES)
async def test_first_and_last_with_g_G_home_end(app, size):
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("G")
        await pilot.pause()
        assert cursor_key(app) == "SHOP-18"
        # The last item is scrolled into view (at 80x24 the list is taller than the pane).
        assert item_row(app, "SHOP-18").startswith("▶")
        await pilot.press("g")
        await pilot.pause()
        assert cursor_key(app) == "SHOP-1"
        assert item_row(app, "SHOP-1").startswith("▶")
        await pilot.press("end")
        assert cursor_key(app) == "SHOP-18"
        await pilot.press("home")
        assert cursor_key(app) == "SHOP-1"


async def test_cursor_scrolls_the_list_at_80x24(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not any(" SHOP-18 " in row for row in list_rows(app))
        await pilot.press(*["j"] * 17)
        await pilot.pause()
        rows = list_rows(app)
        assert any(row.startswith("▶") and " SHOP-18 " in row for row in rows)
        assert not any(" SHOP-1 " in row for row in rows)


@pytest.mark.parametrize("size", SIZES)
async def test_tab_and_shift_tab_move_between_list_and_detail(app, size):
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert app.focused is backlog_list(app)
        await pilot.press("tab")
        assert isinstance(app.focused, DetailPane)
        await pilot.press("tab")
        assert app.focused is backlog_list(app)
        await pilot.press("shift+tab")
        assert isinstance(app.focused, DetailPane)
        await pilot.press("shift+tab")
        assert app.focused is backlog_list(app)


async def test_q_quits(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0


@pytest.mark.xfail(strict=True, reason=(
    "BUG: BacklogList sets virtual_size=Size(self.size.width, rows) (backlog_list.py show() and on_resize); "
    "size.width includes the vertical scrollbar, so whenever the list overflows (80x24) the virtual width is "
    "one column wider than the content region: a horizontal scrollbar appears, eats a row and the list can "
    "scroll sideways by 1. Fix: Size(0, rows). Not applied here: it changes 5 tests/prioritise 80x24 snapshots."))
async def test_the_list_never_scrolls_sideways_and_uses_its_full_height_80x24(app):
    size = (80, 24)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        lst = backlog_list(app)
        assert not lst.show_horizontal_scrollbar
        assert lst.max_scroll_x == 0
        assert lst.scrollable_content_region.height == lst.size.height
        await pilot.press("G")
        await pilot.pause()
        assert not lst.show_horizontal_scrollbar


async def test_tab_goes_to_the_detail_pane_while_a_filter_is_shown(app):
    """With the filter bar on screen, tab still switches panes; it never lands in the filter,
    where the next key (o/t on a conflict, say) would replace the filter's text."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("/", *"kind:bug", "enter")
        await pilot.pause()
        assert app.focused is backlog_list(app)
        await pilot.press("tab")
        assert isinstance(app.focused, DetailPane)
        await pilot.press("tab")
        assert app.focused is backlog_list(app)
        await pilot.press("shift+tab")
        assert isinstance(app.focused, DetailPane)
        await pilot.press("shift+tab", "t")
        assert app.focused is backlog_list(app)
        assert app.screen.query_one("#filter").value == "kind:bug"
        # From the filter itself, tab goes back to the list.
        await pilot.press("/", "tab")
        assert app.focused is backlog_list(app)


async def test_keys_typed_faster_than_the_screen_redraws_act_on_the_item_under_the_cursor(app):
    """`j j m` arriving in one read from the terminal (fast typing, a paste, tmux send-keys):
    the change goes to the item the cursor reached, not the one the detail pane last showed."""
    from textual import events

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        backlog = app.service.backlog
        first, third = backlog.order[0], backlog.order[2]
        before = {key: backlog.items[key].moscow for key in (first, third)}
        for key in ("j", "j", "m"):
            app._driver.send_message(events.Key(key, key))
        await pilot.pause()
        await pilot.pause()
        backlog = app.service.backlog
        assert backlog_list(app).current_key == third
        assert backlog.items[first].moscow == before[first]
        assert backlog.items[third].moscow != before[third]
