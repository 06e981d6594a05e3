"""The split-story wizard (`s`): check → pattern → children → review → apply.

Keyboard only. enter goes to the next step, shift+tab or ctrl+b back, ctrl+s applies,
escape cancels: nothing changes until the split is applied, as one command (one undo step).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from model.item import POINT_SCALE, Item, Kind, format_points, parse_points
from model.meta import Settings
from model.split import INVEST, PATTERNS, ChildDraft, SplitDraft, SplitItem, review, split_reasons
from tui.screens.dialogs import ConfirmDialog, PromptDialog, PromptField
from tui.text import visible, visible_line
from tui.widgets.footer import KeysFooter

# Runs the split through the backlog service: None when applied, else the reason it was refused.
ApplySplit = Callable[[SplitItem], str | None]
STEPS = ("check", "pattern", "children", "review")
STEP_NAMES = {"check": "Check", "pattern": "Pattern", "children": "Children", "review": "Review"}
POINT_OPTIONS = [("?", "?")] + [(format_points(p), format_points(p)) for p in POINT_SCALE]


class ChildForm(ModalScreen[ChildDraft | None]):
    """Title, kind and estimate of one child story."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="child.save"),
        Binding("escape", "cancel", "Cancel", id="child.cancel"),
    ]

    def __init__(self, heading: str, child: ChildDraft) -> None:
        super().__init__()
        self.heading = heading
        self.child = child

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog child-form"):
            yield Static(Text(self.heading, style="bold"), classes="dialog-title")
            with Grid(id="child-grid"):
                yield Label("Title")
                yield Input(self.child.title, id="child-title", compact=True, max_length=400)
                yield Label("Kind")
                yield Select([(k.value, k.value) for k in Kind], value=self.child.kind.value,
                             allow_blank=False, id="child-kind", compact=True)
                yield Label("Points")
                yield Select(POINT_OPTIONS, value=format_points(self.child.points), allow_blank=False,
                             id="child-points", compact=True)
            yield Static(classes="error", id="child-error")
            yield Static("enter/ctrl+s save · escape cancel · tab next field", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#child-title", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        title = " ".join(self.query_one("#child-title", Input).value.split())
        if not title:
            self.query_one("#child-error", Static).update("⚠ The title must not be empty.")
            return
        if len(title) > 200:
            self.query_one("#child-error", Static).update(f"⚠ The title is {len(title)} characters; the limit is 200.")
            return
        kind = Kind(self.query_one("#child-kind", Select).value)
        points = parse_points(self.query_one("#child-points", Select).value)
        self.dismiss(ChildDraft(title, kind, points, self.child.parent_criteria, self.child.new_criteria))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChildrenEditor(Widget, can_focus=True):
    """The children being drafted, and which of the parent's criteria each one takes."""

    # Not in the footer: the step spells these keys out above its lists, and at 80 columns the
    # footer has room only for the wizard's own (next step, back, apply, cancel).
    BINDINGS = [
        Binding("j,down", "select(1)", "Next child", show=False, id="split.next"),
        Binding("k,up", "select(-1)", "Previous child", show=False, id="split.previous"),
        Binding("a", "add", "Add child", id="split.add", show=False),
        Binding("e", "edit", "Edit child", id="split.edit", show=False),
        Binding("d", "delete", "Delete child", id="split.delete", show=False),
        Binding("J,shift+down", "reorder(1)", "Move child down", id="split.move_down", show=False),
        Binding("K,shift+up", "reorder(-1)", "Move child up", show=False, id="split.move_up"),
        Binding("c", "add_criterion", "New criterion", id="split.criterion", show=False),
        Binding("X", "drop_criterion", "Drop last new criterion", show=False, id="split.drop_criterion"),
        *[Binding(str(n), f"assign({n - 1})", f"Assign criterion {n}", show=False, id=f"split.assign_{n}")
          for n in range(1, 10)],
    ]

    selected: reactive[int] = reactive(0)

    class Changed(Message):
        def __init__(self, draft: SplitDraft) -> None:
            super().__init__()
            self.draft = draft

    def __init__(self, item: Item, draft: SplitDraft, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.item = item
        self.draft = draft

    def set_draft(self, draft: SplitDraft) -> None:
        self.draft = draft
        self.selected = min(self.selected, max(0, len(draft.children) - 1))
        self.refresh(layout=True)

    def _change(self, draft: SplitDraft, select: int | None = None) -> None:
        self.set_draft(draft)
        if select is not None:
            self.selected = max(0, min(select, len(draft.children) - 1))
        self.post_message(self.Changed(draft))

    def render(self) -> RenderableType:
        draft, item = self.draft, self.item
        lines = Text()
        lines.append("Children", style="bold underline")
        lines.append("   a add · e edit · d delete · J/K reorder\n", style="dim")
        if not draft.children:
            lines.append("  No children yet: press a to add one, or go back (shift+tab) to pick a pattern.\n",
                         style="dim italic")
        for index, child in enumerate(draft.children):
            is_selected = index == self.selected
            criteria = len(child.parent_criteria) + len(child.new_criteria)
            row = Text("▶ " if is_selected else "  ")
            row.append(f"{index + 1}. {child.kind.value.upper():<7}")
            row.append(f"{format_points(child.points):>3} pts  ")
            row.append(visible_line(child.title))
            row.append(f"  ({criteria} criteri{'on' if criteria == 1 else 'a'})", style="dim")
            if is_selected:
                row.stylize("reverse" if self.has_focus else "bold")
            lines.append_text(row)
            lines.append("\n")
        if draft.children:
            child = draft.children[self.selected]
            lines.append(f"\nParent's criteria for child {self.selected + 1}", style="bold underline")
            lines.append("   1-9 assign/unassign\n", style="dim")
            if not item.acceptance_criteria:
                lines.append(f"  {item.key} has no acceptance criteria.\n", style="dim italic")
            for index, criterion in enumerate(item.acceptance_criteria):
                owners = [str(n + 1) for n, c in enumerate(draft.children) if index in c.parent_criteria]
                mark = "[x]" if index in child.parent_criteria else "[ ]"
                row = Text(f"  {index + 1 if index < 9 else ' '} {mark} ")
                row.append(visible(criterion.text))
                row.append(f"  → child {', '.join(owners)}" if owners else "  → no child yet",
                           style="dim" if owners else "bold")
                lines.append_text(row)
                lines.append("\n")
            lines.append(f"\nNew criteria for child {self.selected + 1}", style="bold underline")
            lines.append("   c add · X drop the last\n", style="dim")
            for text in child.new_criteria:
                lines.append("  • " + visible(text) + "\n")
            if not child.new_criteria:
                lines.append("  none\n", style="dim")
        return lines

    def watch_selected(self) -> None:
        self.refresh(layout=True)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_select(self, step: int) -> None:
        if self.draft.children:
            self.selected = max(0, min(self.selected + step, len(self.draft.children) - 1))

    def action_add(self) -> None:
        at = self.selected + 1 if self.draft.children else 0

        def added(child: ChildDraft | None) -> None:
            if child is not None:
                self._change(self.draft.add_child(child, at), select=at)

        self.app.push_screen(ChildForm(f"New child story {at + 1} of {self.item.key}", ChildDraft("")), added)

    def action_edit(self) -> None:
        if not self.draft.children:
            self.action_add()
            return
        index = self.selected

        def edited(child: ChildDraft | None) -> None:
            if child is not None:
                self._change(self.draft.with_child(index, child))

        self.app.push_screen(ChildForm(f"Child story {index + 1}", self.draft.children[index]), edited)

    def action_delete(self) -> None:
        if self.draft.children:
            self._change(self.draft.remove_child(self.selected))

    def action_reorder(self, offset: int) -> None:
        target = self.selected + offset
        if self.draft.children and 0 <= target < len(self.draft.children):
            self._change(self.draft.move_child(self.selected, offset), select=target)

    def action_assign(self, criterion: int) -> None:
        if self.draft.children and criterion < len(self.item.acceptance_criteria):
            self._change(self.draft.toggle_criterion(self.selected, criterion))

    def action_add_criterion(self) -> None:
        if not self.draft.children:
            return
        index = self.selected
        field = PromptField("text", "Acceptance criterion", placeholder="Given … when … then …", required=True)

        def submit(values: dict[str, str]) -> str | None:
            text = values["text"].strip()
            if len(text) > 2000:
                return f"The criterion is {len(text)} characters; the limit is 2000."
            child = self.draft.children[index]
            self._change(self.draft.with_child(index, ChildDraft(
                child.title, child.kind, child.points, child.parent_criteria, (*child.new_criteria, text))))
            return None

        self.app.push_screen(PromptDialog(f"New acceptance criterion for child {index + 1}", [field], submit))

    def action_drop_criterion(self) -> None:
        if self.draft.children and self.draft.children[self.selected].new_criteria:
            child = self.draft.children[self.selected]
            self._change(self.draft.with_child(self.selected, ChildDraft(
                child.title, child.kind, child.points, child.parent_criteria, child.new_criteria[:-1])))


class SplitWizard(Screen[str | None]):
    """Returns the key of the first child when the split was applied, else None."""

    BINDINGS = [
        Binding("enter", "next", "Next step", id="wizard.next"),
        Binding("shift+tab,ctrl+b", "back", "Back", key_display="shift+tab", id="wizard.back"),
        Binding("ctrl+s", "apply", "Apply", id="wizard.apply"),
        Binding("escape", "cancel", "Cancel", id="wizard.cancel"),
        # The draft is not on disk until applied: q asks first, as escape does.
        Binding("q", "quit", "Quit", id="wizard.quit"),
        # Vim keys as the arrows: through the patterns, or scrolling the check and the review.
        # (On the children step the children editor has focus and takes j/k itself.)
        Binding("j", "cursor(1)", "Down", show=False, id="wizard.down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="wizard.up"),
    ]

    step: reactive[str] = reactive("check", init=False)

    def __init__(self, item: Item, settings: Settings, apply: ApplySplit, next_key: Callable[[int], str]) -> None:
        super().__init__()
        self.item = item
        self.settings = settings
        self.apply_split = apply
        self.next_key = next_key
        self.draft = SplitDraft(item.key)
        self._prefilled: SplitDraft | None = None  # the draft as a pattern left it

    def compose(self) -> ComposeResult:
        yield Static(id="wizard-title")
        yield Static(id="wizard-steps")
        with ContentSwitcher(initial="check", id="wizard-body"):
            with VerticalScroll(id="check", can_focus=True):
                yield Static(self._check_text())
            yield OptionList(*self._pattern_options(), id="pattern")
            with VerticalScroll(id="children"):
                yield ChildrenEditor(self.item, self.draft, id="children-editor")
            with VerticalScroll(id="review", can_focus=True):
                yield Static(id="review-body")
        yield Static(id="wizard-error", classes="error")
        yield KeysFooter(compact=True)

    def on_mount(self) -> None:
        title = Text("Split ", style="bold")
        title.append(self.item.key, style="bold")
        title.append(f" “{visible_line(self.item.title)}”")
        title.append(f" · {format_points(self.item.points)} pts · {len(self.item.acceptance_criteria)} criteria",
                     style="dim")
        self.query_one("#wizard-title", Static).update(title)
        self._show_step()

    # ----- steps ---------------------------------------------------------------------

    def watch_step(self) -> None:
        self._show_step()

    def _show_step(self) -> None:
        steps = Text()
        for number, name in enumerate(STEPS, start=1):
            if number > 1:
                steps.append("  ›  ", style="dim")
            label = f"{number} {STEP_NAMES[name]}"
            steps.append(f" {label} ", style="bold reverse" if name == self.step else "dim")
        self.query_one("#wizard-steps", Static).update(steps)
        self.query_one(ContentSwitcher).current = self.step
        self.query_one("#wizard-error", Static).update("")
        if self.step == "review":
            self.query_one("#review-body", Static).update(self._review_renderable())
        focus = {"check": "#check", "pattern": "#pattern", "children": "#children-editor", "review": "#review"}
        self.query_one(focus[self.step]).focus()

    def action_next(self) -> None:
        if self.step == "pattern":
            options = self.query_one("#pattern", OptionList)
            if options.highlighted is not None:
                self._choose_pattern(options.highlighted)
            return
        if self.step == "review":
            self.action_apply()
            return
        self.step = STEPS[STEPS.index(self.step) + 1]

    def action_cursor(self, step: int) -> None:
        if self.step == "pattern":
            options = self.query_one("#pattern", OptionList)
            options.action_cursor_down() if step > 0 else options.action_cursor_up()
        elif self.step in ("check", "review"):
            self.query_one(f"#{self.step}", VerticalScroll).scroll_relative(y=step, animate=False)

    def action_back(self) -> None:
        index = STEPS.index(self.step)
        if index > 0:
            self.step = STEPS[index - 1]

    @on(OptionList.OptionSelected, "#pattern")
    def _pattern_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose_pattern(event.option_index)

    def _choose_pattern(self, index: int) -> None:
        if index >= len(PATTERNS):  # "no pattern": keep whatever children there are
            self.step = "children"
            return
        pattern = PATTERNS[index]
        untouched = not self.draft.children or self.draft == self._prefilled
        if untouched:
            self._set_draft(self.draft.with_pattern(pattern, self.item))
            self._prefilled = self.draft
            self.step = "children"
            return

        def answered(replace: bool | None) -> None:
            if replace:
                self._set_draft(self.draft.with_pattern(pattern, self.item))
                self._prefilled = self.draft
            self.step = "children"

        self.app.push_screen(ConfirmDialog(
            f"Replace your {len(self.draft.children)} children with the “{pattern.name}” ones?"), answered)

    def _set_draft(self, draft: SplitDraft) -> None:
        self.draft = draft
        self.query_one(ChildrenEditor).set_draft(draft)

    @on(ChildrenEditor.Changed)
    def _children_changed(self, event: ChildrenEditor.Changed) -> None:
        self.draft = event.draft

    # ----- applying and cancelling -----------------------------------------------------

    def action_apply(self) -> None:
        if self.step != "review":
            self.step = "review"  # always show the review before anything changes
            return
        if not self.draft.children:
            self.query_one("#wizard-error", Static).update("⚠ Add at least one child before applying.")
            return
        first_child = self.next_key(0)  # the counter moves on once the children exist
        error = self.apply_split(self.draft.command())
        if error:
            self.query_one("#wizard-error", Static).update(Text("⚠ " + visible_line(error)))
            return
        self.dismiss(first_child)

    def _drafted(self) -> bool:
        """Whether the children hold work of the user's (more than a pattern's pre-fill)."""
        return bool(self.draft.children) and self.draft != self._prefilled

    def action_cancel(self) -> None:
        if not self._drafted():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog("Discard this split? Nothing has been changed yet."), answered)

    async def action_quit(self) -> None:
        if not self._drafted():
            await self.app.run_action("quit")
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.app.call_later(self.app.run_action, "quit")

        self.app.push_screen(ConfirmDialog("Quit and discard this split? Nothing has been changed yet."), answered)

    # ----- what each step says ---------------------------------------------------------

    def _check_text(self) -> RenderableType:
        item = self.item
        reasons = split_reasons(item, self.settings)
        text = Text()
        if reasons:
            text.append("Why split it\n", style="bold underline")
            for reason in reasons:
                text.append(f"  • {reason}\n")
        else:
            text.append("It looks small and clear already.\n", style="bold")
            text.append("Split it only if the team sees two pieces of value that can ship separately.\n")
        text.append("\nIts acceptance criteria\n", style="bold underline")
        if not item.acceptance_criteria:
            text.append("  none\n", style="dim")
        for number, criterion in enumerate(item.acceptance_criteria, start=1):
            text.append(f"  {number}. {visible(criterion.text)}\n")
        text.append("\nGood stories are INVEST\n", style="bold underline")
        for line in INVEST:
            text.append(f"  {line}\n", style="dim")
        text.append("\nPress enter to choose a splitting pattern.", style="bold")
        return text

    def _pattern_options(self) -> list[Option]:
        options = []
        for number, pattern in enumerate(PATTERNS, start=1):
            prompt = Text(f"{number}. {pattern.name}\n", style="bold")
            prompt.append(f"   {pattern.hint}\n")
            prompt.append(f"   {pattern.example}", style="dim italic")
            options.append(Option(prompt))
        options.append(Option(Text("No pattern: I will write the children myself", style="bold")))
        return options

    def _review_renderable(self) -> RenderableType:
        item, draft = self.item, self.draft
        result = review(item, draft, self.settings)
        parts: list[RenderableType] = []
        if draft.children:
            table = Table(expand=True, show_lines=False, box=None, padding=(0, 1))
            for offset in range(len(draft.children)):
                table.add_column(Text(f"{self.next_key(offset)}", style="bold"), ratio=1, overflow="fold")
            table.add_row(*[Text(visible_line(c.title), style="bold") for c in draft.children])
            table.add_row(*[Text(f"{c.kind.value} · {format_points(c.points)} pts") for c in draft.children])
            cells = []
            for child in draft.children:
                cell = Text()
                for index in child.parent_criteria:
                    cell.append(f"☐ {visible(item.acceptance_criteria[index].text)}\n")
                for text in child.new_criteria:
                    cell.append(f"☐ {visible(text)} (new)\n")
                if not child.parent_criteria and not child.new_criteria:
                    cell.append("no criteria", style="dim italic")
                cells.append(cell)
            table.add_row(*cells)
            parts.append(table)
        summary = Text("\n")
        parent_points = format_points(result.parent_points)
        summary.append(f"Points: children {result.points_total:g}", style="bold")
        summary.append(f" against {item.key}'s {parent_points}")
        if result.parent_points is not None and result.points_total != result.parent_points:
            difference = result.points_total - result.parent_points
            summary.append(f" ({difference:+g})")
        if result.unestimated:
            summary.append(f"; {result.unestimated} not estimated yet")
        summary.append("\n")
        parts.append(summary)
        if result.warnings:
            warnings = Text("Check before applying (shift+tab to go back and fix):\n", style="bold")
            for warning in result.warnings:
                warnings.append(f"  ⚠ {warning}\n")
            parts.append(warnings)
        else:
            parts.append(Text("✓ Every child has criteria, every criterion has a child.\n"))
        apply = Text(f"ctrl+s or enter applies: the children take {item.key}'s place, {item.key} is kept "
                     "as the record of the split (status split). u undoes the whole split.", style="dim")
        parts.append(apply)
        return Group(*parts)
