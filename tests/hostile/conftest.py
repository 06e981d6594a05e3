"""The TUI tests' fixtures (the scenario backlog on a temporary file, the app, no cursor blink)."""

from tests.tui.conftest import _fast_idle, app, backlog_path, make_app, no_cursor_blink, service

__all__ = ["_fast_idle", "app", "backlog_path", "make_app", "no_cursor_blink", "service"]
