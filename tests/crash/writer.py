"""Writers for the crash harness, and the small process that forks them.

The harness (test_sigkill.py) starts this module once per test as a subprocess: a fresh,
single-threaded interpreter that has imported the model and then forks a writer per trial in
a few milliseconds, kills it with SIGKILL the chosen delay after it has opened the file, reaps it and
says how it ended. Forking from here rather than from pytest keeps trials cheap (no new
interpreter per writer) and safe (pytest may run threads; a fork of a threaded process can
deadlock).

Protocol on stdin/stdout, one line each way per trial:
    trial PATH DELAY_MS:SEED:LOG [DELAY_MS:SEED:LOG ...]
    -> done STATUS [STATUS ...]          (STATUS: "killed" or how the writer ended instead)

Each writer owns the items labelled with its name (its log file's stem) and changes only
those: adds, title edits, estimates, MoSCoW, criteria, moves and deletes, chosen at random.
Before each change it logs its intent (`I {json}`) and after the change is acknowledged
(`A {json}`), one `os.write` per line, so a kill leaves whole lines and at most one intent
without its acknowledgement.
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import sys
import time
from pathlib import Path
from typing import Any

# What a writer needs for its first change, imported once here rather than after each fork
# (the store imports it when first locking; the app, in a thread after its first frame).
import filelock  # noqa: F401

from model.commands import (
    MOSCOW_CYCLE,
    AddCriterion,
    AddItem,
    CycleMoscow,
    DeleteItem,
    EditItem,
    MoveItem,
    SetPoints,
)
from model.service import BacklogService, Outcome

OPEN_TIMEOUT = 10.0  # seconds a writer may take to open the file before it is killed anyway
MAX_OWN_ITEMS = 8  # keep files small: a writer deletes once it owns this many
POINTS = (0, 1, 2, 3, 5, 8, 13)


# "log": the app's way on big files, forced on this small one: a background writer appending
# to the change log, and the log folded into the file 3 ms after each change (so kills land in
# the middle of compactions too). Otherwise each change rewrites the file at once.
LOG_MODE = os.environ.get("GROOM_CRASH_MODE") == "log"


def open_service(path: str, label: str) -> BacklogService:
    if not LOG_MODE:
        return BacklogService.open(path, user=label)
    import model.writer

    model.writer.COMPACT_IDLE_SECONDS = 0.003
    return BacklogService.open(path, user=label, background=True, log_over=0)


def acknowledged_execute(service: BacklogService, command: Any) -> Outcome:
    """Run one command and return once the change is durable: the moment Groom acknowledges
    it to the user (in the app: the frame after the key, once the write it waits for is done).
    The harness checks that every change this returned for is on disk after a kill."""
    outcome = service.execute(command)
    service.flush()
    return outcome


def own_order(service: BacklogService, label: str) -> list[str]:
    return [item.key for item in service.backlog if label in item.labels]


def choose(service: BacklogService, label: str, rng: random.Random, serial: int) -> tuple[dict[str, Any], Any]:
    """A random change to one of this writer's items: (what it intends, the command)."""
    own = own_order(service, label)
    roll = rng.random()
    if not own or (roll < 0.25 and len(own) < MAX_OWN_ITEMS):
        title = f"{label} item {serial}"
        # Next to an own item (the other writer may delete its own at any moment), which
        # lands it between the other writer's items too and so re-ranks their neighbours.
        below = rng.choice(own) if own and rng.random() < 0.8 else None
        return {"op": "add", "title": title}, AddItem(title, below=below, fields={"labels": [label]})
    key = rng.choice(own)
    if len(own) >= MAX_OWN_ITEMS or roll < 0.33:
        return {"op": "delete", "key": key}, DeleteItem(key)
    if roll < 0.45:
        title = f"{label} renamed {serial}"
        return {"op": "title", "key": key, "value": title}, EditItem(key, {"title": title})
    if roll < 0.60:
        points = rng.choice(POINTS)
        return {"op": "points", "key": key, "value": points}, SetPoints(key, points)
    if roll < 0.70:
        current = service.backlog.items[key].moscow  # only this writer changes its items
        following = MOSCOW_CYCLE[(MOSCOW_CYCLE.index(current) + 1) % len(MOSCOW_CYCLE)]
        return {"op": "moscow", "key": key, "value": following.value if following else None}, CycleMoscow(key)
    if roll < 0.80:
        text = f"criterion {serial}"
        return {"op": "criterion", "key": key, "value": text}, AddCriterion(key, text)
    where = rng.choice(("up", "down", "top", "bottom"))
    return {"op": "move", "key": key, "where": where}, MoveItem(key, where)


def log_line(fd: int, tag: str, record: dict[str, Any]) -> None:
    os.write(fd, f"{tag} {json.dumps(record)}\n".encode())


def run_writer(path: str, seed: int, log: str, ready: int) -> None:
    """Change the backlog at random until killed."""
    label = Path(log).stem
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    rng = random.Random(seed)
    service = open_service(path, label)
    os.write(ready, b"r")  # the kill delay counts from here: each trial spends its time writing
    os.close(ready)
    serial = seed % 100_000 * 1000
    while True:
        serial += 1
        intent, command = choose(service, label, rng, serial)
        log_line(fd, "I", intent)
        outcome = acknowledged_execute(service, command)
        item = service.backlog.items.get(intent.get("key", ""))
        if intent["op"] == "add":
            created = [d for d in outcome.change.docs if d.created]
            item = service.backlog.items[created[-1].after["key"]]
        state = None if item is None else {
            "key": item.key, "title": item.title, "points": item.points,
            "moscow": item.moscow.value if item.moscow else None,
            "criteria": [c.text for c in item.acceptance_criteria],
        }
        log_line(fd, "A", {**intent, "state": state, "order": own_order(service, label)})


def start(path: str, spec: str) -> tuple[int, float, int]:
    delay_ms, seed, log = spec.split(":", 2)
    ready, ready_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the writer
        code = 0
        os.close(ready)
        try:
            run_writer(path, int(seed), log, ready_write)
        except BaseException as exc:  # a writer must never stop on its own: say why it did
            with open(log, "a") as handle:
                handle.write(f"E {type(exc).__name__}: {exc}\n")
            code = 3
        finally:
            os._exit(code)
    os.close(ready_write)
    return pid, float(delay_ms) / 1000, ready


def ended(status: int) -> str:
    if os.WIFSIGNALED(status):
        return "killed" if os.WTERMSIG(status) == signal.SIGKILL else f"signal-{os.WTERMSIG(status)}"
    return f"exit-{os.WEXITSTATUS(status)}"


def serve() -> None:
    """Run trials as the harness asks, until stdin closes."""
    for line in sys.stdin:
        command, path, *specs = line.split()
        assert command == "trial", line
        writers = [start(path, spec) for spec in specs]
        for _, _, ready in writers:
            # Opened (or died trying: then the read returns at once); never wait for ever.
            if select.select([ready], [], [], OPEN_TIMEOUT)[0]:
                os.read(ready, 1)
            os.close(ready)
        started = time.monotonic()
        for pid, delay, _ in sorted(writers, key=lambda writer: writer[1]):
            time.sleep(max(0.0, started + delay - time.monotonic()))
            os.kill(pid, signal.SIGKILL)
        statuses = [ended(os.waitpid(pid, 0)[1]) for pid, _, _ in writers]
        print("done", *statuses, flush=True)


if __name__ == "__main__":
    serve()
