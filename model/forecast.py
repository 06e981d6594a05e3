"""Monte Carlo forecast: when will each open item be done, and how sure can we be?

Method. Take the completed points of the last `FORECAST_HISTORY` sprints (all of them when
there are fewer). One trial draws one of those numbers, with replacement, for each future
sprint 1, 2, … `MAX_SPRINTS` and adds them up: the points the team finishes within s sprints
in that trial. An open item is done within s sprints when that total reaches the points of
every open item down to and including it, in rank order. (Work flows on across sprint
boundaries, as in a burn-up chart; the sprint lines in the list cut whole items instead.)
The share of `TRIALS` trials in which that happens is the probability. The generator is
seeded with `SEED`, so the same history always gives the same forecast.

Unestimated open items count as 0 points and every answer says how many it counted so:
the forecast is optimistic about them, and says so.

Cost. The simulation depends only on the history and is cached by it, so a change to the
items (the usual keystroke) only re-adds the open items' points: O(n), once per change to
the backlog, and only when the forecast is first asked for. A question about one item is a
binary search per sprint, so moving the cursor computes nothing new. Pure Python: see
benchmarks/README.md ("Forecast") for the figures at 10k items and 10k trials.
"""

from __future__ import annotations

import math
import random
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from operator import add
from weakref import WeakKeyDictionary

from model.backlog import Backlog
from model.item import CLOSED_STATUSES

TRIALS = 10_000
MAX_SPRINTS = 20  # the forecast looks this many sprints ahead; further is "beyond 20 sprints"
FORECAST_HISTORY = 10  # past sprints whose completed points are sampled
SEED = 2026  # any fixed number: the same history gives the same forecast, run after run
CONFIDENCE = 0.85  # the confidence of the headline statement
_EPSILON = 1e-9  # "reaches" is total >= points, without float noise from half points


def _sprints(count: int) -> str:
    return f"{count} sprint{'' if count == 1 else 's'}"


def _percent(share: float) -> str:
    return f"{math.floor(share * 100 + _EPSILON):d}%"


# ----- the simulation -------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Simulation:
    """Points completed within 1, 2, … sprints in each trial, sorted for binary search."""

    samples: tuple[float, ...]  # the past sprints' completed points that were drawn from
    trials: int
    seed: int
    totals: tuple[Sequence[float], ...]  # totals[s - 1]: sorted points done within s sprints

    @property
    def sprints(self) -> int:
        return len(self.totals)

    def probability(self, points: float, sprints: int) -> float:
        """Share of trials that finish at least `points` within `sprints` sprints."""
        column = self.totals[sprints - 1]
        return (self.trials - bisect_left(column, points - _EPSILON)) / self.trials

    def reach(self, sprints: int, confidence: float) -> float:
        """The most points finished within `sprints` sprints in at least `confidence` of the trials."""
        if not 0 < confidence <= 1:
            raise ValueError("confidence must be above 0 and at most 1")
        needed = math.ceil(confidence * self.trials - _EPSILON)  # trials that must reach it
        return self.totals[sprints - 1][self.trials - needed]


# Which simulations have been made (and so are in simulate's cache, unless it was cleared).
_SIMULATED: set[tuple[tuple[float, ...], int, int, int]] = set()


@lru_cache(maxsize=4)
def simulate(samples: tuple[float, ...], trials: int = TRIALS, sprints: int = MAX_SPRINTS,
             seed: int = SEED) -> Simulation:
    """Draw `trials` futures of `sprints` sprints from `samples`, with replacement.

    Draws are taken sprint by sprint: all trials' first sprints, then all second sprints, …
    (`Random.choices`, one `random()` per draw), so a plain loop can reproduce them.
    """
    if not samples:
        raise ValueError("a forecast needs at least one past sprint")
    if trials < 1 or sprints < 1:
        raise ValueError("a forecast needs at least one trial and one sprint")
    rng = random.Random(seed)
    running = [0.0] * trials
    totals = []
    for _ in range(sprints):
        running = list(map(add, running, rng.choices(samples, k=trials)))
        totals.append(array("d", sorted(running)))
    _SIMULATED.add((samples, trials, sprints, seed))
    return Simulation(samples, trials, seed, tuple(totals))


# ----- answers --------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemForecast:
    """One open item: the probability it is done within 1, 2, … sprints."""

    key: str
    points: float  # open points down to and including it (unestimated counted as 0)
    probabilities: tuple[float, ...]  # [s - 1]: done within s sprints
    unestimated: int  # unestimated open items down to and including it
    # True: so far down that no trial reaches it within the forecast; `points` and `unestimated`
    # then count only down to where the forecast stopped adding up (they are lower bounds).
    beyond: bool = False

    def within(self, confidence: float) -> int | None:
        """Fewest sprints that get it done with at least `confidence`; None: not within the forecast."""
        for sprints, probability in enumerate(self.probabilities, start=1):
            if probability + _EPSILON >= confidence:
                return sprints
        return None

    def text(self, levels: Sequence[float] = (0.5, CONFIDENCE)) -> str:
        """ "50% in 2 sprints · 85% in 3 sprints" """
        parts = []
        for level in levels:
            sprints = self.within(level)
            where = _sprints(sprints) if sprints else f"more than {_sprints(len(self.probabilities))}"
            parts.append(f"{_percent(level)} in {where}")
        return " · ".join(parts)

    def caveat(self) -> str:
        """What makes it optimistic: unestimated items down to this one, counted as 0."""
        if not self.unestimated or self.beyond:
            return ""
        items = f"{self.unestimated} unestimated item{'s' if self.unestimated > 1 else ''}"
        return f"optimistic: counts {items} down to here as 0"


@dataclass(frozen=True)
class Statement:
    """ "85% confident: everything down to SHOP-31 within 3 sprints" """

    confidence: float
    sprints: int
    open_items: int = 0
    covered: int = 0  # open items, from the top, done within `sprints` with `confidence`
    last_key: str | None = None  # the last of them
    first_key: str | None = None  # the top open item
    unestimated: int = 0  # unestimated items among the covered ones, counted as 0
    problem: str = ""  # why there is no forecast, in words
    short_problem: str = ""  # the same in a few words, for the capacity meter

    def text(self, short: bool = False) -> str:
        if self.problem:
            return f"Forecast: {self.short_problem}" if short and self.short_problem else self.problem
        if not self.open_items:
            return "Forecast: no open items."
        sure = f"{_percent(self.confidence)}{'' if short else ' confident'}:"
        within = f"{'in' if short else 'within'} {_sprints(self.sprints)}"
        if self.last_key is None:
            return f"{sure} not even {self.first_key} {within}"
        if self.covered == self.open_items:
            subject = "all open items" if short else f"everything open ({self.open_items} items)"
        else:
            subject = f"{'' if short else 'everything '}down to {self.last_key}"
        text = f"{sure} {subject} {within}"
        if self.unestimated:
            text += f" · {self.unestimated} unestimated" if short else \
                f" ({self.unestimated} unestimated counted as 0)"
        return text


# ----- a backlog's forecast -------------------------------------------------------------


class Forecast:
    """The forecast for the open items of a backlog as it is now.

    Cheap to make: the simulation is shared by every backlog with the same history, and the
    items' running points are added up only when first asked for. It reads the backlog's own
    rank order and items (copying them per change cost 2–20 ms at 50k items, and as many
    young objects for the garbage collector to walk); asked after a later change, it starts
    over from the backlog as it is then (`_follow`).
    """

    def __init__(self, backlog: Backlog, *, trials: int = TRIALS, sprints: int = MAX_SPRINTS, seed: int = SEED,
                 history: int = FORECAST_HISTORY) -> None:
        self.trials, self.sprints, self.seed, self._history = trials, sprints, seed, history
        self._backlog = backlog
        self._start()

    def _start(self) -> None:
        """Take the backlog as it is now: its version, history and lists; nothing walked yet."""
        backlog, sprints = self._backlog, self.sprints
        self.version = backlog.version
        self.horizon = min(backlog.meta.settings.horizon, sprints)
        recent = backlog.sprint_history()[-self._history:] if self._history > 0 else []
        self.samples = tuple(s.completed for s in recent)
        self._order = backlog.order
        self._items = backlog.items
        self._open_count = backlog.open_count
        self._simulation: Simulation | None = None
        # Running totals down the ranked list, walked only as far as a question needs (see _walk).
        self._cumulative: list[float] = []  # by rank position: open points at or above it
        self._unestimated: list[int] = []  # by rank position: unestimated open items at or above it
        self._open: list[int] = []  # positions of the open items walked, in rank order
        self._total, self._missing = 0.0, 0
        # No trial finishes more than this many points within the forecast's sprints.
        self._ceiling = max(self.samples, default=0.0) * sprints

    def _follow(self) -> None:
        """The backlog changed since this forecast was made: start over from it as it is now."""
        if self._backlog.version != self.version:
            self._start()

    # ----- what it rests on ----------------------------------------------------------

    @property
    def problem(self) -> str:
        """Why there is no forecast, in words; "" when there is one."""
        return self._problems()[0]

    @property
    def short_problem(self) -> str:
        return self._problems()[1]

    def _problems(self) -> tuple[str, str]:
        self._follow()
        if not self.samples:
            return ("No forecast yet: it needs past sprints with their completed points (C).",
                    "needs sprint history (C)")
        if not any(self.samples):
            return (f"No forecast: the last {_sprints(len(self.samples))} completed 0 points, "
                    "so nothing would ever be done.", "no points completed in past sprints")
        self._walk(past=0.0)  # stops at the first open item with points: usually the top one
        if self._walked_all and self._open and self._unestimated[-1] == len(self._open):
            return ("No forecast: none of the open items is estimated yet (E walks them).",
                    "no open item is estimated (E)")
        return "", ""

    @property
    def note(self) -> str:
        """How much to trust it."""
        if self.problem:
            return ""
        count = len(self.samples)
        basis = f"{self.trials:,} trials drawing from the last {_sprints(count)}"
        if count == 1:
            return f"{basis}: one sprint has no spread, so this is no better than a guess"
        if count < 5:
            return f"{basis}: little history, a wide margin of error"
        return basis

    @property
    def ready(self) -> bool:
        """Whether answering costs nothing more than a few binary searches: the simulation
        (about 0.2 s of drawing for a new history) is made, or there is nothing to simulate.
        The app makes it off the UI thread (`simulate` is pure) while this is False."""
        self._follow()
        if self._simulation is not None or not self.samples or not any(self.samples):
            return True
        return (self.samples, self.trials, self.sprints, self.seed) in _SIMULATED

    def warm(self) -> None:
        """Make the simulation, touching nothing else of this forecast: safe in another thread."""
        if self.samples and any(self.samples):
            simulate(self.samples, self.trials, self.sprints, self.seed)

    @property
    def simulation(self) -> Simulation | None:
        self._follow()
        if self._simulation is None and not self.problem:
            self._simulation = simulate(self.samples, self.trials, self.sprints, self.seed)
        return self._simulation

    @property
    def _walked_all(self) -> bool:
        return len(self._cumulative) == len(self._order)

    def _walk(self, *, to_position: int | None = None, past: float | None = None) -> None:
        """Extend the running totals down the ranked list: to `to_position` (included), or until
        the open points above exceed `past`, or to the end — whichever comes first.

        This is the forecast's only O(n) work, and per change it walks only as far as the
        questions asked need: the statement stops past what any trial reaches, an item's
        answer at that item. A change at the top of a 50k backlog walks a few hundred items.
        """
        self._follow()
        items, order, closed = self._items, self._order, CLOSED_STATUSES
        cumulative, unestimated, opened = self._cumulative, self._unestimated, self._open
        position, end = len(cumulative), len(order)
        if to_position is not None:
            end = min(end, to_position + 1)
        total, missing = self._total, self._missing
        while position < end and (past is None or total <= past):
            item = items[order[position]]
            if item.status not in closed:
                points = item.points
                if points is None:
                    missing += 1
                else:
                    total += points
                opened.append(position)
            cumulative.append(total)
            unestimated.append(missing)
            position += 1
        self._total, self._missing = total, missing

    def _position_of(self, key: str) -> int | None:
        """Where `key` is in the rank order (a binary search, like Backlog.position)."""
        self._follow()
        item = self._items.get(key)
        if item is None:
            return None
        items = self._items
        target = (item.rank, item.number)
        index = bisect_left(self._order, target, key=lambda k: (items[k].rank, items[k].number))
        return index if index < len(self._order) and self._order[index] == key else None

    # ----- answers -------------------------------------------------------------------

    def item(self, key: str) -> ItemForecast | None:
        """The forecast for one open item; None for a closed or unknown one, or without a forecast."""
        simulation = self.simulation
        position = self._position_of(key)
        if simulation is None or position is None or self._items[key].is_closed:
            return None
        self._walk(to_position=position, past=self._ceiling)
        if position >= len(self._cumulative):  # below what any trial reaches: never done in time
            nothing = (0.0,) * simulation.sprints
            return ItemForecast(key, self._total, nothing, self._missing, beyond=True)
        points = self._cumulative[position]
        probabilities = tuple(simulation.probability(points, s) for s in range(1, simulation.sprints + 1))
        return ItemForecast(key, points, probabilities, self._unestimated[position])

    def table(self) -> list[ItemForecast]:
        """Every open item's forecast, in rank order."""
        simulation = self.simulation
        if simulation is None:
            return []
        self._walk()
        keys = [self._order[p] for p in self._open]
        points = [self._cumulative[p] for p in self._open]
        shifted = [p - _EPSILON for p in points]  # ascending: running totals never go down
        trials, count = simulation.trials, len(shifted)
        columns = []
        for column in simulation.totals:
            # Items every trial reaches are certain, items no trial reaches impossible: only those in
            # between need a binary search (a few dozen in a real backlog, whatever its length).
            sure = bisect_right(shifted, column[0])
            reached = bisect_right(shifted, column[-1], lo=sure)
            middle = [(trials - below) / trials for below in map(bisect_left, repeat(column), shifted[sure:reached])]
            columns.append([1.0] * sure + middle + [0.0] * (count - reached))
        return [ItemForecast(key, p, row, self._unestimated[pos])
                for key, p, row, pos in zip(keys, points, zip(*columns, strict=True), self._open, strict=True)]

    def statement(self, confidence: float = CONFIDENCE, sprints: int | None = None) -> Statement:
        """How far down the ranked list the team gets within `sprints` (default: the sprint lines
        shown) with at least `confidence`."""
        sprints = min(sprints or self.horizon, self.sprints)
        problem, short = self._problems()
        if problem:
            return Statement(confidence, sprints, problem=problem, short_problem=short)
        opened = self._open
        if not opened:
            return Statement(confidence, sprints)
        simulation = self.simulation
        assert simulation is not None
        reach = simulation.reach(sprints, confidence)
        self._walk(past=reach + _EPSILON)  # one open item past the reach is enough to know
        opened = self._open
        deepest = bisect_right(self._cumulative, reach + _EPSILON) - 1  # last position within reach
        covered = bisect_right(opened, deepest)  # open items at or above it
        first_key = self._order[opened[0]]
        if covered == 0:
            return Statement(confidence, sprints, self._open_count, 0, None, first_key)
        last = opened[covered - 1]
        return Statement(confidence, sprints, self._open_count, covered, self._order[last], first_key,
                         self._unestimated[last])


_CACHE: WeakKeyDictionary[Backlog, Forecast] = WeakKeyDictionary()


def forecast_for(backlog: Backlog) -> Forecast:
    """The backlog's forecast, made once per change (every applied change bumps `Backlog.version`)."""
    cached = _CACHE.get(backlog)
    if cached is None or cached.version != backlog.version:
        cached = _CACHE[backlog] = Forecast(backlog)
    return cached
