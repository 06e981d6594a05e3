"""The filter's text field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class FilterField(Input):
    """Textual's Input, one line high and as wide as the pane, whose typing redraws the field
    without laying out the screen.

    Input sets its virtual size (the width of its text) at every keystroke, and that reactive
    asks for a layout of the whole screen: every widget measured and placed again, 3-5 ms at
    each character typed into the filter, before the list could show the new matches. The
    field's size never depends on its text here (its width comes from the pane, its height is
    one line), so the new text width only needs a repaint; scrolling within the field reads it
    as before.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(self, *args: Any, on_change: Callable[[str], object] | None = None,
                 on_done: Callable[[str], object] | None = None, **kwargs: Any) -> None:
        """`on_change(text)` is called as the text changes, before Input.Changed is handled: the
        owner can show what the text means in the same frame as the text itself. `on_done(key)`
        is called for enter ("enter") and escape ("escape") as the field reads them (no
        Input.Submitted): the owner moves the focus on before the field reads another key."""
        super().__init__(*args, **kwargs)
        self._on_change = on_change
        self._on_done = on_done

    def _watch_value(self, value: str) -> None:
        super()._watch_value(value)  # posts Input.Changed
        if self._on_change is not None:
            self._on_change(value)

    async def _on_key(self, event: events.Key) -> None:
        # Keys typed at once (a fast typist, a paste) are all handed to the widget focused when
        # each is read, before the ones ahead of them have run: the keys right behind an enter
        # or an escape came here although the focus had moved on. They go where it is now.
        focused = self.screen.focused
        if focused is not None and focused is not self:
            event.prevent_default()
            event.stop()
            focused._forward_event(events.Key(event.key, event.character))
            return
        if self._on_done is not None and event.key in ("enter", "escape"):
            # Here, not through bindings: those run once the key has gone up to the app, after
            # the keys behind it were handed to this field too.
            event.prevent_default()
            event.stop()
            self._on_done(event.key)
            return
        await super()._on_key(event)
