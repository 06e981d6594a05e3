"""What the screen looks like, compared with approved SVG snapshots (tests/tui/__snapshots__).

Regenerate after an intended change with `pytest tests/tui/test_snapshots.py --snapshot-update`,
then look at every changed SVG before committing it."""

from __future__ import annotations

from tui.app import GroomApp
from tui.screens.help import HelpScreen
from tui.screens.item_form import ItemForm


def matches(snap_compare, app: GroomApp, **options) -> bool:
    """snap_compare, but a crashed app fails loudly: its screenshot is an empty screen, which would
    otherwise be compared (and approved with --snapshot-update) like any other."""
    matched = snap_compare(app, **options)
    # (return_code stays 0: the screenshot's own app.exit runs after the crash.)
    assert app._exception is None, f"the app crashed while taking the snapshot: {app._exception!r}"
    return matched


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def test_main_screen_80x24(snap_compare, app: GroomApp):
    assert matches(snap_compare, app, terminal_size=(80, 24))


def test_main_screen_120x40(snap_compare, app: GroomApp):
    assert matches(snap_compare, app, terminal_size=(120, 40))


def test_detail_pane_focused_on_criteria_and_questions(snap_compare, app: GroomApp):
    """SHOP-3: one criterion, an open and an answered question; focus on the detail pane with the
    first question selected."""

    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press("j", "j")
        await _settle(pilot)  # SHOP-3's long description laid out before the pane scrolls to an entry
        await pilot.press("tab")
        await _settle(pilot)
        await pilot.press("j")
        await _settle(pilot)
        assert pilot.app.focused.id == "detail"
        assert pilot.app.screen.query_one("#detail").item.key == "SHOP-3"

    assert matches(snap_compare, app, terminal_size=(120, 40), run_before=run_before)


def test_capacity_meter_over_capacity(snap_compare, over_capacity_service):
    """A 40-point item on top with a velocity of 23: the meter says OVER by 17 in words and the
    first cut line flags the oversized item."""
    assert matches(snap_compare, GroomApp(over_capacity_service), terminal_size=(120, 40))


def test_filter_active(snap_compare, app: GroomApp):
    """`kind:bug,chore` typed into the filter bar: three of 18 items, the status line says so."""

    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press("slash", *"kind:bug,chore", "enter")
        await _settle(pilot)
        assert list(pilot.app.screen.list.keys) == ["SHOP-2", "SHOP-6", "SHOP-15"]

    assert matches(snap_compare, app, terminal_size=(120, 40), run_before=run_before)


def test_edit_form_refuses_an_empty_title(snap_compare, app: GroomApp):
    """The edit form of SHOP-1 with its title cleared and ctrl+s pressed: the form stays open and
    says why."""

    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("end", "ctrl+u", "ctrl+s")
        await _settle(pilot)
        assert isinstance(pilot.app.screen, ItemForm)

    assert matches(snap_compare, app, terminal_size=(80, 24), run_before=run_before)


def test_help_screen(snap_compare, app: GroomApp):
    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press("question_mark")
        await _settle(pilot)
        assert isinstance(pilot.app.screen, HelpScreen)

    assert matches(snap_compare, app, terminal_size=(80, 24), run_before=run_before)


def test_empty_backlog(snap_compare, empty_service):
    assert matches(snap_compare, GroomApp(empty_service), terminal_size=(80, 24))
