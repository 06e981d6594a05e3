"""Next sprint's load against the team's capacity, as a bar and as numbers, with the forecast.

Up to four lines, each cut to the width: the bar (says OVER in words, not only colour; without a
capacity, why not, on up to three lines), what
is wrong inside the next sprint (unestimated items, an item bigger than the sprint), and the
Monte Carlo headline ("85%: down to SHOP-31 in 3 sprints").
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from model.capacity import SprintPlan

BASIS_SHORT = {"velocity": "velocity", "focus": "focus × days"}
_REASON_LINES = 3  # at most, for why there is no capacity (the forecast line comes after)
_CONSOLE = Console(width=10_000, legacy_windows=False)  # only for wrapping text


class CapacityMeter(Widget):
    """`34 / 38 pts` with a bar; says OVER in words (not only colour) when over capacity."""

    COMPONENT_CLASSES = {"capacity-meter--fill", "capacity-meter--empty", "capacity-meter--over",
                         "capacity-meter--warning", "capacity-meter--forecast"}

    plan: reactive[SprintPlan | None] = reactive(None, layout=True)  # 1 to 4 lines: height follows
    unit: reactive[str] = reactive("pts")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: object = None  # what the meter says now (see show)

    def show(self, plan: SprintPlan, unit: str) -> None:
        """Show `plan`; redrawn (and laid out again) only when what the meter says changed."""
        shown = _what_it_says(plan, unit)
        if shown == self._shown:
            self.set_reactive(CapacityMeter.plan, plan)  # the same words: keep the latest plan
            return
        self._shown = shown
        self.unit = unit
        self.plan = plan
        self.mutate_reactive(CapacityMeter.plan)

    def render(self) -> Text:
        plan = self.plan
        style = self.get_component_rich_style
        width = max(1, self.size.width)
        if plan is None:
            return Text("")
        if not plan.capacity or plan.capacity <= 0:
            lines = self._no_capacity(plan, width)
        else:
            lines = [self._bar(plan, width)]
        sprint = plan.next_sprint
        notes = []
        if sprint and sprint.unestimated:
            count = len(sprint.unestimated)
            notes.append(f"⚠ {count} unestimated inside (as 0)")
        if sprint and sprint.oversized:
            notes.append(f"⚠ {', '.join(sprint.oversized)} bigger than a sprint: split")
        if notes:
            lines.append(Text("  ".join(notes), style=style("capacity-meter--warning")))
        if plan.forecast is not None:
            lines.append(Text(_forecast_line(plan), style=style("capacity-meter--forecast")))
        for line in lines:
            line.truncate(width, overflow="ellipsis")
        # Never wrapped: a line wider than the width measured for the height would add a row.
        return Text("\n", no_wrap=True, overflow="ellipsis").join(lines)

    def _no_capacity(self, plan: SprintPlan, width: int) -> list[Text]:
        """Why there are no sprint lines, wrapped: the reason is a sentence that says what to do,
        and the meter is 50 columns wide at 80x24, so one cut line would hide the advice."""
        reason = plan.note or "no capacity to size the next sprint."
        text = Text(f"No sprint lines: {reason}", style=self.get_component_rich_style("capacity-meter--warning"))
        lines = list(text.wrap(_CONSOLE, width))
        if len(lines) > _REASON_LINES:
            lines = lines[:_REASON_LINES]
            lines[-1].rstrip()
            lines[-1].truncate(width - 1)
            lines[-1].append("…")
        return lines

    def _bar(self, plan: SprintPlan, width: int) -> Text:
        style = self.get_component_rich_style
        assert plan.capacity
        sprint = plan.next_sprint
        load = sprint.points if sprint else 0.0
        capacity = plan.capacity
        over = load > capacity
        numbers = f" {load:g} / {capacity:g} {self.unit}"
        basis = f" · {BASIS_SHORT.get(plan.basis, plan.basis)}"
        status = f"  OVER by {load - capacity:g}" if over else ""
        label = "Next sprint "
        if len(label) + 6 + len(numbers) + len(status) + len(basis) + 2 > width:
            basis = ""  # the bar and the numbers matter more than the words
        bar_width = max(6, width - len(label) - len(numbers) - len(status) - len(basis) - 2)
        filled = min(bar_width, round(bar_width * min(load, capacity) / capacity))
        text = Text.assemble((label, "bold"))
        text.append("█" * filled, style=style("capacity-meter--over" if over else "capacity-meter--fill"))
        text.append("░" * (bar_width - filled), style=style("capacity-meter--empty"))
        text.append(numbers, style="bold")
        if over:
            text.append(status, style=style("capacity-meter--over"))
        text.append(basis, style=style("capacity-meter--forecast"))
        return text


def _what_it_says(plan: SprintPlan, unit: str) -> object:
    """Everything the meter's lines are made of, comparable."""
    sprint = plan.next_sprint
    statement = _forecast_line(plan) if plan.forecast is not None else None
    return (plan.capacity, plan.basis, plan.note, unit, statement,
            (sprint.points, sprint.unestimated, sprint.oversized) if sprint else None)


def _forecast_line(plan: SprintPlan) -> str:
    forecast = plan.forecast
    assert forecast is not None
    if not forecast.ready:  # the app draws the trials in the background, then redraws
        return "Forecast: drawing 10,000 trials…"
    return forecast.statement().text(short=True)
