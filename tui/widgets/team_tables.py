"""The team members and the sprint history as tables with a row cursor.

Both are small (a team, a few dozen sprints), so a DataTable serves. Rows are keyed by the
record's document id, so the cursor stays on the same record when the table is rebuilt. The
tables own their keys; the actions run on the screen, which talks to the backlog service.
User text (names) is shown literally: cells are Rich Text, never markup.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from model.backlog import Backlog
from model.capacity import team_records
from model.team import Sprint
from tui.text import visible_line

NAME_WIDTH = 20


def _name(text: str, width: int = NAME_WIDTH) -> Text:
    name = Text(visible_line(text), no_wrap=True)
    name.truncate(width, overflow="ellipsis")
    return name


def _number(value: float | None, blank: str = "—") -> Text:
    return Text(blank if value is None else f"{value:g}", justify="right")


class RecordTable(DataTable):
    """A DataTable of records keyed by document id, moved with j/k as well as the arrows.

    The row under the cursor is marked ▶ as well as highlighted, so it reads without colour.
    """

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False, id="records.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="records.up"),
        Binding("g,home", "scroll_top", "First", show=False, id="records.first"),
        Binding("G,end", "scroll_bottom", "Last", show=False, id="records.last"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False, show_cursor=True)
        self._marked: int | None = None

    def columns_shown(self) -> list[tuple[str | Text, int | None, str]]:
        """(label, width, key) of each column after the cursor mark."""
        raise NotImplementedError

    def on_mount(self) -> None:
        self.add_column("", width=1, key="cursor")
        for label, width, key in self.columns_shown():
            self.add_column(label, width=width, key=key)

    @property
    def current_id(self) -> int | None:
        """The document id of the record under the cursor (None: the table is empty)."""
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return int(row_key.value) if row_key.value is not None else None

    def fill(self, rows: Iterable[tuple[int, list[Text]]], keep: int | None = None) -> None:
        """Replace the rows; keep the cursor on record `keep` (default: the current one)."""
        keep = self.current_id if keep is None else keep
        index = self.cursor_row
        self.clear()
        self._marked = None
        ids = []
        for doc_id, cells in rows:
            self.add_row(Text(""), *cells, key=str(doc_id))
            ids.append(doc_id)
        if ids:
            row = ids.index(keep) if keep in ids else min(index, len(ids) - 1)
            self.move_cursor(row=row, animate=False, scroll=True)
            self._mark(row)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._mark(event.cursor_row)

    def _mark(self, row: int) -> None:
        if self._marked is not None and self._marked < self.row_count and self._marked != row:
            self.update_cell_at(Coordinate(self._marked, 0), Text(""))
        if 0 <= row < self.row_count:
            self.update_cell_at(Coordinate(row, 0), Text("▶"))
            self._marked = row


class MemberTable(RecordTable):
    """Team members and their available days next sprint."""

    BINDINGS = [
        *RecordTable.BINDINGS,  # listed again so that help shows them for this table
        Binding("a", "screen.add_member", "Add", tooltip="Add a team member", id="team.add_member"),
        Binding("e,enter", "screen.edit_member", "Edit", key_display="e", tooltip="Edit the team member's name or days",
                id="team.edit_member"),
        Binding("d", "screen.delete_member", "Delete", tooltip="Remove the team member (asks y/n; undoable)",
                id="team.delete_member"),
        Binding("plus,equals_sign", "screen.member_days(1)", "Days", key_display="+/-",
                tooltip="One more available day next sprint", id="team.more_days"),
        Binding("minus", "screen.member_days(-1)", "-1 day", show=False,
                tooltip="One available day less next sprint", id="team.fewer_days"),
    ]

    def columns_shown(self) -> list[tuple[str | Text, int | None, str]]:
        return [("Name", NAME_WIDTH, "name"), (Text("Days next sprint", justify="right"), 16, "days"),
                ("", None, "note")]

    def show_team(self, backlog: Backlog, keep: int | None = None) -> None:
        length = backlog.meta.settings.sprint_length_days
        rows = []
        for doc_id, member in team_records(backlog):
            note = Text(f"⚠ more than the {length}-day sprint" if member.available_days > length else "")
            rows.append((doc_id, [_name(member.name), _number(member.available_days), note]))
        self.fill(rows, keep)


class SprintTable(RecordTable):
    """The sprint history, newest first: dates, committed and completed points, person-days."""

    BINDINGS = [
        *RecordTable.BINDINGS,
        Binding("a", "screen.add_sprint", "Add", tooltip="Add a past sprint", id="history.add_sprint"),
        Binding("e,enter", "screen.edit_sprint", "Edit", key_display="e",
                tooltip="Edit the sprint: dates, points, person-days", id="history.edit_sprint"),
        Binding("d", "screen.delete_sprint", "Delete", tooltip="Delete the sprint (asks y/n; undoable)",
                id="history.delete_sprint"),
    ]

    def columns_shown(self) -> list[tuple[str | Text, int | None, str]]:
        return [("Sprint", 14, "name"), ("Start", 10, "start"), ("End", 10, "end"),
                (Text("Commit", justify="right"), 6, "committed"), (Text("Done", justify="right"), 6, "completed"),
                (Text("%", justify="right"), 4, "ratio"), (Text("Days", justify="right"), 5, "days"),
                ("Avg", 3, "averaged")]

    def show_history(self, backlog: Backlog, keep: int | None = None) -> None:
        records = backlog.sprint_records()
        averaged = {doc_id for doc_id, _ in records[-backlog.meta.settings.velocity_window:]}
        rows = [(doc_id, self._cells(sprint, doc_id in averaged)) for doc_id, sprint in reversed(records)]
        self.fill(rows, keep)

    @staticmethod
    def _cells(sprint: Sprint, averaged: bool) -> list[Text]:
        ratio = f"{sprint.completed / sprint.committed:.0%}" if sprint.committed else "—"
        return [
            _name(sprint.name, 14),
            Text(sprint.start.isoformat() if sprint.start else "—"),
            Text(sprint.end.isoformat() if sprint.end else "—"),
            _number(sprint.committed),
            _number(sprint.completed),
            Text(ratio, justify="right"),
            _number(sprint.available_days),
            Text(" •" if averaged else ""),
        ]
