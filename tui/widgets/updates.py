"""Update a Static only when what it shows changed.

Every `Static.update` re-renders the widget and asks for a new layout; at one change per key
that is most of what a keystroke costs. A change (an estimate, a move) leaves most of the
screen as it was, so widgets compare what they would show with what they show.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from rich.console import Group, RenderableType
from rich.text import Text
from textual.widgets import Static

_SHOWN: WeakKeyDictionary[Static, object] = WeakKeyDictionary()


def signature(renderable: RenderableType) -> object:
    """What a renderable shows, comparable: text, spans and style for Text (and Groups of
    them, and strings); anything else is new every time (it is always redrawn)."""
    if isinstance(renderable, str):
        return renderable
    if isinstance(renderable, Text):
        return (renderable.plain, tuple(renderable.spans), str(renderable.style), renderable.justify,
                renderable.no_wrap, renderable.overflow, renderable.end)
    if isinstance(renderable, Group):
        return tuple(signature(child) for child in renderable.renderables)
    return object()


def update_if_changed(widget: Static, renderable: RenderableType) -> bool:
    """`widget.update(renderable)` unless it already shows the same thing; True if updated."""
    shown = signature(renderable)
    if _SHOWN.get(widget, _NOTHING) == shown:
        return False
    _SHOWN[widget] = shown
    widget.update(renderable, layout=not _keeps_its_size(widget, renderable))
    return True


def _keeps_its_size(widget: Static, renderable: RenderableType) -> bool:
    """True when `renderable` takes one line that fits the width of a widget that shows one line
    now and whose width does not follow its content: its size stays, so no layout of the screen
    is needed. A layout lays out and redraws every widget on the screen (a filter keystroke's
    match count did it at every key); a bigger or smaller text still asks for one."""
    if not isinstance(renderable, Text) or "\n" in renderable.plain or widget.size.height != 1:
        return False
    width = widget.styles.width
    if width is not None and width.is_auto:
        return False
    return renderable.cell_len <= widget.size.width


_NOTHING = object()
