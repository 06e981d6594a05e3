"""Forecast speed at 10k items and 10k trials: `python benchmarks/forecast_bench.py [ITEMS]`.

Times, in milliseconds (median and worst of several runs):

- cold: the whole forecast from nothing (the simulation of 10,000 trials × 20 sprints, the
  open items' running points, the headline statement), as after a change to the sprint history;
- after an item change: what every keystroke that changes an item pays (the simulation is
  cached by the history; the running points are added up again);
- one item: what the detail pane asks when the cursor moves (a binary search per sprint);
- full table: every open item × every sprint count (10k × 20 probabilities), not needed by the
  screen but the whole answer.
"""

from __future__ import annotations

import platform
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.backlog import Backlog
from model.capacity import sprint_plan
from model.forecast import TRIALS, Forecast, simulate
from model.item import POINT_SCALE, Item
from model.rank import initial_ranks
from model.team import Sprint


def build(count: int, seed: int = 1) -> Backlog:
    rng = random.Random(seed)
    meta = Backlog.empty("Bench", "B").meta.model_copy(update={"next_number": count + 1})
    stamp = datetime(2026, 1, 1, tzinfo=UTC).isoformat()
    scale = [p for p in POINT_SCALE if p <= 13] + [None]
    items = {}
    for number, rank in enumerate(initial_ranks(count), start=1):
        status = rng.choice(["new"] * 8 + ["ready", "done"])
        items[str(number)] = Item.model_validate({
            "key": f"B-{number}", "title": f"Item {number}", "rank": rank, "points": rng.choice(scale),
            "status": status, "created": stamp, "updated": stamp}).to_doc()
    sprints = {}
    for index in range(1, 11):
        start = date(2025, 1, 6) + timedelta(days=14 * index)
        sprints[str(index)] = Sprint(name=f"Sprint {index}", start=start, end=start + timedelta(days=11),
                                     committed=30, completed=rng.randint(18, 32)).model_dump(mode="json")
    return Backlog.from_tables({"meta": {"1": meta.model_dump(mode="json")}, "items": items, "sprints": sprints})


def timed(function, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    backlog = build(count)
    open_keys = [item.key for item in backlog if not item.is_closed]
    rng = random.Random(2)

    def cold() -> None:
        simulate.cache_clear()
        Forecast(backlog).statement()

    def after_change() -> None:
        Forecast(backlog).statement()

    def plan_and_statement() -> None:
        # What the grooming screen does after each change: every applied change bumps the version.
        backlog.version += 1
        sprint_plan(backlog).forecast.statement()

    warm = Forecast(backlog)
    warm.statement()

    def one_item() -> None:
        warm.item(rng.choice(open_keys))

    def full_table() -> None:
        Forecast(backlog).table()

    print(f"Forecast at {count:,} items ({len(open_keys):,} open), {TRIALS:,} trials, 20 sprints")
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.processor() or platform.system()}")
    print(warm.statement().text())
    for name, function, runs in [
        ("cold (simulation + running points + statement)", cold, 15),
        ("after an item change (simulation cached)", after_change, 30),
        ("sprint_plan + meter statement (per change, on screen)", plan_and_statement, 30),
        ("one item (cursor move)", one_item, 2000),
        ("full table (every open item × 20 sprints)", full_table, 10),
    ]:
        median, worst = timed(function, runs)
        print(f"  {name:<55} median {median:8.3f} ms   worst {worst:8.3f} ms")


if __name__ == "__main__":
    main()
