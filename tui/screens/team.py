"""`C`: the team and capacity screen.

Four tabs: Capacity (both methods with their inputs, settings, sprint lines, forecast,
warnings), Team (members and their days next sprint), History (past sprints) and Chart
(committed vs completed per sprint). Every change is one command run through the grooming
screen's `run` (the backlog service: validated, written, one undo step); the screen then
re-renders from the model. Keyboard only; escape goes back to the list.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Static

from model.backlog import Backlog
from model.capacity import BASIS_NAMES, CapacityReport, capacity_report, sprint_plan, unit_of, velocity_capacity
from model.commands import Command
from model.team import Sprint
from model.team_commands import (
    AddSprint,
    AddTeamMember,
    DeleteSprint,
    DeleteTeamMember,
    EditCapacitySettings,
    EditSprint,
    EditTeamMember,
    SetCapacityBasis,
    suggest_next_sprint,
)
from tui.keys import KeyHelp, bindings_of
from tui.screens.dialogs import ConfirmDialog, PromptField
from tui.screens.grooming import FOOTER_PALETTE_WIDTH
from tui.screens.help import HelpScreen
from tui.screens.record_form import RecordForm
from tui.text import visible_line
from tui.widgets.capacity_meter import BASIS_SHORT
from tui.widgets.capacity_summary import CapacityView
from tui.widgets.footer import KeysFooter
from tui.widgets.team_tables import MemberTable, SprintTable
from tui.widgets.velocity_chart import Bar, VelocityChart

TABS = {"capacity": "Capacity", "team": "Team", "history": "History", "chart": "Chart"}


def changed(values: dict[str, str], shown: dict[str, str]) -> dict[str, str]:
    """Only the fields the user changed in a form: another Groom's edit of the others stays."""
    return {name: value for name, value in values.items() if value.strip() != shown.get(name, "").strip()}

RunCommand = Callable[[Command], str | None]  # None: done; else why it was refused


class TeamScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "leave", "Back", tooltip="Back to the backlog", id="team.leave"),
        Binding("1", "show_tab('capacity')", "Capacity", show=False, tooltip="Capacity tab: both methods, "
                "settings, sprint lines, forecast", id="team.tab_capacity"),
        Binding("2", "show_tab('team')", "Team", show=False, tooltip="Team tab: members and their days",
                id="team.tab_team"),
        Binding("3", "show_tab('history')", "History", show=False, tooltip="History tab: past sprints",
                id="team.tab_history"),
        Binding("4", "show_tab('chart')", "Chart", show=False, tooltip="Chart tab: velocity chart",
                id="team.tab_chart"),
        Binding("tab", "next_tab(1)", "Next tab", show=False, id="team.next_tab"),
        Binding("shift+tab", "next_tab(-1)", "Previous tab", show=False, id="team.previous_tab"),
        Binding("b", "toggle_basis", "Basis", tooltip="Size sprints by velocity or by focus factor × "
                "person-days (switches the meter and the sprint lines)", id="team.basis"),
        Binding("s,O", "edit_settings", "Settings", tooltip="Sprint length, focus factor, velocity window, "
                "sprint lines shown", id="team.settings"),
        Binding("u", "undo", "Undo", id="team.undo"),
        Binding("ctrl+r", "redo", "Redo", show=False, id="team.redo"),
        Binding("question_mark", "help", "Help", id="team.help"),
    ]

    def __init__(self, backlog: Backlog, run: RunCommand, undo: Callable[[], None], redo: Callable[[], None],
                 tab: str = "capacity") -> None:
        super().__init__()
        self.backlog = backlog
        self.run = run
        self.undo, self.redo = undo, redo
        self.tab = tab
        self._shown_version = -1

    def compose(self) -> ComposeResult:
        yield Static(id="team-title")
        yield Static(id="team-tabs")
        # Tab ids are "<tab>-tab": the grooming screen's meter is #capacity, and CSS ids apply app-wide.
        with ContentSwitcher(initial=f"{self.tab}-tab", id="team-body"):
            yield CapacityView(id="capacity-tab")
            with Vertical(id="team-tab"):
                yield MemberTable(id="members")
                yield Static(id="team-notes")
            with Vertical(id="history-tab"):
                yield SprintTable(id="sprints")
                yield Static(id="history-notes")
            yield VelocityChart(id="chart-tab")
        yield KeysFooter(compact=True)

    def on_resize(self) -> None:
        # At 80 columns the Team and History tabs' keys need the whole footer (as on the list);
        # ctrl+p stays listed in help (?).
        self.query_one(KeysFooter).show_command_palette = self.size.width >= FOOTER_PALETTE_WIDTH

    def on_mount(self) -> None:
        self.refresh_view()
        self.action_show_tab(self.tab)
        # Another Groom on the file (pulled in by the grooming screen) or a change made elsewhere.
        self.set_interval(1.0, self._follow_changes)

    # ----- showing -------------------------------------------------------------------

    @property
    def members(self) -> MemberTable:
        return self.query_one(MemberTable)

    @property
    def sprints(self) -> SprintTable:
        return self.query_one(SprintTable)

    def _follow_changes(self) -> None:
        if self.backlog.version != self._shown_version:
            self.refresh_view()

    def refresh_view(self, *, member: int | None = None, sprint: int | None = None) -> None:
        """Re-render every tab from the model; keep (or move) the table cursors by record id."""
        backlog = self.backlog
        self._shown_version = backlog.version
        report, plan = capacity_report(backlog), sprint_plan(backlog)
        unit = unit_of(backlog)
        title = Text(" Groom ", style="bold reverse")  # the whole bar, as the grooming screen's title
        title.append(" Team & capacity", style="bold")
        capacity = f"{report.capacity:g} {unit}" if report.capacity is not None else "no capacity"
        title.append(f" · next sprint {capacity} ({BASIS_SHORT[report.basis]})")
        title.append(" · " + visible_line(backlog.meta.name))
        self.query_one("#team-title", Static).update(title)
        self.query_one(CapacityView).show(backlog, report, plan)
        self.members.show_team(backlog, member)
        self.sprints.show_history(backlog, sprint)
        self._update_notes(report, unit)
        chart = self.query_one(VelocityChart)
        velocity = velocity_capacity(backlog)
        chart.bars = tuple(Bar(s.name, s.committed, s.completed) for s in backlog.sprint_history())
        chart.average = velocity.capacity
        chart.averaged = len(velocity.sprints)
        chart.unit = unit
        chart.refresh()

    def _update_notes(self, report: CapacityReport, unit: str) -> None:
        settings = self.backlog.meta.settings
        focus = report.focus
        members = len(focus.members)
        team = Text()
        if members:
            team.append(f"Total: {focus.person_days:g} person-days next sprint ({members} member"
                        f"{'s' if members != 1 else ''}) · a sprint is {settings.sprint_length_days} working days\n",
                        style="bold")
            team.append(f"By focus factor: {focus.factor:.3g} {unit} per person-day × {focus.person_days:g} = "
                        f"{focus.capacity:g} {unit}{' (sizes the sprints)' if report.basis == 'focus' else ''}\n")
        else:
            team.append("No team members yet: press a to add one, with the days they have next sprint.\n",
                        style="bold")
        team.append("a add · e edit · d delete · + / - one day more / less", style="dim")
        self.query_one("#team-notes", Static).update(team)
        history = Text()
        if not self.backlog.sprints:
            history.append("No sprint history yet: press a to add the last sprints the team finished.\n",
                           style="bold")
        history.append(f"Commit/Done: points committed and completed · %: done of committed · Days: person-days "
                       f"· Avg •: in the velocity average (last {settings.velocity_window})\n"
                       "a add · e edit · d delete", style="dim")
        self.query_one("#history-notes", Static).update(history)

    def _update_tabs(self) -> None:
        bar = Text(" ")
        for number, (tab, title) in enumerate(TABS.items(), start=1):
            label = f" {number} {title} "
            bar.append(f"[{label}]" if tab == self.tab else f" {label} ",
                       style="bold reverse" if tab == self.tab else "dim")
        bar.append("  1-4 / tab switch · esc back", style="dim")
        self.query_one("#team-tabs", Static).update(bar)

    # ----- tabs ------------------------------------------------------------------------

    def action_show_tab(self, tab: str) -> None:
        self.tab = tab
        self.query_one(ContentSwitcher).current = f"{tab}-tab"
        self._update_tabs()
        focus = {"capacity": CapacityView, "team": MemberTable, "history": SprintTable, "chart": VelocityChart}[tab]
        self.query_one(focus).focus()

    def action_next_tab(self, step: int) -> None:
        tabs = list(TABS)
        self.action_show_tab(tabs[(tabs.index(self.tab) + step) % len(tabs)])

    def action_leave(self) -> None:
        self.dismiss(None)

    # ----- running commands --------------------------------------------------------------

    def _run(self, command: Command, **keep: int | None) -> str | None:
        error = self.run(command)
        self.refresh_view(**keep)
        return error

    def action_undo(self) -> None:
        self.undo()
        self.refresh_view()

    def action_redo(self) -> None:
        self.redo()
        self.refresh_view()

    def action_toggle_basis(self) -> None:
        if self._run(SetCapacityBasis()) is not None:
            return  # refused: the grooming screen has said why
        report = capacity_report(self.backlog)
        unit = unit_of(self.backlog)
        size = f"{report.capacity:g} {unit}" if report.capacity is not None else "no capacity yet"
        self.notify(f"Sprints are now sized by {BASIS_NAMES[report.basis]}: {size}. (u undoes it)",
                    title="Capacity basis", markup=False)

    def action_edit_settings(self) -> None:
        settings = self.backlog.meta.settings
        learned = capacity_report(self.backlog).focus.learned
        fields = [
            PromptField("sprint_length_days", "Sprint length", f"{settings.sprint_length_days}",
                        placeholder="working days in a sprint, e.g. 10", required=True),
            PromptField("focus_factor", "Focus factor", f"{settings.focus_factor:g}",
                        placeholder="points per person-day, e.g. 0.7", required=True),
            PromptField("velocity_window", "Velocity window", f"{settings.velocity_window}",
                        placeholder="last sprints averaged, e.g. 3", required=True),
            PromptField("horizon", "Sprint lines", f"{settings.horizon}",
                        placeholder="sprint lines shown in the list, e.g. 3", required=True),
        ]
        note = " (the focus factor is learned from history now)" if learned else ""
        shown = {field.name: field.value for field in fields}
        self.app.push_screen(RecordForm(f"Capacity settings{note}", fields,
                                        lambda values: self._run(EditCapacitySettings(changed(values, shown)))))

    # ----- team members ------------------------------------------------------------------

    def _member_form(self, name: str = "", days: str = "") -> list[PromptField]:
        length = self.backlog.meta.settings.sprint_length_days
        return [
            PromptField("name", "Name", name, placeholder="e.g. Ana", required=True),
            PromptField("available_days", "Days next sprint", days,
                        placeholder=f"available days; a sprint is {length} working days", required=True),
        ]

    def action_add_member(self) -> None:
        self.action_show_tab("team")
        before = set(self.backlog.team)

        def submit(values: dict[str, str]) -> str | None:
            error = self.run(AddTeamMember(values['name'], values['available_days']))
            added = set(self.backlog.team) - before
            self.refresh_view(member=max(added) if added else None)
            return error

        length = self.backlog.meta.settings.sprint_length_days
        self.app.push_screen(RecordForm("Add a team member", self._member_form("", f"{length}"), submit))

    def _current_member(self) -> int | None:
        self.action_show_tab("team")
        doc_id = self.members.current_id
        if doc_id is None or doc_id not in self.backlog.team:
            self.notify("No team member selected: press a to add one.", severity="warning", markup=False)
            return None
        return doc_id

    def action_edit_member(self) -> None:
        doc_id = self._current_member()
        if doc_id is None:
            return
        member = self.backlog.team[doc_id]
        fields = self._member_form(member.name, f"{member.available_days:g}")
        shown = {field.name: field.value for field in fields}
        self.app.push_screen(RecordForm(
            f"Edit {visible_line(member.name)}", fields,
            lambda values: self._run(EditTeamMember(doc_id, changed(values, shown)), member=doc_id)))

    def action_delete_member(self) -> None:
        doc_id = self._current_member()
        if doc_id is None:
            return
        name = visible_line(self.backlog.team[doc_id].name)

        def answered(yes: bool | None) -> None:
            if yes and self._run(DeleteTeamMember(doc_id)) is None:
                self.notify(f"Removed {name} from the team. Press u to undo.", markup=False)

        self.app.push_screen(ConfirmDialog(f"Remove {name} from the team? (u undoes it)"), answered)

    def action_member_days(self, step: int) -> None:
        doc_id = self._current_member()
        if doc_id is None:
            return
        member = self.backlog.team[doc_id]
        days = member.available_days + step
        if days < 0:
            self.notify(f"{visible_line(member.name)} already has 0 days next sprint.", severity="warning",
                        markup=False)
            return
        self._run(EditTeamMember(doc_id, {"available_days": days}), member=doc_id)

    # ----- sprints -------------------------------------------------------------------------

    def _sprint_form(self, values: dict[str, str]) -> list[PromptField]:
        team_days = sum(m.available_days for m in self.backlog.team.values())
        example = f"e.g. {team_days:g}; " if team_days else ""
        return [
            PromptField("name", "Name", values.get("name", ""), placeholder="e.g. Sprint 24", required=True),
            PromptField("start", "Start", values.get("start", ""), placeholder="2026-10-05 (optional)"),
            PromptField("end", "End", values.get("end", ""), placeholder="2026-10-16 (optional)"),
            PromptField("committed", "Committed", values.get("committed", ""),
                        placeholder="points committed at planning", required=True),
            PromptField("completed", "Completed", values.get("completed", ""),
                        placeholder="points completed by the end", required=True),
            PromptField("available_days", "Person-days", values.get("available_days", ""),
                        placeholder=f"{example}optional: teaches the focus factor"),
        ]

    def action_add_sprint(self) -> None:
        self.action_show_tab("history")
        before = set(self.backlog.sprints)

        def submit(values: dict[str, str]) -> str | None:
            error = self.run(AddSprint(values))
            added = set(self.backlog.sprints) - before
            self.refresh_view(sprint=max(added) if added else None)
            if added:
                self._warn_if_not_over(self.backlog.sprints[max(added)])
            return error

        fields = self._sprint_form(suggest_next_sprint(self.backlog))
        self.app.push_screen(RecordForm("Add a past sprint", fields, submit))

    def _warn_if_not_over(self, sprint: Sprint) -> None:
        """A sprint still running counts as finished in the velocity and the forecast: say so
        (kept, not refused: a team may record the sprint on its last afternoon)."""
        today = self.app.service.clock().date()
        if sprint.end is not None and sprint.end > today:
            self.notify(f"{visible_line(sprint.name)} ends on {sprint.end.isoformat()}, after today: its "
                        "completed points count in the velocity and the forecast as if it were over. "
                        "Edit it (e) if that was not meant.", severity="warning", markup=False, timeout=8)

    def _current_sprint(self) -> int | None:
        self.action_show_tab("history")
        doc_id = self.sprints.current_id
        if doc_id is None or doc_id not in self.backlog.sprints:
            self.notify("No sprint selected: press a to add one.", severity="warning", markup=False)
            return None
        return doc_id

    def action_edit_sprint(self) -> None:
        doc_id = self._current_sprint()
        if doc_id is None:
            return
        sprint = self.backlog.sprints[doc_id]
        values = {
            "name": sprint.name,
            "start": sprint.start.isoformat() if sprint.start else "",
            "end": sprint.end.isoformat() if sprint.end else "",
            "committed": f"{sprint.committed:g}",
            "completed": f"{sprint.completed:g}",
            "available_days": f"{sprint.available_days:g}" if sprint.available_days is not None else "",
        }
        self.app.push_screen(RecordForm(
            f"Edit {visible_line(sprint.name)}", self._sprint_form(values),
            lambda typed: self._run(EditSprint(doc_id, changed(typed, values)), sprint=doc_id)))

    def action_delete_sprint(self) -> None:
        doc_id = self._current_sprint()
        if doc_id is None:
            return
        name = visible_line(self.backlog.sprints[doc_id].name)

        def answered(yes: bool | None) -> None:
            if yes and self._run(DeleteSprint(doc_id)) is None:
                self.notify(f"Deleted {name}. Press u to undo.", markup=False)

        self.app.push_screen(ConfirmDialog(f"Delete sprint {name}? (u undoes it)"), answered)

    # ----- help --------------------------------------------------------------------------

    def key_helps(self) -> list[KeyHelp]:
        nodes = [self.query_one(CapacityView), self.members, self.sprints, self, self.app]
        return bindings_of(nodes)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.key_helps()))
