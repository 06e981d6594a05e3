"""`R`: the dialogs of a refinement session — start it, decide about one left open, and its summary."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, RadioButton, RadioSet, SelectionList, Static
from textual.widgets.selection_list import Selection

from model.backlog import Backlog
from model.item import format_points
from model.readiness import readiness
from model.session import DEFAULT_TIMEBOX, Agenda
from model.session_record import MAX_TIMEBOX, ItemTime, SessionSummary, clock, minutes
from tui.text import visible_line


@dataclass(frozen=True)
class SessionPlan:
    """What the start dialog returns."""

    timebox: int  # minutes
    agenda: tuple[str, ...]
    source: str
    show_only_agenda: bool


class SessionStartDialog(ModalScreen[SessionPlan | None]):
    """Timebox and agenda. The default agenda is what is not ready in the next two sprints; with
    a filter on, the filtered items are offered instead. Space drops or keeps an item."""

    BINDINGS = [
        Binding("ctrl+s", "start", "Start", id="session_start.start"),
        Binding("escape", "cancel", "Cancel", id="session_start.cancel"),
    ]

    def __init__(self, backlog: Backlog, default: Agenda, filtered: Agenda | None = None) -> None:
        super().__init__()
        self.backlog = backlog
        self.agendas = [default] + ([filtered] if filtered is not None else [])
        self.chosen = 0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog session-dialog"):
            yield Static(Text("Start a refinement session", style="bold"), classes="dialog-title")
            with Horizontal(id="session-timebox-row"):
                yield Label("Timebox (minutes)")
                yield Input(str(DEFAULT_TIMEBOX), id="session-timebox", restrict=r"[0-9]*", max_length=3,
                            compact=True)
            if len(self.agendas) > 1:
                with RadioSet(id="session-source", compact=True):
                    for index, agenda in enumerate(self.agendas):
                        yield RadioButton(Text(f"{agenda.source} ({len(agenda.keys)})"), value=index == 0)
            yield Static(id="session-agenda-title")
            yield SelectionList[str](id="session-agenda", compact=True)
            yield Checkbox("Show only the agenda in the list (escape shows all)", True,
                           id="session-only-agenda", compact=True)
            yield Static(classes="error", id="session-error")
            yield Static("enter start · tab next field · space drop/keep an item · escape cancel",
                         classes="dialog-hint")

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#session-timebox", Input).focus()

    def _fill(self) -> None:
        agenda = self.agendas[self.chosen]
        listing = self.query_one("#session-agenda", SelectionList)
        listing.clear_options()
        listing.add_options([Selection(self._prompt(key), key, True) for key in agenda.keys])
        if agenda.keys:
            listing.highlighted = 0  # space works on the first item straight away
        title = Text("Agenda: ", style="bold")
        title.append(f"{agenda.source}, in rank order ({len(agenda.keys)} items)")
        if agenda.note:
            title.append(f"\n{agenda.note}", style="dim")
        if not agenda.keys:
            title.append("\nNothing to discuss here: every item in the next two sprints is ready.", style="dim")
        self.query_one("#session-agenda-title", Static).update(title)

    def _prompt(self, key: str) -> Text:
        item = self.backlog.items[key]
        text = Text(f"{key:<9}", style="bold")
        text.append(f"{format_points(item.points):>3}  ")
        text.append(visible_line(item.title))
        failures = readiness(item, self.backlog.meta.settings).failures
        if failures:
            text.append("  " + "; ".join(failures), style="dim")
        return text

    @on(RadioSet.Changed, "#session-source")
    def _source_changed(self, event: RadioSet.Changed) -> None:
        self.chosen = event.index
        self._fill()

    @on(Input.Submitted, "#session-timebox")
    def _submitted(self) -> None:
        self.action_start()

    def action_start(self) -> None:
        error = self.query_one("#session-error", Static)
        text = self.query_one("#session-timebox", Input).value.strip()
        if not text.isdigit() or not 1 <= int(text) <= MAX_TIMEBOX:
            error.update(Text(f"⚠ The timebox is a number of minutes from 1 to {MAX_TIMEBOX} (60 to 120 is usual)."))
            self.query_one("#session-timebox", Input).focus()
            return
        selected = set(self.query_one("#session-agenda", SelectionList).selected)
        agenda = self.agendas[self.chosen]
        keys = tuple(k for k in agenda.keys if k in selected)
        if not keys:
            error.update(Text("⚠ The agenda is empty: keep at least one item (space), or use a filter (/) to "
                              "choose the items first."))
            return
        only = self.query_one("#session-only-agenda", Checkbox).value
        self.dismiss(SessionPlan(int(text), keys, agenda.source, only))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceDialog(ModalScreen[str | None]):
    """A question answered with one key: each choice is (key, value, words)."""

    BINDINGS = [Binding("escape", "choose('')", "Cancel", id="choice.cancel")]

    def __init__(self, question: str, choices: Sequence[tuple[str, str, str]]) -> None:
        super().__init__()
        self.question = question
        self.choices = tuple(choices)

    def compose(self) -> ComposeResult:
        hint = " · ".join(f"{key} {words}" for key, _, words in self.choices) + " · escape cancel"
        with Vertical(classes="dialog confirm-dialog"):
            yield Static(Text(self.question))
            yield Static(hint, classes="dialog-hint")

    def on_key(self, event: object) -> None:
        key = getattr(event, "key", "")
        for choice_key, value, _ in self.choices:
            if key == choice_key:
                event.stop()
                self.dismiss(value)
                return

    def action_choose(self, value: str) -> None:
        self.dismiss(value or None)


class SessionSummaryScreen(ModalScreen[None]):
    """What the session achieved. `x` writes it as Markdown beside the backlog file."""

    BINDINGS = [
        Binding("escape,enter,q", "close", "Close", id="summary.close"),
        Binding("x", "export", "Save as Markdown", id="summary.export"),
        Binding("j,down", "scroll(1)", "Scroll down", show=False, id="summary.down"),
        Binding("k,up", "scroll(-1)", "Scroll up", show=False, id="summary.up"),
    ]

    def __init__(self, summary: SessionSummary, export: Callable[[SessionSummary], str] | None = None) -> None:
        super().__init__()
        self.summary = summary
        self.export = export

    def compose(self) -> ComposeResult:
        summary = self.summary
        heading = Text(f"Refinement session {summary.session} — ", style="bold")
        heading.append(visible_line(summary.backlog), style="bold")
        local_start = summary.started.astimezone()
        heading.append(f"\n{local_start:%a %d %b %Y %H:%M}–{summary.ended.astimezone():%H:%M}", style="dim")
        heading.append(" · " + ", ".join(visible_line(name) for name in summary.contributors), style="dim")
        with Vertical(classes="dialog summary-dialog"):
            yield Static(heading, classes="dialog-title")
            with VerticalScroll(id="summary-body"):
                yield Static(summary_renderable(summary), id="summary-text")
            hint = "j k scroll · x save as Markdown · escape close" if self.export else "j k scroll · escape close"
            yield Static(hint, classes="dialog-hint")

    def action_scroll(self, step: int) -> None:
        self.query_one("#summary-body", VerticalScroll).scroll_relative(y=step, animate=False)

    def action_export(self) -> None:
        if self.export is None:
            return
        try:
            message = self.export(self.summary)
        except OSError as exc:
            self.notify(f"Could not save the summary: {exc.strerror}", severity="error", markup=False)
            return
        self.notify(message, title="Session summary", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)


def summary_renderable(summary: SessionSummary) -> RenderableType:
    """The overview, the agenda with time and outcome per item, and the questions."""
    parts: list[RenderableType] = []
    overview = Text()
    over = summary.over
    for number, line in enumerate(summary.overview()):
        style = "bold red" if number == 0 and over > 59 else ""
        overview.append(("• " if number else "") + visible_line(line) + "\n", style=style)
    parts.append(overview)
    parts.append(Text(f"Agenda ({summary.discussed} of {len(summary.agenda)} discussed)", style="bold underline"))
    parts.append(_items_table(summary.agenda, timed=True))
    if summary.off_agenda >= 60:
        parts.append(Text(f"Off the agenda: {minutes(summary.off_agenda)}", style="dim"))
    if summary.others:
        parts.append(Text("\nAlso changed", style="bold underline"))
        parts.append(_items_table(summary.others, timed=False))
    for title, notes in (("Questions raised", summary.raised), ("Questions answered", summary.answered)):
        if not notes:
            continue
        text = Text(f"\n{title}\n", style="bold underline")
        for note in notes:
            text.append(f"  {note.key} ", style="bold")
            text.append(visible_line(note.text))
            if note.ask:
                text.append(f"  (ask {visible_line(note.ask)})", style="italic")
            if note.answer and title.endswith("answered"):
                text.append(f"\n      → {visible_line(note.answer)}", style="dim")
            text.append("\n")
        parts.append(text)
    return Group(*parts)


def _items_table(rows: Sequence[ItemTime], *, timed: bool) -> Table:
    table = Table(box=None, show_header=False, expand=True, pad_edge=False)
    table.add_column("key", no_wrap=True, style="bold")
    if timed:
        table.add_column("time", no_wrap=True, justify="right")
    table.add_column("title", ratio=2, no_wrap=True, overflow="ellipsis")
    table.add_column("outcome", ratio=3)
    for row in rows:
        cells = [Text(row.key)]
        if timed:
            cells.append(Text(clock(row.seconds) if row.seconds else "—", style="" if row.seconds else "dim"))
        cells.append(Text(visible_line(row.title)))
        if row.outcome:
            cells.append(Text(", ".join(row.outcome)))
        else:
            cells.append(Text("no change" if row.seconds else "not discussed", style="dim"))
        table.add_row(*cells)
    if not rows:
        table.add_row(*([Text("—")] * (4 if timed else 3)))
    return table
