"""Filtering as you type, undo and redo, the help screen and the command palette."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, Static

from tests.tui.conftest import (
    SIZES,
    backlog_list,
    item_row,
    list_rows,
    notifications,
    order,
    order_on_disk,
    row_head,
    screen_text,
    started,
    widget_text,
)
from tui.screens.grooming import GroomingScreen
from tui.screens.help import HelpScreen
from tui.widgets.detail import DetailPane

SCENARIO = [f"SHOP-{n}" for n in range(1, 19)]


def filter_status(app) -> str:
    return str(app.screen.query_one("#filter-status", Static).render())


def shown_keys(app) -> list[str]:
    return [head[2] for head in map(row_head, list_rows(app)) if head]


# ----- / filter -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_slash_filters_as_you_type_and_escape_clears(app, size):
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("j")  # SHOP-2, the only bug
        await pilot.press("slash")
        await pilot.pause()
        field = app.screen.query_one("#filter", Input)
        assert field.display and app.focused is field
        assert filter_status(app) == "type to filter · enter keeps it · escape clears"
        await pilot.press(*"kind:")
        await pilot.pause()
        assert len(backlog_list(app).keys) == 18  # a half-typed term filters nothing
        await pilot.press(*"bug")
        await pilot.pause()
        assert list(backlog_list(app).keys) == ["SHOP-2"]
        assert shown_keys(app) == ["SHOP-2"]
        assert filter_status(app) == "1 of 18 match · escape clears"
        assert "1 of 18 match" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not field.display
        assert field.value == ""
        assert list(backlog_list(app).keys) == SCENARIO
        assert app.focused is backlog_list(app)
        assert backlog_list(app).current_key == "SHOP-2"
        assert "match" not in screen_text(app)


async def test_filter_of_several_kinds_then_enter_returns_to_the_list(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"kind:bug,chore", "enter")
        await pilot.pause()
        assert shown_keys(app) == ["SHOP-2", "SHOP-6", "SHOP-15"]
        assert filter_status(app) == "3 of 18 match · escape clears"
        assert app.focused is backlog_list(app)
        # List keys work on the filtered list; escape from the list clears the filter.
        await pilot.press("j")
        assert backlog_list(app).current_key == "SHOP-6"
        await pilot.press("escape")
        await pilot.pause()
        assert len(shown_keys(app)) == 18
        assert backlog_list(app).current_key == "SHOP-6"


async def test_filter_matching_nothing_says_so(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"zzz")
        await pilot.pause()
        assert filter_status(app) == "0 of 18 match · escape clears"
        assert list_rows(app)[0].strip() == "No items match the filter (escape clears it)."
        assert "Nothing selected." in app.screen.query_one(DetailPane).section_text("head")


async def test_an_invalid_filter_term_gives_a_message_not_a_traceback(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"kind:zz")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        assert filter_status(app).startswith("⚠ kind:zz — use one of story, bug")
        assert len(backlog_list(app).keys) == 18


async def test_a_long_filter_message_is_read_whole_at_80_columns(app):
    # The message names every allowed value; cut to one line, the list of choices was lost.
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"foo:bar")
        await pilot.pause()
        message = filter_status(app)
        assert message.endswith("open, key, score")
        shown = " ".join(widget_text(app.screen.query_one("#filter-status", Static)).split())
        assert shown == " ".join(message.split())


async def test_typing_a_filter_lays_nothing_out_when_no_size_changes(app, monkeypatch):
    """A keystroke in the filter redraws the field, the list and the match count; none of them
    changes size (all 18 items fit with or without the filter, the count is one line), so the
    screen is not laid out again: a layout measured and redrew every widget at every key."""
    from textual.screen import Screen

    layouts: list[str] = []
    refresh_layout = Screen._refresh_layout

    def counted(self, *args, **kwargs):
        layouts.append(app.screen.query_one("#filter", Input).value)
        return refresh_layout(self, *args, **kwargs)

    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("slash", "k")
        await pilot.pause()
        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        for char in "ind:bug":
            await pilot.press(char)
            await pilot.pause()
        assert shown_keys(app) == ["SHOP-2"] and filter_status(app) == "1 of 18 match · escape clears"
        assert layouts == []
        await pilot.press(*" foo:bar")  # a message naming every allowed value: wrapped, taller
        await pilot.pause()
        status = app.screen.query_one("#filter-status", Static)
        assert filter_status(app).startswith("⚠ unknown filter foo:") and status.size.height > 1
        assert layouts
        assert " ".join(widget_text(status).split()) == " ".join(filter_status(app).split())


async def test_a_small_backlog_is_filtered_as_the_character_is_typed(app, monkeypatch):
    """On a backlog that filters in a few milliseconds, a typed character and its matches are
    one frame: the filter is applied as the field's text changes, before any message is
    handled. A slow filter (patched here) waits for Input.Changed, so the character shows
    first; it is applied all the same."""
    import tui.screens.grooming as grooming

    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("slash")
        field = app.screen.query_one("#filter", Input)
        field.insert_text_at_cursor("kind:bug")  # what typing does, without handling anything else
        assert list(backlog_list(app).keys) == ["SHOP-2"]
        await pilot.pause()
        assert filter_status(app) == "1 of 18 match · escape clears"
        await pilot.press("escape")
        await pilot.pause()
        assert len(backlog_list(app).keys) == 18

        monkeypatch.setattr(grooming, "FILTER_AT_ONCE_SECONDS", 0.0)
        await pilot.press("slash")
        field.insert_text_at_cursor("kind:bug")
        assert len(backlog_list(app).keys) == 18  # not yet: after the field's echo
        await pilot.pause()
        assert list(backlog_list(app).keys) == ["SHOP-2"]
        assert filter_status(app) == "1 of 18 match · escape clears"


async def test_a_filter_longer_than_its_field_scrolls_to_show_what_is_typed(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        words = " ".join(["refund"] * 20) + " end"
        await pilot.press("slash", *["space" if c == " " else c for c in words])
        await pilot.pause()
        field = app.screen.query_one("#filter", Input)
        assert field.value == words
        assert field.scroll_offset.x > 0
        assert "refund end" in widget_text(field)


# ----- u / ctrl+r -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_u_and_ctrl_r_undo_and_redo_and_say_what(app, backlog_path, size):
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("J", "3")
        await pilot.pause()
        moved = ["SHOP-2", "SHOP-1", *SCENARIO[2:]]
        assert order_on_disk(backlog_path) == moved
        assert app.service.backlog.item("SHOP-1").points == 3
        await pilot.press("u")
        await pilot.pause()
        assert notifications(app)[-1] == "Undo: Undone: Estimate SHOP-1: 3"
        assert app.service.backlog.item("SHOP-1").points == 5
        await pilot.press("u")
        await pilot.pause()
        assert notifications(app)[-1] == "Undo: Undone: Move SHOP-1 down"
        assert order_on_disk(backlog_path) == SCENARIO
        assert backlog_list(app).current_key == "SHOP-1"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert notifications(app)[-1] == "Redo: Redone: Move SHOP-1 down"
        assert order_on_disk(backlog_path) == moved
        assert backlog_list(app).current_key == "SHOP-1"
        assert row_head(item_row(app, "SHOP-1")) == ("▶", 2, "SHOP-1")


async def test_u_with_nothing_to_undo_says_so(app, backlog_path):
    before = backlog_path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("u", "ctrl+r")
        await pilot.pause()
        assert notifications(app) == ["Undo: nothing to undo", "Redo: nothing to redo"]
        assert order(app) == SCENARIO
    assert backlog_path.read_bytes() == before


# ----- ? help -----------------------------------------------------------------------------------

# Every key of the grooming screen in KEYMAP.md, and where it is documented.
KEYMAP_KEYS = {
    "everywhere": ["?", "ctrl+p", "q", "u", "ctrl+r", "tab", "shift+tab", "escape"],
    "backlog": ["j", "k", "down", "up", "g", "G", "home", "end", "J", "K", "shift+down", "shift+up", "T", "B",
                "/", "a", "e", "enter", "d", "0", "1", "2", "3", "5", "8", "p", "m", "c", "n", "s", "S", "C", "R"],
    "detail": ["j", "k", "space", "x", "e", "d", "J", "K"],
}


def help_keys(help_screen: HelpScreen, place: str | None = None) -> set[str]:
    return {part for key in help_screen.keys if place in (None, key.place) for part in key.keys.split(" / ")}


@pytest.mark.parametrize("place", ["everywhere", "backlog", "detail"])
async def test_help_lists_every_key_of_the_keymap(app, place):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        listed = help_keys(app.screen, None if place == "backlog" else place)
        missing = [key for key in KEYMAP_KEYS[place] if key not in listed]
        assert missing == []


async def test_help_filters_as_you_type_and_escape_closes(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert app.focused is help_screen.query_one("#help-filter", Input)
        text = screen_text(app)
        assert "Keys — type to filter, escape to close" in text
        assert "Move the item one rank down" in text
        await pilot.press(*"undo")
        await pilot.pause()
        text = screen_text(app)
        assert "Undo" in text
        assert "Move the item one rank down" not in text
        # q typed into the filter is text, not quit.
        await pilot.press("end", "ctrl+u", *"qq")
        await pilot.pause()
        assert app.is_running
        assert "no key matches" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        assert app.focused is backlog_list(app)


# ----- ctrl+p palette ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_ctrl_p_runs_move_to_top_from_the_palette(app, backlog_path, size):
    async with app.run_test(size=size) as pilot:
        await started(pilot)  # the footer's keys come right after the first frame
        footer = screen_text(app).splitlines()[-1]
        if size[0] >= 90:
            assert "^p palette" in footer  # the footer offers it where there is room
        else:
            assert "q Quit" in footer and "^p palette" not in footer  # at 80 columns the keys come first
        await pilot.press("j", "j", "j", "j")  # SHOP-5
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"to top")
        await pilot.pause()
        assert "key: T (backlog)" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        assert order_on_disk(backlog_path)[0] == "SHOP-5"
        assert backlog_list(app).current_key == "SHOP-5"


async def test_ctrl_p_runs_a_screen_action(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"help")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_clearing_a_filter_brings_back_the_empty_backlog_message(empty_service):
    """Once a filter matched nothing, an empty backlog still says it is empty (not "no match")."""
    from model.commands import AddItem
    from tui.app import GroomApp

    empty_service.execute(AddItem(title="Only item"))
    app = GroomApp(empty_service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"zzz")
        await pilot.pause()
        assert list_rows(app)[0].strip() == "No items match the filter (escape clears it)."
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("d", "y")
        await pilot.pause()
        assert list_rows(app)[0].strip() == "Empty backlog: press a to add an item."


async def test_a_filter_keeps_the_sprint_lines_of_sprints_it_shows_nothing_of(app):
    """kind:chore shows no item of sprint 1 (SHOP-1..4): its line is drawn above the first row,
    so SHOP-6 is still seen to fall in sprint 2."""
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"kind:chore", "enter")
        await pilot.pause()
        rows = [row.strip() for row in list_rows(app)]
        assert rows[0].startswith("── end of sprint 1")
        assert row_head(list_rows(app)[1])[2] == "SHOP-6"
        assert rows[2].startswith("── end of sprint 2")


async def test_a_filter_typed_in_one_burst_goes_into_the_filter(app):
    """`/` then `kind:chore` arriving in one read from the terminal (a fast typist, a paste,
    tmux send-keys): every character lands in the filter, none runs as a list key."""
    from textual import events

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for char in "/kind:chore":
            app._driver.send_message(events.Key(char if char.isalnum() else {"/": "slash", ":": "colon"}[char], char))
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one("#filter", Input).value == "kind:chore"
        assert shown_keys(app) == ["SHOP-6", "SHOP-15"]
        assert isinstance(app.screen, GroomingScreen)  # no dialog opened by a letter taken for a key


@pytest.mark.parametrize("end", ["enter", "escape"])
async def test_keys_typed_right_after_enter_or_escape_in_the_filter_go_to_the_list(app, end):
    """`/bug`, enter (or escape) and `jj` arriving in one read from the terminal: enter keeps the
    filter and escape clears it as the key is read, so the `j`s move the list's cursor instead
    of being typed into the field behind them (which left a filter matching nothing, or one
    with its field hidden)."""
    from textual import events

    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        characters = {"slash": "/", "colon": ":", "enter": "\r", "escape": "\x1b"}
        for key in ["slash", "k", "i", "n", "d", "colon", "c", "h", "o", "r", "e", end, "j", "j"]:
            app._driver.send_message(events.Key(key, characters.get(key, key)))
        await pilot.pause()
        await pilot.pause()
        field = app.screen.query_one("#filter", Input)
        if end == "enter":
            assert field.value == "kind:chore" and shown_keys(app) == ["SHOP-6", "SHOP-15"]
            assert app.focused is backlog_list(app) and backlog_list(app).current_key == "SHOP-15"
        else:
            assert field.value == "" and not field.display and len(backlog_list(app).keys) == 18
            assert app.focused is backlog_list(app) and backlog_list(app).current_key == "SHOP-8"  # from SHOP-6
