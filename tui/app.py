"""The Groom application: opens the grooming screen on a backlog service."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from model.service import BacklogService
from tui.commands import GroomCommands
from tui.screens.grooming import GroomingScreen


class GroomApp(App[None]):
    CSS_PATH = "groom.tcss"
    TITLE = "Groom"
    COMMANDS = App.COMMANDS | {GroomCommands}
    BINDINGS = [
        # Nothing to save on quit: every change is on disk before its key returns.
        Binding("q", "quit", "Quit", id="app.quit"),
        # Textual's own ctrl+p, declared here so that help (?) lists it; the footer still shows "^p palette".
        Binding("ctrl+p", "command_palette", "palette", show=False, priority=True,
                tooltip="Command palette: every action by name", id="app.command_palette"),
    ]

    def __init__(self, service: BacklogService) -> None:
        super().__init__()
        self.service = service

    def on_mount(self) -> None:
        self.sub_title = self.service.backlog.meta.name
        self.push_screen(GroomingScreen(self.service))
