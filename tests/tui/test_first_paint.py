"""What the first frame waits for: only what it shows.

Screens opened by keys, the session dialogs and rich's Markdown (the slowest part of the detail
pane) are imported when first needed, and the first description is drawn right after the first
frame. Measured in benchmarks/ (start to first paint); here only that it stays so.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.tui.conftest import screen_text

ROOT = Path(__file__).resolve().parents[2]
DEFERRED = ["tui.screens.session", "tui.screens.split_wizard", "tui.screens.team", "tui.screens.help",
            "model.io.session_markdown", "rich.markdown", "markdown_it"]


def test_starting_the_app_imports_nothing_the_first_frame_does_not_need():
    code = ("import sys; import tui.app, tui.cli, model.service; "
            f"print(','.join(m for m in {DEFERRED!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


async def test_the_first_description_follows_the_first_frame(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert "As a returning shopper I want to pay" in screen_text(app)


async def test_a_change_reaches_the_terminal_before_the_detail_pane_is_redrawn(app, monkeypatch):
    """J, m, an estimate: the list's frame goes out first; the detail pane (whose sections'
    layout is most of a frame's work) is redrawn for the next frame."""
    from textual.app import App

    from tui.widgets.detail import DetailPane

    events: list[str] = []
    display, show = App._display, DetailPane.show

    def logged_display(self, screen, renderable):
        display(self, screen, renderable)
        if renderable is not None:
            events.append("frame")

    def logged_show(self, item):
        events.append("detail")
        show(self, item)

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(App, "_display", logged_display)
        monkeypatch.setattr(DetailPane, "show", logged_show)
        for key in ("J", "m", "3"):
            events.clear()
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
            assert "detail" in events and events.index("frame") < events.index("detail"), (key, events)
