"""How a sample backlog is written down: readable specs that `sample_backlogs.build` turns into
the app's own file format through the model.

Items are listed top to bottom in rank order. Each has a short `ref` other items use to name it
(a split child's `parent`, `[[ref]]` in a description) because keys are only given out by the
build: in order of creation, as Groom itself gives them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from model.team import Sprint, TeamMember

DONE_MARK = "[x] "  # a criterion written "[x] Given …" is ticked


@dataclass(frozen=True)
class Spec:
    """One backlog item as the sample's source writes it."""

    ref: str
    title: str
    kind: str = "story"
    created: str = ""  # "2026-09-03" (a time of day is derived) or "2026-09-03 14:20"
    updated: str = ""  # "" means untouched since it was created
    points: float | None = None
    moscow: str | None = None
    status: str = ""  # "" means new, or needs_info when it has an open question
    labels: tuple[str, ...] = ()
    description: str = ""
    criteria: tuple[str, ...] = ()
    questions: tuple[tuple[str, str, str], ...] = ()  # (whom to ask, question, answer or "")
    evidence: tuple[tuple[str, str], ...] = ()  # (what, link)
    scores: dict[str, Any] = field(default_factory=dict)
    parent: str | None = None  # ref of the item this one was split from
    source: str = ""  # where an imported item came from, e.g. "jira:CHK-1187"


def item(ref: str, title: str, **fields: Any) -> Spec:
    """A Spec, with lists accepted where tuples are stored (source reads better with lists)."""
    for name in ("labels", "criteria", "evidence"):
        if name in fields:
            fields[name] = tuple(fields[name])
    if "questions" in fields:
        fields["questions"] = tuple(_question(q) for q in fields["questions"])
    return Spec(ref, title, **fields)


def _question(question: tuple[str, ...]) -> tuple[str, str, str]:
    ask, text, *answer = question
    return (ask, text, answer[0] if answer else "")


def sprint(name: str, start: str, end: str, committed: float, completed: float,
           available_days: float | None = None) -> Sprint:
    return Sprint(name=name, start=date.fromisoformat(start), end=date.fromisoformat(end),
                  committed=committed, completed=completed, available_days=available_days)


def member(name: str, available_days: float) -> TeamMember:
    return TeamMember(name=name, available_days=available_days)


@dataclass(frozen=True)
class Sample:
    """A whole sample backlog: written to `sample_backlogs/<file>.json`."""

    file: str
    name: str
    prefix: str
    items: tuple[Spec, ...]
    sprints: tuple[Sprint, ...]
    team: tuple[TeamMember, ...]
    settings: dict[str, Any] = field(default_factory=dict)
    # Key numbers of items deleted long ago: keys are never reused, so real backlogs have gaps.
    deleted: tuple[int, ...] = ()
