"""Opening a merged backlog in the app: conflicts are marked, shown literally, and resolved
with one key each (saved at once, undoable)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import orjson
import pytest

from model.backlog import Backlog
from model.commands import AddItem, DeleteItem, EditItem, SetPoints
from model.service import BacklogService
from model.store import Store
from tests.merge._tables import base_tables, edited, merged
from tests.tui import scenario
from tests.tui.conftest import item_row, list_rows, notifications, row_head, screen_text
from tests.tui.test_snapshots import _settle, matches
from tui.app import GroomApp
from tui.widgets.detail import DetailPane

LATER = scenario.START + timedelta(hours=1)


def merged_file(path: Path) -> Path:
    """The scenario after main and feature both groomed it: SHOP-1's points and title in
    conflict, SHOP-4 deleted on main but estimated on the feature, SHOP-19 added on both."""
    base = base_tables()
    ours = edited(base, SetPoints("SHOP-1", 8), EditItem("SHOP-1", {"title": "Pay with a [bold]saved[/] card"}),
                  DeleteItem("SHOP-4"), AddItem("Main: gift cards", below="SHOP-18"))
    theirs = edited(base, SetPoints("SHOP-1", 3), EditItem("SHOP-1", {"title": "Pay with a stored card"}),
                    SetPoints("SHOP-4", 1), AddItem("Feature: bank transfer", below="SHOP-18"), at=LATER)
    Store.create(path, Backlog.from_tables(merged(base, ours, theirs).tables))
    return path


@pytest.fixture
def app(tmp_path) -> GroomApp:
    path = merged_file(tmp_path / "merged.json")
    return GroomApp(BacklogService.open(path, clock=scenario.frozen_clock(LATER + timedelta(days=1))))


def on_disk(app: GroomApp) -> dict:
    return orjson.loads(app.service.store.path.read_bytes())["items"]


async def test_conflicts_are_marked_and_resolved_with_one_key_each(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "! 2 with merge conflicts" in screen_text(app)
        assert any(note.startswith("Merge conflicts: A git merge left conflicts on 2 items")
                   for note in notifications(app))
        assert item_row(app, "SHOP-1").rstrip().endswith("!")
        assert item_row(app, "SHOP-4").rstrip().endswith("!")
        assert not item_row(app, "SHOP-2").rstrip().endswith("!")

        await pilot.press("tab")
        await _settle(pilot)
        detail = app.screen.query_one(DetailPane)
        text = detail.section_text("conflicts")
        assert "Merge conflicts (2)" in text
        assert "ours (main): 8" in text and "theirs (feature): 3" in text and "base: 5" in text
        assert "[bold]saved[/]" in text  # user text shown literally

        await pilot.press("t")  # the selected conflict: points
        await _settle(pilot)
        assert app.service.backlog.items["SHOP-1"].points == 3
        assert on_disk(app)["1"]["points"] == 3 and len(on_disk(app)["1"]["conflicts"]) == 1

        await pilot.press("o")  # the title: keep ours
        await _settle(pilot)
        item = app.service.backlog.items["SHOP-1"]
        assert item.title == "Pay with a [bold]saved[/] card" and not item.conflicts
        assert "conflicts" not in on_disk(app)["1"]
        assert not item_row(app, "SHOP-1").rstrip().endswith("!")
        assert "! 1 with merge conflicts" in screen_text(app)

        await pilot.press("u")
        await _settle(pilot)
        assert [c.field for c in app.service.backlog.items["SHOP-1"].conflicts] == ["title"]


async def test_from_the_list_one_key_settles_the_first_conflict(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("t")  # SHOP-1: points (the first conflict listed) from theirs
        await _settle(pilot)
        item = app.service.backlog.items["SHOP-1"]
        assert item.points == 3 and [c.field for c in item.conflicts] == ["title"]
        await pilot.press("o")
        await _settle(pilot)
        assert not app.service.backlog.items["SHOP-1"].conflicts
        await pilot.press("o")  # nothing left to settle on this item: said, not done
        await _settle(pilot)
        assert notifications(app)[-1] == "This item has no merge conflicts."
        assert app.service.undo_label.startswith("Resolve SHOP-1 title")


async def test_the_deleted_conflict_deletes_when_the_deleting_side_is_picked(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.apply_filter("has:conflicts")
        await _settle(pilot)
        assert [head[2] for head in map(row_head, list_rows(app)) if head] == ["SHOP-1", "SHOP-4"]
        await pilot.press("j")
        app.screen.query_one(DetailPane).focus()  # tab would visit the filter bar first
        await _settle(pilot)
        assert "deleted" in app.screen.query_one(DetailPane).section_text("conflicts")
        await pilot.press("o")  # main deleted it
        await _settle(pilot)
        assert "SHOP-4" not in app.service.backlog.items and "4" not in on_disk(app)


async def test_a_renumbered_item_is_found_by_its_old_key(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.apply_filter("key:SHOP-19")
        await _settle(pilot)
        keys = [head[2] for head in map(row_head, list_rows(app)) if head]
        assert keys == ["SHOP-19", "SHOP-20"] or keys == ["SHOP-20", "SHOP-19"]
        app.screen.list.move_cursor_to(keys.index("SHOP-20"))
        await _settle(pilot)
        assert "Renumbered by a merge: was SHOP-19 on feature" in app.screen.query_one(DetailPane).section_text("head")


async def test_resolve_keys_do_nothing_on_an_item_without_conflicts(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("j", "tab", "o", "t", "b")
        await _settle(pilot)
        assert app.service.undo_label is None  # nothing was run
        footer = screen_text(app).splitlines()[-1]
        assert "space Tick" in footer and "o Keep ours" not in footer  # the pane's keys, without these


def test_detail_pane_with_conflicts_80x24(snap_compare, app):
    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press("tab")
        await _settle(pilot)

    assert matches(snap_compare, app, terminal_size=(80, 24), run_before=run_before)


def test_detail_pane_with_conflicts_120x40(snap_compare, app):
    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press("tab", "j")
        await _settle(pilot)

    assert matches(snap_compare, app, terminal_size=(120, 40), run_before=run_before)


async def test_the_health_screen_leads_with_the_conflicts_and_jumps_to_them(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("H")
        await _settle(pilot)
        assert "⚠ Unresolved merge conflicts: 2  SHOP-1, SHOP-4" in screen_text(app)
        await pilot.press("enter")
        await _settle(pilot)
        assert app.screen.filter.text == "has:conflicts"
        assert [head[2] for head in map(row_head, list_rows(app)) if head] == ["SHOP-1", "SHOP-4"]
