"""Over SSH and in tmux: TERM=xterm-256color, screen-256color, plain xterm (16 colours) and
NO_COLOR, at 80x24. The cursor row must stand out in every one of them, and no feature may
need the mouse."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.color import ColorSystem
from rich.segment import Segment
from textual.color import Color

from tests.tui.scenario import make_service
from tui.app import GroomApp

TERMINALS = {
    "xterm-256color": ("xterm-256color", None, "256"),
    "screen-256color": ("screen-256color", None, "256"),
    "xterm": ("xterm", None, "standard"),
    "no-color": ("xterm-256color", "1", "256"),
}
SYSTEMS = {"256": ColorSystem.EIGHT_BIT, "standard": ColorSystem.STANDARD}


@pytest.fixture(params=list(TERMINALS))
def terminal(request, monkeypatch):
    term, no_color, system = TERMINALS[request.param]
    monkeypatch.setenv("TERM", term)
    monkeypatch.delenv("COLORTERM", raising=False)
    if no_color:
        monkeypatch.setenv("NO_COLOR", no_color)
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    return request.param, system


def seen_background(app: GroomApp, segments: list[Segment], system: str) -> set[str]:
    """Background colours of a row as this terminal shows them (after NO_COLOR filters
    and the downgrade to the terminal's palette)."""
    for line_filter in app.get_line_filters():
        segments = line_filter.apply(segments, Color(0, 0, 0))
    colours = set()
    for segment in segments:
        if segment.style and segment.style.bgcolor:
            colours.add(segment.style.bgcolor.downgrade(SYSTEMS[system]).name)
    return colours


async def test_cursor_row_stands_out_and_keys_work(terminal, tmp_path: Path):
    name, system = terminal
    service = make_service(tmp_path / "backlog.json")
    app = GroomApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.console.color_system == system
        assert app.no_color is (name == "no-color")
        backlog_list = app.screen.list
        await pilot.press("j", "j")
        await pilot.pause()
        cursor_row = list(backlog_list.render_line(2))
        other_row = list(backlog_list.render_line(4))
        assert "".join(s.text for s in cursor_row).startswith("▶")  # a mark that needs no colour
        assert seen_background(app, cursor_row, system) != seen_background(app, other_row, system)
        # The whole flow by keyboard: move, estimate, undo, filter, help, quit.
        await pilot.press("J", "5", "u")
        await pilot.press("slash", *"kind:bug", "enter")
        await pilot.pause()
        assert list(backlog_list.keys) == ["SHOP-2"]
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert service.backlog.item("SHOP-3").points == 3


def test_escape_delay_is_configurable_for_tmux(monkeypatch):
    """Textual waits ESCDELAY ms for a lone escape; the README tells tmux users to lower
    escape-time, and ESCDELAY is honoured."""
    import importlib

    import textual.constants

    monkeypatch.setenv("ESCDELAY", "10")
    reloaded = importlib.reload(textual.constants)
    try:
        assert reloaded.ESCAPE_DELAY == pytest.approx(0.01)
    finally:
        monkeypatch.delenv("ESCDELAY")
        importlib.reload(textual.constants)


def test_no_binding_needs_the_mouse():
    """Every action has a plain key (home/end and ctrl+enter are unreliable over SSH)."""
    from tui.screens.grooming import GroomingScreen
    from tui.widgets.backlog_list import BacklogList
    from tui.widgets.detail import DetailPane

    for owner in (BacklogList, DetailPane, GroomingScreen):
        for binding in owner.BINDINGS:
            keys = [k.strip() for k in binding.key.split(",")]
            assert any(len(k) == 1 or k in ("slash", "question_mark", "space", "tab", "escape", "left_square_bracket",
                                            "right_square_bracket") or
                       (k.startswith(("ctrl+", "shift+")) and k not in ("ctrl+enter",)) or k in ("enter", "down", "up")
                       for k in keys), binding


def test_snapshot_no_color_80x24(snap_compare, monkeypatch, tmp_path: Path):
    monkeypatch.setenv("NO_COLOR", "1")
    app = GroomApp(make_service(tmp_path / "backlog.json"))
    assert snap_compare(app, press=["j", "j"], terminal_size=(80, 24))
