"""`groom check`: a short summary of a backlog's state, as text."""

from __future__ import annotations

from dataclasses import dataclass

from model.backlog import Backlog
from model.capacity import average_velocity
from model.conflict import describe_value, field_words
from model.health import conflicted_keys


@dataclass(frozen=True)
class Summary:
    name: str
    items: int
    open_items: int
    points: float
    estimated: int
    with_criteria: int
    open_questions: int
    velocity: float | None
    warnings: tuple[str, ...]

    def lines(self) -> list[str]:
        def share(count: int) -> str:
            return f"{count * 100 / self.open_items:.0f}%" if self.open_items else "n/a"

        # One decimal, like the capacity meter: (21 + 14 + 18) / 3 is 17.7, not 17.6667.
        velocity = (f"{round(self.velocity, 1):g} pts/sprint (last sprints)" if self.velocity is not None
                    else "no sprint history")
        lines = [
            f"Backlog: {self.name}",
            f"Items: {self.items} ({self.open_items} open)",
            f"Points (open items): {self.points:g}",
            f"Estimated: {share(self.estimated)} ({self.estimated} of {self.open_items} open items)",
            f"With acceptance criteria: {share(self.with_criteria)} ({self.with_criteria} of {self.open_items})",
            f"Open questions: {self.open_questions}",
            f"Velocity: {velocity}",
        ]
        lines += [f"Warning: {w}" for w in self.warnings]
        return lines


def summarize(backlog: Backlog) -> Summary:
    open_items = [item for item in backlog if not item.is_closed]
    return Summary(
        name=backlog.meta.name,
        items=len(backlog),
        open_items=len(open_items),
        points=sum(item.points or 0 for item in open_items),
        estimated=sum(item.points is not None for item in open_items),
        with_criteria=sum(bool(item.acceptance_criteria) for item in open_items),
        open_questions=sum(len(item.open_questions) for item in open_items),
        velocity=average_velocity(backlog),
        warnings=tuple(backlog.warnings),
    )


def conflict_lines(backlog: Backlog, width: int = 40) -> list[str]:
    """One line per recorded merge conflict: the item, the field, both branches' values."""
    lines = []
    for key in conflicted_keys(backlog):
        for conflict in backlog.items[key].conflicts:
            values = " · ".join(
                f"{conflict.label(side)}: {_short(_one_line(conflict.field, conflict.value(side)), width)}"
                for side in ("ours", "theirs")
            )
            lines.append(f"{key} {field_words(conflict.field)} — {values}")
    return lines


def _one_line(field: str, value: object) -> str:
    return " / ".join(describe_value(field, value))


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
