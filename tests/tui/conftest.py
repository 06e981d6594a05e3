"""Fixtures and helpers for the TUI tests: the scenario backlog on a temporary file, the app,
no cursor blink, and ways to read what the screen shows as plain text."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, TextArea

from model.backlog import Backlog
from model.service import BacklogService
from model.store import Store
from tests.tui import scenario
from tui.app import GroomApp
from tui.screens.grooming import GroomingScreen
from tui.widgets.backlog_list import BacklogList

SIZES = [(80, 24), (120, 40)]


# ----- fixtures ------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cursors never blink, so a snapshot never catches one half-way through a blink.

    `cursor_blink` is a reactive on both widgets; a plain False in its place starts their blink
    timers paused (`pause=not (cursor_blink and has_focus)`) and `_restart_blink` never resumes
    them, while the cursor itself stays drawn (`_cursor_visible` starts True)."""
    monkeypatch.setattr(Input, "cursor_blink", False)
    monkeypatch.setattr(TextArea, "cursor_blink", False)


@pytest.fixture
def backlog_path(tmp_path: Path) -> Path:
    return tmp_path / "webshop.json"


@pytest.fixture
def service(backlog_path: Path) -> BacklogService:
    """The 18-item "Webshop checkout" scenario on a fresh file, with a frozen clock."""
    return scenario.make_service(backlog_path)


@pytest.fixture
def empty_service(tmp_path: Path) -> BacklogService:
    """The scenario backlog with no items (sprint history and team kept)."""
    return scenario.make_service(tmp_path / "empty.json", items=[])


@pytest.fixture
def over_capacity_service(tmp_path: Path) -> BacklogService:
    """A 40-point item on top of a team whose velocity is 23."""
    return scenario.make_service(tmp_path / "over.json", items=scenario.over_capacity_items(),
                                 sprints=scenario.OVER_CAPACITY_SPRINTS)


@pytest.fixture
def make_app(service: BacklogService) -> Callable[..., GroomApp]:
    """`make_app()` is the app on the scenario; `make_app(other_service)` on another one."""

    def make(on: BacklogService | None = None) -> GroomApp:
        return GroomApp(on or service)

    return make


@pytest.fixture
def app(make_app: Callable[..., GroomApp]) -> GroomApp:
    return make_app()


# ----- reading the screen --------------------------------------------------------------


def backlog_list(app: GroomApp) -> BacklogList:
    return grooming(app).query_one(BacklogList)


def grooming(app: GroomApp) -> GroomingScreen:
    """The grooming screen, wherever it is in the stack (a dialog may be on top of it)."""
    for screen in reversed(app.screen_stack):
        if isinstance(screen, GroomingScreen):
            return screen
    raise AssertionError(f"no grooming screen in {app.screen_stack}")


def list_strips(widget: BacklogList) -> list[Strip]:
    """The rows the list draws right now, one Strip per visible line."""
    height = widget.scrollable_content_region.height
    return [widget.render_line(y) for y in range(height)]


def list_rows(app_or_list: GroomApp | BacklogList) -> list[str]:
    """The visible text of the backlog list's rows, top to bottom (trailing blanks kept)."""
    widget = app_or_list if isinstance(app_or_list, BacklogList) else backlog_list(app_or_list)
    return [strip.text for strip in list_strips(widget)]


def item_row(app: GroomApp, key: str) -> str:
    """The visible row of item `key` (it must be on screen)."""
    rows = [row for row in list_rows(app) if f" {key} " in row]
    assert len(rows) == 1, f"{key} is shown {len(rows)} times in {list_rows(app)}"
    return rows[0]


def row_head(row: str) -> tuple[str, int, str] | None:
    """(marker, rank position, key) of an item row: ("▶", 3, "SHOP-2"); None for other rows."""
    match = re.match(r"([▶ ]) *(\d+) (\S+) ", row)
    return (match.group(1), int(match.group(2)), match.group(3)) if match else None


def screen_strips(app: GroomApp) -> list[Strip]:
    """Every line of the active screen as the terminal would get it."""
    return app.screen._compositor.render_strips()


def screen_text(app: GroomApp) -> str:
    return "\n".join(strip.text for strip in screen_strips(app))


def widget_text(widget: Widget) -> str:
    """What a widget shows, line by line, as plain text (wrapped to its width)."""
    width, height = widget.size
    return "\n".join(strip.text.rstrip() for strip in widget.render_lines(Region(0, 0, width, height)))


def notifications(app: GroomApp) -> list[str]:
    """Notification texts, oldest first, as `title: message` (or just the message)."""
    return [f"{n.title}: {n.message}" if n.title else n.message for n in app._notifications]


def order(app_or_backlog: GroomApp | Backlog) -> list[str]:
    backlog = app_or_backlog if isinstance(app_or_backlog, Backlog) else app_or_backlog.service.backlog
    return list(backlog.order)


def order_on_disk(path: Path) -> list[str]:
    """The rank order as a fresh process would read it from the file."""
    _, backlog = Store.open(path)
    return list(backlog.order)


def on_disk(path: Path) -> Backlog:
    _, backlog = Store.open(path)
    return backlog


@pytest.fixture(autouse=True)
def _fast_idle(monkeypatch):
    import textual._wait
    monkeypatch.setattr(textual._wait, "SLEEP_GRANULARITY", 0.005)


async def started(pilot) -> None:
    """Wait for what start-up leaves until after the first frame (tui/start_up.py): the footer's
    keys, the first description, the forecast's thread. One pause is not always enough."""
    app = pilot.app
    for _ in range(200):
        await pilot.pause()
        if app.start_up.reached == "background" and not any(w.is_running for w in app.workers):
            await pilot.pause()
            return
        await pilot.pause(0.005)
    raise AssertionError(f"start-up did not finish (reached {app.start_up.reached!r})")
