"""The filter's text field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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

    def __init__(self, *args: Any, on_change: Callable[[str], object] | None = None, **kwargs: Any) -> None:
        """`on_change(value)` is called as the text changes, before Input.Changed is handled:
        the owner can show what the text means in the same frame as the text itself."""
        super().__init__(*args, **kwargs)
        self._on_change = on_change

    def _watch_value(self, value: str) -> None:
        super()._watch_value(value)  # posts Input.Changed
        if self._on_change is not None:
            self._on_change(value)
