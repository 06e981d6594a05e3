"""Crash safety: a writer killed with SIGKILL, even right after it started, never blocks the next
one. The many-trial harness (one and two writers, every kind of change) is tests/crash/.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from model.commands import AddItem
from model.service import BacklogService

ROOT = Path(__file__).resolve().parents[2]  # the repository: where the `model` package lives

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
