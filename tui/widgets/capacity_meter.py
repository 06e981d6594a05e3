"""Next sprint's load against the team's capacity, as a bar and as numbers."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from model.capacity import SprintPlan


class CapacityMeter(Widget):
    """`34 / 38 pts` with a bar; says OVER in words (not only colour) when over capacity."""

    COMPONENT_CLASSES = {"capacity-meter--fill", "capacity-meter--empty", "capacity-meter--over",
                         "capacity-meter--warning"}

    plan: reactive[SprintPlan | None] = reactive(None)
    unit: reactive[str] = reactive("pts")

    def render(self) -> Text:
        plan = self.plan
        style = self.get_component_rich_style
        if plan is None or not plan.capacity:
            return Text("Capacity: no sprint history yet. Add past sprints (C) to see what fits.",
                        style=style("capacity-meter--warning"))
        sprint = plan.next_sprint
        load = sprint.points if sprint else 0.0
        capacity = plan.capacity
        over = load > capacity
        numbers = f" {load:g} / {capacity:g} {self.unit}"
        status = f"  OVER by {load - capacity:g}" if over else ""
        label = "Next sprint "
        bar_width = max(6, self.size.width - len(label) - len(numbers) - len(status) - 2)
        filled = min(bar_width, round(bar_width * min(load, capacity) / capacity)) if capacity else 0
        text = Text(label, style="bold")
        text.append("█" * filled, style=style("capacity-meter--over" if over else "capacity-meter--fill"))
        text.append("░" * (bar_width - filled), style=style("capacity-meter--empty"))
        text.append(numbers, style="bold")
        if over:
            text.append(status, style=style("capacity-meter--over"))
        notes = []
        if sprint and sprint.unestimated:
            count = len(sprint.unestimated)
            notes.append(f"⚠ {count} unestimated item{'s' if count > 1 else ''} inside (counted as 0)")
        if sprint and sprint.oversized:
            notes.append(f"⚠ {', '.join(sprint.oversized)} is bigger than a whole sprint: split it")
        if notes:
            text.append("\n" + "  ".join(notes), style=style("capacity-meter--warning"))
        return text
