"""`E`: estimate mode. Walks the unestimated items in rank order, one key per estimate.

The fastest way to estimate thirty items: the item's detail is on screen, a key sets its
estimate and moves on. Escape leaves; every estimate is already saved (and undoable).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from model.backlog import Backlog
from model.commands import SetPoints
from model.item import format_points
from tui.widgets.detail import DetailPane
from tui.widgets.footer import KeysFooter

# Runs the estimate through the backlog service: None when saved, else why not.
Estimate = Callable[[SetPoints], str | None]
ESTIMATE_KEYS = {"0": "0", "h": "½", "1": "1", "2": "2", "3": "3", "5": "5", "8": "8", "t": "13", "w": "20",
                 "f": "40", "x": "100"}


class EstimateMode(Screen[None]):
    AUTO_FOCUS = ""  # the keys belong to this screen, not to the detail pane shown in it
    BINDINGS = [
        *[Binding(key, f"estimate('{points}')", f"{points} points", show=False,
                  id=f"estimate.{key}") for key, points in ESTIMATE_KEYS.items()],
        Binding("space,question_mark", "skip", "Skip", id="estimate.skip"),
        Binding("backspace,b", "previous", "Back", id="estimate.back"),
        Binding("escape", "leave", "Leave", id="estimate.leave"),
    ]

    def __init__(self, backlog: Backlog, estimate: Estimate) -> None:
        super().__init__()
        self.backlog = backlog
        self.estimate = estimate
        # The walk is fixed when it starts: estimated items stay in it so `back` can revisit them.
        self.queue = [item.key for item in backlog if not item.is_closed and item.points is None]
        self.index = 0
        self.estimated = 0

    def compose(self) -> ComposeResult:
        yield Static(id="estimate-title")
        detail = DetailPane(self.backlog, key_hints=False, id="estimate-detail")
        detail.can_focus = False  # its keys (space ticks, x…) would shadow the estimate keys
        yield detail
        yield Static(id="estimate-keys")
        yield KeysFooter(compact=True)

    def on_mount(self) -> None:
        legend = Text("Keys: ", style="bold")
        legend.append("0 ½=h 1 2 3 5 8 13=t 20=w 40=f 100=x · space skip · b back · escape leave")
        self.query_one("#estimate-keys", Static).update(legend)
        self._show()

    def _show(self) -> None:
        title = self.query_one("#estimate-title", Static)
        detail = self.query_one(DetailPane)
        if not self.queue:
            title.update(Text(" Estimate mode: nothing to estimate — every open item has an estimate. "
                              "Press escape.", style="bold"))
            detail.show(None)
            return
        if self.index >= len(self.queue):
            title.update(Text(f" Estimate mode: done — {self.estimated} estimated. Press escape to go back, "
                              "b to revisit.", style="bold"))
            detail.show(None)
            return
        key = self.queue[self.index]
        item = self.backlog.items.get(key)
        text = Text(f" Estimate mode  {self.index + 1} of {len(self.queue)}", style="bold")
        text.append(f"  ·  {self.estimated} estimated so far  ·  ")
        text.append(key, style="bold")
        if item is not None and item.points is not None:
            text.append(f" (now {format_points(item.points)})", style="dim")
        title.update(text)
        detail.show(item)

    def action_estimate(self, points: str) -> None:
        if self.index >= len(self.queue):
            return
        key = self.queue[self.index]
        if key not in self.backlog:
            self.index += 1
            self._show()
            return
        error = self.estimate(SetPoints(key, points))
        if error is None:
            self.estimated += 1
            self.index += 1
            self._show()

    def action_skip(self) -> None:
        if self.index < len(self.queue):
            self.index += 1
            self._show()

    def action_previous(self) -> None:
        if self.index > 0:
            self.index -= 1
            self._show()

    def action_leave(self) -> None:
        self.dismiss(None)
