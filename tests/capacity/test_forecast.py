"""The Monte Carlo forecast against an independent reference: a plain loop that makes the
same seeded draws (as `simulate()` promises) and counts, item by item, the trials that get
there. Then the words, the edge cases and the cache."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime

import pytest

from model.commands import SetPoints
from model.forecast import CONFIDENCE, MAX_SPRINTS, SEED, TRIALS, Forecast, ItemForecast, forecast_for, simulate
from tests.capacity.build import backlog, sprint

HISTORY = [26, 24, 29, 20, 22, 18, 31, 12]
POINTS = [5, 2, 3, None, 8, 2, 13, 5, None, 3, 8, 1, 20, 5, 3, 8, 13, 2, 5, 8]


def reference_totals(samples: list[float], trials: int, sprints: int, seed: int) -> list[list[float]]:
    """totals[s][t]: points done within s + 1 sprints in trial t, drawing sprint by sprint for
    all trials, one `random()` per draw, index floor(random() × n) — written out by hand."""
    rng = random.Random(seed)
    running = [0.0] * trials
    totals = []
    for _ in range(sprints):
        for trial in range(trials):
            running[trial] += samples[int(rng.random() * len(samples))]
        totals.append(list(running))
    return totals


def reference_probabilities(log, samples, trials, sprints, seed) -> dict[str, list[float]]:
    """For each open item: the share of trials whose total reaches every open point down to it."""
    totals = reference_totals(samples, trials, sprints, seed)
    answers, needed = {}, 0.0
    for item in log:
        if item.is_closed:
            continue
        needed += item.points or 0
        answers[item.key] = [sum(1 for t in column if t >= needed) / trials for column in totals]
    return answers


@pytest.mark.parametrize("trials, seed", [(500, SEED), (2_000, 7), (TRIALS, SEED)])
def test_every_item_matches_the_reference_loop(trials, seed):
    log = backlog(POINTS, closed=[3, 12], sprints=HISTORY)
    forecast = Forecast(log, trials=trials, seed=seed)
    expected = reference_probabilities(log, HISTORY, trials, MAX_SPRINTS, seed)
    for key, probabilities in expected.items():
        assert list(forecast.item(key).probabilities) == probabilities, key
    assert [(f.key, list(f.probabilities)) for f in forecast.table()] == list(expected.items())


def test_the_statement_matches_the_reference():
    log = backlog(POINTS, sprints=HISTORY, horizon=3)
    forecast = Forecast(log, trials=3_000)
    expected = reference_probabilities(log, HISTORY, 3_000, MAX_SPRINTS, SEED)
    for sprints in (1, 2, 3, 5):
        for confidence in (0.5, CONFIDENCE, 0.95):
            needed = math.ceil(confidence * 3_000 - 1e-9) / 3_000
            covered = [key for key, p in expected.items() if p[sprints - 1] >= needed]
            statement = forecast.statement(confidence, sprints)
            assert statement.covered == len(covered), (sprints, confidence)
            assert statement.last_key == (covered[-1] if covered else None)
            # Probabilities only fall down the list: the covered items are a prefix.
            assert covered == list(expected)[:len(covered)]


def test_the_simulation_is_seeded_and_reproducible():
    samples = tuple(float(v) for v in HISTORY)
    simulate.cache_clear()
    first = simulate(samples, 1_000, 5, 11)
    simulate.cache_clear()
    again = simulate(samples, 1_000, 5, 11)
    assert [list(c) for c in first.totals] == [list(c) for c in again.totals]
    other = simulate(samples, 1_000, 5, 12)
    assert [list(c) for c in first.totals] != [list(c) for c in other.totals]
    # Sorted per sprint count, and each trial only adds: the columns never go down.
    for column in first.totals:
        assert list(column) == sorted(column)
    assert first.totals[0][0] >= min(samples) and first.totals[0][-1] <= max(samples)


def test_the_words():
    answer = ItemForecast("K-9", 30, (0.3, 0.6, 0.86, 0.99), 0)
    assert answer.within(0.5) == 2 and answer.within(CONFIDENCE) == 3
    assert answer.text() == "50% in 2 sprints · 85% in 3 sprints"
    assert answer.caveat() == ""
    late = ItemForecast("K-9", 300, (0.0, 0.1, 0.2), 2)
    assert late.text() == "50% in more than 3 sprints · 85% in more than 3 sprints"
    assert late.caveat() == "optimistic: counts 2 unestimated items down to here as 0"
    assert ItemForecast("K-1", 0, (1.0,), 1).text() == "50% in 1 sprint · 85% in 1 sprint"


def test_the_statement_in_words():
    log = backlog([5] * 30, sprints=[20, 20, 20], horizon=3)  # always 20 a sprint: 12 items in 3 sprints
    statement = forecast_for(log).statement()
    assert statement.text() == "85% confident: everything down to K-12 within 3 sprints"
    assert statement.text(short=True) == "85%: down to K-12 in 3 sprints"
    everything = forecast_for(backlog([5, 5], sprints=[20])).statement()
    assert everything.text() == "85% confident: everything open (2 items) within 3 sprints"
    assert everything.text(short=True) == "85%: all open items in 3 sprints"
    too_big = forecast_for(backlog([100], sprints=[5], horizon=2)).statement()
    assert too_big.text() == "85% confident: not even K-1 within 2 sprints"
    unestimated = forecast_for(backlog([None, 8, 8, 8], sprints=[20], horizon=1)).statement()
    assert unestimated.text() == "85% confident: everything down to K-3 within 1 sprint (1 unestimated counted as 0)"
    assert unestimated.text(short=True) == "85%: down to K-3 in 1 sprint · 1 unestimated"


def test_how_much_to_trust_it():
    assert forecast_for(backlog([5], sprints=[10])).note.endswith("one sprint has no spread, so this is no better "
                                                                  "than a guess")
    assert forecast_for(backlog([5], sprints=[10, 12])).note.endswith("little history, a wide margin of error")
    assert forecast_for(backlog([5], sprints=HISTORY)).note == "10,000 trials drawing from the last 8 sprints"


def test_one_sprint_of_history_is_certain_and_says_so():
    forecast = forecast_for(backlog([5, 5, 5], sprints=[10]))
    assert forecast.item("K-2").probabilities[0] == 1.0
    assert forecast.item("K-3").probabilities[:2] == (0.0, 1.0)


def test_only_the_last_ten_sprints_are_drawn_from():
    log = backlog([5], sprints=[100] * 5 + [10] * 10)
    assert forecast_for(log).samples == (10.0,) * 10


@pytest.mark.parametrize("case, problem, short", [
    ({"points": [3, 5]}, "No forecast yet: it needs past sprints", "needs sprint history (C)"),
    ({"points": [3, 5], "sprints": [0, 0]}, "No forecast: the last 2 sprints completed 0 points",
     "no points completed in past sprints"),
    ({"points": [None, None], "sprints": [20]}, "No forecast: none of the open items is estimated yet",
     "no open item is estimated (E)"),
])
def test_no_forecast_says_why(case, problem, short):
    forecast = forecast_for(backlog(**case))
    assert forecast.problem.startswith(problem)
    assert forecast.simulation is None and forecast.table() == []
    assert forecast.item("K-1") is None
    statement = forecast.statement()
    assert statement.text() == forecast.problem
    assert statement.text(short=True) == f"Forecast: {short}"


def test_all_items_closed():
    forecast = forecast_for(backlog([3, 5], closed=[1, 2], sprints=[20]))
    assert forecast.problem == ""
    assert forecast.item("K-1") is None
    assert forecast.statement().text() == "Forecast: no open items."
    assert forecast_for(backlog(sprints=[20])).statement().text() == "Forecast: no open items."


def test_unknown_and_closed_items_have_no_forecast():
    forecast = forecast_for(backlog([3, 5], closed=[1], sprints=[20]))
    assert forecast.item("K-1") is None
    assert forecast.item("K-404") is None
    assert forecast.item("K-2").points == 5  # the closed K-1 takes nothing


def test_one_forecast_per_change_to_the_backlog(tmp_path):
    from model.service import BacklogService
    from model.store import Store

    Store.create(tmp_path / "f.json", backlog([3, 5, None], sprints=[8]))
    service = BacklogService.open(tmp_path / "f.json", user="tester")
    log = service.backlog
    first = forecast_for(log)
    assert forecast_for(log) is first  # nothing changed: the same answers, nothing recomputed
    assert first.item("K-3").probabilities[0] == 1.0  # 8 points: K-1 + K-2 + K-3 (unestimated as 0)
    service.execute(SetPoints("K-3", "5"))
    second = forecast_for(log)
    assert second is not first
    assert second.item("K-3").probabilities[:2] == (0.0, 1.0)
    # An old forecast asked after the change answers for the backlog as it is (no stale mix of
    # old running totals and new items).
    assert first.item("K-3").probabilities[:2] == (0.0, 1.0)
    service.undo()
    assert forecast_for(log).item("K-3").probabilities[0] == 1.0


def test_a_change_never_written_is_seen_too():
    """The cache follows `Backlog.version`, bumped by every applied change, written or not."""
    from model.commands import SetPoints as Set

    log = backlog([3, 5], sprints=[sprint(8)])
    before = forecast_for(log)
    log.apply(Set("K-1", "8").plan(log, datetime(2026, 11, 3, tzinfo=UTC)))
    assert forecast_for(log) is not before
    assert forecast_for(log).item("K-2").points == 13


def test_a_long_backlog_is_walked_only_as_far_as_any_trial_reaches():
    """Per change, the forecast adds up the list only down to where no trial gets: the answers
    are the reference's, and items below that are never done within the forecast."""
    points = [8, None, 5, 13, 3] * 200  # 1,000 items, 5,800 points; no trial finishes 31 × 20 = 620
    log = backlog(points, sprints=HISTORY, horizon=3)
    trials = 1_000
    expected = reference_probabilities(log, HISTORY, trials, MAX_SPRINTS, SEED)
    forecast = Forecast(log, trials=trials)
    statement = forecast.statement()
    assert len(forecast._cumulative) < 150, "the statement walked far past the reach"
    keys = list(expected)
    for key in keys[:120] + keys[-5:]:
        answer = forecast.item(key)
        assert list(answer.probabilities) == expected[key], key
    assert len(forecast._cumulative) < 200, "an answer below the reach walked to the item"
    deep = forecast.item(keys[-1])
    assert deep.beyond and deep.within(0.01) is None and deep.caveat() == ""
    assert "more than 20 sprints" in deep.text()
    # The full table (which walks everything) says the same.
    full = Forecast(log, trials=trials)
    assert [f.probabilities for f in full.table()] == [tuple(expected[k]) for k in keys]
    assert full.statement() == statement
