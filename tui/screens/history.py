"""`h`: the whole change log of the item under the cursor, newest first."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from model.backlog import Backlog
from model.history import PER_ITEM_LIMIT
from tui.text import visible_line
from tui.widgets.history_view import entry_text


class HistoryScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,h,q", "close", "Close", id="history.close"),
        Binding("j,down", "scroll(1)", "Scroll down", show=False, id="history.down"),
        Binding("k,up", "scroll(-1)", "Scroll up", show=False, id="history.up"),
        Binding("pagedown,space", "page(1)", "Page down", show=False, id="history.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="history.page_up"),
    ]

    def __init__(self, backlog: Backlog, key: str) -> None:
        super().__init__()
        self.backlog = backlog
        self.key = key

    def compose(self) -> ComposeResult:
        entries = self.backlog.history.for_item(self.key)
        item = self.backlog.items.get(self.key)
        heading = Text(f"History of {self.key}", style="bold")
        if item is not None:
            heading.append(" " + visible_line(item.title))
        heading.append(f"\n{len(entries)} change{'s' if len(entries) != 1 else ''}, newest first", style="dim")
        if len(entries) >= PER_ITEM_LIMIT:
            heading.append(f" (the latest {PER_ITEM_LIMIT} are kept)", style="dim")
        body = Text()
        for entry in entries:
            body.append_text(entry_text(entry, stamp="%Y-%m-%d %H:%M"))
            body.append("\n\n")
        if not entries:
            body.append("No changes recorded yet.", style="dim")
        with Vertical(classes="dialog history-dialog"):
            yield Static(heading, classes="dialog-title")
            with VerticalScroll(id="history-body"):
                yield Static(body, id="history-entries")
            yield Static("j k scroll · escape close", classes="dialog-hint")

    def action_scroll(self, step: int) -> None:
        self.query_one("#history-body", VerticalScroll).scroll_relative(y=step, animate=False)

    def action_page(self, step: int) -> None:
        body = self.query_one("#history-body", VerticalScroll)
        body.scroll_relative(y=step * max(1, body.size.height - 1), animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
