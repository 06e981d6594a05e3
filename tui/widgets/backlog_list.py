"""The ranked backlog: one line per item, with sprint cut lines, drawn line by line.

A Line-API ScrollView (the pattern Toolong uses for huge logs): only the rows on screen
are rendered, so 50k items cost no more per keystroke than 50. The list never changes
the backlog; it shows what the screen gives it and posts what the user asks for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.control import strip_control_codes
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from model.backlog import Backlog
from model.capacity import SprintSlice
from model.item import Item, Kind, Status, format_points
from model.readiness import readiness
from model.scoring import SCORE_MODELS, format_score, score
from tui.messages import CommandRequested
from tui.text import visible_line
from tui.widgets.line_view import LineView

KIND_TAGS = {
    Kind.STORY: "STORY",
    Kind.BUG: "BUG",
    Kind.FEATURE: "FEAT",
    Kind.CHORE: "CHORE",
    Kind.SPIKE: "SPIKE",
    Kind.EPIC: "EPIC",
}
KIND_STYLES = {Kind.BUG: "backlog-list--bug", Kind.EPIC: "backlog-list--epic", Kind.SPIKE: "backlog-list--spike"}
MOSCOW_MARKS = {"must": "M", "should": "S", "could": "C", "wont": "W", None: "·"}
CLOSED_MARKS = {Status.DONE: "✔", Status.DROPPED: "✗", Status.SPLIT: "÷"}  # ÷: in every terminal font
CONFLICT_MARK = "!"  # unresolved merge conflicts (has:conflicts)

EMPTY_BACKLOG = "Empty backlog: press a to add an item."  # fits the list at 80 columns


@dataclass(frozen=True)
class Cut:
    """A sprint line drawn after the visible item at `after` (-1: above the first one shown)."""

    after: int
    sprint: SprintSlice
    capacity: float


@dataclass(frozen=True)
class Columns:
    """Widths of the list's columns for a given pane width."""

    position: int
    key: int
    title: int
    width: int
    score: str | None = None  # the score model shown as a column, if any

    @classmethod
    def fit(cls, width: int, count: int, key_width: int, score: str | None = None) -> Columns:
        position = max(2, len(str(count)))
        fixed = 1 + position + 1 + key_width + 1 + 5 + 1 + 1 + 3 + 1 + 1 + 1 + 1 + (6 if score else 0)
        return cls(position, key_width, max(4, width - fixed), width, score)

    def header(self) -> Text:
        text = Text(" ")
        text.append(f"{'#':>{self.position}} {'Key':<{self.key}} {'Kind':<5} ")
        text.append(f"{'Title':<{self.title}} ")
        if self.score:
            text.append(f"{SCORE_MODELS[self.score].name:>5} ")
        text.append(f"{'Pts':>3} M R")
        return text


class BacklogList(LineView, can_focus=True):
    """The ranked list. The cursor is an index into the visible keys."""

    BINDINGS = [
        Binding("j,down", "cursor(1)", "Down", show=False, id="list.down"),
        Binding("k,up", "cursor(-1)", "Up", show=False, id="list.up"),
        Binding("g,home", "first", "First", show=False, id="list.first"),
        Binding("G,end", "last", "Last", show=False, id="list.last"),
        Binding("pagedown,ctrl+d", "page(1)", "Page down", show=False, id="list.page_down"),
        Binding("pageup,ctrl+u", "page(-1)", "Page up", show=False, id="list.page_up"),
        Binding("J,shift+down", "screen.move('down')", "Move", key_display="J/K",
                tooltip="Move the item one rank down", id="list.move_down"),
        Binding("K,shift+up", "screen.move('up')", "Move up", show=False,
                tooltip="Move the item one rank up", id="list.move_up"),
        Binding("T", "screen.move('top')", "To top", show=False, id="list.move_top"),
        Binding("B", "screen.move('bottom')", "To bottom", show=False, id="list.move_bottom"),
        Binding("a", "screen.add_item", "Add", id="list.add"),
        Binding("e,enter", "screen.edit_item", "Edit", id="list.edit"),
        Binding("d", "screen.delete_item", "Delete", show=False, id="list.delete"),
        Binding("0", "screen.estimate('0')", "0 pts", show=False, id="list.points_0"),
        Binding("1", "screen.estimate('1')", "1 pt", show=False, id="list.points_1"),
        Binding("2", "screen.estimate('2')", "2 pts", show=False, id="list.points_2"),
        Binding("3", "screen.estimate('3')", "3 pts", show=False, id="list.points_3"),
        Binding("5", "screen.estimate('5')", "5 pts", show=False, id="list.points_5"),
        Binding("8", "screen.estimate('8')", "8 pts", show=False, id="list.points_8"),
        Binding("p", "screen.pick_points", "Points", id="list.points"),
        Binding("m", "screen.cycle_moscow", "MoSCoW", id="list.moscow"),
        Binding("c", "screen.add_criterion", "Criterion", show=False, id="list.criterion"),
        Binding("n", "screen.add_question", "Question", show=False, id="list.question"),
        Binding("s", "screen.split", "Split", show=False, id="list.split"),
        Binding("S", "screen.rank_by_score", "Rank by score", show=False, id="list.rank_by_score"),
        Binding("w", "screen.edit_scores", "Scores", show=False,
                tooltip="Scoring inputs: WSJF, RICE, opportunity, weighted", id="list.scores"),
        Binding("o", "resolve('ours')", "Keep ours", show=False,
                tooltip="Merge conflict: keep ours for the item's first conflict", id="list.resolve_ours"),
        Binding("t", "resolve('theirs')", "Take theirs", show=False,
                tooltip="Merge conflict: take theirs for the item's first conflict", id="list.resolve_theirs"),
        Binding("b", "resolve('base')", "Take base", show=False,
                tooltip="Merge conflict: the common ancestor's value for the item's first conflict",
                id="list.resolve_base"),
    ]

    COMPONENT_CLASSES = {
        "backlog-list--cursor",
        "backlog-list--cut",
        "backlog-list--cut-warning",
        "backlog-list--closed",
        "backlog-list--position",
        "backlog-list--key",
        "backlog-list--bug",
        "backlog-list--epic",
        "backlog-list--spike",
        "backlog-list--ready",
        "backlog-list--not-ready",
        "backlog-list--empty",
        "backlog-list--conflict",
    }

    cursor: reactive[int] = reactive(0, repaint=False, init=False)

    class Highlighted(Message):
        """The cursor is on a different item (None: the list is empty)."""

        def __init__(self, key: str | None) -> None:
            super().__init__()
            self.key = key

    def __init__(self, backlog: Backlog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.backlog = backlog
        self.keys: Sequence[str] = backlog.order
        # The key under the cursor, kept with the cursor: `keys` may be the backlog's own order,
        # which another Groom's changes reorder in place before the screen re-renders.
        self._cursor_key: str | None = self.keys[0] if self.keys else None
        self.cuts: tuple[Cut, ...] = ()
        self.empty_message = EMPTY_BACKLOG
        self._strips: dict[int, Strip] = {}  # rendered rows on screen, by row; cleared on change
        # Rendered rows by what they show (item object, position, cursor, columns, settings):
        # items are immutable, so after a move or an estimate only the rows that really changed
        # are drawn again, not the whole screenful. Cleared when styles change.
        self._rows: dict[tuple[object, ...], tuple[object, Strip]] = {}
        # (width, base style) of rows: costly to ask per row.
        self._row_look: tuple[int, Style] | None = None
        # Component classes' styles, asked of Textual once (a few tens of microseconds each)
        # until the styles change (a focus change, a theme): not again whenever the row count
        # changes, as at most filter keystrokes.
        self._part_styles: dict[str, Style] = {}
        self._drawn_at = Size(0, 0)  # the list's size when _row_look was taken
        self._key_width = 8
        self.score_model: str | None = None  # set by the screen from the backlog's settings

    # ----- what to show --------------------------------------------------------------

    def show(self, keys: Sequence[str], cuts: tuple[Cut, ...], *, focus_key: str | None = None,
             empty_message: str | None = None) -> None:
        """Show `keys` (rank order) with sprint `cuts`; keep the cursor on `focus_key`."""
        old_key = self.current_key
        self.keys = keys
        self.cuts = cuts
        if empty_message:
            self.empty_message = empty_message
        old_look = (self._key_width, self.virtual_size, self.scroll_offset.y, self.size)
        self._key_width = max(8, max((len(k) for k in keys[:1] + keys[-1:]), default=8))
        shown, self._strips = self._strips, {}
        virtual_size = Size(self.size.width, self.row_count)
        if virtual_size != self.virtual_size:
            # As Textual's own Widget._size_updated does: the list's own size is unchanged (a
            # scroll bar that comes or goes asks for a layout), so no layout of the whole
            # screen, which drew the scroll bars again in a frame of their own, after the rows.
            self.set_reactive(BacklogList.virtual_size, virtual_size)
            self._scroll_update(virtual_size)
        target = focus_key or old_key
        index = self._index_of(target) if target else None
        if index is None:
            index = min(self.cursor, max(0, len(keys) - 1))
        self.set_reactive(BacklogList.cursor, index)
        self._cursor_key = self._key_at(index)
        self._scroll_to_cursor()
        if old_key is not None and old_look == (self._key_width, self.virtual_size, self.scroll_offset.y, self.size):
            self._refresh_changed_rows(shown)
        else:
            self._row_look = None  # the scrollbar may come or go with the row count
            self.refresh()
        if self.current_key != old_key or focus_key is not None:
            self.post_message(self.Highlighted(self.current_key))

    def _refresh_changed_rows(self, shown: dict[int, Strip]) -> None:
        """Redraw only the rows on screen that show something else now (a move changes two,
        an estimate one): Textual then renders those lines, not the whole list."""
        top = int(self.scroll_offset.y)
        for row in range(top, top + self.size.height):
            strip = self._render_row(row)
            self._strips[row] = strip
            if shown.get(row) is not strip:
                self.refresh_line(row)

    def refresh_items(self) -> None:
        """Items changed but the rows did not: redraw what is on screen."""
        self._strips.clear()
        self.refresh()

    @property
    def current_key(self) -> str | None:
        return self._cursor_key

    def _key_at(self, index: int) -> str | None:
        return self.keys[index] if 0 <= index < len(self.keys) else None

    @property
    def row_count(self) -> int:
        return max(1, len(self.keys) + len(self.cuts))

    def _index_of(self, key: str) -> int | None:
        if self.keys is self.backlog.order and key in self.backlog:
            return self.backlog.position(key)  # bisect: O(log n) on the full list
        try:
            return list(self.keys).index(key) if not isinstance(self.keys, list) else self.keys.index(key)
        except ValueError:
            return None

    def action_resolve(self, side: str) -> None:
        """One key per decision: settle the item's first merge conflict (the detail pane
        lists them; tab there to pick another)."""
        from model.resolve import ResolveConflict  # see tui/start_up.py ACTION_MODULES

        key = self.current_key
        item = self.backlog.items.get(key) if key else None
        if item is None or not item.conflicts:
            self.notify("This item has no merge conflicts.", severity="warning", markup=False)
            return
        command = ResolveConflict(item.key, item.conflicts[0].field, side)  # type: ignore[arg-type]
        self.post_message(CommandRequested(command, focus_key=item.key))

    # ----- rows and cuts -------------------------------------------------------------

    def row_of(self, index: int) -> int:
        return index + sum(1 for cut in self.cuts if cut.after < index)

    def _row_content(self, row: int) -> tuple[str, int | Cut]:
        shift = 0
        for cut in self.cuts:
            cut_row = cut.after + 1 + shift
            if row == cut_row:
                return "cut", cut
            if row > cut_row:
                shift += 1
            else:
                break
        return "item", row - shift

    # ----- cursor --------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self._cursor_key = self._key_at(new)
        self._strips.pop(self.row_of(old), None)
        self._strips.pop(self.row_of(new), None)
        self.refresh_line(self.row_of(old))
        self.refresh_line(self.row_of(new))
        self._scroll_to_cursor()
        self.post_message(self.Highlighted(self.current_key))

    def move_cursor_to(self, index: int) -> None:
        if self.keys:
            self.cursor = max(0, min(index, len(self.keys) - 1))

    def action_cursor(self, step: int) -> None:
        self.move_cursor_to(self.cursor + step)

    def action_first(self) -> None:
        self.move_cursor_to(0)

    def action_last(self) -> None:
        self.move_cursor_to(len(self.keys) - 1)

    def action_page(self, direction: int) -> None:
        self.move_cursor_to(self.cursor + direction * max(1, self.scrollable_content_region.height - 1))

    def _scroll_to_cursor(self) -> None:
        row = self.row_of(self.cursor)
        height = self.scrollable_content_region.height or 1
        top = int(self.scroll_offset.y)
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True)

    def on_resize(self) -> None:
        # Rows drawn at this size already when a frame drew the list before this event came
        # (the first frame does): clearing would draw every row again, for nothing.
        if self.size != self._drawn_at or self.virtual_size != Size(self.size.width, self.row_count):
            self._strips.clear()
            self._row_look = None
            self.virtual_size = Size(self.size.width, self.row_count)
        self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._rows.clear()
        self._row_look = None
        self._part_styles = {}

    def on_click(self, event: object) -> None:
        offset = getattr(event, "offset", None)
        if offset is None or not self.keys:
            return
        kind, value = self._row_content(int(self.scroll_offset.y) + offset.y)
        if kind == "item" and isinstance(value, int) and value < len(self.keys):
            self.cursor = value

    # ----- drawing -------------------------------------------------------------------

    def columns(self, width: int | None = None) -> Columns:
        return Columns.fit(width or self.scrollable_content_region.width, len(self.backlog), self._key_width,
                           self.score_model)

    def render_line(self, y: int) -> Strip:
        row = int(self.scroll_offset.y) + y
        strip = self._strips.get(row)
        if strip is None:
            strip = self._render_row(row)
            self._strips[row] = strip
        return strip

    def _render_row(self, row: int) -> Strip:
        if self._row_look is None:
            self._row_look = (self.scrollable_content_region.width, self.rich_style)
            self._drawn_at = self.size
        width, base = self._row_look
        if not self.keys:
            if row == 0:
                style = self.get_component_rich_style("backlog-list--empty")
                return _strip(Text(" " + self.empty_message, style=style), width, base)
            return Strip.blank(width, base)
        kind, value = self._row_content(row)
        if kind == "cut":
            assert isinstance(value, Cut)
            return _strip(self._cut_text(value, width), width, base)
        assert isinstance(value, int)
        if value >= len(self.keys):
            return Strip.blank(width, base)
        key = self.keys[value]
        item = self.backlog.items[key]
        # The full list shows positions by index; a filtered one looks them up (a bisect).
        position = value if self.keys is self.backlog.order else self.backlog.position(key)
        cursor = value == self.cursor
        settings = self.backlog.meta.settings
        signature = (id(item), position, cursor, width, self._key_width, len(self.backlog), self.score_model,
                     id(settings))
        cached = self._rows.get(signature)
        if cached is not None and cached[0] is item:
            return cached[1]
        strip = self._item_strip(item, self.columns(width), position, cursor, width, base)
        if len(self._rows) > 4 * max(64, self.size.height):
            self._rows.clear()  # a bound, not an LRU: refilling a screenful is cheap
        self._rows[signature] = (item, strip)
        return strip

    def _row_style(self, name: str) -> Style:
        """A component class's style, asked of Textual once until the styles change."""
        known = self._part_styles
        found = known.get(name)
        if found is None:
            found = known[name] = self.get_component_rich_style(name)
        return found

    def _item_strip(self, item: Item, cols: Columns, position: int, cursor: bool, width: int, base: Style) -> Strip:
        """One item's row: `position` is its 0-based place in the whole backlog.

        Made as segments, not as a rich Text rendered into them: a filter keystroke or a page
        draws a screenful of new rows, and Text's rendering (spans to styles) was most of the
        time Groom spent on each. Each piece's style is what the Text gave it: the piece's own,
        then the closed items' dimming, then the cursor's, over the list's base style."""
        style = self._row_style
        closed = item.is_closed
        title = strip_control_codes(visible_line(item.title))
        if cell_len(title) > cols.title:
            title = set_cell_size(title, cols.title - 1) + "…"
        else:
            title = set_cell_size(title, cols.title)
        pieces: list[tuple[str, Style | None]] = [
            ("▶" if cursor else " ", None),
            (f"{position + 1:>{cols.position}} ", style("backlog-list--position")),
            (f"{item.key:<{cols.key}} ", style("backlog-list--key")),
            (f"{KIND_TAGS[item.kind]:<5}", style(KIND_STYLES[item.kind]) if item.kind in KIND_STYLES else None),
            (" " + title, None),
        ]
        if cols.score:
            value = None if closed else score(item, cols.score, self.backlog.meta.settings)
            pieces.append((f" {format_score(value):>5}", None))
        pieces.append((f" {format_points(item.points):>3} {MOSCOW_MARKS[item.moscow]} ", None))
        dimmed = len(pieces)  # the pieces the closed style covers
        if item.conflicts:  # a git merge left a decision to make: that comes before readiness
            pieces.append((CONFLICT_MARK, style("backlog-list--conflict")))
        elif closed:
            pieces.append((CLOSED_MARKS[item.status], None))
            dimmed += 1
        else:
            result = readiness(item, self.backlog.meta.settings)
            if result.ready:
                pieces.append(("✓", style("backlog-list--ready")))
            elif item.open_questions:
                pieces.append(("?", style("backlog-list--not-ready")))
            else:
                pieces.append(("·", style("backlog-list--not-ready")))
        closed_style = style("backlog-list--closed") if closed else None
        cursor_style = style("backlog-list--cursor") if cursor else None
        segments = []
        for index, (text, piece_style) in enumerate(pieces):
            combined = base + piece_style if piece_style is not None else base
            if closed_style is not None and index < dimmed:
                combined += closed_style
            if cursor_style is not None:
                combined += cursor_style
            segments.append(Segment(text, combined))
        row = Strip(segments)
        if row.cell_length < width:
            return row.adjust_cell_length(width, base)
        if row.cell_length > width:  # narrower than the columns can fit: cut with "…", as Text does
            return _strip(Text.assemble(*[(segment.text, segment.style) for segment in segments]), width, base)
        return row

    def _cut_text(self, cut: Cut, width: int) -> Text:
        sprint = cut.sprint
        label = f" end of sprint {sprint.number} · {sprint.points:g}/{cut.capacity:g} pts "
        notes = []
        if sprint.unestimated:
            notes.append(f"{len(sprint.unestimated)} unestimated")
        if sprint.oversized:
            notes.append(f"{', '.join(sprint.oversized)} bigger than a sprint")
        warning = f" ⚠ {'; '.join(notes)} " if notes else ""
        style = self._row_style("backlog-list--cut")
        text = Text("──", style=style)
        text.append(label, style=style)
        if warning:
            text.append(warning, style=self._row_style("backlog-list--cut-warning"))
        text.append("─" * max(0, width - text.cell_len), style=style)
        return text


def _strip(text: Text, width: int, base: Style) -> Strip:
    """One row: the text cut or padded to `width`, over the widget's base style."""
    text.truncate(width, overflow="ellipsis", pad=True)
    return Strip(Segment.apply_style(text.render(_CONSOLE), base), width)


# Rendering a Text into segments needs a console only for its options; a private one
# keeps rows independent of the terminal the app happens to run in.
_CONSOLE = Console(width=10_000, legacy_windows=False, color_system="truecolor")
