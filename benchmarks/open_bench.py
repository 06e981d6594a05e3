"""What opening a backlog file costs, step by step: read, parse, duplicate check, building the backlog.

Times each step of `Store.open` separately (and the whole of it), with the collector off as
`Store.open` has it, at each size; median of `--runs` runs. Backlogs come from
`make_backlog.py` (cached in benchmarks/out/, as `run.py` makes them).

    .venv/bin/python benchmarks/open_bench.py [--sizes 1000,10000,50000] [--runs 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model.backlog import Backlog  # noqa: E402
from model.duplicates import find_duplicates  # noqa: E402
from model.store import Store  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
STEPS = ("read", "parse", "duplicates", "from_tables", "Store.open")


def backlog_file(size: int, seed: int) -> Path:
    path = OUT / f"backlog-{size}-seed{seed}.json"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_backlog.py"), "--items", str(size),
                        "--seed", str(seed), str(path)], check=True)
    return path


def once(path: Path) -> dict[str, float]:
    """One run of every step, each timed alone (the collector off, as opening has it)."""
    times: dict[str, float] = {}
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        data = path.read_bytes()
        times["read"] = time.perf_counter() - started
        started = time.perf_counter()
        tables = orjson.loads(data)
        times["parse"] = time.perf_counter() - started
        started = time.perf_counter()
        duplicates = find_duplicates(data, tables)
        times["duplicates"] = time.perf_counter() - started
        assert not duplicates, duplicates
        started = time.perf_counter()
        Backlog.from_tables(tables)
        times["from_tables"] = time.perf_counter() - started
        del tables, data
    finally:
        gc.enable()
    gc.collect()
    started = time.perf_counter()
    Store.open(path)
    times["Store.open"] = time.perf_counter() - started
    gc.unfreeze()  # Store.open freezes what it loaded: let the next run's collection free it
    gc.collect()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the medians here")
    args = parser.parse_args()
    results: dict[int, dict[str, float]] = {}
    print(f"{'items':>7} " + " ".join(f"{step:>12}" for step in STEPS) + "   (ms, median of "
          f"{args.runs})")
    for size in (int(s) for s in args.sizes.split(",")):
        path = backlog_file(size, args.seed)
        runs = [once(path) for _ in range(args.runs)]
        results[size] = {step: statistics.median(run[step] for run in runs) * 1000 for step in STEPS}
        print(f"{size:>7} " + " ".join(f"{results[size][step]:>12.0f}" for step in STEPS), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
