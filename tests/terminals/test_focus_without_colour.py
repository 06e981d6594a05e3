"""Where the focus is must show without colour: 16-colour and NO_COLOR terminals lose the faint
tints Textual uses for a focused select, so Groom marks it in reverse video."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Select

from tests.tui.scenario import make_service
from tui.app import GroomApp


@pytest.mark.parametrize("no_color", [False, True])
async def test_a_focused_choice_in_a_form_is_in_reverse_video(monkeypatch, tmp_path: Path, no_color):
    monkeypatch.setenv("TERM", "xterm")
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    app = GroomApp(make_service(tmp_path / "backlog.json"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", "tab")  # the edit form; tab from the title to the kind
        await pilot.pause()
        kind = app.screen.query_one("#kind", Select)
        assert kind.has_focus
        label = kind.query_one("#label")
        focused = [seg for seg in label.render_line(0) if seg.text.strip()]
        assert focused and all(seg.style and seg.style.reverse for seg in focused)
        await pilot.press("tab")  # and the mark moves with the focus
        await pilot.pause()
        assert not any(seg.style and seg.style.reverse for seg in label.render_line(0) if seg.text.strip())
