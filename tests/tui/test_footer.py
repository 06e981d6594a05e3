"""The footer of key hints follows the focus, and is composed again only when its keys change."""

from __future__ import annotations

from tests.tui.conftest import screen_text, started
from tui.widgets.footer import KeysFooter


def footer_line(app) -> str:
    return screen_text(app).splitlines()[-1]


async def test_the_footer_shows_the_keys_of_where_the_focus_is(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        assert "J/K Move" in footer_line(app) and "space Tick" not in footer_line(app)
        await pilot.press("tab")  # the detail pane: its criteria keys
        await pilot.pause()
        assert "space Tick" in footer_line(app) and "J/K Move" not in footer_line(app)
        await pilot.press("shift+tab")
        await pilot.pause()
        assert "J/K Move" in footer_line(app)


async def test_signals_that_change_nothing_compose_nothing(app, monkeypatch):
    """Textual's Footer composed its ~20 keys again for every bindings signal, each time
    (five or six of them right after the first frame)."""
    composed: list[int] = []
    compose = KeysFooter.compose

    def counted(self):
        composed.append(1)
        return compose(self)

    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        monkeypatch.setattr(KeysFooter, "compose", counted)
        for _ in range(6):
            app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert composed == []
        await pilot.press("tab")
        await pilot.pause()
        await pilot.pause()
        assert composed == [1]  # the keys changed: composed once
