"""Definition of Ready: which rules an item meets before a team takes it into a sprint."""

from __future__ import annotations

from dataclasses import dataclass

from model.item import Item
from model.meta import Settings


@dataclass(frozen=True)
class Readiness:
    failures: tuple[str, ...]  # the rules not met, in words

    @property
    def ready(self) -> bool:
        return not self.failures


def readiness(item: Item, settings: Settings) -> Readiness:
    """The default Definition of Ready: criteria, an estimate small enough for a sprint,
    no open questions, and a MoSCoW priority."""
    failures = []
    if not item.acceptance_criteria:
        failures.append("no acceptance criteria")
    if item.points is None:
        failures.append("not estimated")
    elif item.points > settings.split_threshold:
        failures.append(f"too big ({item.points:g} > {settings.split_threshold:g}): split it")
    if item.open_questions:
        count = len(item.open_questions)
        failures.append(f"{count} open question{'s' if count > 1 else ''}")
    if item.moscow is None:
        failures.append("no MoSCoW priority")
    return Readiness(tuple(failures))
