"""The filter's text field."""

from __future__ import annotations

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
