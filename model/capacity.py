"""How much the team can take on, and where the sprint cut lines fall in the ranked list."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from model.backlog import Backlog
from model.item import Item


def average_velocity(backlog: Backlog, window: int | None = None) -> float | None:
    """Average completed points of the last `window` sprints; None without history."""
    window = window or backlog.meta.settings.velocity_window
    recent = backlog.sprint_history()[-window:]
    if not recent:
        return None
    return sum(s.completed for s in recent) / len(recent)


@dataclass(frozen=True)
class SprintSlice:
    """The run of open items, in rank order, that one sprint would take."""

    number: int  # 1 is the next sprint
    keys: tuple[str, ...]
    points: float
    unestimated: tuple[str, ...]  # inside the sprint but without an estimate: counted as 0
    oversized: tuple[str, ...]  # bigger than a whole sprint on their own


@dataclass(frozen=True)
class SprintPlan:
    capacity: float | None
    sprints: tuple[SprintSlice, ...] = field(default=())

    @property
    def next_sprint(self) -> SprintSlice | None:
        return self.sprints[0] if self.sprints else None

    def sprint_of(self) -> dict[str, int]:
        return {key: s.number for s in self.sprints for key in s.keys}


def plan_sprints(items: Iterable[Item], capacity: float | None, horizon: int) -> SprintPlan:
    """Fill sprints with open items strictly in rank order (no skipping ahead).

    A sprint ends before the first item that would take it over capacity. An item larger
    than a whole sprint gets a sprint to itself and is flagged. Only the top of the
    backlog is walked: the work stops after `horizon` sprints.
    """
    if not capacity or capacity <= 0:
        return SprintPlan(capacity)
    sprints: list[SprintSlice] = []
    keys: list[str] = []
    unestimated: list[str] = []
    oversized: list[str] = []
    total = 0.0

    def close() -> None:
        nonlocal keys, unestimated, oversized, total
        sprints.append(SprintSlice(len(sprints) + 1, tuple(keys), total, tuple(unestimated), tuple(oversized)))
        keys, unestimated, oversized, total = [], [], [], 0.0

    for item in items:
        if item.is_closed:
            continue
        points = item.points or 0
        if keys and total + points > capacity:
            close()
            if len(sprints) == horizon:
                break
        keys.append(item.key)
        total += points
        if item.points is None:
            unestimated.append(item.key)
        if points > capacity:
            oversized.append(item.key)
            close()
            if len(sprints) == horizon:
                break
    else:
        if keys:
            close()
    return SprintPlan(capacity, tuple(sprints))


def sprint_plan(backlog: Backlog) -> SprintPlan:
    """Cut lines for the backlog's next sprints, from its velocity and settings."""
    return plan_sprints(backlog, average_velocity(backlog), backlog.meta.settings.horizon)
