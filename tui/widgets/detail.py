"""The item under the cursor: everything about it, and keys to work its criteria and questions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from rich.console import Group, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from model.backlog import Backlog
from model.conflict import describe_value, field_words
from model.forecast import forecast_for
from model.io.source import source_ref
from model.item import Item, format_points
from model.readiness import readiness
from tui.messages import CommandRequested
from tui.text import literal, visible, visible_line
from tui.widgets.backlog_list import KIND_TAGS
from tui.widgets.history_view import history_section
from tui.widgets.line_view import LineView
from tui.widgets.updates import signature

if TYPE_CHECKING:
    from tui.app import GroomApp

DESCRIPTION_SHOWN = 8_000  # characters rendered as Markdown; the rest is one key away (e)
STATUS_WORDS = {
    "new": "new", "needs_info": "needs info", "ready": "ready", "planned": "planned",
    "done": "done", "dropped": "dropped", "split": "split",
}


# The pane's sections, top to bottom.
SECTIONS = ("head", "conflicts", "description", "criteria", "questions", "lineage", "evidence", "history")


def _is_empty(renderable: RenderableType) -> bool:
    return renderable == "" or (isinstance(renderable, Text) and not renderable.plain)


def _same(a: object, b: object) -> bool:
    return a is b or (isinstance(a, str | tuple) and a == b)


def _plain(renderable: RenderableType) -> str:
    if isinstance(renderable, str):
        return renderable
    if isinstance(renderable, Text):
        return renderable.plain
    if isinstance(renderable, Group):
        return "\n".join(_plain(child) for child in renderable.renderables)
    return ""


@dataclass(frozen=True)
class Entry:
    """A selectable line in the detail pane: a merge conflict, an acceptance criterion or a question."""

    kind: str  # "conflict" | "criterion" | "question"
    index: int


class DetailPane(LineView, can_focus=True):
    """Draws its sections itself, line by line, from strips made once per change.

    The pane used to be a scroll container of Statics, one per section. Every cursor move
    changed their heights, and Textual settled the new layout over three or four frames, each
    measuring every section again (Markdown included): 60-100 ms of work after each key, which
    the next key waited for. Here a section is rendered once at the pane's width and cached;
    a move renders the new item's sections and sets the scrollable height, and a frame only
    copies visible lines.
    """

    COMPONENT_CLASSES = {"detail-pane--conflict-bar"}
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
        # What each section shows, in order (an empty one is left out, with its blank line).
        self._sections: dict[str, RenderableType] = dict.fromkeys(SECTIONS, "")
        self._description_source: str | None = None  # the text the description section shows
        # Descriptions are drawn once start-up has imported rich's Markdown, in a thread, after
        # the first frame (tui/start_up.py): importing it here (~50 ms, and the parse) would make
        # the first frame wait, or a key pressed right after it. Until then the pane shows the
        # item without its description, and the one selected then is drawn when it can be.
        self._description_waits = False
        # Rendered sections: (name, width) -> (what was rendered, its lines). A move renders the
        # new item's sections; a selection step only the one whose selection moved.
        self._rendered: dict[tuple[str, int], tuple[object, list[Strip]]] = {}
        self._lines: list[Strip] = []
        self._section_rows: dict[str, tuple[int, int]] = {}  # name -> (first line, line count)
        self._laid_out_for: tuple[int, int] | None = None  # the pane's size when _lines were made
        self._look: tuple[int, Style] = (0, Style())  # (width, base style) of _lines

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

    def section_text(self, name: str) -> str:
        """What a section shows, line by line, as plain text (wrapped to the pane's width)."""
        self._lay_out()
        first, count = self._section_rows.get(name, (0, 0))
        return "\n".join(strip.text.rstrip() for strip in self._lines[first:first + count])

    def sections_shown(self) -> list[str]:
        """The sections the pane shows now, top to bottom (an empty one is left out)."""
        self._lay_out()
        return list(self._section_rows)

    def section_source(self, name: str) -> str:
        """A section's text before wrapping (its Markdown source, for the description)."""
        if name == "description" and self._description_source is not None and self.item is not None \
                and self.item.description.strip():
            return self._description_source
        return _plain(self._sections.get(name, ""))

    def scroll_to_section(self, name: str, *, top: bool = False) -> None:
        self._lay_out()
        if name in self._section_rows:
            first, count = self._section_rows[name]
            width = self.scrollable_content_region.width
            self.scroll_to_region(Region(0, first, width, count), animate=False, top=top, immediate=True)

    def _set_section(self, name: str, renderable: RenderableType) -> None:
        if self._sections[name] is not renderable:
            self._sections[name] = renderable
            self._laid_out_for = None
            self.refresh()

    def _render_all(self) -> None:
        item = self.item
        if item is None:
            self._set_section("head", Text("Nothing selected.", style="dim"))
            for name in ("description", "lineage", "evidence", "history"):
                self._set_section(name, "")
            self._description_source = None
            self._render_entries()
            return
        self._set_section("head", self._head(item))
        if item.description != self._description_source:
            # Markdown is the slow part of the pane: a move or an estimate leaves it as it is.
            app = cast("GroomApp", self.app)
            if not item.description.strip() or app.start_up.has_reached("modules"):
                self._draw_description()
            else:
                self._description_source = None
                self._set_section("description", "")
                if not self._description_waits:
                    self._description_waits = True
                    app.after_first_frame(self._draw_waiting_description, "modules")
        self._set_section("lineage", self._lineage(item))
        self._set_section("evidence", self._evidence(item))
        self._set_section("history", history_section(self.backlog, item.key))
        self._render_entries()

    # ----- drawing -------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        self._lay_out()
        row = int(self.scroll_offset.y) + y
        width, base = self._look
        if row < len(self._lines):
            return self._lines[row]
        return Strip.blank(width, base)

    def on_resize(self) -> None:
        region = self.content_region
        # Already laid out at this size when a frame drew the pane before this event came (the
        # first frame does): clearing would draw the whole pane again, for nothing.
        if (region.width, region.height) != self._laid_out_for:
            self._laid_out_for = None
            self._rendered.clear()  # rendered for widths the pane no longer has
            self.refresh()
        if self.has_focus:  # the lines wrap anew: keep the selected criterion or question in view
            self.call_after_refresh(self._scroll_to_selected)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._laid_out_for = None  # a theme or focus change: the base style of every line
        self._rendered.clear()

    def _lay_out(self) -> None:
        """Render the sections into lines for the pane's size, if not done for it yet.

        Called when the sections change, before the next frame: laid out while a frame draws
        the pane (render_line), the new virtual size made Textual lay the screen out and draw
        it again in the next frame, and the scroll bar in a third (three frames and ~40 ms of
        work per cursor move, which the next key waited for).

        The width is decided here, not by the scroll bar: the lines are rendered at the full
        width, and again one scroll bar narrower only if they do not fit the height. Letting
        the scroll bar's appearance decide would make the width depend on the height it
        causes, and the layout would settle over several frames.
        """
        region = self.content_region
        size = (region.width, region.height)
        if size == self._laid_out_for:
            return
        self._laid_out_for = size
        width, height = size
        base = self.rich_style  # costly to ask (it walks the ancestors' styles): once per layout
        lines: list[Strip] = []
        rows: dict[str, tuple[int, int]] = {}
        if width > 0:
            lines, rows = self._render_sections(width, base)
            bar = self.styles.scrollbar_size_vertical
            if len(lines) > height and 0 < bar < width:
                width -= bar
                lines, rows = self._render_sections(width, base)
        self._look = (max(width, 0), base)
        self._lines, self._section_rows = lines, rows
        virtual_size = Size(max(width, 0), len(lines))
        if virtual_size != self.virtual_size:
            # As Textual's own Widget._size_updated does: no layout of the whole screen (the
            # pane's own size is unchanged; a scroll bar that comes or goes asks for one), and
            # the scroll bar updated now. Setting virtual_size laid the screen out, which also
            # redrew the list's scroll bars, in a frame of their own after the pane's.
            self.set_reactive(DetailPane.virtual_size, virtual_size)
            self._scroll_update(virtual_size)
            self.refresh()

    def _render_sections(self, width: int, base: Style) -> tuple[list[Strip], dict[str, tuple[int, int]]]:
        lines: list[Strip] = []
        rows: dict[str, tuple[int, int]] = {}
        blank = Strip.blank(width, base)
        for name in SECTIONS:
            renderable = self._sections[name]
            if _is_empty(renderable):
                continue
            section = self._rendered_section(name, renderable, width, base)
            rows[name] = (len(lines), len(section))
            lines.extend(section)
            lines.append(blank)  # the space between sections
        return lines, rows

    def _rendered_section(self, name: str, renderable: RenderableType, width: int, base: Style) -> list[Strip]:
        # Sections are compared by what they show (a move rebuilds the head as equal Text); the
        # description by identity: its Markdown is made again only when its source text changes
        # (a signature of Markdown would differ every time). Kept per width: a pane that needs a
        # scroll bar is laid out at two.
        shown = renderable if name == "description" else signature(renderable)
        cached = self._rendered.get((name, width))
        if cached is not None and _same(cached[0], shown):
            return cached[1]
        strips = self._render(renderable, width, base, bar=name == "conflicts")
        self._rendered[(name, width)] = (shown, strips)
        return strips

    def _render(self, renderable: RenderableType, width: int, base: Style, *, bar: bool) -> list[Strip]:
        console = self.app.console
        if bar:  # the conflicts section is marked by a thick bar down its left edge
            bar_style = base + self.get_component_rich_style("detail-pane--conflict-bar")
            inner = self._render(renderable, max(1, width - 2), base, bar=False)
            mark = Strip([Segment("█ ", bar_style)], 2)
            return [Strip.join([mark, line]) for line in inner]
        if isinstance(renderable, Text) and renderable.plain.endswith("\n"):
            renderable = renderable.copy()
            renderable.right_crop(1)  # a section's last line ends it; it does not add a blank line
        options = console.options.update(width=width, height=None, highlight=False)
        lines = console.render_lines(renderable, options, style=base, pad=True)
        return [Strip(line, width) for line in lines]

    def _draw_waiting_description(self) -> None:
        self._description_waits = False
        self._draw_description()

    def _draw_description(self) -> None:
        item = self.item
        if item is not None and item.description != self._description_source:
            self._description_source = item.description
            self._set_section("description", self._description(item))
            self._lay_out()

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

    def _description(self, item: Item) -> RenderableType:
        if not item.description.strip():
            return Text("No description.", style="dim italic")
        text = item.description
        more = ""
        if len(text) > DESCRIPTION_SHOWN:
            more = f"… {len(text) - DESCRIPTION_SHOWN:,} more characters: press e to read and edit all of it."
            text = text[:DESCRIPTION_SHOWN]
        from rich.markdown import Markdown  # see _description_waits

        markdown = Markdown(visible(text), hyperlinks=False)
        return Group(markdown, Text(more, style="dim")) if more else markdown

    def _render_entries(self) -> None:
        item = self.item
        if item is None:
            for name in ("criteria", "questions", "conflicts"):
                self._set_section(name, "")
            self._lay_out()  # see _lay_out
            return
        selected = self.current_entry if self.has_focus else None
        self._set_section("conflicts", self._conflicts(item, selected) if item.conflicts else "")
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
        self._set_section("criteria", lines)

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
        self._set_section("questions", text)
        self._lay_out()  # see _lay_out

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
        if entry is not None:
            self.scroll_to_section({"conflict": "conflicts", "criterion": "criteria"}.get(entry.kind, "questions"))

    def action_toggle(self) -> None:
        from model.commands import ToggleCriterion  # see tui/start_up.py ACTION_MODULES

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
        from model.commands import DeleteCriterion, DeleteQuestion

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
        from model.resolve import ResolveConflict

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
        from model.commands import MoveCriterion

        entry = self.current_entry
        if self.item and entry and entry.kind == "criterion":
            target = entry.index + offset
            if 0 <= target < len(self.item.acceptance_criteria):
                self.post_message(CommandRequested(MoveCriterion(self.item.key, entry.index, offset,
                                                                 expected=self._text_of(entry))))
                self.selected = target
