"""The item form: add or edit an item's title, kind, status, estimate, MoSCoW, labels and
description. ctrl+s saves, escape cancels. A refused save keeps the form open with what was
typed and says why."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static, TextArea

from model.item import POINT_SCALE, Item, Kind, MoSCoW, Status, format_points
from tui.text import visible_line

# Returns None when saved, or the reason it was refused.
Submit = Callable[[dict[str, Any]], str | None]

KIND_OPTIONS = [(kind.value, kind.value) for kind in Kind]
STATUS_OPTIONS = [(status.value.replace("_", " "), status.value) for status in Status]
POINT_OPTIONS = [("?", "?")] + [(format_points(p), format_points(p)) for p in POINT_SCALE]
MOSCOW_OPTIONS = [("none", "none")] + [(m.value.replace("wont", "won't"), m.value) for m in MoSCoW]


class ItemForm(ModalScreen[bool]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(self, heading: str, submit: Submit, item: Item | None = None, *, unit: str = "pts") -> None:
        super().__init__()
        self.heading = heading
        self.submit = submit
        self.item = item
        self.unit = unit

    def compose(self) -> ComposeResult:
        item = self.item
        with Vertical(id="item-form", classes="dialog"):
            yield Static(Text(self.heading, style="bold"), classes="dialog-title")
            with Grid(id="form-grid"):
                yield Label("Title")
                yield Input(item.title if item else "", placeholder="What needs doing, in a few words",
                            id="title", compact=True)
                yield Label("Kind")
                yield Select(KIND_OPTIONS, value=item.kind.value if item else Kind.STORY.value,
                             allow_blank=False, id="kind", compact=True)
                yield Label("Status")
                yield Select(STATUS_OPTIONS, value=item.status.value if item else Status.NEW.value,
                             allow_blank=False, id="status", compact=True)
                yield Label(self.unit.capitalize())
                yield Select(POINT_OPTIONS, value=format_points(item.points) if item else "?",
                             allow_blank=False, id="points", compact=True)
                yield Label("MoSCoW")
                yield Select(MOSCOW_OPTIONS, value=item.moscow.value if item and item.moscow else "none",
                             allow_blank=False, id="moscow", compact=True)
                yield Label("Labels")
                yield Input(", ".join(item.labels) if item else "", placeholder="comma, separated",
                            id="labels", compact=True)
            yield Label("Description (Markdown)")
            yield TextArea(item.description if item else "", id="description", soft_wrap=True,
                           tab_behavior="focus", show_line_numbers=False)
            yield Static(id="form-error", classes="error")
            yield Static("ctrl+s save · escape cancel · tab next field", classes="dialog-hint")

    def on_mount(self) -> None:
        self.initial = self.fields()  # what the form showed, to tell the user's edits apart
        self.query_one("#title", Input).focus()

    def fields(self) -> dict[str, Any]:
        moscow = self.query_one("#moscow", Select).value
        labels = [label.strip() for label in self.query_one("#labels", Input).value.split(",")]
        return {
            "title": self.query_one("#title", Input).value,
            "kind": self.query_one("#kind", Select).value,
            "status": self.query_one("#status", Select).value,
            "points": self.query_one("#points", Select).value,
            "moscow": None if moscow == "none" else moscow,
            "labels": [label for label in labels if label],
            "description": self.query_one("#description", TextArea).text,
        }

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        fields = self.fields()
        if not fields["title"].strip():
            self.show_error("The title must not be empty.")
            self.query_one("#title", Input).focus()
            return
        if self.item is not None:
            # Send only what the user changed: another Groom on the same file may have changed
            # the other fields since this form opened, and those changes must survive.
            fields = {name: value for name, value in fields.items() if value != self.initial[name]}
            if not fields:
                self.dismiss(False)
                return
        error = self.submit(fields)
        if error:
            self.show_error(error)
        else:
            self.dismiss(True)

    def show_error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(Text("⚠ " + visible_line(message)))

    def action_cancel(self) -> None:
        self.dismiss(False)
