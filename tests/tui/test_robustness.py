"""What users throw at it: markup and escape codes in titles, long, wide and right-to-left text,
resizing, an empty backlog, a backlog file that disappears."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input

from model.commands import AddItem
from tests.tui.conftest import (
    SIZES,
    backlog_list,
    item_row,
    list_rows,
    list_strips,
    notifications,
    on_disk,
    row_head,
    screen_strips,
    screen_text,
)
from tui.screens.dialogs import ConfirmDialog
from tui.screens.grooming import GroomingScreen
from tui.screens.item_form import ItemForm
from tui.widgets.detail import DetailPane

MARKUP_TITLE = "[bold]x[/] [link=http://a]y[/link]"
ANSI_TITLE = "\x1b[31mred\x1b[0m alert\x07"
ANSI_SHOWN = "␛[31mred␛[0m alert␇"


def assert_layout_intact(app) -> None:
    """Every row fills its pane exactly, and the detail pane's left border is one straight line."""
    width, height = app.size
    lst = backlog_list(app)
    strips = list_strips(lst)
    assert strips, "the list draws no rows"
    pane_width = lst.scrollable_content_region.width
    assert [s.cell_length for s in strips] == [pane_width] * len(strips)
    screen = screen_strips(app)
    assert len(screen) == height
    assert [s.cell_length for s in screen] == [width] * height
    detail = app.screen.query_one(DetailPane)
    x, top, _, rows = detail.region
    border = [screen[y].crop(x, x + 1).text for y in range(top, top + rows)]
    assert set(border) == {"▏"}, border


async def go_to(pilot, key: str) -> None:
    app = pilot.app
    backlog_list(app).move_cursor_to(app.service.backlog.position(key))
    await pilot.pause()


# ----- user text is data ----------------------------------------------------------------------


async def test_a_markup_title_typed_in_the_form_shows_literally(app, backlog_path):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ItemForm)
        form.query_one("#title", Input).post_message(events.Paste(MARKUP_TITLE))
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert on_disk(backlog_path).item("SHOP-19").title == MARKUP_TITLE
        row = item_row(app, "SHOP-19")
        assert MARKUP_TITLE in row
        # No style leaked from the text: the title cells are plain (the cursor row is bold as a whole).
        await pilot.press("k")
        await pilot.pause()
        strip = next(s for s in list_strips(backlog_list(app)) if " SHOP-19 " in s.text)
        title_segments = [seg for seg in strip if seg.text and seg.text in MARKUP_TITLE]
        assert title_segments
        assert not any(seg.style and (seg.style.link or seg.style.bold) for seg in title_segments)
        # The detail pane and the delete question show it literally too.
        await pilot.press("j")
        await pilot.pause()
        assert MARKUP_TITLE in screen_text(app)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert MARKUP_TITLE in screen_text(app)
        await pilot.press("n")


@pytest.mark.parametrize("size", SIZES)
async def test_ansi_escape_bytes_in_a_title_show_as_control_pictures(service, make_app, size):
    service.execute(AddItem(ANSI_TITLE))  # at the top
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        row = item_row(app, "SHOP-19")
        assert ANSI_SHOWN in row
        assert "\x1b" not in "".join(list_rows(app))
        text = screen_text(app)
        assert "\x1b" not in text and "\x07" not in text
        assert ANSI_SHOWN in app.screen.query_one(DetailPane).section_text("head")
        # The scenario's own ANSI title (SHOP-2) too, in the detail pane.
        await go_to(pilot, "SHOP-2")
        head = " ".join(app.screen.query_one(DetailPane).section_text("head").split())  # unwrapped
        assert "[Bug] Coupon field accepts [bold]markup[/] and ␛[31mANSI␛[0m codes" in head
        assert_layout_intact(app)


# ----- long, wide and right-to-left text ------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("key", ["SHOP-3", "SHOP-5", "SHOP-10", "SHOP-11"])
async def test_long_description_emoji_and_rtl_keep_the_layout(app, size, key):
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await go_to(pilot, key)
        assert app.screen.query_one(DetailPane).item.key == key
        assert row_head(item_row(app, key))[0] == "▶"
        assert_layout_intact(app)
        # The detail pane can be scrolled through the whole item without breaking either.
        await pilot.press("tab", "end")
        await pilot.pause()
        assert_layout_intact(app)


async def test_rtl_and_emoji_titles_are_shown_whole_when_they_fit(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Guest checkout without an account 🛒" in item_row(app, "SHOP-5")
        assert "טופס תשלום בעברית" in item_row(app, "SHOP-10")


@pytest.mark.parametrize("size", SIZES)
async def test_wide_titles_too_long_for_their_column_end_in_an_ellipsis_and_keep_the_row_width(app, size):
    """Rows are drawn as segments (tui/widgets/backlog_list.py): a title of double-width
    characters, starting on either column parity, is cut to its column with "…" and never
    halves a character; markup and escape codes in it stay literal; every row keeps its width."""
    from tui.text import visible_line

    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for title in ("漢字" * 40, "a" + "漢字" * 40, "🛒 [bold]x[/] \x1b[31m" + "字" * 60):
            app.service.execute(AddItem(title=title))
            app.screen.refresh_view()
            await pilot.pause()
            row = item_row(app, app.service.backlog.order[0])
            assert "…" in row
            shown = row.split(" STORY ", 1)[1].split("…")[0].rstrip()
            assert len(shown) > 5 and visible_line(title).startswith(shown)
            assert row.rstrip().endswith("? · ·")  # the title made room for the columns after it
            assert_layout_intact(app)  # every row exactly as wide as the list


# ----- resizing -----------------------------------------------------------------------------------


async def test_resizing_keeps_the_cursor_on_the_same_item(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await go_to(pilot, "SHOP-17")
        for width, height in [(80, 24), (60, 20), (120, 40), (60, 20), (120, 40)]:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            assert app.size == (width, height)
            assert backlog_list(app).current_key == "SHOP-17"
            assert row_head(item_row(app, "SHOP-17")) == ("▶", 17, "SHOP-17"), (width, height)
            assert_layout_intact(app)
        # Keys still work after all that.
        await pilot.press("k")
        assert backlog_list(app).current_key == "SHOP-16"


async def test_resizing_with_a_dialog_open(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        for width, height in [(80, 24), (60, 20), (120, 40)]:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            assert isinstance(app.screen, ItemForm)
            assert "Edit SHOP-1" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        assert_layout_intact(app)


# ----- an empty backlog -------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_an_empty_backlog_shows_a_hint_and_a_adds_the_first_item(empty_service, make_app, size):
    app = make_app(empty_service)
    path = empty_service.store.path
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        rows = list_rows(app)
        assert rows[0].strip() == "Empty backlog: press a to add an item."
        assert "Nothing selected." in app.screen.query_one(DetailPane).section_text("head")
        # Item keys with nothing to act on say so instead of failing.
        for key in ["j", "k", "J", "K", "T", "B", "g", "G", "3", "m", "d", "e", "p", "c", "n", "s"]:
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, GroomingScreen), key
        assert set(notifications(app)) == {"No item selected: press a to add one."}
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ItemForm)
        assert form.heading == "New item SHOP-1 (at the top)"
        await pilot.press(*"First", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        assert on_disk(path).order == ["SHOP-1"]
        assert backlog_list(app).current_key == "SHOP-1"
        assert row_head(item_row(app, "SHOP-1")) == ("▶", 1, "SHOP-1")
        assert app.screen.query_one(DetailPane).item.key == "SHOP-1"


# ----- the file goes away -------------------------------------------------------------------------


async def test_a_change_when_the_file_was_deleted_is_refused_with_a_message(app, backlog_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        backlog_path.unlink()
        await pilot.press("3")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, GroomingScreen)
        errors = [n for n in notifications(app) if n.startswith("Not done: ")]
        assert errors and "moved or deleted" in errors[0]
        assert app.service.backlog.item("SHOP-1").points == 5  # memory still matches what was saved
        assert not backlog_path.exists()
