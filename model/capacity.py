"""How much the team can take on next sprint, and where the sprint cut lines fall in the ranked list.

Capacity is estimated two ways, and both are reported with their inputs:

* **velocity**: the average completed points of the last N sprints (N = `velocity_window`,
  default 3; fewer when the history is shorter).
* **focus**: focus factor × the team's available person-days next sprint (the sum of every
  member's `available_days`). The focus factor is in **points per person-day**:
  - learned from history when sprints record the person-days they had: among the same last N
    sprints, those with `available_days` > 0 give Σ completed points / Σ person-days (a
    days-weighted average, so a short holiday sprint does not weigh like a full one);
  - otherwise `settings.focus_factor` is used as given (default 0.7: a team that spends 70% of
    its days on sprint work, when one point is one ideal day).

`settings.capacity_basis` ("velocity" or "focus") chooses which one sizes the capacity meter and
the sprint lines. Capacities are rounded to one decimal: an estimate of what a team can do is
not more precise than that. Every case without a usable capacity (no history, no team, zero
days, zero velocity) carries a sentence saying why, instead of a number.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from model.backlog import Backlog
from model.forecast import Forecast, forecast_for
from model.item import Item
from model.team import Sprint, TeamMember

Basis = Literal["velocity", "focus"]
BASES: tuple[Basis, ...] = ("velocity", "focus")
BASIS_NAMES: dict[str, str] = {"velocity": "velocity", "focus": "focus factor × person-days"}
_EPSILON = 1e-9  # sums of half points and one-decimal capacities: compare without float noise


def unit_of(backlog: Backlog) -> str:
    """The short unit capacities and estimates are shown in: "pts" or "days"."""
    return "days" if backlog.meta.settings.estimate_unit == "days" else "pts"


def recent_sprints(backlog: Backlog, window: int | None = None) -> list[Sprint]:
    """The last `window` sprints of the history (default: the velocity window), oldest first."""
    return backlog.sprint_history()[-(window or backlog.meta.settings.velocity_window):]


def average_velocity(backlog: Backlog, window: int | None = None) -> float | None:
    """Average completed points of the last `window` sprints, to one decimal; None without history."""
    recent = recent_sprints(backlog, window)
    return _round(sum(s.completed for s in recent) / len(recent)) if recent else None


def team_records(backlog: Backlog) -> list[tuple[int, TeamMember]]:
    """(document id, member) pairs in the order they were added."""
    return sorted(backlog.team.items())


def _plural(count: float, word: str) -> str:
    return f"{count:g} {word}{'' if count == 1 else 's'}"


def _round(value: float) -> float:
    """To one decimal, halves up (22.25 → 22.3), as people round by hand."""
    return math.floor(value * 10 + 0.5 + _EPSILON) / 10


# ----- the two methods ------------------------------------------------------------------


@dataclass(frozen=True)
class VelocityCapacity:
    """Average completed points of the last `window` sprints."""

    capacity: float | None  # None: no history
    window: int
    sprints: tuple[Sprint, ...]  # the sprints averaged, oldest first
    problem: str = ""  # why there is no usable capacity, in words

    def lines(self, unit: str = "pts") -> list[str]:
        """The calculation with its inputs, as the team screen shows it."""
        if not self.sprints:
            return [self.problem]
        values = " + ".join(f"{s.completed:g}" for s in self.sprints)
        count = len(self.sprints)
        lines = [f"average completed of the last {_plural(count, 'sprint')}: "
                 f"({values}) / {count} = {self.capacity:g} {unit}"]
        if count < self.window:
            lines.append(f"only {_plural(count, 'sprint')} of history (the window is {self.window}): a rough guess")
        if self.problem:
            lines.append(self.problem)
        return lines


@dataclass(frozen=True)
class FocusCapacity:
    """Focus factor (points per person-day) × the team's person-days next sprint."""

    capacity: float | None  # None: no team
    factor: float  # points per person-day
    learned: bool  # True: from `learned_from`; False: the focus_factor setting
    learned_from: tuple[Sprint, ...]  # sprints with person-days that gave the factor
    person_days: float
    members: tuple[TeamMember, ...]
    problem: str = ""

    @property
    def learned_points(self) -> float:
        return sum(s.completed for s in self.learned_from)

    @property
    def learned_days(self) -> float:
        return sum(s.available_days or 0 for s in self.learned_from)

    def lines(self, unit: str = "pts") -> list[str]:
        """The calculation with its inputs, as the team screen shows it."""
        if self.learned:
            source = (f"learned: {self.learned_points:g} {unit} done in {self.learned_days:g} person-days "
                      f"over {_plural(len(self.learned_from), 'sprint')}")
        else:
            source = "the focus factor setting (no recent sprint records its person-days)"
        lines = [f"{self.factor:.3g} {unit} per person-day, {source}"]
        if self.members:
            lines.append(f"× {self.person_days:g} person-days next sprint ({_plural(len(self.members), 'member')})"
                         f" = {self.capacity:g} {unit}")
        if self.problem:
            lines.append(self.problem)
        return lines


@dataclass(frozen=True)
class CapacityReport:
    """Both capacity methods for the next sprint, the chosen basis, and what looks wrong."""

    basis: Basis
    velocity: VelocityCapacity
    focus: FocusCapacity
    warnings: tuple[str, ...] = ()

    @property
    def chosen(self) -> VelocityCapacity | FocusCapacity:
        return self.focus if self.basis == "focus" else self.velocity

    @property
    def other(self) -> VelocityCapacity | FocusCapacity:
        return self.velocity if self.basis == "focus" else self.focus

    @property
    def capacity(self) -> float | None:
        return self.chosen.capacity

    @property
    def problem(self) -> str:
        return self.chosen.problem


def velocity_capacity(backlog: Backlog) -> VelocityCapacity:
    window = backlog.meta.settings.velocity_window
    recent = tuple(recent_sprints(backlog))
    if not recent:
        return VelocityCapacity(None, window, (), "No sprint history yet: add past sprints (C, History tab) to "
                                                  "size the next sprint by velocity.")
    capacity = _round(sum(s.completed for s in recent) / len(recent))
    problem = ""
    if capacity <= 0:
        done = "completed 0" if not any(s.completed for s in recent) else f"averaged {capacity:g}"
        problem = (f"The last {_plural(len(recent), 'sprint')} {done} {unit_of(backlog)}: velocity is zero, "
                   "so nothing fits. Check the sprint history.")
    return VelocityCapacity(capacity, window, recent, problem)


def focus_capacity(backlog: Backlog) -> FocusCapacity:
    settings = backlog.meta.settings
    with_days = tuple(s for s in recent_sprints(backlog) if s.available_days)
    days = sum(s.available_days or 0 for s in with_days)
    if with_days and days > 0:
        factor, learned = sum(s.completed for s in with_days) / days, True
    else:
        factor, learned, with_days = settings.focus_factor, False, ()
    members = tuple(member for _, member in team_records(backlog))
    person_days = sum(m.available_days for m in members)
    if not members:
        return FocusCapacity(None, factor, learned, with_days, 0, (),
                             "No team members yet: add the team and their available days (C, Team tab).")
    capacity = _round(factor * person_days)
    problem = ""
    if person_days <= 0:
        problem = "The team has 0 available person-days next sprint: nothing fits."
    elif capacity <= 0 and learned and factor == 0:
        problem = ("The recent sprints with person-days completed nothing, so the learned focus factor is 0: "
                   "nothing fits. Check the sprint history.")
    elif capacity <= 0:
        problem = (f"{factor:.3g} {unit_of(backlog)} per person-day × {person_days:g} person-days rounds to 0: "
                   "nothing fits.")
    return FocusCapacity(capacity, factor, learned, with_days, person_days, members, problem)


def capacity_report(backlog: Backlog) -> CapacityReport:
    """Both methods, and warnings about inputs that look wrong (each says what is off)."""
    settings = backlog.meta.settings
    warnings = []
    for sprint in recent_sprints(backlog):
        if sprint.available_days == 0 and sprint.completed > 0:
            warnings.append(f"{sprint.name} records 0 person-days but {sprint.completed:g} points completed: "
                            "left out of the focus factor.")
    records = backlog.sprint_records()
    if any(s.end or s.start for _, s in records):
        for _, sprint in records:
            if not (sprint.end or sprint.start):
                warnings.append(f"{sprint.name} has no dates, so it counts as the latest sprint: give it dates "
                                "to place it in the history.")
    for _, member in team_records(backlog):
        if member.available_days > settings.sprint_length_days:
            warnings.append(f"{member.name} has {member.available_days:g} days but a sprint is "
                            f"{settings.sprint_length_days} days long.")
    return CapacityReport(settings.capacity_basis, velocity_capacity(backlog), focus_capacity(backlog),
                          tuple(warnings))


# ----- sprint lines ---------------------------------------------------------------------


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
    basis: Basis = "velocity"
    note: str = ""  # why there are no sprint lines, in words ("" when there are)
    # The Monte Carlo forecast of the same backlog (computed lazily on first use).
    forecast: Forecast | None = field(default=None, compare=False, repr=False)

    @property
    def next_sprint(self) -> SprintSlice | None:
        return self.sprints[0] if self.sprints else None

    def sprint_of(self) -> dict[str, int]:
        return {key: s.number for s in self.sprints for key in s.keys}


def plan_sprints(items: Iterable[Item], capacity: float | None, horizon: int) -> SprintPlan:
    """Fill sprints with open items strictly in rank order (no skipping ahead).

    A sprint ends before the first item that would take it over capacity. An item larger
    than a whole sprint gets a sprint to itself and is flagged; an unestimated item counts
    as 0 and is flagged. Only the top of the backlog is walked: the work stops after
    `horizon` sprints.
    """
    if capacity is None or capacity <= 0:
        return SprintPlan(capacity)
    horizon = max(1, horizon)
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
        if keys and total + points > capacity + _EPSILON:
            close()
            if len(sprints) == horizon:
                break
        keys.append(item.key)
        total += points
        if item.points is None:
            unestimated.append(item.key)
        if points > capacity + _EPSILON:
            oversized.append(item.key)
            close()
            if len(sprints) == horizon:
                break
    else:
        if keys:
            close()
    return SprintPlan(capacity, tuple(sprints))


def sprint_plan(backlog: Backlog) -> SprintPlan:
    """Cut lines for the backlog's next sprints, sized by the chosen capacity basis.

    The plan also carries the backlog's Monte Carlo forecast, which does its work when first read.
    """
    settings = backlog.meta.settings
    basis = settings.capacity_basis
    chosen = velocity_capacity(backlog) if basis == "velocity" else focus_capacity(backlog)
    plan = plan_sprints(backlog, chosen.capacity, settings.horizon)
    return SprintPlan(plan.capacity, plan.sprints, basis, chosen.problem, forecast_for(backlog))
