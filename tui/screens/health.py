"""`H`: backlog health — is the top of the backlog ready (DEEP)? Each line jumps to its items."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from model.backlog import Backlog
from model.health import MUST_SHARE_LIMIT, health


class HealthScreen(ModalScreen[str | None]):
    """Returns the filter that shows the chosen finding's items, or None."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="health.close"),
        Binding("j", "cursor(1)", "Down", show=False, id="health.down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="health.up"),
    ]

    def __init__(self, backlog: Backlog) -> None:
        super().__init__()
        self.report = health(backlog)

    def compose(self) -> ComposeResult:
        report = self.report
        summary = Text("Backlog health\n", style="bold")
        if report.plan.capacity:
            summary.append(f"Ready in the next two sprints: {report.ready_upcoming} of {len(report.upcoming)} items")
            if report.upcoming and report.ready_upcoming == len(report.upcoming):
                summary.append("  ✓ ready for planning", style="bold")
        else:
            summary.append(report.plan.note or "No capacity to size the next sprints (C sets it up).")
        if report.must_share is not None:
            summary.append(f"\nMust Have: {report.must_share:.0%} of the next sprints' points")
            if report.must_share > MUST_SHARE_LIMIT:
                summary.append(f"  ⚠ above {MUST_SHARE_LIMIT:.0%} (DSDM): not everything can be a Must", style="bold")
        with Vertical(classes="dialog health-dialog"):
            yield Static(summary, classes="dialog-title")
            options = []
            for finding in report.findings:
                mark = "⚠" if finding.count and finding.problem else "✓"
                line = Text(f"{mark} {finding.label}: ", style="bold" if finding.count else "")
                line.append(str(finding.count))
                if finding.keys:
                    line.append("  " + ", ".join(finding.keys[:6]) + (" …" if finding.count > 6 else ""), style="dim")
                options.append(Option(line, disabled=not finding.count))
            yield OptionList(*options, id="health-findings")
            yield Static("enter show these items · escape close", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def action_cursor(self, step: int) -> None:
        options = self.query_one(OptionList)
        options.action_cursor_down() if step > 0 else options.action_cursor_up()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.report.findings[event.option_index].filter)

    def action_close(self) -> None:
        self.dismiss(None)
