"""The Groom application: opens the grooming screen on a backlog service."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from model.service import BacklogService
from tui.commands import GroomCommands
from tui.screens.grooming import GroomingScreen
from tui.screens.session import ChoiceDialog


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

    async def action_quit(self) -> None:
        """Quit; with a refinement session running here, first ask whether to end it or keep it."""
        screen = next((s for s in reversed(self.screen_stack) if isinstance(s, GroomingScreen)), None)
        if screen is None or not screen.sessions.running:
            self.exit()
            return
        if isinstance(self.screen, ChoiceDialog):
            return  # already asking

        def chosen(choice: str | None) -> None:
            if choice == "end":
                screen.sessions.end(then=self.exit)
            elif choice == "keep":
                screen.sessions.keep_for_later()
                self.exit()

        self.push_screen(ChoiceDialog("A refinement session is running here.", [
            ("e", "end", "end it and see the summary"),
            ("k", "keep", "keep it open: it resumes when you open Groom again"),
        ]), chosen)
