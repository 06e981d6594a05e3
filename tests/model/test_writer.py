"""The background writer: coalescing, crash safety mid-burst, failures told and undone, quitting
flushes, a file changed under our lock is merged, and two processes writing in the background
keep each other's changes. No timed assertions: threads are held at gates instead."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from model.commands import AddItem, CycleMoscow, EditItem, SetPoints
from model.errors import StoreError
from model.item import MoSCoW
from model.service import BacklogService
from model.storage import dumps
from model.store import Store

from ._helpers import add_items, reopen
from .test_crash import ROOT

TRIALS = int(os.environ.get("GROOM_CRASH_TRIALS", "30"))


def background(path: Path, **options: object) -> BacklogService:
    """A service as the app opens it, but never waiting for writes (wait_under=None)."""
    return BacklogService.open(path, background=True, wait_under=None, **options)  # type: ignore[arg-type]


def wait_until(test, what: str) -> None:
    limit = time.monotonic() + 30
    while not test():
        assert time.monotonic() < limit, f"gave up waiting: {what}"
        time.sleep(0.001)


class Gate:
    """Holds the writer inside Store.write until opened; counts the writes that reached it."""

    def __init__(self, service: BacklogService, monkeypatch: pytest.MonkeyPatch) -> None:
        self.opened = threading.Event()
        self.entered = 0
        real = service.store.write

        def held(pending):
            self.entered += 1
            self.opened.wait(30)
            return real(pending)

        monkeypatch.setattr(service.store, "write", held)


@pytest.fixture
def shop(service, backlog_path):
    add_items(service, "one", "two", "three")
    return backlog_path


def test_quick_changes_while_a_write_is_under_way_are_written_together(shop, monkeypatch):
    service = background(shop)
    gate = Gate(service, monkeypatch)
    service.execute(SetPoints("SHOP-1", 3))
    wait_until(lambda: gate.entered == 1, "the first write to start")
    for points in (5, 8):
        service.execute(SetPoints("SHOP-2", points))
    service.execute(CycleMoscow("SHOP-3"))
    service.execute(EditItem("SHOP-1", {"title": "one, renamed"}))
    assert service.unsaved == 5
    gate.opened.set()
    service.flush()
    assert service.writer.writes == 2  # the first change, then the four that came meanwhile
    assert service.unsaved == 0
    on_disk = reopen(shop)
    assert (on_disk.item("SHOP-1").points, on_disk.item("SHOP-1").title) == (3, "one, renamed")
    assert (on_disk.item("SHOP-2").points, on_disk.item("SHOP-3").moscow) == (8, MoSCoW.MUST)
    assert on_disk.to_tables() == service.backlog.to_tables()
    service.close()


def test_the_file_written_from_kept_documents_is_byte_for_byte_a_full_dump(shop):
    service = background(shop)
    service.execute(AddItem("four", below="SHOP-1"))
    service.execute(SetPoints("SHOP-4", 2))
    service.flush()
    tables = json.loads(shop.read_bytes())
    assert shop.read_bytes() == dumps(tables)  # sorted, indented, same bytes as a whole-file dump
    service.close()


def test_the_lock_is_held_until_the_last_change_is_written(shop, monkeypatch):
    service = background(shop)
    gate = Gate(service, monkeypatch)
    service.execute(SetPoints("SHOP-1", 3))
    wait_until(lambda: gate.entered == 1, "the write to start")
    other = BacklogService.open(shop)
    monkeypatch.setattr(other.store._lock, "timeout", 0.05)
    with pytest.raises(StoreError, match="locked by another Groom"):
        other.execute(SetPoints("SHOP-2", 1))  # it would plan on a file about to change
    gate.opened.set()
    service.flush()
    other.execute(SetPoints("SHOP-2", 1))  # now it pulls our change first
    assert other.backlog.item("SHOP-1").points == 3
    assert reopen(shop).item("SHOP-2").points == 1
    service.close()


def test_a_failed_background_write_is_reported_and_the_unsaved_changes_undone(shop, monkeypatch):
    service = background(shop)
    service.execute(SetPoints("SHOP-1", 3))
    service.flush()
    data = shop.read_bytes()
    told = threading.Event()
    service.writer.attention = told.set

    def disk_full(blocks):
        raise StoreError(f"{shop}: cannot save (No space left on device); the file on disk is unchanged")

    monkeypatch.setattr(service.store.storage, "write_temp", disk_full)
    service.execute(SetPoints("SHOP-2", 5))
    service.execute(AddItem("four"))
    with pytest.raises(StoreError) as caught:
        service.flush()
    message = str(caught.value)
    assert "No space left on device" in message
    assert "Not saved, so undone: Estimate SHOP-2: 5; Add SHOP-4." in message
    assert told.is_set()  # the app is told from the writer's thread, at once
    # Memory is back to what the file holds; the file never changed; undo goes on from there.
    assert shop.read_bytes() == data
    assert service.backlog.to_tables() == reopen(shop).to_tables()
    assert "SHOP-4" not in service.backlog and service.backlog.item("SHOP-2").points is None
    assert service.undo_label is not None and "SHOP-1" in service.undo_label and service.redo_label is None
    monkeypatch.undo()
    service.execute(SetPoints("SHOP-2", 8))  # writing works again once the disk has room
    service.flush()
    assert reopen(shop).item("SHOP-2").points == 8
    service.close()


def test_a_failure_is_reported_by_the_next_change_too(shop, monkeypatch):
    service = background(shop)

    def denied(blocks):
        raise StoreError(f"{shop}: cannot save (Permission denied); the file on disk is unchanged")

    monkeypatch.setattr(service.store.storage, "write_temp", denied)
    service.execute(SetPoints("SHOP-1", 5))
    wait_until(lambda: service.writer.problem is not None, "the write to fail")
    with pytest.raises(StoreError, match="Permission denied"):
        service.execute(SetPoints("SHOP-2", 5))  # refused: first the user hears what was lost
    assert service.backlog.item("SHOP-1").points is None and service.backlog.item("SHOP-2").points is None
    service.close()


def test_undo_and_redo_wait_for_nothing_and_still_refuse_over_another_groom(shop):
    service = background(shop)
    service.execute(SetPoints("SHOP-1", 5))
    service.undo()
    service.redo()
    service.flush()
    assert reopen(shop).item("SHOP-1").points == 5
    other = BacklogService.open(shop)
    other.execute(SetPoints("SHOP-1", 8))
    with pytest.raises(Exception, match="cannot undo"):
        service.undo()
    service.close()
    assert reopen(shop).item("SHOP-1").points == 8


def test_a_file_changed_under_our_lock_is_merged_field_by_field(shop, monkeypatch):
    """A program that ignores the lock (an editor) changes the file while our write waits:
    our writer must not overwrite it, but take it in and write ours on top."""
    service = background(shop)
    gate = Gate(service, monkeypatch)
    service.execute(SetPoints("SHOP-1", 3))
    wait_until(lambda: gate.entered == 1, "the write to start")
    tables = json.loads(shop.read_bytes())
    tables["items"]["2"]["title"] = "two, edited in vim"
    shop.write_bytes(dumps(tables))
    gate.opened.set()
    service.flush()
    on_disk = reopen(shop)
    assert (on_disk.item("SHOP-1").points, on_disk.item("SHOP-2").title) == (3, "two, edited in vim")
    assert service.backlog.item("SHOP-2").title == "two, edited in vim"  # the UI shows theirs
    outcome = service.refresh()
    assert outcome is not None and outcome.touched_keys("SHOP") == {"SHOP-2"}
    assert on_disk.to_tables() == service.backlog.to_tables()
    service.close()


def test_close_flushes_everything(shop):
    service = background(shop)
    for n in range(20):
        service.execute(SetPoints("SHOP-1", (1, 2)[n % 2]))
    service.close()
    assert reopen(shop).item("SHOP-1").points == 2
    assert service.unsaved == 0


def test_small_backlogs_stay_synchronous_in_the_app(shop):
    """With the app's default, a write this quick is waited for: on disk when execute returns."""
    service = BacklogService.open(shop, background=True)
    service.execute(SetPoints("SHOP-1", 5))
    service.execute(SetPoints("SHOP-2", 3))
    assert service.unsaved == 0
    assert reopen(shop).item("SHOP-2").points == 3
    service.close()


def test_deferred_waits_put_each_change_on_disk_before_the_next_is_made(shop, monkeypatch):
    """The app defers the wait for a small file's write until after the frame (catch_up), and
    the write with it: no thread starts it meanwhile (it would share the interpreter with the
    frame). The next change (or undo, or refresh) writes and waits for it first."""
    service = BacklogService.open(shop, background=True)
    service.defer_waits = True
    writes: list[int] = []
    real = service.store.write
    monkeypatch.setattr(service.store, "write", lambda pending: writes.append(len(pending)) or real(pending))
    service.execute(SetPoints("SHOP-1", 5))
    time.sleep(0.05)
    assert writes == [] and service.unsaved == 1  # held for catch_up: not started, not on disk
    assert reopen(shop).item("SHOP-1").points is None
    service.execute(SetPoints("SHOP-2", 3))  # writes the first before making the second
    assert len(writes) == 1 and reopen(shop).item("SHOP-1").points == 5
    assert reopen(shop).item("SHOP-2").points is None
    service.catch_up()  # what the app calls right after the frame
    assert service.unsaved == 0 and len(writes) == 2
    assert reopen(shop).item("SHOP-2").points == 3
    service.undo()
    service.refresh()  # catches up too
    assert service.unsaved == 0 and reopen(shop).item("SHOP-2").points is None
    service.close()


def test_a_held_write_is_written_by_close_too(shop):
    """Quitting (close) writes what is held, as it waits for what is in flight."""
    service = BacklogService.open(shop, background=True)
    service.defer_waits = True
    service.execute(SetPoints("SHOP-3", 8))
    service.close()
    assert reopen(shop).item("SHOP-3").points == 8


# ----- real processes ---------------------------------------------------------------------------

# Adds items as fast as it can with a background writer, printing each key once execute() has
# returned. The acknowledgement here promises nothing about the disk: a kill may lose the changes
# in flight, but the file must hold a prefix of them, in order.
BURST = """
import sys
from model.commands import AddItem, SetPoints
from model.service import BacklogService

service = BacklogService.open(sys.argv[1], background=True, wait_under=None)
print("ready", flush=True)
n = 0
while True:
    outcome = service.execute(AddItem(f"burst {n}"))
    key = outcome.change.docs[-1].after["key"]
    service.execute(SetPoints(key, 3))
    print(key, flush=True)
    n += 1
"""


def test_sigkill_mid_burst_leaves_a_valid_file_with_a_prefix_of_the_changes(tmp_path):
    seed = int(os.environ.get("GROOM_CRASH_SEED", random.randrange(2**32)))
    rng = random.Random(seed)
    path = tmp_path / "shop.json"
    BacklogService.create(path, "Shop", "SHOP")
    for trial in range(max(3, TRIALS // 3)):
        context = f"trial {trial}, GROOM_CRASH_SEED={seed}"
        before = len(reopen(path))
        writer = subprocess.Popen([sys.executable, "-c", BURST, str(path)], cwd=ROOT, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            assert writer.stdout is not None and writer.stdout.readline() == "ready\n", context
            for _ in range(rng.randrange(1, 40)):
                writer.stdout.readline()
            time.sleep(rng.uniform(0, 0.005))
        finally:
            writer.send_signal(signal.SIGKILL)
            writer.wait(timeout=10)
        writer.communicate(timeout=10)
        _, backlog = Store.open(path)  # always a complete, valid file
        titles = [item.title for item in sorted(backlog, key=lambda item: item.number)][before:]
        expected = [title for title in titles if title.startswith("burst ")]
        assert titles == [f"burst {n}" for n in range(len(titles))], context  # a prefix, in order
        estimated = [backlog.item(f"SHOP-{before + n + 1}").points for n in range(len(expected))]
        assert all(points == 3 for points in estimated[:-1]), context  # only the last may lack its estimate
        ranks = backlog.ranks()
        assert ranks == sorted(ranks), context


fork = multiprocessing.get_context("fork")


def _add_in_background(path: str, tag: str, count: int, barrier) -> None:
    service = BacklogService.open(path, background=True, wait_under=None)
    barrier.wait()
    for n in range(count):
        outcome = service.execute(AddItem(f"{tag} {n}"))
        service.execute(SetPoints(outcome.change.docs[-1].after["key"], 5))
    service.close()


def test_two_processes_writing_in_the_background_keep_each_others_changes(service, backlog_path):
    barrier = fork.Barrier(2)
    processes = [fork.Process(target=_add_in_background, args=(str(backlog_path), tag, 40, barrier))
                 for tag in ("A", "B")]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [p.exitcode for p in processes] == [0, 0]
    _, backlog = Store.open(backlog_path)
    assert len(backlog) == 80
    assert sorted(item.number for item in backlog) == list(range(1, 81))
    assert sorted(item.title for item in backlog) == sorted(f"{t} {n}" for t in "AB" for n in range(40))
    assert all(item.points == 5 for item in backlog)
