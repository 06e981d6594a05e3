"""Import and export from the app: the dialogs that ask for a file, and the import report.

The grooming screen runs the import (one command on the service); these only ask and show.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from model.backlog import Backlog
from model.errors import GroomError
from model.store import Store
from tui.screens.dialogs import PromptDialog, PromptField, PromptSubmit
from tui.text import visible_line


def import_dialog(submit: PromptSubmit) -> PromptDialog:
    fields = [
        PromptField("file", "Export file (a Jira .csv or a Trello board .json)", placeholder="~/Downloads/Jira.csv",
                    required=True),
        PromptField("kind", "Kind: jira or trello (empty: from the file name)", placeholder="jira / trello"),
    ]
    return PromptDialog("Import from Jira or Trello (one undo step)", fields, submit)


def export_dialog(submit: PromptSubmit) -> PromptDialog:
    from model.io.exporters import EXPORTERS

    fields = [
        PromptField("format", f"Format: {', '.join(EXPORTERS)}", "markdown", required=True),
        PromptField("file", "File (empty: beside the backlog)", placeholder="backlog.md"),
        PromptField("top", "Only the top N open items (empty: all)", placeholder="e.g. 20"),
    ]
    return PromptDialog("Export the backlog", fields, submit)


def default_export_path(backlog_path: Path, extension: str) -> Path:
    return backlog_path.with_name(f"{backlog_path.stem}-export{extension}")


def export_to_file(values: dict[str, str], backlog: Backlog, store: Store) -> str:
    """Export the backlog as the dialog asks (it does not change the backlog); say where it went.
    Raises GroomError with the reason when the answers or the target are not usable."""
    from model.io.export_input import ExportInput
    from model.io.exporters import EXPORTERS, write_export
    from model.service import utc_now

    exporter = EXPORTERS.get(values["format"].strip().lower())
    if exporter is None:
        raise GroomError(f"Format must be one of {', '.join(EXPORTERS)}.")
    top_text = values["top"].strip()
    if top_text and not (top_text.isdigit() and int(top_text) > 0):
        raise GroomError("Top N must be a whole number above 0, or empty for all items.")
    if top_text and not exporter.takes_top:
        raise GroomError(f"The {exporter.name} export is the whole file: leave Top N empty.")
    target = expand(values["file"]) if values["file"].strip() else default_export_path(store.path, exporter.extension)
    source = ExportInput(backlog, store.tables, utc_now(), int(top_text) if top_text else None)
    write_export(exporter.render(source), target, store.path)
    return f"Exported as {exporter.name} to {target}"


def expand(path_text: str) -> Path:
    return Path(path_text.strip()).expanduser()


class ImportReportScreen(ModalScreen[None]):
    """What an import did: new, updated, kept, skipped (and why), per-item notes."""

    BINDINGS = [
        Binding("escape,enter,q", "close", "Close", id="import_report.close"),
        Binding("j,down", "scroll(1)", "Scroll", show=False, id="import_report.down"),
        Binding("k,up", "scroll(-1)", "Scroll", show=False, id="import_report.up"),
        Binding("pagedown,space", "scroll(10)", "Page", show=False, id="import_report.page_down"),
        Binding("pageup", "scroll(-10)", "Page up", show=False, id="import_report.page_up"),
    ]

    def __init__(self, lines: Sequence[str], heading: str = "Import report") -> None:
        super().__init__()
        self.lines = list(lines)
        self.heading = heading

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog report-dialog"):
            yield Static(Text(self.heading, style="bold"), classes="dialog-title")
            with VerticalScroll(id="report-body"):
                yield Static(self._body(), id="report-text")
            yield Static("j k scroll · enter / escape close · u in the list undoes the import",
                         classes="dialog-hint")

    def _body(self) -> Text:
        text = Text()
        for index, line in enumerate(self.lines):
            style = "bold" if index == 0 or not line.startswith(" ") else ""
            text.append(visible_line(line), style=style)  # imported names are data, never markup
            text.append("\n")
        return text

    def on_mount(self) -> None:
        self.query_one("#report-body").focus()

    def action_scroll(self, step: int) -> None:
        self.query_one("#report-body", VerticalScroll).scroll_relative(y=step, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
