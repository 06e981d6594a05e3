"""What finding members written twice costs when a backlog is opened (model/duplicates.py).

Writes an N-item backlog as Groom writes it, and the same backlog hand-formatted (other spacing,
so the fast path that recognises Groom's own format does not apply), then times opening each with
and without the check.

    .venv/bin/python benchmarks/duplicates_check.py [N ...]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import orjson

from model import store as store_module
from model.backlog import Backlog
from model.item import Item
from model.rank import initial_ranks
from model.storage import dumps
from model.store import Store

STAMP = "2026-11-02T09:00:00Z"


def tables(count: int) -> dict:
    meta = Backlog.empty("Bench", "BEN").meta.model_copy(update={"next_number": count + 1})
    items = {
        str(n): Item.model_validate({
            "key": f"BEN-{n}", "title": f"Item {n} with a \"quoted\": title", "rank": rank,
            "description": "Some words of description. " * 10, "labels": ["a", "b"], "points": 3,
            "acceptance_criteria": [{"text": "Given a, when b, then c"}], "created": STAMP, "updated": STAMP,
        }).to_doc()
        for n, rank in zip(range(1, count + 1), initial_ranks(count), strict=True)
    }
    return {"meta": {"1": meta.model_dump(mode="json")}, "items": items, "sprints": {}, "team": {}}


def best_open(path: Path, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        Store.open(path)
        times.append(time.perf_counter() - started)
    return min(times)


def main(counts: list[int]) -> None:
    real_check = store_module.find_duplicates
    print("| items | file | format | open without check | open with check | check |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for count in counts:
            data = tables(count)
            for form, payload in (("as Groom writes it", dumps(data)),
                                  ("hand-spaced", json.dumps(data, indent=1, separators=(",", " : ")).encode()),
                                  ("compact", json.dumps(data).encode())):
                path = Path(folder) / f"{count}.json"
                path.write_bytes(payload)
                store_module.find_duplicates = lambda data, tables: []
                without = best_open(path)
                store_module.find_duplicates = real_check
                with_check = best_open(path)
                parsed = orjson.loads(payload)
                started = time.perf_counter()
                real_check(payload, parsed)
                alone = time.perf_counter() - started
                print(f"| {count:,} | {len(payload) / 1e6:.1f} MB | {form} | {without:.2f} s | {with_check:.2f} s "
                      f"| {alone:.3f} s |")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1_000, 10_000, 50_000])
