"""A form of a few labelled one-line fields side by side (label: input), for records such as a
sprint or a team member: compact enough for six fields in an 80x24 terminal."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label, Static

from tui.screens.dialogs import PromptDialog


class RecordForm(PromptDialog):
    """PromptDialog's behaviour (enter moves on, enter on the last field or ctrl+s saves, escape
    cancels, a refused save keeps the form open with the reason) in a two-column grid."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog record-form"):
            yield Static(Text(self.heading, style="bold"), classes="dialog-title")
            with Grid(classes="record-grid"):
                for field in self.prompt_fields:
                    yield Label(field.label)
                    yield Input(field.value, placeholder=field.placeholder, id=f"field-{field.name}", compact=True)
            yield Static(classes="error", id="prompt-error")
            yield Static("enter next field / save · ctrl+s save · escape cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        width = max(len(field.label) for field in self.prompt_fields) + 1
        self.query_one(".record-grid", Grid).styles.grid_columns = f"{width} 1fr"
        self.query_one(Input).focus()
