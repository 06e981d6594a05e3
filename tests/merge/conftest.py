"""The TUI fixtures (no cursor blink, fast idle) for the app tests of merged backlogs."""

from __future__ import annotations

from tests.tui.conftest import _fast_idle, no_cursor_blink

__all__ = ["_fast_idle", "no_cursor_blink"]
