"""Rank by score: order the scored items by their score, leaving everything else in place.

Scored open items are sorted by score, highest first (ties keep their manual order), into the
positions scored items held before. Items without the score's inputs, and closed items, keep
their positions. Each moved item takes over the rank of the slot it lands in, so the set of
ranks is unchanged and only moved items are rewritten. One change, one undo step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from model.backlog import Backlog
from model.change import ITEMS, Change, DocChange
from model.errors import CommandError
from model.scoring import SCORE_MODELS, score


@dataclass(frozen=True)
class ScoreMove:
    key: str
    score: float
    before: int  # position, 0 is the top
    after: int

    @property
    def distance(self) -> int:
        """Places moved up (positive) or down (negative)."""
        return self.before - self.after


@dataclass(frozen=True)
class ScorePreview:
    model: str
    moves: tuple[ScoreMove, ...]  # items that would move, by their new position
    unchanged: int  # scored items already in place
    unscored: tuple[str, ...]  # open items lacking inputs: they stay put

    @property
    def scored(self) -> int:
        return len(self.moves) + self.unchanged


def preview(backlog: Backlog, model: str) -> ScorePreview:
    if model not in SCORE_MODELS:
        raise CommandError(f"unknown score {model!r}; use {', '.join(SCORE_MODELS)}")
    settings = backlog.meta.settings
    slots: list[int] = []
    scored: list[tuple[float, int, str]] = []
    unscored: list[str] = []
    for position, item in enumerate(backlog):
        if item.is_closed:
            continue
        value = score(item, model, settings)
        if value is None:
            unscored.append(item.key)
            continue
        slots.append(position)
        scored.append((value, position, item.key))
    # Highest score first; equal scores keep their manual order (the position breaks ties).
    ordered = sorted(scored, key=lambda entry: (-entry[0], entry[1]))
    moves = []
    for slot, (value, position, key) in zip(slots, ordered, strict=True):
        if slot != position:
            moves.append(ScoreMove(key, value, position, slot))
    moves.sort(key=lambda move: move.after)
    return ScorePreview(model, tuple(moves), len(scored) - len(moves), tuple(unscored))


@dataclass(frozen=True)
class RankByScore:
    model: str

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        result = preview(backlog, self.model)
        docs = []
        for move in result.moves:
            item = backlog.items[move.key]
            slot_rank = backlog.at(move.after).rank  # the rank of the place it moves into
            docs.append(DocChange(ITEMS, item.number, {"rank": item.rank}, {"rank": slot_rank}))
        name = SCORE_MODELS[self.model].name
        return Change(f"Rank by {name}: {len(docs)} item{'s' if len(docs) != 1 else ''} moved", tuple(docs))
