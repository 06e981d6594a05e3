"""A scrolling widget that draws its own lines (the Line API), without redrawing its scroll bars
at every layout of the screen."""

from __future__ import annotations

from rich.style import Style as RichStyle
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


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

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines in `crop`, straight from `render_line` when nothing around them needs
        Textual's styling of a widget's lines (no border, padding, outline, tint or opacity).

        Textual's own path (its StylesCache) works out borders, padding and effects for each
        line: ~0.08 ms a line here, 3 ms of a filter keystroke that draws a screenful of new rows
        at 120x40, for lines these widgets already make at their width over their background.
        The terminal's colour filters are applied as Textual applies them. A test compares both
        paths line for line.
        """
        if not self._plain_lines():
            return super().render_lines(crop)
        width = self.content_region.width
        base_background, background = self.background_colors
        filters = self.get_line_filters()
        padding = RichStyle(bgcolor=(base_background + background).rich_color)  # as Textual pads
        strips = []
        for y in crop.line_range:
            strip = self.render_line(y)
            if strip.cell_length != width:  # the cell under the scroll bar
                strip = strip.adjust_cell_length(width, padding)
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            strips.append(strip)
        if crop.column_span != (0, width):
            x1, x2 = crop.column_span
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips

    def _plain_lines(self) -> bool:
        styles = self.styles
        return (
            not any(styles.gutter)
            and not any(edge for edge, _ in styles.outline)
            and not styles.tint.a
            and styles.text_opacity == 1.0
            and self.opacity == 1.0
            and not (styles.has_rule("hatch") and styles.hatch != "none")
            and self._border_title is None
            and self._border_subtitle is None
            and self.region.width == self.content_region.width
        )
