"""Keys act in the order they were typed, however fast they come."""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeGuard

from textual.dom import NoScreen
from textual.widgets import Input

if TYPE_CHECKING:
    from textual import events
    from textual.app import App
    from textual.dom import DOMNode
    from textual.screen import Screen
    from textual.timer import Timer
    from textual.widget import Widget
    from textual.widgets import TextArea

# A key whose work is still under way after this long (a widget's queue waiting on something)
# no longer holds up the keys behind it.
HOLD_LIMIT = 0.5


class KeyOrder:
    """Routes each key from the terminal only once the key before it has been acted on.

    Textual hands each key to the widget focused when the key is read, ahead of the keys before
    it having run. Keys read together (a fast typist over a slow link, a paste without bracketed
    paste, tmux send-keys) therefore ran out of order wherever a widget takes some keys itself
    and leaves others to the bindings, which run only once a key has gone up to the app:
    `bugx`, backspace, `s` typed at once into a field gave "bugx" (the `s` was typed, then the
    backspace took it back), and the `jj` behind an enter in a dialog's field were typed into
    it before the dialog saved it. The same race sent keys to a widget whose screen was about
    to close or open.

    A key read while the one before it may still be under way is held, with every key behind
    it. A marker is passed from the widget the earlier key went to up to the app, twice: once
    behind the key itself (its bindings have then run) and once behind what those posted (a
    field's Submitted, handled by its dialog), then once through the screen on top (a screen
    just opened focuses its field). Each widget handles its messages in order, so when the
    marker reaches the app the earlier key has been acted on, and the held keys are routed again,
    in order, to wherever the focus is now.

    Markers cost a few milliseconds, so a key is routed at once when the one before it is known
    to be settled (see `_settled`): a cursor key after a handled one, a character after a
    character. A key whose bindings leave work behind (a screen opened, a dialog's field
    submitted) is followed by markers as soon as it has come back to the app, so that a key
    typed a moment later, as people type, goes at once too.
    """

    def __init__(self, app: App) -> None:
        self.app = app
        self._held: deque[events.Key] | None = None
        self._last: _Routed | None = None  # the key routed last, and where to
        self._hold: _Markers | None = None  # the markers the held keys wait for
        self._timer: Timer | None = None

    def holds(self, event: events.Key) -> bool:
        """Whether `event`, a key just read from the terminal, waits for the keys before it."""
        if self._held is not None:
            self._held.append(event)
            return True
        last = self._last
        if last is None or self._settled(last):
            return False
        self._held = deque([event])
        self._timer = self.app.set_timer(HOLD_LIMIT, self._release, name="key-order")
        self._hold = self._follow(last, self._release)
        return True

    def routed(self, event: events.Key, target: DOMNode | None) -> None:
        """The app has handed `event` to `target` (None: the app kept it, as a priority binding)."""
        app = self.app
        self._last = _Routed(event, target if target is not None else app.screen, app.screen, app.focused)

    def returned(self, event: events.Key) -> None:
        """`event` has come back up to the app, where its bindings run now."""
        last = self._last
        if last is not None and last.event is event:
            last.returned = True
            # Once they have run: if they left work that the next key must wait for (a screen
            # opened, a field's Submitted), follow it now rather than when the next key comes,
            # so that a key typed a moment later goes at once.
            self.app.call_later(self._settle, last)

    def _settle(self, last: _Routed) -> None:
        if self._last is last and self._held is None and not self._settled(last):
            self._follow(last, lambda: setattr(last, "settled", True))

    def _settled(self, last: _Routed) -> bool:
        """Whether the next key can be routed at once, with no marker, for sure.

        A printable key handed to a text field is typed by the field itself: the next key,
        handed to the same field, queues behind it. A key that has come back to the app has had
        its bindings run (the app handles its queue in order, and a focus they moved has moved
        before a key read after them is routed): unless they opened or closed a screen (whose
        focus comes later, from its own queue), or the key was for a text field (its enter
        posts Submitted, which its dialog has yet to handle), the next key goes where it would
        have gone anyway. `/` and then a character: the character goes to the filter at once.
        Otherwise, once markers have followed what the key left (`_settle`).
        """
        if last.settled:
            return True
        app = self.app
        if app.screen is not last.screen:
            return False
        text_field = _is_text_field(last.target)
        if text_field and last.event.is_printable and not last.returned:
            return app.focused is last.focused
        return last.returned and not text_field

    def _follow(self, last: _Routed, then: Callable[[], object]) -> _Markers:
        """Pass markers behind what `last` set going, then call `then`: behind the key itself
        (unless it has come back to the app: its bindings have run), behind what they posted
        to the widget it went to, and through the screen now on top."""
        starts: list[DOMNode | None] = [last.target] if not last.returned else []
        markers = _Markers([*starts, last.target, None], then)
        self._pass(markers, markers.starts.pop(0))
        return markers

    def _pass(self, markers: _Markers, node: DOMNode | None) -> None:
        """Hand the marker on from `node` to its parent, in each one's queue of messages, up to
        the app's queue (None: from the screen on top; a node whose screen was closed, whose
        queue may close before the marker's turn, is skipped)."""
        if not markers.live:
            return
        if node is None:
            node = self.app.screen
        if not self._live(node):
            node = self.app
        while node is not None:
            if node.call_later(self._marker_handled, markers, node):
                return
            node = node.parent

    def _live(self, node: DOMNode) -> bool:
        if node is self.app:
            return True
        try:
            return node.is_attached and node.screen in self.app.screen_stack
        except NoScreen:  # a node off every screen
            return False

    def _marker_handled(self, markers: _Markers, node: DOMNode) -> None:
        if not markers.live:
            return
        if node is not self.app:
            # A node taken off the screen meanwhile (its dialog closed) has no parent: straight up.
            self._pass(markers, node.parent or self.app)
        elif markers.starts:
            # At the app: everything this pass went through has handled what was ahead of it.
            self._pass(markers, markers.starts.pop(0))
        else:
            markers.live = False
            markers.then()

    def _release(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._hold is not None:
            self._hold.live = False  # released by HOLD_LIMIT: its markers stop where they are
            self._hold = None
        held, self._held = self._held, None
        self._last = None
        if not held:
            return
        # Routed again as keys just read, in order: the first one goes at once, and each one
        # after it waits for the one before it, as here. The same events, not copies: a copy's
        # sender would be whichever node runs this, and Textual stops a message bubbling up at
        # its sender (a key sent by the screen never reaches the app, where bindings run).
        for event in held:
            self.app.post_message(event)


@dataclass
class _Markers:
    """Markers on their way: where the passes still to come start (None: the screen on top),
    and what to call once the last pass has reached the app."""

    starts: list[DOMNode | None]
    then: Callable[[], object]
    live: bool = True


@dataclass
class _Routed:
    event: events.Key
    target: DOMNode
    screen: Screen  # the screen on top when it was routed
    focused: Widget | None  # the focus when it was routed
    returned: bool = False  # it came back up to the app, and its bindings ran
    settled: bool = False  # markers followed what it left (see KeyOrder._settle)


def _is_text_field(node: DOMNode) -> bool:
    """An Input or a TextArea: widgets that type printable keys themselves and leave the other
    keys (backspace, enter, ctrl+s) to bindings."""
    return isinstance(node, Input) or is_text_area(node)


def is_text_area(widget: object) -> TypeGuard[TextArea]:
    """Whether `widget` is a TextArea, without importing TextArea (start-up time for a widget
    only forms show): until a form has imported it, no widget can be one."""
    module = sys.modules.get("textual.widgets._text_area")
    return module is not None and isinstance(widget, module.TextArea)
