"""The Groom application: opens the grooming screen on a backlog service."""

from __future__ import annotations

import asyncio
import contextlib
import signal

from textual.app import App
from textual.binding import Binding

from model.errors import GroomError
from model.service import BacklogService
from tui.commands import GroomCommands
from tui.screens.grooming import GroomingScreen


class GroomApp(App[None]):
    CSS_PATH = "groom.tcss"
    TITLE = "Groom"
    COMMANDS = App.COMMANDS | {GroomCommands}
    BINDINGS = [
        # Nothing to save on quit: quitting waits for the last change to be on disk (see action_quit).
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
        # A background write that failed, or a file changed under our lock: the screen settles it.
        self.service.writer.attention = self._writer_needs_attention
        # The terminal closing (SIGHUP) or a kill (SIGTERM): write what is pending, then go.
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop = asyncio.get_running_loop()
            for number in (signal.SIGTERM, signal.SIGHUP):
                loop.add_signal_handler(number, self._terminate)

    def _writer_needs_attention(self) -> None:
        # Called from the writer's thread: hand over to the UI thread, never touch the model here.
        with contextlib.suppress(RuntimeError):
            self.call_from_thread(self._settle_writes)

    def _settle_writes(self) -> None:
        if isinstance(self.screen, GroomingScreen):
            self.screen.pull_external_changes()
        else:
            for screen in self.screen_stack:
                if isinstance(screen, GroomingScreen):
                    screen.pull_external_changes()

    async def action_quit(self) -> None:
        """Quit once every change is on disk; if the last ones cannot be saved, say so and stay."""
        try:
            self.service.flush()
        except GroomError as exc:
            self.notify(f"{exc}\nPress q again to quit.", title="Not saved", severity="error", timeout=30,
                        markup=False)
            self._settle_writes()
            return
        self.exit()

    def _terminate(self) -> None:
        with contextlib.suppress(GroomError):
            self.service.flush()
        self.exit()
