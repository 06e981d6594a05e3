"""The Capacity tab: both capacity methods with their inputs, the settings, where the sprint
lines fall, the Monte Carlo forecast, and what looks wrong — as text that reads without colour."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from model.backlog import Backlog
from model.capacity import BASIS_NAMES, CapacityReport, SprintPlan, capacity_report, sprint_plan, unit_of
from model.forecast import Forecast
from tui.text import visible_line

KEYS_SHOWN = 3  # keys named per sprint line before "…"


class Page:
    """Lines of text, each indented as a block: wrapped lines keep their indent."""

    def __init__(self) -> None:
        self.parts: list[RenderableType] = []

    def heading(self, title: str, hint: str = "") -> None:
        line = Text.assemble((title, "bold underline"))
        if hint:
            line.append(f"  {hint}", style="dim")
        if self.parts:
            self.parts.append(Text(""))
        self.parts.append(line)

    def line(self, text: str | Text, indent: int = 2, style: str = "") -> None:
        body = text if isinstance(text, Text) else Text(visible_line(text), style=style)
        self.parts.append(Padding(body, (0, 0, 0, indent)))

    def group(self) -> Group:
        return Group(*self.parts)


def capacity_page(backlog: Backlog, report: CapacityReport, plan: SprintPlan) -> Group:
    """Everything the Capacity tab says, for the backlog as it is now."""
    unit = unit_of(backlog)
    settings = backlog.meta.settings
    page = Page()
    other = "focus" if report.basis == "velocity" else "velocity"
    page.heading("Next sprint's capacity", f"sized by {BASIS_NAMES[report.basis]} · b: by {BASIS_NAMES[other]}")
    for basis, method in (("velocity", report.velocity), ("focus", report.focus)):
        chosen = basis == report.basis
        title = Text.assemble(("▶ " if chosen else "  ", "bold"))
        title.append(f"By {BASIS_NAMES[basis]}: ", style="bold" if chosen else "")
        title.append(f"{method.capacity:g} {unit}" if method.capacity is not None else "—",
                     style="bold" if chosen else "")
        if chosen:
            title.append("  (sizes the meter and the sprint lines)", style="dim")
        page.line(title, indent=0)
        for line in method.lines(unit):
            page.line(line, indent=4, style="" if chosen else "dim")
    if (report.capacity is None or report.capacity <= 0) and report.other.capacity:
        page.line(f"⚠ No sprint lines by {BASIS_NAMES[report.basis]}; by {BASIS_NAMES[other]} the capacity would "
                  f"be {report.other.capacity:g} {unit}: press b to use it.", style="bold")
    for warning in report.warnings:
        page.line(f"⚠ {warning}", style="bold")

    page.heading("Forecast", "Monte Carlo over past sprints' completed points")
    _forecast_lines(page, plan.forecast, settings.horizon)

    page.heading("Sprint lines", f"the next {settings.horizon} in the ranked list, items in rank order")
    _sprint_lines(page, plan, unit)

    page.heading("Settings", "s changes them")
    learned = " (unused: learned from history)" if report.focus.learned else ""
    page.line(f"sprint length {settings.sprint_length_days} working days · focus factor "
              f"{settings.focus_factor:g} {unit}/person-day{learned} · velocity window {settings.velocity_window} "
              f"sprints · sprint lines shown {settings.horizon}")
    return page.group()


def _sprint_lines(page: Page, plan: SprintPlan, unit: str) -> None:
    if not plan.capacity or plan.capacity <= 0:
        page.line(f"none: {plan.note or 'no capacity'}")
        return
    if not plan.sprints:
        page.line("none: no open items to plan.")
        return
    for sprint in plan.sprints:
        keys = sprint.keys
        named = ", ".join(keys) if len(keys) <= 2 else f"{keys[0]} … {keys[-1]}"
        page.line(f"sprint {sprint.number}: {sprint.points:g} of {plan.capacity:g} {unit}, "
                  f"{len(keys)} item{'s' if len(keys) != 1 else ''} ({named})")
        for key in sprint.oversized:
            page.line(f"⚠ {key} is bigger than a whole sprint: split it (s on the list)", indent=4, style="bold")
        if sprint.unestimated:
            count = len(sprint.unestimated)
            shown = ", ".join(sprint.unestimated[:KEYS_SHOWN]) + (" …" if count > KEYS_SHOWN else "")
            page.line(f"⚠ {count} unestimated inside, counted as 0: {shown} (E estimates them)", indent=4,
                      style="bold")


def _forecast_lines(page: Page, forecast: Forecast | None, horizon: int) -> None:
    if forecast is None:
        return
    sure = forecast.statement()
    if sure.problem:
        page.line(sure.problem)
        return
    page.line(sure.text())
    page.line(forecast.statement(0.5, horizon).text(), style="dim")
    if forecast.note:
        page.line(forecast.note, style="dim")


class CapacityView(VerticalScroll, can_focus=True):
    """The Capacity tab: a scrollable page of text (j/k scroll it)."""

    BINDINGS = [
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="capacity.down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="capacity.up"),
    ]

    def compose(self):  # noqa: ANN201 - ComposeResult
        yield Static(id="capacity-body")

    def show(self, backlog: Backlog, report: CapacityReport | None = None, plan: SprintPlan | None = None) -> None:
        report = report or capacity_report(backlog)
        plan = plan or sprint_plan(backlog)
        self.query_one("#capacity-body", Static).update(capacity_page(backlog, report, plan))
