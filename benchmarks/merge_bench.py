"""Merge-driver speed on big backlogs: `python benchmarks/merge_bench.py [ITEMS ...]`.

Builds a backlog of ITEMS items (default 1,000 and 10,000), grooms two copies the way a busy
session does (each side: 200 estimates, 50 moves, 50 criteria, 20 new items, 10 deletes; 20
items estimated differently on both, so 20 conflicts and 20 key clashes), and times the whole
driver — read three files, merge, validate, write — in milliseconds (median and worst of 5).
"""

from __future__ import annotations

import io
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.backlog import Backlog
from model.commands import AddCriterion, AddItem, DeleteItem, MoveItem, SetPoints
from model.item import Item
from model.merge_driver import run
from model.rank import initial_ranks
from model.storage import dumps

START = datetime(2026, 1, 1, tzinfo=UTC)


def build(count: int) -> Backlog:
    meta = Backlog.empty("Bench", "B").meta.model_copy(update={"next_number": count + 1})
    stamp = START.isoformat()
    items = {str(n): Item.model_validate({"key": f"B-{n}", "title": f"Item {n}", "rank": rank, "created": stamp,
                                          "updated": stamp}).to_doc()
             for n, rank in enumerate(initial_ranks(count), start=1)}
    return Backlog.from_tables({"meta": {"1": meta.model_dump(mode="json")}, "items": items})


def groom(tables: dict, seed: int, at: datetime, points: int) -> dict:
    rng = random.Random(seed)
    backlog = Backlog.from_tables(tables)
    keys = list(backlog.order)
    commands = [SetPoints(k, rng.choice([1, 2, 3, 5, 8])) for k in rng.sample(keys, 200)]
    commands += [SetPoints(k, points) for k in keys[:20]]  # the same 20 items on both sides
    commands += [MoveItem(k, rng.choice(["up", "down", "top"])) for k in rng.sample(keys, 50)]
    commands += [AddCriterion(k, f"Given {seed}") for k in rng.sample(keys, 50)]
    commands += [AddItem(f"New {seed}-{i}", below=rng.choice(keys)) for i in range(20)]
    commands += [DeleteItem(k) for k in rng.sample(keys[20:], 10)]
    for step, command in enumerate(commands):
        try:
            backlog.apply(command.plan(backlog, at + timedelta(seconds=step)))
        except Exception:  # e.g. a move of an item deleted a moment ago
            pass
    return backlog.to_tables()


def bench(count: int) -> None:
    base = build(count).to_tables()
    ours, theirs = groom(base, 1, START + timedelta(hours=1), 3), groom(base, 2, START + timedelta(hours=2), 8)
    times = []
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        for _ in range(5):
            for name, tables in (("base", base), ("ours", ours), ("theirs", theirs)):
                (folder / name).write_bytes(dumps(tables))
            err = io.StringIO()
            started = time.perf_counter()
            code = run(folder / "base", folder / "ours", folder / "theirs", err=err, env={})
            times.append((time.perf_counter() - started) * 1000)
            assert code == 0, err.getvalue()
    print(f"{count:>7,} items: merge driver {statistics.median(times):8.0f} ms median, {max(times):8.0f} ms worst")
    print("         " + err.getvalue().splitlines()[1].strip())


if __name__ == "__main__":
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    for count in [int(a) for a in sys.argv[1:]] or [1_000, 10_000]:
        bench(count)
