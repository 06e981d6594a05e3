"""The TUI tests' fixtures (no cursor blink, quick idle waits) for the team screen tests too."""

from tests.tui.conftest import _fast_idle, no_cursor_blink  # noqa: F401 - fixtures, used by name
