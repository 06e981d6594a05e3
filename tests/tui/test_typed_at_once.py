"""Keys that arrive from the terminal in one read (a fast typist over a slow link, a paste
without bracketed paste, tmux send-keys) act in the order they were typed, in every field."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from textual import events
from textual.widgets import Input

from tests.tui.conftest import backlog_list, on_disk, started
from tests.tui.scenario import make_service
from tui.app import GroomApp
from tui.screens.grooming import GroomingScreen

CHARACTERS = {"slash": "/", "enter": "\r", "escape": "\x1b", "backspace": "\x7f", "space": " ",
              "ctrl+s": "\x13", "ctrl+u": "\x15",
              "delete": None, "left": None, "right": None, "home": None, "end": None}


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


EDIT_KEYS = ["a", "b", "c", "backspace", "delete", "left", "right", "home", "end"]


def edited(keys: list[str]) -> str:
    """What a one-line field holds after `keys`, typed one at a time into an empty field."""
    text, cursor = "", 0
    for key in keys:
        if len(key) == 1:
            text, cursor = text[:cursor] + key + text[cursor:], cursor + 1
        elif key == "backspace" and cursor:
            text, cursor = text[:cursor - 1] + text[cursor:], cursor - 1
        elif key == "delete":
            text = text[:cursor] + text[cursor + 1:]
        elif key in ("left", "right"):
            cursor = max(0, min(len(text), cursor + (1 if key == "right" else -1)))
        elif key in ("home", "end"):
            cursor = 0 if key == "home" else len(text)
    return text


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(st.lists(st.lists(st.sampled_from(EDIT_KEYS), min_size=1, max_size=14), min_size=3, max_size=3))
def test_editing_keys_typed_at_once_edit_the_filter_as_typed_one_at_a_time(rounds):
    async def scenario(app) -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await started(pilot)
            for keys in rounds:
                send_at_once(app, ["slash", *keys])
                await settle(pilot)
                assert app.screen.query_one("#filter", Input).value == edited(keys), keys
                send_at_once(app, ["escape"])
                await settle(pilot)
                assert app.focused is backlog_list(app)

    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(scenario(GroomApp(make_service(Path(folder) / "webshop.json"))))


@pytest.mark.parametrize("opener", ["c", "slash"])
async def test_a_key_typed_a_moment_after_a_dialog_or_field_opens_goes_at_once(app, opener):
    """Markers follow a key that opened a screen as soon as it has come back to the app, so a key
    typed a moment later (as people type) is routed at once, not held while markers pass."""
    held: list[bool] = []
    holds = app.key_order.holds
    app.key_order.holds = lambda event: held.append(holds(event)) or held[-1]
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        send_at_once(app, [opener])
        await settle(pilot)
        send_at_once(app, ["x"])
        await settle(pilot)
        assert held == [False, False]
        field = app.screen.query_one("#field-text" if opener == "c" else "#filter", Input)
        assert field.value == "x"
