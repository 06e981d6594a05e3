"""The grooming screen: the ranked backlog, the item detail and the capacity meter.

Every change goes key → action → one command on the backlog service → the widgets re-render
from the model. The screen is the only place that talks to the service.
"""

from __future__ import annotations

import bisect
import operator
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from model.capacity import SprintPlan, sprint_plan
from model.change import ITEMS
from model.errors import GroomError, StoreError
from model.filter import Filter, parse_filter
from model.item import make_key
from model.service import BacklogService, NotSaved, Outcome
from tui.keys import KeyHelp, bindings_of
from tui.messages import CommandRequested
from tui.session_runner import SessionRunner
from tui.text import visible_line
from tui.widgets.backlog_list import EMPTY_BACKLOG, BacklogList, Cut
from tui.widgets.capacity_meter import CapacityMeter
from tui.widgets.detail import DetailPane, Entry
from tui.widgets.filter_field import FilterField
from tui.widgets.footer import KeysFooter
from tui.widgets.session_bar import SessionBar
from tui.widgets.updates import update_if_changed

if TYPE_CHECKING:
    from model.commands import Command
    from tui.app import GroomApp

FOOTER_PALETTE_WIDTH = 90  # narrower: the footer leaves out "^p palette" so that "q Quit" fits


# A typed filter applied in less (the last one, timed) is applied as the field changes, in the
# frame that shows the character: ~3 ms at 1k items, ~30 ms at 50k (see _filter_typed).
FILTER_AT_ONCE_SECONDS = 0.008
WRITER_MOMENT = 0.002  # seconds the screen idles after a cursor move's frame, for it to be written


class GroomingScreen(Screen[None]):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("slash", "filter", "Filter", id="screen.filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="screen.clear_filter"),
        Binding("u", "undo", "Undo", id="screen.undo"),
        Binding("ctrl+r", "redo", "Redo", show=False, id="screen.redo"),
        Binding("question_mark", "help", "Help", id="screen.help"),
        Binding("C", "capacity", "Capacity & team", show=False,
                tooltip="Team and capacity: availability, focus factor, sprint history, velocity chart",
                id="screen.capacity"),
        Binding("E", "estimate_mode", "Estimate mode", show=False,
                tooltip="Estimate mode: walk the unestimated items, one key each", id="screen.estimate_mode"),
        Binding("H", "health", "Backlog health", show=False, id="screen.health"),
        Binding("Q", "questions", "Open questions", show=False,
                tooltip="All open questions by whom to ask; answer them there", id="screen.questions"),
        Binding("O", "settings", "Settings", show=False,
                tooltip="Backlog settings: estimate unit, split threshold, Definition of Ready, scores",
                id="screen.settings"),
        Binding("R", "session", "Refinement session", show=False,
                tooltip="Start or end a timeboxed refinement session", id="screen.session"),
        Binding("right_square_bracket", "session_step(1)", "Next agenda item", show=False,
                tooltip="Next agenda item (in a refinement session)", id="screen.session_next"),
        Binding("left_square_bracket", "session_step(-1)", "Previous agenda item", show=False,
                tooltip="Previous agenda item (in a refinement session)", id="screen.session_previous"),
        Binding("h", "history", "History", show=False, tooltip="The item's whole change history",
                id="screen.history"),
        Binding("I", "import_file", "Import from Jira or Trello", show=False,
                tooltip="Import a Jira CSV or Trello board export (one undo step)", id="screen.import"),
        Binding("X", "export_file", "Export", show=False,
                tooltip="Export the backlog as Markdown, Jira CSV or JSON", id="screen.export"),
        Binding("tab", "switch_pane", "Next pane", show=False, id="screen.next_pane"),
        Binding("shift+tab", "switch_pane", "Previous pane", show=False, id="screen.previous_pane"),
    ]

    def __init__(self, service: BacklogService) -> None:
        super().__init__()
        # The width's breakpoint class, set before mounting: Textual sets it on the first Resize,
        # and a class that changes then styles every widget once more before the first frame.
        self.add_class(*self._get_breakpoint_classes(self.app.size.width, self.HORIZONTAL_BREAKPOINTS))
        self.service = service
        self.backlog = service.backlog
        self.filter: Filter = parse_filter("")
        self.plan: SprintPlan = SprintPlan(None)
        # The key of the last Highlighted message handled: the detail pane follows it. Actions
        # read `current_key` (the list's cursor) instead: keys typed faster than messages are
        # handled must act on the item the cursor is on, not on the one shown a moment ago.
        self._highlighted_key: str | None = None
        self._detail_shown: tuple[object, int, object] | None = None  # (item, revision, settings) shown
        self.sessions = SessionRunner(self)
        self.file_problem: str | None = None  # why the file could not be read at the last poll
        # The widgets every keystroke updates, kept at hand: a DOM query per key costs more than
        # the update itself at this rate.
        self._title = Static(id="title-bar")
        self._header = Static(id="list-header")
        self._list = BacklogList(self.backlog, id="backlog")
        self._filter_input = FilterField(placeholder="filter: words kind:bug label:x status:new ready:no moscow:must",
                                         id="filter", compact=True, on_change=self._filter_typed,
                                         on_done=self._filter_done)
        self._filter_text = ""  # the text self.filter was made from
        self._filter_seconds = 0.0  # what applying the last typed filter took
        self._filter_status = Static(id="filter-status")
        self._meter = CapacityMeter(id="capacity")
        self._detail = DetailPane(self.backlog, id="detail")
        self._resumed = False  # see _on_screen_resume

    def compose(self) -> ComposeResult:
        yield self._title
        yield SessionBar(id="session-bar")
        with Horizontal(id="panes"):
            with Vertical(id="backlog-pane"):
                yield self._header
                yield self._list
                yield self._filter_input
                yield self._filter_status
                yield self._meter
            yield self._detail
        yield KeysFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#filter").display = False
        self.query_one("#filter-status").display = False
        self.refresh_view()
        self._show_detail()  # the first frame shows the pane too
        self.query_one(BacklogList).focus()
        self.set_interval(1.0, self.pull_external_changes)
        if self.backlog.conflicted:
            count = len(self.backlog.conflicted)
            self.tell(f"A git merge left conflicts on {count} item{'s' if count > 1 else ''} (marked !; "
                      "/ has:conflicts lists them). On one, o keeps ours and t takes theirs.",
                      title="Merge conflicts", severity="warning", timeout=10)
        self.sessions.mount()
        self.set_interval(1.0, self.sessions.tick)

    # ----- keeping the view in step with the model --------------------------------------

    @property
    def list(self) -> BacklogList:
        return self._list

    @property
    def current_key(self) -> str | None:
        """The key under the list's cursor, now."""
        return self._list.current_key

    def refresh_view(self, focus_key: str | None = None, then: Callable[[], object] | None = None) -> None:
        """Re-render from the model: cheap unless a filter must be re-applied. `then`: what
        comes right after the frame that shows it, before the detail pane is drawn again (a
        change's write)."""
        backlog = self.backlog
        keys: Sequence[str] = self.filter.apply(backlog) if self.filter.active else backlog.order
        self.plan = sprint_plan(backlog)
        cuts = self._cuts(keys)
        filtered_out = self.filter.active and backlog.order
        empty = "No items match the filter (escape clears it)." if filtered_out else EMPTY_BACKLOG
        self.list.score_model = backlog.meta.settings.score_model
        self.list.show(keys, cuts, focus_key=focus_key, empty_message=empty)
        self._meter.show(self.plan, "days" if backlog.meta.settings.estimate_unit == "days" else "pts")
        self._update_title()
        self._update_header()
        self._update_filter_status(len(keys))
        # The list's frame first: the detail pane (its sections' layout is most of a frame's
        # work) follows in the next one, a moment after the list's frame (see _show_detail_soon).
        if then is not None:
            self.call_after_refresh(then)
        self.call_after_refresh(self._show_detail_after_write)
        if self.plan.forecast is not None and not self.plan.forecast.ready:
            # Not before the first frame is on the terminal: the thread would share the
            # interpreter with everything that frame needs.
            cast("GroomApp", self.app).after_first_frame(self._warm_forecast, "background")

    def _warm_forecast(self) -> None:
        if self.plan.forecast is not None and not self.plan.forecast.ready and not self._warming():
            # A new sprint history (or the first screen): ~0.2 s of drawing trials, kept off the
            # screen's way; the meter and the detail pane say "working it out" meanwhile. One at
            # a time: changes made meanwhile wait for it, and its end re-checks (a history changed
            # since then starts the next).
            self.run_worker(self.plan.forecast.warm, thread=True, group="forecast", exit_on_error=False)

    def _cuts(self, keys: Sequence[str]) -> tuple[Cut, ...]:
        if not self.plan.capacity or not keys:
            return ()
        cuts = []
        full = keys is self.backlog.order
        for sprint in self.plan.sprints:
            if not sprint.keys:
                continue
            last = self.backlog.position(sprint.keys[-1])
            if full:
                after = last
            else:  # the last shown item at or above the sprint's last item (-1: above them all)
                after = bisect.bisect_right(keys, last, key=self.backlog.position) - 1
            cuts.append(Cut(after, sprint, self.plan.capacity))
        return tuple(cuts)

    def _update_title(self) -> None:
        backlog = self.backlog
        text = Text(" Groom ", style="bold reverse")
        text.append(" " + visible_line(backlog.meta.name), style="bold")
        text.append(f"  ·  {len(backlog):,} items")
        if backlog.conflicted:
            count = len(backlog.conflicted)
            text.append(f"  ·  ! {count} with merge conflicts", style="bold yellow")
        update_if_changed(self._title, text)

    def _update_header(self) -> None:
        width = self.list.scrollable_content_region.width or self.list.size.width
        header = self.list.columns(width).header()
        update_if_changed(self._header, header)

    def _update_filter_status(self, shown: int) -> None:
        status = self._filter_status
        status.display = self.filter.active or bool(self.filter.error) or self._filter_input.display
        if self.filter.error:
            update_if_changed(status, Text("⚠ " + self.filter.error))
        elif self.filter.active:
            update_if_changed(status, Text(f"{shown:,} of {len(self.backlog):,} match · escape clears"))
        else:
            update_if_changed(status, Text("type to filter · enter keeps it · escape clears"))

    def _show_detail(self) -> None:
        key = self.list.current_key
        self._highlighted_key = key
        self.sessions.focus(key)
        item = self.backlog.items.get(key) if key else None
        # The pane shows the item and things around it (settings, children): all of them are the
        # same while the revision is (every change bumps it), so a filter keystroke skips it.
        shown = (item, self.backlog.meta.revision, self.backlog.meta.settings)
        last = self._detail_shown
        if item is not None and last is not None and all(map(operator.is_, shown[::2], last[::2])) \
                and shown[1] == last[1]:
            return
        self._detail_shown = shown
        self._detail.show(item)

    def _show_detail_after_write(self) -> None:
        """Draw the detail pane a moment after the frame just made: that frame is written to the
        terminal by Textual's writer thread, which needs the interpreter for a moment. Drawing
        the pane at once (Markdown for a new item) kept it waiting: the list's frame reached the
        terminal ~15 ms late after a cursor move, ~10 ms after a filter keystroke at 1k items."""
        self.set_timer(WRITER_MOMENT, self._show_detail)

    def _show_detail_soon(self) -> None:
        """The cursor moved: put the list's new frame on the terminal first, then draw the
        detail pane (Markdown: the slow part), which shows in the next frame."""
        self._highlighted_key = self.list.current_key
        self._frame_now()
        self._show_detail_after_write()

    def _compositor_refresh(self) -> None:
        if self.app._batch_count:
            # Textual mounts the app's first screen inside its start-up batch, where a frame is
            # composed and then thrown away (frames are held back in a batch), yet counted as
            # shown: the next frame then updated only what changed after it, and the title and
            # the meter came a frame or two later. Nothing is composed until the batch is over;
            # the first frame then draws the whole screen (GroomApp.on_ready asks for it).
            return
        super()._compositor_refresh()

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual calls this before Screen's own handler. The first resume comes as the app
        # starts, once the screen's widgets are mounted, each styled as it was: Screen's handler
        # styled all of them (and their component classes) again, ~25 ms of the first frame.
        # Later resumes (a dialog closed) are left as Textual sends them.
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    def _frame_now(self) -> None:
        """Put what a key changed on the terminal now. Textual draws at its next 60 Hz tick,
        and a key that comes just after a tick (the frames of the previous key) would wait up to
        17 ms for it."""
        if self.is_current and not self.app._batch_count:
            self._on_timer_update()  # Textual's own frame update, now instead of at the next tick

    def _warming(self) -> bool:
        return any(w.group == "forecast" and not w.is_finished for w in self.workers)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "forecast" and event.state == WorkerState.SUCCESS:
            self._detail_shown = None  # the detail pane's forecast line changes too
            self.refresh_view(self.current_key)

    def on_resize(self) -> None:
        self.call_after_refresh(self._update_header)
        # At 80 columns the footer's keys need the whole line; ctrl+p stays listed in help (?).
        self.query_one(KeysFooter).show_command_palette = self.size.width >= FOOTER_PALETTE_WIDTH

    @on(BacklogList.Highlighted)
    def _highlighted(self, event: BacklogList.Highlighted) -> None:
        if event.key != self._highlighted_key:
            self._show_detail_soon()

    # ----- running commands ------------------------------------------------------------

    def run_command(self, command: Command, focus_key: str | None = None) -> str | None:
        """Run a command through the service; return the error text if it was refused."""
        try:
            outcome = self.service.execute(command)
        except StoreError as exc:  # not saved: changes not on disk were undone in memory too
            self.tell(str(exc), title="Not done", severity="error", timeout=15)
            self.refresh_view(self.current_key)
            return str(exc)
        except GroomError as exc:
            self.tell(str(exc), title="Not done", severity="error")
            return str(exc)
        self.after_change(outcome, focus_key)
        return None

    def after_change(self, outcome: Outcome, focus_key: str | None = None) -> None:
        if outcome.external:
            self.tell_external(outcome)
        if focus_key is None:
            created = [d for d in outcome.change.docs if d.table == ITEMS and d.created]
            if created:
                focus_key = make_key(self.backlog.meta.prefix, created[-1].doc_id)
        if focus_key is not None and focus_key not in self.backlog:
            focus_key = None
        self.sessions.widen_agenda_filter()
        self.refresh_view(focus_key, then=self.catch_up_writes)

    @on(CommandRequested)
    def _command_requested(self, event: CommandRequested) -> None:
        self.run_command(event.command, event.focus_key)

    def catch_up_writes(self) -> None:
        """Right after the frame that shows a change: wait for its write if the file is small
        (a few ms), so it is on disk before the next key is handled. Large files coalesce."""
        try:
            self.service.catch_up()
        except NotSaved as exc:  # the write failed: what was not saved has been undone in memory
            self.tell(str(exc), title="Not saved", severity="error", timeout=15)
            self.refresh_view(self.current_key if self.current_key in self.backlog else None)
        except GroomError as exc:
            self.tell(str(exc), title="Backlog file", severity="error", timeout=15)

    def pull_external_changes(self) -> None:
        """Show what another Groom on this file changed (a stat per second when idle)."""
        try:
            outcome = self.service.refresh()
        except NotSaved as exc:  # a write failed: what was not saved has been undone in memory
            self.tell(str(exc), title="Not saved", severity="error", timeout=15)
            self.refresh_view(self.current_key if self.current_key in self.backlog else None)
            return
        except GroomError as exc:
            # Said once, not every second, while the file stays broken (changes are refused meanwhile).
            if str(exc) != self.file_problem:
                self.file_problem = str(exc)
                self.tell(f"{exc}\nChanges wait until the file is readable again.", title="Backlog file",
                          severity="error", timeout=15)
            return
        if self.file_problem is not None:
            self.file_problem = None
            self.tell("The backlog file is readable again.", title="Backlog file")
        if outcome and outcome.external:
            self.refresh_view(self.current_key)
            self.tell_external(outcome)

    def tell_external(self, outcome: Outcome) -> None:
        """Say what another Groom on this file changed, and whose edits it replaced."""
        if outcome.replaced:
            shown = list(outcome.replaced[:3])
            if len(outcome.replaced) > 3:
                shown.append(f"and {len(outcome.replaced) - 3} more")
            self.tell("\n".join(shown), title="Changed by someone else", severity="warning", timeout=8)
            return
        if outcome.external:
            count = len({d.doc_id for d in outcome.external.docs if d.table == ITEMS})
            if count:
                self.tell(f"{count} item{'s' if count > 1 else ''} changed by another Groom on this file.")

    def tell(self, message: str, **options: object) -> None:
        """A notification; its text may hold user input, so it is never read as markup."""
        self.notify(message, markup=False, **options)  # type: ignore[arg-type]

    def _require_item(self) -> str | None:
        if self.current_key is None:
            self.tell("No item selected: press a to add one.", severity="warning")
        return self.current_key

    # ----- actions: the list's keys run here ---------------------------------------------

    def action_switch_pane(self) -> None:
        """Between the list and the detail pane only: the filter bar, when shown, is not a pane
        (tab through it would send the next keys, such as o/t on a conflict, into the filter)."""
        if self.focused is self._list:
            self.set_focus(self._detail)
        else:
            self.set_focus(self._list)

    def action_move(self, where: str) -> None:
        from model.commands import MoveItem

        key = self._require_item()
        if key is None:
            return
        command = MoveItem(key, where)  # type: ignore[arg-type]
        if self.filter.active and where in ("up", "down"):
            # With a filter, move past the neighbour that is shown, not a hidden one.
            keys, index = self.list.keys, self.list.cursor
            neighbour = index - 1 if where == "up" else index + 1
            if not 0 <= neighbour < len(keys):
                return
            command = MoveItem(key, "above" if where == "up" else "below", keys[neighbour])
        self.run_command(command, focus_key=key)

    def action_add_item(self) -> None:
        from model.commands import AddItem
        from tui.screens.item_form import ItemForm

        below = self.current_key
        where = f"below {below}" if below else "at the top"
        heading = f"New item {self.backlog.next_key()} ({where})"

        position = self.backlog.position(below) if below else -1

        def submit(fields: dict) -> str | None:
            title = fields.pop("title")
            kind = fields.pop("kind")
            self.pull_external_changes()  # (a stat when nothing changed) to see a deleted anchor
            anchor = below
            if anchor is not None and anchor not in self.backlog:
                # Another Groom deleted it while the form was open: add where it was.
                index = min(position, len(self.backlog))
                anchor = self.backlog.order[index - 1] if index > 0 else None
            return self.run_command(AddItem(title, below=anchor, kind=kind, fields=fields))

        self.app.push_screen(ItemForm(heading, submit, unit=self._unit()))

    def action_edit_item(self) -> None:
        from model.commands import EditItem
        from tui.screens.item_form import ItemForm

        key = self._require_item()
        if key is None:
            return
        item = self.backlog.items[key]

        def submit(fields: dict) -> str | None:
            return self.run_command(EditItem(key, fields), focus_key=key)

        self.app.push_screen(ItemForm(f"Edit {key}", submit, item, unit=self._unit()))

    def action_delete_item(self) -> None:
        from model.commands import DeleteItem
        from tui.screens.dialogs import ConfirmDialog

        key = self._require_item()
        if key is None:
            return
        title = self.backlog.items[key].title
        short = title if len(title) <= 50 else title[:49] + "…"

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_command(DeleteItem(key))
                self.tell(f"Deleted {key}. Press u to undo.")

        self.app.push_screen(ConfirmDialog(f"Delete {key} “{short}”? (u undoes it)"), answered)

    def action_estimate(self, points: str) -> None:
        from model.commands import SetPoints

        key = self._require_item()
        if key is not None:
            self.run_command(SetPoints(key, points), focus_key=key)

    def action_pick_points(self) -> None:
        from model.commands import SetPoints
        from tui.screens.dialogs import PointsPicker

        key = self._require_item()
        if key is None:
            return

        def picked(value: str | None) -> None:
            if value is not None:
                self.run_command(SetPoints(key, value), focus_key=key)

        item = self.backlog.items[key]
        self.app.push_screen(PointsPicker(f"Estimate {key}", item.points), picked)

    def action_cycle_moscow(self) -> None:
        from model.commands import CycleMoscow

        key = self._require_item()
        if key is not None:
            self.run_command(CycleMoscow(key), focus_key=key)

    def action_add_criterion(self) -> None:
        from model.commands import AddCriterion
        from tui.screens.dialogs import PromptDialog, PromptField

        key = self._require_item()
        if key is None:
            return
        field = PromptField("text", "Acceptance criterion", placeholder="Given … when … then …", required=True)
        self.app.push_screen(PromptDialog(
            f"Add an acceptance criterion to {key}", [field],
            lambda values: self.run_command(AddCriterion(key, values["text"]), focus_key=key),
        ))

    def action_add_question(self) -> None:
        from model.commands import AddQuestion
        from tui.screens.dialogs import PromptDialog, PromptField

        key = self._require_item()
        if key is None:
            return
        fields = [
            PromptField("text", "Question", placeholder="What must a stakeholder answer?", required=True),
            PromptField("ask", "Ask whom", placeholder="a person or role (optional)"),
        ]
        self.app.push_screen(PromptDialog(
            f"Raise a question on {key} (it becomes needs-info)", fields,
            lambda values: self.run_command(AddQuestion(key, values["text"], values["ask"]), focus_key=key),
        ))

    @on(DetailPane.EditEntry)
    def _edit_entry(self, event: DetailPane.EditEntry) -> None:
        from model.commands import EditCriterion, EditQuestion
        from tui.screens.dialogs import PromptDialog, PromptField

        key, entry = event.key, event.entry
        item = self.backlog.items.get(key)
        if item is None:
            return
        # The dialogs name the entry by its text too: another Groom may move or remove entries
        # while the dialog is open (see model/commands.py _locate).
        if entry.kind == "criterion":
            criterion = item.acceptance_criteria[entry.index]
            fields = [PromptField("text", "Acceptance criterion", criterion.text, required=True)]
            self.app.push_screen(PromptDialog(
                f"Edit criterion {entry.index + 1} of {key}", fields,
                lambda v: self.run_command(EditCriterion(key, entry.index, v["text"], expected=criterion.text),
                                           focus_key=key),
            ))
            return
        question = item.questions[entry.index]
        shown = {"text": question.text, "ask": question.ask, "answer": question.answer}
        fields = [
            PromptField("text", "Question", question.text, required=True),
            PromptField("ask", "Ask whom", question.ask),
            PromptField("answer", "Answer (answering closes the question)", question.answer),
        ]

        def submit(values: dict[str, str]) -> str | None:
            # Only what the user changed: the partner may have answered it meanwhile.
            changed = {name: value if value != shown[name] else None for name, value in values.items()}
            return self.run_command(EditQuestion(key, entry.index, **changed, expected=question.text), focus_key=key)

        self.app.push_screen(PromptDialog(f"Edit question {entry.index + 1} of {key}", fields, submit))

    def action_split(self) -> None:
        from tui.screens.split_wizard import SplitWizard

        key = self._require_item()
        if key is None:
            return
        item = self.backlog.items[key]
        if item.is_closed:
            self.tell(f"{key} is {item.status.value.replace('_', ' ')}: only open items can be split.",
                      severity="warning")
            return

        def finished(first_child: str | None) -> None:
            if first_child is not None:
                self.refresh_view(first_child if first_child in self.backlog else key)

        wizard = SplitWizard(item, self.backlog.meta.settings, lambda command: self.run_command(command, key),
                             self.backlog.next_key)
        self.app.push_screen(wizard, finished)

    def action_rank_by_score(self) -> None:
        from tui.screens.rank_by_score import RankByScoreScreen

        def done(applied: bool | None) -> None:
            if applied:
                self.refresh_view(self.current_key)

        self.app.push_screen(RankByScoreScreen(self.backlog, lambda command: self.run_command(command)), done)

    def action_edit_scores(self) -> None:
        from model.commands import EditScores
        from tui.screens.score_form import ScoreForm

        key = self._require_item()
        if key is None:
            return
        item = self.backlog.items[key]
        shown = item.scores.model_dump()

        def submit(scores: dict) -> str | None:
            # Only the inputs the user changed: the partner may have scored others meanwhile.
            changes = {name: value for name, value in scores.items() if name != "weighted" and value != shown[name]}
            weighted = {name: value for name, value in scores["weighted"].items()
                        if value != shown["weighted"].get(name)}
            weighted.update({name: None for name in shown["weighted"] if name not in scores["weighted"]})
            if weighted:
                changes["weighted"] = weighted
            return self.run_command(EditScores(key, changes), focus_key=key)

        self.app.push_screen(ScoreForm(item, self.backlog.meta.settings, submit))

    def action_estimate_mode(self) -> None:
        from tui.screens.estimate_mode import EstimateMode

        def leave(_: None) -> None:
            self.refresh_view(self.current_key)

        self.app.push_screen(EstimateMode(self.backlog, lambda command: self.run_command(command)), leave)

    def action_health(self) -> None:
        from tui.screens.health import HealthScreen

        def chosen(query: str | None) -> None:
            if query:
                self.apply_filter(query)

        self.app.push_screen(HealthScreen(self.backlog), chosen)

    def action_questions(self) -> None:
        from tui.screens.questions import QuestionsScreen

        def back(key: str | None) -> None:
            self.refresh_view(key or self.current_key)

        self.app.push_screen(QuestionsScreen(self.backlog, lambda command: self.run_command(command)), back)

    def action_settings(self) -> None:
        from model.commands import EditSettings
        from tui.screens.settings import SettingsScreen

        def submit(fields: dict) -> str | None:
            return self.run_command(EditSettings(fields, "Change backlog settings"))

        self.app.push_screen(SettingsScreen(self.backlog.meta.settings, submit))

    def action_import_file(self) -> None:
        """Ask for an export file, import it as one command, then show the report."""
        from model.io.importing import import_with, kind_for, parse_file
        from tui.screens.interchange import ImportReportScreen, expand, import_dialog

        shown: list[list[str]] = []

        def submit(values: dict[str, str]) -> str | None:
            try:
                path = expand(values["file"])
                export = parse_file(kind_for(path, values["kind"].strip().lower() or None), path)
                outcome, report = import_with(self.service, export)
            except GroomError as exc:
                return str(exc)
            created = [entry.key for entry in report.created]
            self.after_change(outcome, created[0] if created else self.current_key)
            shown.append(report.lines())
            return None

        def closed(done: bool | None) -> None:
            if done and shown:
                self.app.push_screen(ImportReportScreen(shown[0]))

        self.app.push_screen(import_dialog(submit), closed)

    def action_export_file(self) -> None:
        from tui.screens.interchange import export_dialog, export_to_file

        def submit(values: dict[str, str]) -> str | None:
            try:
                done = export_to_file(values, self.backlog, self.service.store)
            except GroomError as exc:
                return str(exc)
            self.tell(done, title="Export")
            return None

        self.app.push_screen(export_dialog(submit))

    def action_capacity(self) -> None:
        from tui.screens.team import TeamScreen

        def back(_: None) -> None:
            self.refresh_view(self.current_key)

        self.app.push_screen(TeamScreen(self.backlog, self.run_command, self.action_undo, self.action_redo), back)

    def action_session(self) -> None:
        self.sessions.toggle()

    def action_session_step(self, offset: int) -> None:
        self.sessions.step(offset)

    def action_history(self) -> None:
        from tui.screens.history import HistoryScreen

        key = self._require_item()
        if key is not None:
            self.app.push_screen(HistoryScreen(self.backlog, key))

    def _unit(self) -> str:
        return "days" if self.backlog.meta.settings.estimate_unit == "days" else "points"

    # ----- filter, undo, help -----------------------------------------------------------

    def action_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.display = True
        self.query_one("#filter-status").display = True
        self._update_filter_status(len(self.list.keys))
        # At once, not at Textual's next callback: a fast "/bug" must type "bug" into the field.
        self.set_focus(field)

    def apply_filter(self, query: str, focus_key: str | None = None) -> None:
        """Show the filter bar holding `query` (from health, the palette or a session's agenda)
        and apply it, keeping the cursor on `focus_key` if given."""
        field = self.query_one("#filter", Input)
        field.display = True
        self._set_filter(query)  # first: the field's change is then this filter, not a new one
        field.value = query
        self.refresh_view(focus_key or self.current_key)
        self.set_focus(self.list)

    def set_filter_text(self, query: str) -> None:
        """Replace the filter's text without redrawing (the caller re-renders)."""
        self._set_filter(query)
        self.query_one("#filter", Input).value = query

    def _set_filter(self, text: str) -> None:
        self._filter_text = text
        self.filter = parse_filter(text, self.backlog.meta.settings)

    def _filter_typed(self, text: str) -> None:
        """The field's text changed. A filter that takes little to apply (a small backlog) is
        applied at once, so the character typed and the matches it leaves come in one frame:
        through Input.Changed the field's echo was a frame of its own, and the matches came
        ~4 ms later. A slower one (tens of thousands of items) waits for Input.Changed, so that
        the character shows first."""
        if text != self._filter_text and self._filter_seconds < FILTER_AT_ONCE_SECONDS:
            self._apply_typed_filter(text)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if event.value != self._filter_text:
            self._apply_typed_filter(event.value)
            self._frame_now()  # the matches now, not at Textual's next tick

    def _apply_typed_filter(self, text: str) -> None:
        started = time.perf_counter()
        self._set_filter(text)
        self.refresh_view(self.current_key)
        self._filter_seconds = time.perf_counter() - started

    def _filter_done(self, key: str) -> None:
        """Enter (keep the filter) or escape (clear it) in the filter field."""
        if key == "enter":
            self._keep_filter()
        else:
            self.action_clear_filter()

    def _keep_filter(self) -> None:
        if not self.filter.active:
            self.query_one("#filter").display = False
            self.query_one("#filter-status").display = False
        self.set_focus(self.list)

    def action_clear_filter(self) -> None:
        field = self.query_one("#filter", Input)
        if not (self.filter.active or field.display):
            return
        key = self.current_key
        self._set_filter("")
        field.value = ""
        field.display = False
        self.query_one("#filter-status").display = False
        self.refresh_view(key)
        self.set_focus(self.list)

    def action_undo(self) -> None:
        self._undo_redo(undo=True)

    def action_redo(self) -> None:
        self._undo_redo(undo=False)

    def _undo_redo(self, *, undo: bool) -> None:
        try:
            outcome = self.service.undo() if undo else self.service.redo()
        except GroomError as exc:
            self.tell(str(exc), title="Undo" if undo else "Redo", severity="warning")
            if isinstance(exc, StoreError):
                self.refresh_view(self.current_key)
            return
        touched = [make_key(self.backlog.meta.prefix, d.doc_id) for d in outcome.change.docs if d.table == ITEMS]
        focus = next((k for k in reversed(touched) if k in self.backlog), None)
        self.refresh_view(focus)
        self.call_after_refresh(self.catch_up_writes)
        self.tell(f"{'Undone' if undo else 'Redone'}: {outcome.label}", title="Undo" if undo else "Redo")

    def key_helps(self) -> list[KeyHelp]:
        nodes = [self.list, self.query_one(DetailPane), self, self.app]
        return bindings_of(nodes)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.key_helps()))


__all__ = ["Entry", "GroomingScreen"]
