"""What opening a backlog file costs, step by step: read, parse, duplicate check, building the backlog.

Times each step of `Store.open` separately (and the whole of it), with the collector off as
`Store.open` has it, at each size; median of `--runs` runs, in wall time and in CPU time (the
process's own: steadier when others share the machine). Backlogs come from
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
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

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


class Clock:
    """Wall time and this process's CPU time (steadier on a shared machine) of each step."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def __call__(self, step: str, work: Callable[[], Any]) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        self.wall[step] = time.perf_counter() - wall
        self.cpu[step] = time.process_time() - cpu
        return result


def once(path: Path) -> Clock:
    """One run of every step, each timed alone (the collector off, as opening has it)."""
    clock = Clock()
    gc.collect()
    gc.disable()
    try:
        data = clock("read", path.read_bytes)
        tables = clock("parse", partial(orjson.loads, data))
        duplicates = clock("duplicates", partial(find_duplicates, data, tables))
        assert not duplicates, duplicates
        clock("from_tables", partial(Backlog.from_tables, tables))
        del tables, data
    finally:
        gc.enable()
    gc.collect()
    clock("Store.open", partial(Store.open, path))
    gc.unfreeze()  # Store.open freezes what it loaded: let the next run's collection free it
    gc.collect()
    return clock


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the medians here")
    args = parser.parse_args()
    results: dict[str, dict[int, dict[str, float]]] = {"wall": {}, "cpu": {}}
    print(f"{'items':>7}       " + " ".join(f"{step:>12}" for step in STEPS) + f"   (ms, median of {args.runs})")
    for size in (int(s) for s in args.sizes.split(",")):
        path = backlog_file(size, args.seed)
        runs = [once(path) for _ in range(args.runs)]
        for kind in ("wall", "cpu"):
            medians = {step: statistics.median(getattr(run, kind)[step] for run in runs) * 1000 for step in STEPS}
            results[kind][size] = medians
            print(f"{size:>7} {kind:>5} " + " ".join(f"{medians[step]:>12.0f}" for step in STEPS), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
