"""Crash safety: a writer killed with SIGKILL at any moment never loses an acknowledged change
and never leaves a file that does not open.

Trials: GROOM_CRASH_TRIALS (default 30). Seed: GROOM_CRASH_SEED (default random; printed on failure).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from model.commands import AddItem
from model.service import BacklogService
from model.store import Store

ROOT = Path(__file__).resolve().parents[2]  # the repository: where the `model` package lives
TRIALS = int(os.environ.get("GROOM_CRASH_TRIALS", "30"))

# The writer: opens the backlog, then adds items (at varying places, so some adds re-rank
# neighbours) and prints each key only once execute() has returned: an acknowledgement.
WRITER = """
import sys
from model.commands import AddItem, SetPoints
from model.commands import AddItem
from model.service import BacklogService

service = BacklogService.open(sys.argv[1])
print("ready", flush=True)
n = 0
while True:
    keys = service.backlog.order
    below = keys[(n * 7) % len(keys)] if keys and n % 3 else None
    outcome = service.execute(AddItem(f"crash {n}", below=below))
    key = outcome.change.docs[-1].after["key"]
    service.execute(SetPoints(key, 3))
    print(key, flush=True)
    n += 1
"""


def start_writer(path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def acknowledged(lines: list[str]) -> list[str]:
    return [line[:-1] for line in lines if line.endswith("\n") and line.startswith("SHOP-")]


def test_sigkill_never_loses_an_acknowledged_add(tmp_path):
    seed = int(os.environ.get("GROOM_CRASH_SEED", random.randrange(2**32)))
    rng = random.Random(seed)
    path = tmp_path / "shop.json"
    BacklogService.create(path, "Shop", "SHOP")
    acked: set[str] = set()
    revision = 0
    for trial in range(TRIALS):
        context = f"trial {trial}, GROOM_CRASH_SEED={seed}"
        writer = start_writer(path)
        try:
            assert writer.stdout is not None
            ready = writer.stdout.readline()
            assert ready == "ready\n", f"{context}: writer did not start: {ready!r} {writer.stderr.read()}"
            lines: list[str] = []
            for _ in range(rng.randrange(0, 25)):  # let it acknowledge a few adds ...
                lines.append(writer.stdout.readline())
            time.sleep(rng.uniform(0, 0.004))  # ... then kill it mid-flight
        finally:
            writer.send_signal(signal.SIGKILL)
            writer.wait(timeout=10)
        rest, errors = writer.communicate(timeout=10)
        lines.extend(rest.splitlines(keepends=True))
        assert writer.returncode == -signal.SIGKILL, f"{context}: writer died on its own: {errors}"
        acked.update(acknowledged(lines))

        _, backlog = Store.open(path)  # the file always opens ...
        missing = sorted(acked - set(backlog.items))
        assert not missing, f"{context}: acknowledged but lost: {missing}"  # ... and lost nothing
        assert all(backlog.item(key).points == 3 for key in acked), context
        assert backlog.meta.revision >= revision, context
        revision = backlog.meta.revision
        ranks = backlog.ranks()
        assert ranks == sorted(ranks), context
    assert acked, "no trial got as far as one acknowledged add"


@pytest.mark.parametrize("kill_after", [0.0, 0.001, 0.002])
def test_a_killed_writer_does_not_block_the_next_one(tmp_path, kill_after):
    path = tmp_path / "shop.json"
    BacklogService.create(path, "Shop", "SHOP")
    writer = start_writer(path)
    assert writer.stdout is not None and writer.stdout.readline() == "ready\n"
    time.sleep(kill_after)
    writer.send_signal(signal.SIGKILL)
    writer.communicate(timeout=10)
    service = BacklogService.open(path)
    started = time.monotonic()
    service.execute(AddItem("after the crash"))
    assert time.monotonic() - started < 5  # the dead writer's lock went with it (the wait limit is 10 s)
