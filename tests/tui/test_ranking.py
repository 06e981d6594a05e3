"""Re-ranking from the list: J/K and shift+arrows one place, T/B to the ends, and past filtered-out
neighbours. Every move is on disk when the key returns."""

from __future__ import annotations

import pytest

from tests.tui.conftest import SIZES, backlog_list, item_row, notifications, order, order_on_disk, row_head

SCENARIO = [f"SHOP-{n}" for n in range(1, 19)]


def moved(keys: list[str], key: str, index: int) -> list[str]:
    rest = [k for k in keys if k != key]
    return [*rest[:index], key, *rest[index:]]


@pytest.mark.parametrize("size", SIZES)
async def test_J_and_shift_down_move_the_item_down_and_the_cursor_follows(app, backlog_path, size):
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("j")  # SHOP-2
        await pilot.press("J")
        await pilot.pause()
        expected = moved(SCENARIO, "SHOP-2", 2)
        assert order(app) == expected
        assert order_on_disk(backlog_path) == expected
        assert backlog_list(app).current_key == "SHOP-2"
        assert row_head(item_row(app, "SHOP-2")) == ("▶", 3, "SHOP-2")
        await pilot.press("shift+down")
        await pilot.pause()
        expected = moved(SCENARIO, "SHOP-2", 3)
        assert order_on_disk(backlog_path) == expected
        assert backlog_list(app).current_key == "SHOP-2"
        assert row_head(item_row(app, "SHOP-2")) == ("▶", 4, "SHOP-2")


@pytest.mark.parametrize("size", SIZES)
async def test_K_and_shift_up_move_the_item_up_and_the_cursor_follows(app, backlog_path, size):
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("j", "j", "j")  # SHOP-4
        await pilot.press("K")
        await pilot.pause()
        assert order_on_disk(backlog_path) == moved(SCENARIO, "SHOP-4", 2)
        assert backlog_list(app).current_key == "SHOP-4"
        await pilot.press("shift+up")
        await pilot.pause()
        assert order_on_disk(backlog_path) == moved(SCENARIO, "SHOP-4", 1)
        assert backlog_list(app).current_key == "SHOP-4"
        assert row_head(item_row(app, "SHOP-4")) == ("▶", 2, "SHOP-4")


async def test_moving_past_the_ends_changes_nothing(app, backlog_path):
    before = backlog_path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("K")
        await pilot.press("G", "J")
        await pilot.pause()
        assert order(app) == SCENARIO
        assert backlog_list(app).current_key == "SHOP-18"
        assert not [n for n in notifications(app) if "Not done" in n]
    assert backlog_path.read_bytes() == before


@pytest.mark.parametrize("size", SIZES)
async def test_T_and_B_move_to_the_top_and_bottom(app, backlog_path, size):
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("j", "j", "j", "j")  # SHOP-5
        await pilot.press("T")
        await pilot.pause()
        assert order_on_disk(backlog_path) == moved(SCENARIO, "SHOP-5", 0)
        assert backlog_list(app).current_key == "SHOP-5"
        assert row_head(item_row(app, "SHOP-5")) == ("▶", 1, "SHOP-5")
        await pilot.press("B")
        await pilot.pause()
        assert order_on_disk(backlog_path) == moved(SCENARIO, "SHOP-5", 17)
        assert backlog_list(app).current_key == "SHOP-5"
        # The cursor went with it to the bottom, which is scrolled into view.
        assert row_head(item_row(app, "SHOP-5")) == ("▶", 18, "SHOP-5")


async def test_J_K_with_a_filter_move_past_the_visible_neighbours(app, backlog_path):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"kind:bug,chore", "enter")
        await pilot.pause()
        shown = ["SHOP-2", "SHOP-6", "SHOP-15"]
        assert list(backlog_list(app).keys) == shown
        assert backlog_list(app).current_key == "SHOP-2"
        await pilot.press("J")
        await pilot.pause()
        # SHOP-2 jumps over the hidden SHOP-3..5 to land right below SHOP-6.
        expected = moved(SCENARIO, "SHOP-2", 5)
        assert order_on_disk(backlog_path) == expected
        assert list(backlog_list(app).keys) == ["SHOP-6", "SHOP-2", "SHOP-15"]
        assert backlog_list(app).current_key == "SHOP-2"
        await pilot.press("J")
        await pilot.pause()
        expected = moved(SCENARIO, "SHOP-2", 14)  # right below SHOP-15
        assert order_on_disk(backlog_path) == expected
        assert backlog_list(app).current_key == "SHOP-2"
        await pilot.press("K", "K")
        await pilot.pause()
        expected = moved(SCENARIO, "SHOP-2", 4)  # right above SHOP-6
        assert order_on_disk(backlog_path) == expected
        assert list(backlog_list(app).keys) == shown
        # At the top of the filtered list, K does nothing.
        await pilot.press("K")
        await pilot.pause()
        assert order_on_disk(backlog_path) == expected
