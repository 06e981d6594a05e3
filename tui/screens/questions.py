"""`Q`: every open question, grouped by whom to ask, for the follow-up with stakeholders.

Answering one here updates its item (and returns it to new when it was its last open one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from model.backlog import Backlog
from model.commands import EditQuestion
from tui.screens.dialogs import PromptDialog, PromptField
from tui.text import visible, visible_line
from tui.widgets.footer import KeysFooter

Answer = Callable[[EditQuestion], str | None]


@dataclass(frozen=True)
class OpenQuestion:
    key: str
    index: int
    text: str
    ask: str


def open_questions(backlog: Backlog) -> dict[str, list[OpenQuestion]]:
    """Open questions of open items by whom to ask (people in name order, "anyone" last)."""
    groups: dict[str, list[OpenQuestion]] = {}
    for item in backlog:
        if item.is_closed:
            continue
        for index, question in enumerate(item.questions):
            if question.is_open:
                groups.setdefault(question.ask.strip(), []).append(OpenQuestion(item.key, index, question.text,
                                                                                 question.ask))
    return dict(sorted(groups.items(), key=lambda pair: (pair[0] == "", pair[0].casefold())))


class QuestionsScreen(Screen[str | None]):
    """Returns the key to show in the backlog (g), or None."""

    BINDINGS = [
        Binding("enter,e,a", "answer", "Answer", id="questions.answer"),
        Binding("g", "go", "Go to item", id="questions.go"),
        Binding("j", "cursor(1)", "Down", show=False, id="questions.down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="questions.up"),
        Binding("escape", "close", "Back", id="questions.close"),
    ]

    def __init__(self, backlog: Backlog, answer: Answer) -> None:
        super().__init__()
        self.backlog = backlog
        self.answer = answer
        self.entries: list[OpenQuestion | None] = []

    def compose(self) -> ComposeResult:
        yield Static(id="questions-title")
        yield OptionList(id="questions-list")
        yield KeysFooter(compact=True)

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()

    def _fill(self, keep: int = 0) -> None:
        groups = open_questions(self.backlog)
        total = sum(len(g) for g in groups.values())
        title = Text(f" Open questions: {total}", style="bold")
        title.append(f" for {len(groups)} stakeholder{'s' if len(groups) != 1 else ''}" if total else
                     " — nothing waits for an answer.")
        self.query_one("#questions-title", Static).update(title)
        options = self.query_one(OptionList)
        options.clear_options()
        self.entries = []
        for ask, questions in groups.items():
            options.add_option(Option(Text(f"Ask {visible_line(ask)}" if ask else "Ask anyone (no one named)",
                                           style="bold underline"), disabled=True))
            self.entries.append(None)
            for question in questions:
                item = self.backlog.items[question.key]
                line = Text(f"  {question.key} ", style="bold")
                line.append(visible(question.text))
                line.append(f"\n      on “{visible_line(item.title)}”", style="dim")
                options.add_option(Option(line))
                self.entries.append(question)
        selectable = [i for i, e in enumerate(self.entries) if e is not None]
        if selectable:
            options.highlighted = min((i for i in selectable if i >= keep), default=selectable[-1])

    def _current(self) -> OpenQuestion | None:
        highlighted = self.query_one(OptionList).highlighted
        return self.entries[highlighted] if highlighted is not None and highlighted < len(self.entries) else None

    def action_cursor(self, step: int) -> None:
        options = self.query_one(OptionList)
        options.action_cursor_down() if step > 0 else options.action_cursor_up()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_answer()

    def action_answer(self) -> None:
        question = self._current()
        if question is None:
            return
        position = self.query_one(OptionList).highlighted or 0
        fields = [PromptField("answer", f"Answer (from {question.ask or 'whoever answered'})", required=True)]

        def submit(values: dict[str, str]) -> str | None:
            error = self.answer(EditQuestion(question.key, question.index, answer=values["answer"],
                                             expected=question.text))
            if error is None:
                self.call_after_refresh(self._fill, position)
            return error

        self.app.push_screen(PromptDialog(f"{question.key}: {question.text}"[:200], fields, submit))

    def action_go(self) -> None:
        question = self._current()
        if question is not None:
            self.dismiss(question.key)

    def action_close(self) -> None:
        self.dismiss(None)
