"""Backlog health: is the top of the backlog ready for the next sprints (DEEP)?

Each finding carries the keys concerned and a filter that shows exactly those items.
"""

from __future__ import annotations

from dataclasses import dataclass

from model.backlog import Backlog
from model.capacity import SprintPlan, sprint_plan
from model.item import MoSCoW
from model.readiness import readiness

MUST_SHARE_LIMIT = 0.6  # DSDM: at most 60% of the effort should be Must Have


@dataclass(frozen=True)
class Finding:
    label: str
    keys: tuple[str, ...]
    filter: str  # the `/` filter showing these items
    problem: bool = True  # False: shown for information

    @property
    def count(self) -> int:
        return len(self.keys)


@dataclass(frozen=True)
class Health:
    plan: SprintPlan
    upcoming: tuple[str, ...]  # open items inside the next two sprints' capacity
    not_ready_upcoming: tuple[str, ...]
    next_sprint_not_ready: tuple[str, ...]
    must_share: float | None  # of the upcoming sprints' points
    findings: tuple[Finding, ...]

    @property
    def ready_upcoming(self) -> int:
        return len(self.upcoming) - len(self.not_ready_upcoming)

    def lines(self) -> list[str]:
        lines = []
        if self.plan.capacity:
            lines.append(f"Ready in the next two sprints: {self.ready_upcoming} of {len(self.upcoming)} items")
        else:
            reason = self.plan.note or "no capacity to size the sprints"
            lines.append(f"Ready in the next two sprints: unknown ({reason})")
        if self.must_share is not None:
            warning = " — above the 60% DSDM guideline" if self.must_share > MUST_SHARE_LIMIT else ""
            lines.append(f"Must Have share of the next sprints' points: {self.must_share:.0%}{warning}")
        for finding in self.findings:
            keys = ", ".join(finding.keys[:8]) + (f" and {finding.count - 8} more" if finding.count > 8 else "")
            lines.append(f"{finding.label}: {finding.count}" + (f" ({keys})" if keys else ""))
        return lines


def conflicted_keys(backlog: Backlog) -> tuple[str, ...]:
    """Items holding conflicts a git merge recorded, in rank order."""
    conflicted = backlog.conflicted
    return tuple(key for key in backlog.order if key in conflicted) if conflicted else ()


def _keys_filter(keys: tuple[str, ...]) -> str:
    return "key:" + ",".join(keys) if keys else "key:none"


def health(backlog: Backlog, plan: SprintPlan | None = None) -> Health:
    plan = plan or sprint_plan(backlog)
    settings = backlog.meta.settings
    upcoming = tuple(key for sprint in plan.sprints[:2] for key in sprint.keys)
    next_sprint = plan.sprints[0].keys if plan.sprints else ()
    not_ready = tuple(k for k in upcoming if not readiness(backlog.items[k], settings).ready)
    next_not_ready = tuple(k for k in next_sprint if not readiness(backlog.items[k], settings).ready)
    upcoming_points = sum(backlog.items[k].points or 0 for k in upcoming)
    must_points = sum(backlog.items[k].points or 0 for k in upcoming if backlog.items[k].moscow == MoSCoW.MUST)
    must_share = must_points / upcoming_points if upcoming_points else None
    open_items = [item for item in backlog if not item.is_closed]
    threshold = settings.split_threshold
    findings = (
        Finding("Not ready in the next two sprints", not_ready, _keys_filter(not_ready)),
        Finding("Unestimated", tuple(i.key for i in open_items if i.points is None), "open:yes points:?"),
        Finding(f"Bigger than the split threshold ({threshold:g})",
                tuple(i.key for i in open_items if i.points is not None and i.points > threshold),
                f"open:yes points:>{threshold:g}"),
        Finding("With open questions", tuple(i.key for i in open_items if i.open_questions),
                "open:yes has:questions"),
        Finding("Without acceptance criteria", tuple(i.key for i in open_items if not i.acceptance_criteria),
                "open:yes -has:criteria"),
    )
    conflicted = conflicted_keys(backlog)
    if conflicted:  # only after a git merge left some: no line about merges for everyone else
        findings = (Finding("Unresolved merge conflicts", conflicted, "has:conflicts"), *findings)
    return Health(plan, upcoming, not_ready, next_not_ready, must_share, findings)
