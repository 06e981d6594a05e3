"""Small dialogs: a few text fields, a yes/no question, and the estimate picker."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from model.item import POINT_SCALE, format_points
from tui.text import visible_line


@dataclass(frozen=True)
class PromptField:
    name: str
    label: str
    value: str = ""
    placeholder: str = ""
    required: bool = False


# Returns None when accepted, or the reason it was refused (the dialog stays open).
PromptSubmit = Callable[[dict[str, str]], str | None]


class PromptDialog(ModalScreen[bool]):
    """One or more single-line fields; enter on the last one (or ctrl+s) submits."""

    BINDINGS = [
        Binding("ctrl+s", "submit", "Save", id="prompt.save"),
        Binding("escape", "cancel", "Cancel", id="prompt.cancel"),
    ]

    def __init__(self, heading: str, fields: Sequence[PromptField], submit: PromptSubmit) -> None:
        super().__init__()
        self.heading = heading
        self.prompt_fields = tuple(fields)
        self.submit = submit

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog prompt-dialog"):
            yield Static(Text(self.heading, style="bold"), classes="dialog-title")
            for field in self.prompt_fields:
                yield Label(field.label)
                yield Input(field.value, placeholder=field.placeholder, id=f"field-{field.name}", compact=True)
            yield Static(classes="error", id="prompt-error")
            yield Static("enter save · escape cancel", classes="dialog-hint")

    def values(self) -> dict[str, str]:
        return {f.name: self.query_one(f"#field-{f.name}", Input).value for f in self.prompt_fields}

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index < len(inputs) - 1:
            inputs[index + 1].focus()
        else:
            self.action_submit()

    def action_submit(self) -> None:
        values = self.values()
        for field in self.prompt_fields:
            if field.required and not values[field.name].strip():
                self.show_error(f"{field.label} must not be empty.")
                self.query_one(f"#field-{field.name}", Input).focus()
                return
        error = self.submit(values)
        if error:
            self.show_error(error)
        else:
            self.dismiss(True)

    def show_error(self, message: str) -> None:
        self.query_one("#prompt-error", Static).update(Text("⚠ " + visible_line(message)))

    def action_cancel(self) -> None:
        self.dismiss(False)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question: y confirms, n or escape declines."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm-dialog"):
            yield Static(Text(visible_line(self.question)))
            yield Static("y yes · n no", classes="dialog-hint")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class PointsPicker(ModalScreen[str | None]):
    """The whole estimation scale, including ½, 13, 20, 40, 100 and ? (unestimated)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="points.cancel"),
        Binding("j", "cursor(1)", "Down", show=False, id="points.down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="points.up"),
    ]

    def __init__(self, heading: str, current: float | None) -> None:
        super().__init__()
        self.heading = heading
        self.current = current

    def compose(self) -> ComposeResult:
        options = [Option(format_points(p), id=format_points(p)) for p in POINT_SCALE]
        options.append(Option("? (not estimated)", id="?"))
        with Vertical(classes="dialog points-dialog"):
            yield Static(Text(self.heading, style="bold"), classes="dialog-title")
            yield OptionList(*options, id="points-options")
            yield Static("enter choose · escape cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = options.get_option_index(format_points(self.current))
        options.focus()

    def action_cursor(self, step: int) -> None:
        options = self.query_one(OptionList)
        options.action_cursor_down() if step > 0 else options.action_cursor_up()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
