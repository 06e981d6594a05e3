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
    widget.update(renderable)
    return True


_NOTHING = object()
