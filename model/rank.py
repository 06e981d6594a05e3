"""Fractional ranks: strings that sort in backlog order, like Jira's LexoRank.

A rank is a base-62 fraction written without the leading "0." and without trailing zeros
("V" is 31/62). Plain string comparison orders ranks. Placing an item between two others
takes a rank between theirs, so a move rewrites only the moved item. When repeated inserts
into one gap would make a rank longer than MAX_LENGTH, a small window of neighbours around
the gap is re-spread evenly instead (widening only as far as needed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"  # ASCII order
BASE = len(DIGITS)
INDEX = {digit: value for value, digit in enumerate(DIGITS)}
MAX_LENGTH = 24  # no rank ever grows past this
SPREAD_MAX_LENGTH = 16  # a re-spread window must leave this much room below MAX_LENGTH
_MIN_STEP = BASE  # re-spread ranks sit at least this many units apart: ~6 halvings of room


class RankCollision(ValueError):
    """Two neighbouring ranks leave no room between them (equal or out of order)."""


END_PRECISION = 3  # digits of the step used to add at either end: 62**3 adds before growing


def between(low: str | None, high: str | None) -> str:
    """A rank strictly between `low` and `high`; None means the start or the end."""
    a = (low or "").rstrip("0")
    b = high.rstrip("0") if high is not None else None
    if b is not None and (b == "" or a >= b):
        raise RankCollision(f"no rank between {low!r} and {high!r}")
    # Adding at an end takes a small fixed step instead of halving the space that is left:
    # halving would grow ranks by a digit every few adds, and people add at the ends a lot.
    if b is None and a:
        return _step(a, +1)
    if not a and b is not None:
        return _step(b, -1)
    return _midpoint(a, b)


def _step(rank: str, direction: int) -> str:
    """The rank one unit above (or below) `rank` at a precision of at least END_PRECISION
    digits, staying inside (0, 1)."""
    length = max(len(rank), END_PRECISION)
    while True:
        value = _to_int(rank, length) + direction
        if 0 < value < BASE**length:
            return _to_rank(value, length)
        length += 1


def _midpoint(a: str, b: str | None) -> str:
    # Invariants: a < b as fractions, neither ends in "0", b is not "".
    if b is not None:
        n = 0
        while n < len(b) and (a[n] if n < len(a) else "0") == b[n]:
            n += 1
        if n > 0:
            return b[:n] + _midpoint(a[n:], b[n:])
    digit_a = INDEX[a[0]] if a else 0
    digit_b = INDEX[b[0]] if b is not None else BASE
    if digit_b - digit_a > 1:
        return DIGITS[(digit_a + digit_b) // 2]
    if b is not None and len(b) > 1:
        return b[0]
    return DIGITS[digit_a] + _midpoint(a[1:], None)


def spread(low: str | None, high: str | None, count: int) -> list[str]:
    """`count` ranks evenly spaced strictly between `low` and `high`, as short as possible."""
    if count <= 0:
        return []
    for length in range(1, 65):
        floor_low = _to_int(low, length) if low else 0
        if high is None:
            ceiling = BASE**length
        else:
            ceiling = _to_int(high, length)
            if len(high.rstrip("0")) > length:
                ceiling += 1  # `high` is above its truncation, so the truncation itself is usable
        room = ceiling - floor_low
        if room >= (count + 1) * _MIN_STEP or (length == 64 and room > count):
            return [
                _to_rank(floor_low + (room * (i + 1)) // (count + 1), length) for i in range(count)
            ]
    raise RankCollision(f"no room for {count} ranks between {low!r} and {high!r}")


def _to_int(rank: str, length: int) -> int:
    value = 0
    for digit in rank[:length].ljust(length, "0"):
        value = value * BASE + INDEX[digit]
    return value


def _to_rank(value: int, length: int) -> str:
    digits = []
    for _ in range(length):
        value, digit = divmod(value, BASE)
        digits.append(DIGITS[digit])
    return "".join(reversed(digits)).rstrip("0")


@dataclass(frozen=True)
class Placement:
    """Where new items land: their ranks, and any neighbours re-ranked to make room.

    `rewrites` maps a position in the ranks list the placement was computed on (the list
    without the placed items) to that neighbour's new rank.
    """

    ranks: tuple[str, ...]
    rewrites: dict[int, str] = field(default_factory=dict)

    @property
    def rank(self) -> str:
        return self.ranks[0]


def place(ranks: Sequence[str], index: int, count: int = 1) -> Placement:
    """Ranks for `count` items inserted together at `index` into the ordered `ranks`
    (which exclude them)."""
    if not 0 <= index <= len(ranks):
        raise IndexError(f"position {index} is outside 0..{len(ranks)}")
    if count < 1:
        raise ValueError("place at least one item")
    low = ranks[index - 1] if index > 0 else None
    high = ranks[index] if index < len(ranks) else None
    try:
        if count == 1:
            fresh = [between(low, high)]
        else:
            fresh = spread(low, high, count)
        if max(map(len, fresh)) <= MAX_LENGTH:
            return Placement(tuple(fresh))
    except RankCollision:
        pass
    return _respread(ranks, index, count)


def _respread(ranks: Sequence[str], index: int, count: int) -> Placement:
    half = 4
    while True:
        start, end = max(0, index - half), min(len(ranks), index + half)
        whole = start == 0 and end == len(ranks)
        low = ranks[start - 1] if start > 0 else None
        high = ranks[end] if end < len(ranks) else None
        try:
            fresh = spread(low, high, end - start + count)
        except RankCollision:
            fresh = None
        if fresh and (whole or max(map(len, fresh)) <= SPREAD_MAX_LENGTH):
            offset = index - start  # where the new items begin inside the window
            rewrites: dict[int, str] = {}
            for slot, rank in enumerate(fresh):
                if offset <= slot < offset + count:
                    continue
                position = start + slot - (count if slot >= offset + count else 0)
                if ranks[position] != rank:
                    rewrites[position] = rank
            return Placement(tuple(fresh[offset:offset + count]), rewrites)
        if whole:  # pragma: no cover - spread over the whole space always has room
            raise RankCollision("cannot rank the backlog")
        half *= 2


def initial_ranks(count: int) -> list[str]:
    """Evenly spread ranks for a new backlog of `count` items (imports, generators)."""
    return spread(None, None, count)
