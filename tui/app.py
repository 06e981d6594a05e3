"""The Groom application: opens the grooming screen on a backlog service."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.widgets import Input

from model.errors import GroomError
from model.service import BacklogService
from tui.commands import GroomCommands
from tui.key_order import KeyOrder, is_text_area
from tui.keys import screen_keys
from tui.screens.grooming import GroomingScreen
from tui.start_up import Stage, StartUp

MAX_NOTES = 4  # load notes shown at start; groom check prints them all
# Longest paste a one-line field takes. Far above any field's own limit (those refuse on save,
# saying why), and low enough that a field never holds text it would take seconds to draw.
PASTE_MAX_LINE = 10_000
PASTE_MAX_AREA = 400_000  # the description: twice its limit, so the save says what is too long


class GroomApp(App[None]):
    CSS_PATH = "groom.tcss"
    TITLE = "Groom"
    COMMANDS = App.COMMANDS | {GroomCommands}
    BINDINGS = [
        # Nothing to save on quit: quitting waits for the last change to be on disk (see action_quit).
        Binding("q", "quit", "Quit", id="app.quit"),
        # Help on every screen: the keys of the screen on top (a screen may bind ? itself, as
        # estimate mode does for "not estimated", and then its own binding wins).
        Binding("question_mark", "help", "Help", show=False, id="app.help"),
        # Textual's own ctrl+p, declared here so that help (?) lists it; the footer still shows "^p palette".
        Binding("ctrl+p", "command_palette", "palette", show=False, priority=True,
                tooltip="Command palette: every action by name", id="app.command_palette"),
    ]

    def __init__(self, service: BacklogService) -> None:
        super().__init__()
        self.service = service
        # Small files' writes are waited for right after the frame that shows the change, not
        # before it: the screen never waits for the disk (see BacklogService.defer_waits).
        service.defer_waits = True
        self.start_up = StartUp(self)  # what waits for the first frame to be on the terminal
        self.key_order = KeyOrder(self)  # keys typed at once act in the order typed

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Paste) and not event.is_forwarded and self._refuse_paste(event.text):
            return
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self.key_order.holds(event):
                return
            event.routed_to = self.focused  # type: ignore[attr-defined]  # where Textual sends it
            await super().on_event(event)
            self.key_order.routed(event, event.routed_to)  # type: ignore[attr-defined]
            return
        await super().on_event(event)

    async def _on_key(self, event: events.Key) -> None:
        """A key no widget handled, back at the app. Textual routes each key to the widget focused
        when the key is read, before earlier keys have run: in `/bug` typed at once (a fast
        typist, a paste, tmux send-keys) all four go to the list, and `/` then moves the focus to
        the filter. Such a key is handed on to the widget focused now, not lost."""
        self.key_order.returned(event)
        routed_to = getattr(event, "routed_to", None)
        focused = self.focused
        if routed_to is not None and focused is not None and focused is not routed_to:
            event.prevent_default()  # not App._on_key: its bindings would be looked up from the new focus
            again = events.Key(event.key, event.character)
            focused._forward_event(again)
            self.key_order.routed(again, focused)

    def _refuse_paste(self, text: str) -> bool:
        """Refuse, saying so, a paste too long for the focused field (a field would drop it silently)."""
        field = self.focused
        if isinstance(field, Input):
            pasted = len(text.splitlines()[0]) if text else 0
            limit = field.max_length or PASTE_MAX_LINE
            room = limit - len(field.value)
        elif is_text_area(field):
            pasted, room = len(text), PASTE_MAX_AREA - len(field.text)
        else:
            return False
        if pasted <= room:
            return False
        self.notify(f"Not pasted: {pasted:,} characters; this field takes at most {max(room, 0):,} more.",
                    title="Paste", severity="warning", markup=False)
        return True

    def get_default_screen(self) -> GroomingScreen:
        # The app's first screen itself, not a screen pushed over Textual's empty default one:
        # the screen below the top one is drawn through it, and the empty one's start-up
        # layout redrew the whole grooming screen twice, in two frames, after the first.
        return GroomingScreen(self.service)

    def on_mount(self) -> None:
        self.sub_title = self.service.backlog.meta.name
        self.show_load_notes()
        # A background write that failed, or a file changed under our lock: the screen settles it.
        self.service.writer.attention = self._writer_needs_attention
        # The terminal closing (SIGHUP) or a kill (SIGTERM): write what is pending, then go.
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop = asyncio.get_running_loop()
            for number in (signal.SIGTERM, signal.SIGHUP):
                loop.add_signal_handler(number, self._terminate)

    def on_ready(self) -> None:
        """Textual's start-up batch is over: the next frame of the grooming screen is the first
        one written (the screen composes none in the batch, see GroomingScreen). Start-up work
        that this frame does not show waits for it (after_first_frame): what a screen queues
        "after the refresh" during the batch runs before any frame reaches the terminal."""
        self.screen.call_after_refresh(self.start_up.frame_shown)

    def after_first_frame(self, callback: Callable[[], object], stage: Stage = "frame") -> None:
        """Start-up work the first frame does not show: see tui/start_up.py."""
        self.start_up.after_first_frame(callback, stage)

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

    def _exit_saved(self) -> None:
        """Quit once every change is on disk; if the last ones cannot be saved, say so and stay
        (they have been undone in memory, so a second q quits with memory and file agreeing)."""
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


    def show_load_notes(self) -> None:
        """What opening the file found and repaired in memory (the file itself is untouched)."""
        notes = self.service.backlog.warnings
        if not notes:
            return
        lines = [f"• {note}" for note in notes[:MAX_NOTES]]
        if len(notes) > MAX_NOTES:
            lines.append(f"… and {len(notes) - MAX_NOTES} more: groom check lists them all")
        lines.append("The file is unchanged until your next change.")
        self.notify("\n".join(lines), title="Opened with notes", severity="warning", timeout=30, markup=False)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(screen_keys(self.screen)))

    async def action_quit(self) -> None:
        """Quit; with a refinement session running here, first ask whether to end it or keep it."""
        screen = next((s for s in reversed(self.screen_stack) if isinstance(s, GroomingScreen)), None)
        if screen is None or not screen.sessions.running:
            self._exit_saved()
            return
        from tui.screens.session import ChoiceDialog  # only with a session running

        if isinstance(self.screen, ChoiceDialog):
            return  # already asking

        def chosen(choice: str | None) -> None:
            if choice == "end":
                screen.sessions.end(then=self._exit_saved)
            elif choice == "keep":
                screen.sessions.keep_for_later()
                self._exit_saved()

        self.push_screen(ChoiceDialog("A refinement session is running here.", [
            ("e", "end", "end it and see the summary"),
            ("k", "keep", "keep it open: it resumes when you open Groom again"),
        ]), chosen)
