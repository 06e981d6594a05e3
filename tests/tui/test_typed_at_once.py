"""Keys that arrive from the terminal in one read (a fast typist over a slow link, a paste
without bracketed paste, tmux send-keys) act in the order they were typed, in every field."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input

from tests.tui.conftest import backlog_list, on_disk, started
from tui.screens.grooming import GroomingScreen

CHARACTERS = {"slash": "/", "enter": "\r", "escape": "\x1b", "backspace": "\x7f", "space": " ",
              "ctrl+s": "\x13", "ctrl+u": "\x15"}


def send_at_once(app, keys: list[str]) -> None:
    for key in keys:
        app._driver.send_message(events.Key(key, CHARACTERS.get(key, key)))


async def settle(pilot) -> None:
    for _ in range(6):
        await pilot.pause()


async def test_backspace_in_the_filter(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        send_at_once(app, ["slash", "b", "u", "g", "x", "backspace", "s"])
        await settle(pilot)
        assert app.screen.query_one("#filter", Input).value == "bugs"


def criteria(app, key: str) -> list[str]:
    return [criterion.text for criterion in app.service.backlog.item(key).acceptance_criteria]


@pytest.mark.parametrize("end", ["enter", "escape"])
async def test_keys_behind_enter_or_escape_in_a_dialog_go_to_the_list(app, backlog_path, end):
    """`c`, `xy`, enter, `jj`: the criterion is "xy" and the cursor moves two rows (the `j`s
    were typed into the field before the dialog saved it: "xyjj"); escape drops the criterion."""
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        first = backlog_list(app).current_key
        before = criteria(app, first)
        send_at_once(app, ["c", "x", "y", end, "j", "j"])
        await settle(pilot)
        assert isinstance(app.screen, GroomingScreen)
        expected = [*before, "xy"] if end == "enter" else before
        assert criteria(app, first) == expected
        assert [c.text for c in on_disk(backlog_path).item(first).acceptance_criteria] == expected
        assert backlog_list(app).current_key == backlog_list(app).keys[2]


async def test_enter_moves_to_the_next_field_of_a_dialog_before_the_keys_behind_it(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        first = backlog_list(app).current_key
        send_at_once(app, ["n", "w", "h", "o", "space", "p", "a", "y", "s", "enter", "A", "n", "a", "enter", "j"])
        await settle(pilot)
        assert isinstance(app.screen, GroomingScreen)
        question = app.service.backlog.item(first).questions[-1]
        assert (question.text, question.ask) == ("who pays", "Ana")
        assert backlog_list(app).current_key == backlog_list(app).keys[1]


@pytest.mark.parametrize("save", ["enter", "ctrl+s"])
async def test_the_item_form_saves_what_was_typed_before_its_save_key(app, save):
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        first = backlog_list(app).current_key
        send_at_once(app, ["e", "ctrl+u", "N", "e", "w", save, "j", "j"])
        await settle(pilot)
        assert isinstance(app.screen, GroomingScreen)
        assert app.service.backlog.item(first).title == "New"
        assert backlog_list(app).current_key == backlog_list(app).keys[2]


async def test_a_burst_of_list_keys_moves_the_cursor_once_per_key(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        send_at_once(app, ["j"] * 7 + ["k"] * 2)
        await settle(pilot)
        assert backlog_list(app).current_key == backlog_list(app).keys[5]
