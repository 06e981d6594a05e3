"""A scrolling widget that draws its own lines (the Line API), without redrawing its scroll bars
at every layout of the screen."""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView


class LineView(ScrollView):
    """Textual's ScrollView for widgets that set their own virtual size (Toolong's pattern).

    At every layout of the screen Textual hands each scrolling widget the size of what it
    contains, and a ScrollView that differs from it updates and redraws its scroll bars. A
    widget that draws lines contains no widgets, so that size never matches: every layout (a
    filter keystroke's status line, a toast) redrew the list's and the detail pane's scroll
    bars in a frame of their own. Here the widget's own virtual size stands in for it.
    """

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        return super()._size_updated(size, self.virtual_size, container_size, layout)
