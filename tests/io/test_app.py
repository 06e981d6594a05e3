"""Import and export in the app: from the palette (ctrl+p) and their keys, the report screen,
imported text shown literally, and snapshots of the new screens."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, TextArea

from model.store import Store
from tests.io.conftest import JWPROGRAM
from tests.tui import scenario
from tests.tui.conftest import backlog_list, grooming, notifications, screen_text, widget_text
from tui.app import GroomApp
from tui.screens.dialogs import PromptDialog
from tui.screens.grooming import GroomingScreen
from tui.screens.help import HelpScreen
from tui.screens.interchange import ImportReportScreen
from tui.widgets.detail import DetailPane

SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch):
    monkeypatch.setattr(Input, "cursor_blink", False)
    monkeypatch.setattr(TextArea, "cursor_blink", False)


@pytest.fixture
def path(tmp_path) -> Path:
    target = tmp_path / "webshop.json"
    scenario.make_service(target)
    return target


@pytest.fixture
def app(path) -> GroomApp:
    from model.service import BacklogService

    return GroomApp(BacklogService.open(path, clock=scenario.frozen_clock(), user="tester"))


async def open_from_palette(pilot, words: str, key: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*words)
    for _ in range(100):  # the palette searches in the background
        await pilot.pause(0.02)
        if f"key: {key} (everywhere)" in screen_text(pilot.app):
            break
    await pilot.pause(0.3)  # let the palette finish listing and highlight the first hit
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()


async def fill(pilot, field: str, value: str) -> None:
    widget = pilot.app.screen.query_one(f"#field-{field}", Input)
    widget.value = value
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
async def test_import_from_the_palette_shows_the_report_and_is_one_undo(app, path, size):
    before = path.read_bytes()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await open_from_palette(pilot, "import jira", "I")
        assert isinstance(app.screen, PromptDialog)
        await fill(pilot, "file", str(JWPROGRAM))
        await pilot.press("enter", "enter")  # next field, then submit
        await pilot.pause()
        assert isinstance(app.screen, ImportReportScreen)
        assert app.screen.lines[0].startswith("Imported jira-jwprogram.csv: 90 new, 0 updated, 0 unchanged, 0 skipped")
        assert "Imported jira-jwprogram.csv: 90 new" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        backlog = Store.open(path)[1]
        assert len(backlog) == 18 + 90
        assert backlog_list(app).current_key == backlog.order[18]  # the first imported item
        await pilot.press("u")
        await pilot.pause()
        assert len(Store.open(path)[1]) == 18
        assert "Import jira-jwprogram.csv" in " ".join(notifications(app))
    assert path.read_bytes() != before  # the undo is a write too; the items are gone again


async def test_a_bad_file_is_refused_in_the_dialog_and_nothing_changes(app, path, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,age\nbob,3\n")
    before = path.read_bytes()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("I")
        await pilot.pause()
        await fill(pilot, "file", str(bad))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        assert "bad.csv is not a Jira CSV export" in widget_text(app.screen.query_one("#prompt-error"))
        await fill(pilot, "file", str(tmp_path / "nothing.json"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "no such file" in widget_text(app.screen.query_one("#prompt-error"))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
    assert path.read_bytes() == before


async def test_imported_markup_like_text_is_shown_literally(app, tmp_path):
    export = tmp_path / "markup.csv"
    export.write_text('Summary,Issue key,Issue Type,Description\n'
                      '"[bold]Loud[/] title",X-1,Story,"body [red]red[/red] [/]"\n')
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("I")
        await pilot.pause()
        await fill(pilot, "file", str(export))
        await fill(pilot, "kind", "jira")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        screen = grooming(app)
        assert screen.current_key == "SHOP-19"
        text = screen_text(app)
        assert "[bold]Loud[/] title" in text
        pane = screen.query_one(DetailPane)
        detail = pane.section_text("head") + pane.section_text("description")
        assert "body [red]red[/red] [/]" in detail and "Imported from jira:X-1" in detail
        assert "#1." not in detail  # the import fingerprint is not shown


async def test_export_from_its_key_writes_the_file(app, path, tmp_path):
    target = tmp_path / "top.csv"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("X")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        await fill(pilot, "format", "pdf")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Format must be one of markdown, csv, json" in widget_text(app.screen.query_one("#prompt-error"))
        await fill(pilot, "format", "csv")
        await fill(pilot, "file", str(target))
        await fill(pilot, "top", "3")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, GroomingScreen)
        assert f"Export: Exported as csv to {target}" in notifications(app)
    assert target.read_text().count("\nPay with a saved card,SHOP-1,") == 1


async def test_export_default_file_is_beside_the_backlog(app, path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_from_palette(pilot, "export the backlog", "X")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert (path.parent / "webshop-export.md").read_text().startswith("# Webshop checkout")


async def test_help_lists_import_and_export(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = {k.keys: k.description for k in app.screen.keys}
        assert keys["I"].startswith("Import a Jira CSV or Trello board export")
        assert keys["X"] == "Export the backlog as Markdown, Jira CSV or JSON"


# ----- snapshots ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_snapshot_import_dialog(snap_compare, app, size):
    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("I")
        await pilot.pause()
        await fill(pilot, "file", "~/Downloads/Jira.csv")

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_snapshot_import_report(snap_compare, app, size):
    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("I")
        await pilot.pause()
        await fill(pilot, "file", str(JWPROGRAM))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ImportReportScreen)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_snapshot_export_dialog(snap_compare, app, size):
    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("X")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
