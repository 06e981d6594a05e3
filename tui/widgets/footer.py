"""The footer of key hints: Textual's Footer, composed again only when the keys it shows change."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

if TYPE_CHECKING:
    from tui.app import GroomApp


class KeysFooter(Footer):
    """Textual's Footer composes its keys again (~20 widgets mounted and styled, ~10 ms) on
    every signal that the screen's bindings may have changed, once per signal: a focus move,
    the screen resuming, the terminal's focus. Right after the first frame that was five or six
    times over, all showing the same keys, and a key pressed then waited for them. Here the
    signals of one moment make one look, and the footer is composed again only if what it
    would show differs from what it shows. Its first keys come right after the first frame,
    like the first description (tui/start_up.py): the list is what that frame is for."""

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._look_pending = False
        self._shown: tuple[object, ...] | None = None

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._look_pending:
            self._look_pending = True
            start_up = cast("GroomApp", self.app).start_up
            if start_up.first_frame_shown:
                self._look_again()
            else:  # the keys' ~20 widgets, mounted and styled, were 20-40 ms of the first frame
                # (posted to the footer itself: its keys are composed in its own context)
                start_up.after_first_frame(lambda: self.call_later(self._look_again), "frame")

    def _look_again(self) -> None:
        self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._look_pending = False
        if self.is_attached and self._keys_shown() != self._shown:
            await self.recompose()

    def compose(self) -> ComposeResult:
        self._shown = self._keys_shown() if self._bindings_ready else None
        yield from super().compose()

    def _keys_shown(self) -> tuple[object, ...]:
        """What the footer shows: the keys on offer where the focus is, and how."""
        keys = tuple(
            (binding.key, binding.action, binding.description, binding.key_display, binding.group, binding.show,
             enabled, tooltip)
            for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
        )
        return keys, self.show_command_palette, self.compact
