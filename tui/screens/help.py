"""`?`: every key of the current screen, filterable by typing."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.keys import KeyHelp


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close", id="help.close"),
        Binding("down", "scroll(1)", "Scroll", show=False, id="help.down"),
        Binding("up", "scroll(-1)", "Scroll", show=False, id="help.up"),
    ]

    def __init__(self, keys: list[KeyHelp]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help-dialog"):
            yield Static(Text("Keys — type to filter, escape to close", style="bold"), classes="dialog-title")
            yield Input(placeholder="filter keys…", id="help-filter", compact=True)
            with VerticalScroll(id="help-body"):
                yield Static(id="help-table")

    def on_mount(self) -> None:
        self._show("")
        self.query_one("#help-filter", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show(event.value)

    def _show(self, text: str) -> None:
        shown = [k for k in self.keys if k.matches(text)] if text.strip() else self.keys
        table = Table(box=None, show_header=True, header_style="bold", expand=True, pad_edge=False)
        table.add_column("Key", no_wrap=True)
        table.add_column("Action", ratio=1)
        table.add_column("Where", no_wrap=True, style="dim")
        for key in shown:
            table.add_row(Text(key.keys), Text(key.description), Text(key.place))
        if not shown:
            table.add_row(Text("—"), Text("no key matches"), Text(""))
        self.query_one("#help-table", Static).update(table)

    def action_scroll(self, step: int) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        body.scroll_relative(y=step, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
