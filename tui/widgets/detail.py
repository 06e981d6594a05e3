"""The item under the cursor: everything about it, and keys to work its criteria and questions."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from model.backlog import Backlog
from model.commands import DeleteCriterion, DeleteQuestion, MoveCriterion, ToggleCriterion
from model.conflict import describe_value, field_words
from model.forecast import forecast_for
from model.io.source import source_ref
from model.item import Item, format_points
from model.readiness import readiness
from model.resolve import ResolveConflict
from tui.messages import CommandRequested
from tui.text import literal, visible, visible_line
from tui.widgets.backlog_list import KIND_TAGS
from tui.widgets.history_view import history_section
from tui.widgets.updates import update_if_changed

DESCRIPTION_SHOWN = 8_000  # characters rendered as Markdown; the rest is one key away (e)
STATUS_WORDS = {
    "new": "new", "needs_info": "needs info", "ready": "ready", "planned": "planned",
    "done": "done", "dropped": "dropped", "split": "split",
}


@dataclass(frozen=True)
class Entry:
    """A selectable line in the detail pane: a merge conflict, an acceptance criterion or a question."""

    kind: str  # "conflict" | "criterion" | "question"
    index: int


class DetailPane(VerticalScroll, can_focus=True):
    BINDINGS = [
        Binding("j,down", "select(1)", "Next", show=False, id="detail.next"),
        Binding("k,up", "select(-1)", "Previous", show=False, id="detail.previous"),
        Binding("space,x", "toggle", "Tick", id="detail.toggle"),
        Binding("e,enter", "edit_entry", "Edit", id="detail.edit"),
        Binding("d", "delete_entry", "Delete", id="detail.delete"),
        Binding("J,shift+down", "reorder(1)", "Move down", show=False, id="detail.move_down"),
        Binding("K,shift+up", "reorder(-1)", "Move up", show=False, id="detail.move_up"),
        Binding("c", "screen.add_criterion", "Criterion", id="detail.criterion"),
        Binding("n", "screen.add_question", "Question", id="detail.question"),
        # o/t/b are spelled out in the pane's conflict section, where they apply: the footer keeps
        # room for ? Help and q Quit at 80 columns.
        Binding("o", "resolve('ours')", "Keep ours", show=False,
                tooltip="Merge conflict: keep ours (this branch's value)", id="detail.resolve_ours"),
        Binding("t", "resolve('theirs')", "Take theirs", show=False,
                tooltip="Merge conflict: take theirs (the merged branch's value)", id="detail.resolve_theirs"),
        Binding("b", "resolve('base')", "Take base", show=False,
                tooltip="Merge conflict: go back to the common ancestor's value", id="detail.resolve_base"),
    ]

    selected: reactive[int] = reactive(0, init=False)

    class EditEntry(Message):
        """The user wants to edit a criterion or question (the screen opens the form)."""

        def __init__(self, key: str, entry: Entry) -> None:
            super().__init__()
            self.key = key
            self.entry = entry

    def __init__(self, backlog: Backlog, *, key_hints: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.backlog = backlog
        # "press c to add one": only where c and n do that (not in estimate mode, say).
        self.key_hints = key_hints
        self.item: Item | None = None
        self._description_shown: str | None = None  # the text the description Static shows
        # The first description is drawn right after the first frame: rich's Markdown (its import
        # and the parse, ~50 ms) is the slowest part of the pane, and the list should not wait.
        self._first_description_drawn = False

    def compose(self) -> ComposeResult:
        yield Static(id="detail-head")
        yield Static(id="detail-conflicts")
        yield Static(id="detail-description")
        yield Static(id="detail-criteria")
        yield Static(id="detail-questions")
        yield Static(id="detail-lineage")
        yield Static(id="detail-evidence")
        yield Static(id="detail-history")

    # ----- showing -------------------------------------------------------------------

    def show(self, item: Item | None) -> None:
        changed_item = item is None or self.item is None or item.key != self.item.key
        had_conflicts = bool(self.item and self.item.conflicts)
        self.item = item
        if had_conflicts != bool(item and item.conflicts):
            self.refresh_bindings()  # the resolve keys are offered only on items with conflicts
        if changed_item:
            self.set_reactive(DetailPane.selected, 0)
            self.scroll_home(animate=False)
        self.selected = min(self.selected, max(0, len(self.entries) - 1))
        self._render_all()

    @property
    def entries(self) -> list[Entry]:
        if self.item is None:
            return []
        return [
            *(Entry("conflict", i) for i in range(len(self.item.conflicts))),
            *(Entry("criterion", i) for i in range(len(self.item.acceptance_criteria))),
            *(Entry("question", i) for i in range(len(self.item.questions))),
        ]

    @property
    def current_entry(self) -> Entry | None:
        entries = self.entries
        return entries[self.selected] if 0 <= self.selected < len(entries) else None

    def watch_selected(self) -> None:
        self._render_entries()

    # Our handlers run before Widget._on_focus/_on_blur update `has_focus`: redraw after them.
    def on_focus(self) -> None:
        self.call_later(self._render_entries)

    def on_blur(self) -> None:
        self.call_later(self._render_entries)

    def _render_all(self) -> None:
        item = self.item
        head = self.query_one("#detail-head", Static)
        description = self.query_one("#detail-description", Static)
        lineage = self.query_one("#detail-lineage", Static)
        evidence = self.query_one("#detail-evidence", Static)
        history = self.query_one("#detail-history", Static)
        if item is None:
            update_if_changed(head, Text("Nothing selected.", style="dim"))
            for widget in (lineage, evidence, history):
                update_if_changed(widget, "")
            description.update("")  # compared by its source text, not by update_if_changed
            self._description_shown = None
            history.display = False
            self._render_entries()
            return
        update_if_changed(head, self._head(item))
        if item.description != self._description_shown:
            # Markdown is the slow part of the pane: a move or an estimate leaves it as it is.
            if self._first_description_drawn or not item.description.strip():
                self._draw_description()
            else:
                self._first_description_drawn = True
                description.update("")
                self.call_after_refresh(self._draw_description)
        update_if_changed(lineage, self._lineage(item))
        update_if_changed(evidence, self._evidence(item))
        section = history_section(self.backlog, item.key)
        history.display = bool(section)  # nothing recorded: no section, not even its margin
        update_if_changed(history, section)
        self._render_entries()

    def _head(self, item: Item) -> RenderableType:
        title = literal(visible_line(item.title), style="bold")
        facts = Text()
        facts.append(item.key, style="bold")
        unit = "days" if self.backlog.meta.settings.estimate_unit == "days" else "pts"
        parts = [KIND_TAGS[item.kind].lower(), STATUS_WORDS[item.status.value],
                 f"{format_points(item.points)} {unit}", f"MoSCoW: {item.moscow.value if item.moscow else '—'}"]
        facts.append(" · " + " · ".join(parts))
        lines: list[RenderableType] = [title, facts]
        if item.labels:
            lines.append(literal("Labels: " + ", ".join(visible_line(label) for label in item.labels)))
        if item.source:
            lines.append(literal(f"Imported from {source_ref(item.source)}", style="dim"))
        if item.former_keys:
            formers = ", ".join(former.describe() for former in item.former_keys)
            lines.append(literal(f"Renumbered by a merge: was {formers}", style="italic"))
        if not item.is_closed:
            lines.extend(self._forecast(item))
            result = readiness(item, self.backlog.meta.settings)
            if result.ready:
                lines.append(Text("✓ Ready", style="bold green"))
            else:
                lines.append(Text("Not ready: " + "; ".join(result.failures), style="yellow"))
        return Group(*lines)

    def _forecast(self, item: Item) -> list[Text]:
        """When the item may be done: the Monte Carlo forecast (binary searches: no O(n) work
        when the cursor moves; the forecast is made once per change to the backlog)."""
        forecast = forecast_for(self.backlog)
        if not forecast.ready:  # drawn in the background at start: shown once it is there
            return [Text("Forecast: working it out…", style="dim")]
        if forecast.problem:
            return [Text(f"Forecast: {forecast.short_problem}", style="dim")]
        answer = forecast.item(item.key)
        if answer is None:
            return []
        line = Text.assemble(("Forecast: ", "bold"), answer.text())
        lines = [line]
        if answer.caveat():
            lines.append(Text(f"⚠ {answer.caveat()}", style="yellow"))
        return lines

    def _draw_description(self) -> None:
        item = self.item
        if item is not None and item.description != self._description_shown:
            self._description_shown = item.description
            self.query_one("#detail-description", Static).update(self._description(item))

    def _description(self, item: Item) -> RenderableType:
        if not item.description.strip():
            return Text("No description.", style="dim italic")
        text = item.description
        more = ""
        if len(text) > DESCRIPTION_SHOWN:
            more = f"… {len(text) - DESCRIPTION_SHOWN:,} more characters: press e to read and edit all of it."
            text = text[:DESCRIPTION_SHOWN]
        from rich.markdown import Markdown  # see _first_description_drawn

        markdown = Markdown(visible(text), hyperlinks=False)
        return Group(markdown, Text(more, style="dim")) if more else markdown

    def _render_entries(self) -> None:
        if not self.is_mounted:
            return
        criteria = self.query_one("#detail-criteria", Static)
        questions = self.query_one("#detail-questions", Static)
        conflicts = self.query_one("#detail-conflicts", Static)
        item = self.item
        if item is None:
            for widget in (criteria, questions, conflicts):
                update_if_changed(widget, "")
            conflicts.display = False
            return
        selected = self.current_entry if self.has_focus else None
        conflicts.display = bool(item.conflicts)
        update_if_changed(conflicts, self._conflicts(item, selected) if item.conflicts else "")
        lines = Text()
        lines.append(f"Acceptance criteria ({sum(c.done for c in item.acceptance_criteria)}/"
                     f"{len(item.acceptance_criteria)})\n", style="bold underline")
        if not item.acceptance_criteria:
            lines.append("  none yet: press c to add one\n" if self.key_hints else "  none yet\n", style="dim")
        for i, criterion in enumerate(item.acceptance_criteria):
            is_selected = selected == Entry("criterion", i)
            row = Text("▶ " if is_selected else "  ")
            row.append("[x] " if criterion.done else "[ ] ")
            row.append(visible(criterion.text))
            if criterion.done:
                row.stylize("dim")
            if is_selected:
                row.stylize("reverse")
            lines.append_text(row)
            lines.append("\n")
        update_if_changed(criteria, lines)

        open_count = len(item.open_questions)
        text = Text()
        text.append(f"Questions ({open_count} open)\n", style="bold underline")
        if not item.questions:
            text.append("  none: press n to raise one for a stakeholder\n" if self.key_hints else "  none\n",
                        style="dim")
        for i, question in enumerate(item.questions):
            is_selected = selected == Entry("question", i)
            row = Text("▶ " if is_selected else "  ")
            row.append("? " if question.is_open else "✓ ", style="bold" if question.is_open else "")
            row.append(visible(question.text))
            if question.ask:
                row.append(f"  (ask {visible_line(question.ask)})", style="italic")
            if question.answer:
                row.append(f"\n      → {visible(question.answer)}", style="dim")
            if is_selected:
                row.stylize("reverse")
            text.append_text(row)
            text.append("\n")
        update_if_changed(questions, text)

    def _conflicts(self, item: Item, selected: Entry | None) -> Text:
        """Each conflict a git merge recorded: the field and the three values, literally."""
        text = Text()
        count = len(item.conflicts)
        text.append(f"⚠ Merge conflicts ({count})\n", style="bold yellow")
        text.append("  o keeps ours · t takes theirs · b the base\n", style="dim")
        for index, conflict in enumerate(item.conflicts):
            is_selected = selected == Entry("conflict", index)
            row = Text("▶ " if is_selected else "  ")
            row.append(field_words(conflict.field), style="bold")
            if is_selected:
                row.stylize("reverse")
            text.append_text(row)
            text.append("\n")
            for side in ("ours", "theirs", "base"):
                label = conflict.label(side)
                lines = describe_value(conflict.field, conflict.value(side))
                text.append(f"    {visible_line(label)}: ", style="italic")
                text.append(visible(lines[0]))
                for line in lines[1:]:
                    text.append("\n      " + visible(line))
                text.append("\n")
        return text

    def _lineage(self, item: Item) -> RenderableType:
        text = Text()
        if item.parent:
            parent = self.backlog.items.get(item.parent)
            text.append("Split from ", style="bold")
            text.append(item.parent)
            text.append(f" “{visible_line(parent.title)}”" if parent else " (deleted)")
            text.append("\n")
        children = self.backlog.children(item.key)
        if children:
            settings = self.backlog.meta.settings
            estimated = sum(c.points is not None for c in children)
            ready = sum(readiness(c, settings).ready for c in children)
            text.append(f"Split into {len(children)} ({estimated} estimated, {ready} ready)\n", style="bold")
            for child in children:
                mark = "✓" if readiness(child, settings).ready else "·"
                text.append(f"  {mark} {child.key} {format_points(child.points):>3}  ")
                text.append(visible_line(child.title))
                text.append("\n")
        return text

    def _evidence(self, item: Item) -> RenderableType:
        if not item.evidence:
            return ""
        text = Text("Evidence\n", style="bold underline")
        for entry in item.evidence:
            text.append("  • " + visible_line(entry.text))
            if entry.link:
                text.append(f"  {visible_line(entry.link)}", style="underline")
            text.append("\n")
        return text

    # ----- actions -------------------------------------------------------------------

    def action_select(self, step: int) -> None:
        count = len(self.entries)
        if count:
            self.selected = max(0, min(self.selected + step, count - 1))
            self._scroll_to_selected()

    def _scroll_to_selected(self) -> None:
        entry = self.current_entry
        if entry is None:
            return
        target = self.query_one({"conflict": "#detail-conflicts", "criterion": "#detail-criteria"}.get(
            entry.kind, "#detail-questions"))
        self.scroll_to_widget(target, animate=False)

    def action_toggle(self) -> None:
        entry = self.current_entry
        if self.item and entry and entry.kind == "criterion":
            self.post_message(CommandRequested(ToggleCriterion(self.item.key, entry.index,
                                                               expected=self._text_of(entry))))

    def _text_of(self, entry: Entry) -> str:
        """The entry's text as shown: commands find it by it if another Groom moved it."""
        assert self.item is not None
        entries = self.item.acceptance_criteria if entry.kind == "criterion" else self.item.questions
        return entries[entry.index].text

    def action_edit_entry(self) -> None:
        entry = self.current_entry
        if self.item and entry and entry.kind != "conflict":
            self.post_message(self.EditEntry(self.item.key, entry))

    def action_delete_entry(self) -> None:
        entry = self.current_entry
        if not (self.item and entry) or entry.kind == "conflict":
            return
        kind = DeleteCriterion if entry.kind == "criterion" else DeleteQuestion
        self.post_message(CommandRequested(kind(self.item.key, entry.index, expected=self._text_of(entry))))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resolve":
            return bool(self.item and self.item.conflicts)
        return True

    def action_resolve(self, side: str) -> None:
        """Settle the selected merge conflict (or the item's only one) with `side`'s value."""
        item, entry = self.item, self.current_entry
        if item is None or not item.conflicts:
            self.notify("This item has no merge conflicts.", severity="warning", markup=False)
            return
        if entry is not None and entry.kind == "conflict":
            conflict = item.conflicts[entry.index]
        elif len(item.conflicts) == 1:
            conflict = item.conflicts[0]
        else:
            self.notify("Select a merge conflict first (j/k).", severity="warning", markup=False)
            return
        self.post_message(CommandRequested(ResolveConflict(item.key, conflict.field, side),  # type: ignore[arg-type]
                                           focus_key=item.key))

    def action_reorder(self, offset: int) -> None:
        entry = self.current_entry
        if self.item and entry and entry.kind == "criterion":
            target = entry.index + offset
            if 0 <= target < len(self.item.acceptance_criteria):
                self.post_message(CommandRequested(MoveCriterion(self.item.key, entry.index, offset,
                                                                 expected=self._text_of(entry))))
                self.selected = target
