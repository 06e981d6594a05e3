"""Definition of Ready: which of the backlog's rules an item meets before a sprint takes it.

The rules a backlog requires are in its settings (`ready_rules`); the defaults are: at
least one acceptance criterion, estimated, no bigger than the split threshold, no open
questions, and a MoSCoW priority.
"""

from __future__ import annotations

from dataclasses import dataclass

from model.item import Item, Kind, format_points
from model.meta import Settings


@dataclass(frozen=True)
class Readiness:
    failures: tuple[str, ...]  # the rules not met, in words

    @property
    def ready(self) -> bool:
        return not self.failures


def _failure(rule: str, item: Item, settings: Settings) -> str | None:
    if rule == "criteria":
        return None if item.acceptance_criteria else "no acceptance criteria"
    if rule == "estimated":
        return None if item.points is not None else "not estimated"
    if rule == "small":
        if item.points is not None and item.points > settings.split_threshold:
            return f"too big ({format_points(item.points)} > {settings.split_threshold:g}): split it"
        return None
    if rule == "no_open_questions":
        count = len(item.open_questions)
        return f"{count} open question{'s' if count > 1 else ''}" if count else None
    if rule == "moscow":
        return None if item.moscow is not None else "no MoSCoW priority"
    if rule == "description":
        return None if item.description.strip() else "no description"
    if rule == "not_epic":
        return "an epic: split it into stories" if item.kind == Kind.EPIC else None
    raise ValueError(f"unknown Definition of Ready rule {rule!r}")


def readiness(item: Item, settings: Settings) -> Readiness:
    failures = (_failure(rule, item, settings) for rule in settings.ready_rules)
    return Readiness(tuple(f for f in failures if f))
