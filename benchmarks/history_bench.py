"""History at scale: `python benchmarks/history_bench.py [ITEMS] [ENTRIES]` (default 50,000 and 100,000).

Times, in milliseconds (median of several runs):

- open: `Store.open` of the file without history and with ENTRIES history entries (read, parse,
  validate: entries are checked as plain dicts, not pydantic models);
- index: the first history lookup, which indexes the entries by item (once per process);
- pane: what the detail pane pays per cursor move for an item's history afterwards;
- record: `execute(SetPoints)` on the 50k-item backlog, whose history entry is written in the
  same atomic write (the whole file is written either way; the difference is the entry).
"""

from __future__ import annotations

import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.backlog import Backlog
from model.commands import SetPoints
from model.item import Item
from model.rank import initial_ranks
from model.service import BacklogService
from model.storage import AtomicJSONStorage
from model.store import Store
from tui.widgets.history_view import history_section


def build_tables(count: int, entries: int) -> dict:
    rng = random.Random(1)
    meta = Backlog.empty("Bench", "B").meta.model_copy(update={"next_number": count + 1})
    stamp = "2026-01-01T00:00:00Z"
    items = {}
    for number, rank in enumerate(initial_ranks(count), start=1):
        items[str(number)] = Item.model_validate({"key": f"B-{number}", "title": f"Item {number}", "rank": rank,
                                                  "created": stamp, "updated": stamp}).to_doc()
    history = {}
    for doc_id in range(1, entries + 1):
        key = f"B-{rng.randint(1, count)}"
        history[str(doc_id)] = {"item": key, "at": stamp, "by": "ana", "what": f"Estimate {key}: 3",
                                "fields": {"points": [None, 3]}}
    return {"meta": {"1": meta.model_dump(mode="json")}, "items": items, "sprints": {}, "team": {},
            "sessions": {}, "history": history}


def timed(function, runs: int = 5) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    entries = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    folder = Path(tempfile.mkdtemp())
    tables = build_tables(count, entries)
    with_history = folder / "with.json"
    AtomicJSONStorage(with_history).write(tables)
    without = folder / "without.json"
    AtomicJSONStorage(without).write({**tables, "history": {}})
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"{count:,} items, {entries:,} history entries ({with_history.stat().st_size / 1e6:.0f} MB file)")
    print(f"open without history: {timed(lambda: Store.open(without), 3):.0f} ms")
    print(f"open with history:    {timed(lambda: Store.open(with_history), 3):.0f} ms")
    _, backlog = Store.open(with_history)
    start = time.perf_counter()
    backlog.history.count("B-1")
    print(f"index (first lookup): {(time.perf_counter() - start) * 1000:.0f} ms")
    keys = [f"B-{n}" for n in random.Random(2).sample(range(1, count + 1), 1000)]
    per_move = timed(lambda: [history_section(backlog, key) for key in keys]) / len(keys)
    print(f"pane per cursor move: {per_move:.3f} ms")
    service = BacklogService.open(with_history, user="ana")
    plain = BacklogService.open(without, user="ana")
    points = iter([1, 2, 3, 5, 8] * 10)
    with_entry = timed(lambda: service.execute(SetPoints("B-7", next(points))))
    without_entry = timed(lambda: plain.execute(SetPoints("B-7", next(points))))
    print(f"record (SetPoints), with history:    {with_entry:.0f} ms")
    print(f"record (SetPoints), without history: {without_entry:.0f} ms")


if __name__ == "__main__":
    main()
