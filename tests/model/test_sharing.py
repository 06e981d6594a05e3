"""Several Grooms on one file: the lock, pulling others' writes, and real concurrent processes."""

from __future__ import annotations

import json
import multiprocessing
import os
import tempfile
from pathlib import Path

import pytest
from filelock import FileLock, Timeout
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import store as store_module
from model.commands import AddItem, CycleMoscow, DeleteItem, EditItem, MoveItem, SetPoints
from model.errors import CommandError, StoreError
from model.item import MoSCoW
from model.service import BacklogService
from model.store import Store, lock_path

from ._helpers import add_items, order, reopen
from .test_undo import command_for, seeded_service

# ----- the lock ----------------------------------------------------------------------------------


def test_lock_instances_in_one_process_exclude_each_other(service, backlog_path):
    """The premise of the in-process tests below: filelock is not re-entrant across instances."""
    with service.store.locked():
        with pytest.raises(Timeout):
            FileLock(lock_path(backlog_path), timeout=0).acquire()
    other = FileLock(lock_path(backlog_path), timeout=0)
    other.acquire()
    other.release()


def test_a_held_lock_makes_the_other_writer_give_up_cleanly(service, backlog_path, monkeypatch):
    add_items(service, "one")
    monkeypatch.setattr(store_module, "LOCK_TIMEOUT_SECONDS", 0.2)
    other = BacklogService.open(backlog_path)
    data = backlog_path.read_bytes()
    with service.store.locked():
        with pytest.raises(StoreError, match=f"{backlog_path} is locked by another Groom"):
            other.execute(SetPoints("SHOP-1", 5))
    assert backlog_path.read_bytes() == data
    assert other.backlog.item("SHOP-1").points is None and other.undo_label is None
    other.execute(SetPoints("SHOP-1", 5))  # once the lock is free, it works
    assert reopen(backlog_path).item("SHOP-1").points == 5


def test_the_lock_file_sits_beside_the_backlog_and_is_hidden(service, backlog_path):
    assert lock_path(backlog_path) == backlog_path.parent / ".shop.json.lock"


# ----- two services, one file ---------------------------------------------------------------------


@pytest.fixture
def pair(service, backlog_path):
    add_items(service, "one", "two", "three")
    other = BacklogService.open(backlog_path, user="other")
    return service, other


def test_interleaved_commands_on_different_items_all_survive(pair, backlog_path):
    a, b = pair
    a.execute(SetPoints("SHOP-1", 5))
    outcome = b.execute(CycleMoscow("SHOP-2"))
    assert outcome.external is not None and outcome.touched_keys("SHOP") == {"SHOP-1", "SHOP-2"}
    assert b.backlog.item("SHOP-1").points == 5  # a's change pulled in before b wrote
    a.execute(EditItem("SHOP-3", {"title": "three!"}))
    assert a.backlog.item("SHOP-2").moscow == MoSCoW.MUST
    b.execute(SetPoints("SHOP-2", 8))
    on_disk = reopen(backlog_path)
    assert (on_disk.item("SHOP-1").points, on_disk.item("SHOP-2").moscow, on_disk.item("SHOP-2").points,
            on_disk.item("SHOP-3").title) == (5, MoSCoW.MUST, 8, "three!")
    assert on_disk.to_tables() == b.backlog.to_tables()
    a.execute(SetPoints("SHOP-3", 1))
    assert reopen(backlog_path).to_tables() == a.backlog.to_tables()
    assert on_disk.meta.revision + 1 == a.backlog.meta.revision


@pytest.fixture
def strangers(tmp_path, make_clock):
    """Two services on a file whose items neither of them created (SHOP-1..SHOP-7)."""
    path = seeded_service(tmp_path, make_clock()).store.path
    return BacklogService.open(path, clock=make_clock()), BacklogService.open(path, clock=make_clock())


def test_an_edit_overwritten_by_the_other_process_is_reported(strangers):
    a, b = strangers
    a.execute(SetPoints("SHOP-2", 8))
    b.execute(SetPoints("SHOP-2", 13))
    b.execute(SetPoints("SHOP-3", 1))  # a never touched SHOP-3's points: not reported
    outcome = a.execute(CycleMoscow("SHOP-1"))
    assert outcome.replaced == ("SHOP-2 points: your change was replaced by a later one from another Groom",)
    assert a.backlog.item("SHOP-2").points == 13


def test_an_edit_of_another_field_is_not_reported_as_replacing_mine(strangers):
    a, b = strangers
    a.execute(SetPoints("SHOP-2", 8))
    b.execute(EditItem("SHOP-2", {"title": "two, renamed"}))
    assert a.refresh().replaced == ()


def test_editing_an_item_the_other_process_created_is_not_reported_as_replacing(strangers):
    a, b = strangers
    a.execute(AddItem("eight", below="SHOP-3"))
    b.execute(SetPoints("SHOP-8", 5))
    assert a.refresh().replaced == ()


def test_refresh_pulls_in_the_other_processs_new_item(pair, backlog_path):
    a, b = pair
    assert b.refresh() is None  # nothing new
    a.execute(AddItem("from a", below="SHOP-1"))
    outcome = b.refresh()
    assert outcome is not None and not outcome.change
    assert outcome.touched_keys("SHOP") == {"SHOP-4"}
    assert order(b.backlog) == ["SHOP-1", "SHOP-4", "SHOP-2", "SHOP-3"]
    assert b.backlog.to_tables() == a.backlog.to_tables()
    assert b.refresh() is None
    assert b.undo_label is None  # others' changes are not b's to undo


def test_both_adding_never_collide_on_keys(pair, backlog_path):
    a, b = pair
    for n in range(5):
        a.execute(AddItem(f"a{n}"))
        b.execute(AddItem(f"b{n}", below="SHOP-1"))
    on_disk = reopen(backlog_path)
    assert len(on_disk) == 13
    assert sorted(item.number for item in on_disk) == list(range(1, 14))


def test_undo_keeps_the_other_processs_changes(pair, backlog_path):
    a, b = pair
    a.execute(SetPoints("SHOP-1", 5))
    b.execute(SetPoints("SHOP-2", 3))
    b.execute(DeleteItem("SHOP-3"))
    a.undo()
    on_disk = reopen(backlog_path)
    assert (on_disk.item("SHOP-1").points, on_disk.item("SHOP-2").points) == (None, 3)
    assert "SHOP-3" not in on_disk
    assert on_disk.to_tables() == a.backlog.to_tables()


def test_moves_from_two_processes_both_count(pair, backlog_path):
    a, b = pair
    a.execute(SetPoints("SHOP-2", 1))
    b.execute(SetPoints("SHOP-3", 1))
    a.execute(MoveItem("SHOP-3", "top"))  # a acts on where SHOP-3 is now
    b.execute(MoveItem("SHOP-1", "bottom"))
    assert order(reopen(backlog_path)) == ["SHOP-3", "SHOP-2", "SHOP-1"]
    a.refresh()
    assert order(a.backlog) == order(b.backlog) == ["SHOP-3", "SHOP-2", "SHOP-1"]


def test_an_invalid_outside_edit_is_refused_and_nothing_is_saved(pair, backlog_path):
    a, _ = pair
    tables = json.loads(backlog_path.read_text())
    tables["items"]["2"]["points"] = "seven"
    backlog_path.write_text(json.dumps(tables))
    data = backlog_path.read_bytes()
    memory = a.backlog.to_tables()
    with pytest.raises(StoreError) as caught:
        a.execute(SetPoints("SHOP-1", 5))
    message = str(caught.value)
    assert str(backlog_path) in message and "SHOP-2" in message and "points" in message
    assert backlog_path.read_bytes() == data
    assert a.backlog.to_tables() == memory


def test_a_deleted_file_is_reported_not_recreated(pair, backlog_path):
    a, _ = pair
    backlog_path.unlink()
    with pytest.raises(StoreError, match="moved or deleted"):
        a.execute(SetPoints("SHOP-1", 5))
    assert not backlog_path.exists()


KINDS = ["add", "move", "points", "moscow", "title", "criterion", "tick", "question", "answer", "parent", "settings",
         "delete"]


@given(st.randoms(use_true_random=False))
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_two_services_in_any_interleaving_agree_with_the_file(make_clock, rng):
    """Commands, undos and redos from two services on one file, in random order. Undo/redo may be
    refused (the other service changed those documents since), but never corrupt anything: the
    acting service always equals the file, and so does the other once it has refreshed."""
    with tempfile.TemporaryDirectory() as folder:
        a = seeded_service(Path(folder), make_clock())
        b = BacklogService.open(a.store.path, clock=make_clock(), user="other")
        for _ in range(30):
            actor, other = (a, b) if rng.random() < 0.5 else (b, a)
            roll = rng.random()
            try:
                if roll < 0.2 and actor.undo_label:
                    actor.undo()
                elif roll < 0.3 and actor.redo_label:
                    actor.redo()
                else:
                    actor.refresh()  # pick the command from what the file holds now
                    what = rng.choice(KINDS)
                    actor.execute(command_for(actor.backlog, what, rng.randrange(10**6), rng.randrange(10**6)))
            except CommandError as exc:
                assert str(exc).startswith(("cannot undo", "cannot redo")), exc
            on_disk = reopen(a.store.path)
            assert on_disk.to_tables() == actor.backlog.to_tables()
            other.refresh()
            assert on_disk.to_tables() == other.backlog.to_tables()
            assert order(other.backlog) == order(on_disk)


# ----- real processes --------------------------------------------------------------------------------

fork = multiprocessing.get_context("fork")


def _add_items(path: str, tag: str, count: int, barrier) -> None:
    service = BacklogService.open(path)
    barrier.wait()
    for n in range(count):
        service.execute(AddItem(f"{tag} {n}"))


def _toggle_points(path: str, key: str, count: int, barrier, results) -> None:
    service = BacklogService.open(path)
    barrier.wait()
    points = None
    for n in range(count):
        points = (3, 5)[n % 2]  # same-size writes: only inode/mtime tell them apart
        service.execute(SetPoints(key, points))
    results.put((key, points))


def run_processes(target, args_list) -> None:
    processes = [fork.Process(target=target, args=args) for args in args_list]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
    assert [p.exitcode for p in processes] == [0] * len(processes)


def test_two_processes_adding_50_items_each(service, backlog_path):
    barrier = fork.Barrier(2)
    run_processes(_add_items, [(str(backlog_path), tag, 50, barrier) for tag in ("A", "B")])
    _, backlog = Store.open(backlog_path)
    assert len(backlog) == 100
    assert sorted(item.number for item in backlog) == list(range(1, 101))
    assert sorted(item.title for item in backlog) == sorted(f"{t} {n}" for t in "AB" for n in range(50))
    assert backlog.meta.revision == 100  # every write built on the one before it
    assert backlog.meta.next_number == 101


def test_two_processes_editing_their_own_items_lose_nothing(service, backlog_path):
    add_items(service, "one", "two")
    barrier, results = fork.Barrier(2), fork.Queue()
    count = int(os.environ.get("GROOM_SHARING_EDITS", "100"))
    run_processes(_toggle_points, [(str(backlog_path), key, count, barrier, results) for key in ("SHOP-1", "SHOP-2")])
    expected = dict(results.get(timeout=5) for _ in range(2))
    _, backlog = Store.open(backlog_path)
    assert {key: backlog.item(key).points for key in expected} == expected
    assert backlog.meta.revision == 2 + 2 * count
