"""The change log beside big files (model/journal.py): changes appended and durable at once,
folded into the file when idle and on close, byte for byte what whole writes give; torn,
damaged, stale and half-compacted logs; two processes following each other through the log.

The log is forced on these small files with `log_over=0` (the app uses it above ~4 MB)."""

from __future__ import annotations

import os
import threading
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import model.store
import model.writer
from model import journal
from model.commands import AddCriterion, AddItem, CycleMoscow, DeleteItem, EditItem, MoveItem, SetPoints
from model.errors import CommandError, StoreError
from model.service import BacklogService
from model.store import Store
from tests.conftest import FrozenClock

from ._helpers import add_items, order, reopen
from .test_writer import wait_until


def logged(path: Path, **options: object) -> BacklogService:
    """A service as the app opens a big file: background writer, every change to the log."""
    return BacklogService.open(path, background=True, log_over=0, **options)  # type: ignore[arg-type]


@pytest.fixture
def shop(service, backlog_path):
    add_items(service, "one", "two", "three")
    return backlog_path


@pytest.fixture(autouse=True)
def no_idle_compaction(monkeypatch):
    """Tests fold the log in when they mean to (close, or `compact`), not after two idle seconds."""
    monkeypatch.setattr(model.writer, "COMPACT_IDLE_SECONDS", 3600.0)


def log_of(path: Path) -> Path:
    return journal.journal_path(path)


def changes(service: BacklogService) -> None:
    service.execute(SetPoints("SHOP-1", 5))
    service.execute(EditItem("SHOP-2", {"title": "two, reworded"}))
    service.execute(AddCriterion("SHOP-3", "Given a cart, when I pay, then I get a receipt"))
    service.execute(MoveItem("SHOP-3", "top"))
    service.execute(AddItem("four", below="SHOP-1"))
    service.execute(CycleMoscow("SHOP-4"))


def test_changes_are_appended_to_the_log_and_the_file_is_left_alone(shop):
    before = shop.read_bytes()
    service = logged(shop)
    changes(service)
    service.flush()
    assert shop.read_bytes() == before  # not rewritten per change
    assert len(log_of(shop).read_bytes().splitlines()) == 1 + 6  # the header and one line per change
    backlog = reopen(shop)  # another process opening now sees every change
    assert backlog.item("SHOP-1").points == 5
    assert backlog.item("SHOP-2").title == "two, reworded"
    assert order(backlog) == ["SHOP-3", "SHOP-1", "SHOP-4", "SHOP-2"]
    service.close()


def test_closing_folds_the_log_in_byte_for_byte_as_whole_writes_would(shop, tmp_path):
    twin = tmp_path / "twin.json"
    twin.write_bytes(shop.read_bytes())
    whole = BacklogService.open(twin, clock=FrozenClock(), user="tester")
    service = logged(shop, clock=FrozenClock(), user="tester")
    changes(whole)
    changes(service)
    service.close()
    assert service.writer.compactions == 1
    assert shop.read_bytes() == twin.read_bytes()
    assert Store.open(shop)[0].log_bytes == 0  # the log is only its header now


def test_the_log_is_folded_in_once_nothing_has_changed_for_a_while(shop, monkeypatch):
    monkeypatch.setattr(model.writer, "COMPACT_IDLE_SECONDS", 0.05)
    service = logged(shop)
    service.execute(SetPoints("SHOP-1", 8))
    wait_until(lambda: service.writer.compactions == 1, "the log to be folded in")
    assert '"points": 8' in shop.read_text()
    service.execute(SetPoints("SHOP-2", 3))  # and a new log goes on from there
    service.flush()
    assert reopen(shop).item("SHOP-2").points == 3
    service.close()


def test_a_change_made_while_the_log_is_being_folded_in_is_kept(shop, monkeypatch):
    service = logged(shop)
    service.execute(SetPoints("SHOP-1", 8))
    service.flush()
    write_temp = service.store.storage.write_temp
    during = threading.Event()

    def slow(blocks):  # another change lands while the new file is being written
        result = write_temp(blocks)
        service.execute(SetPoints("SHOP-2", 13))
        service.flush()
        during.set()
        return result

    monkeypatch.setattr(service.store.storage, "write_temp", slow)
    assert service.store.compact()
    assert during.is_set()
    assert '"points": 8' in shop.read_text() and '"points": 13' not in shop.read_text()
    backlog = reopen(shop)  # the new log carried the change over
    assert backlog.item("SHOP-1").points == 8 and backlog.item("SHOP-2").points == 13
    service.close()
    assert '"points": 13' in shop.read_text()


def test_a_line_cut_short_by_a_crash_is_ignored_and_cut_off_by_the_next_change(shop):
    service = logged(shop)
    service.execute(SetPoints("SHOP-1", 5))
    service.flush()
    with open(log_of(shop), "ab") as handle:
        handle.write(b'1234abcd [["items", "2", {"title": "half')  # a kill in the middle of an append
    backlog = reopen(shop)
    assert backlog.item("SHOP-1").points == 5 and backlog.warnings == []
    other = logged(shop)
    other.execute(SetPoints("SHOP-2", 2))
    other.flush()
    assert b"half" not in log_of(shop).read_bytes()
    backlog = reopen(shop)
    assert (backlog.item("SHOP-1").points, backlog.item("SHOP-2").points) == (5, 2)
    other.close()
    service.close()


def test_a_damaged_line_with_changes_after_it_refuses_to_open_and_changes_nothing(shop):
    service = logged(shop)
    service.execute(SetPoints("SHOP-1", 5))
    service.execute(SetPoints("SHOP-2", 3))
    service.flush()
    lines = log_of(shop).read_bytes().splitlines(keepends=True)
    lines[1] = lines[1].replace(b"5", b"7")  # its checksum no longer matches
    log_of(shop).write_bytes(b"".join(lines))
    before = shop.read_bytes()
    with pytest.raises(StoreError, match=r"\.shop\.json\.journal: line 2 is damaged"):
        Store.open(shop)
    assert shop.read_bytes() == before


def test_a_log_made_for_another_version_of_the_file_is_kept_aside_not_applied(shop, tmp_path):
    older = shop.read_bytes()
    service = logged(shop)
    service.execute(SetPoints("SHOP-1", 5))
    service.flush()
    service.writer.log_over = None  # as if killed: the log is never folded in
    # The file is replaced by another version of it (a git checkout): a title changed.
    shop.write_bytes(older.replace(b'"title": "two"', b'"title": "two from git"'))
    _, backlog = Store.open(shop)
    assert backlog.item("SHOP-1").points is None  # the log was not applied to a file it was not made for
    assert backlog.item("SHOP-2").title == "two from git"
    aside = [p.name for p in tmp_path.iterdir() if ".unapplied-" in p.name]
    assert len(aside) == 1 and aside[0].startswith("shop.json.unapplied-") and aside[0].endswith(".journal")
    assert any("1 change(s) saved in .shop.json.journal" in note and aside[0] in note for note in backlog.warnings)
    assert not log_of(shop).exists()


def _logged_then_replaced_by_git(shop: Path) -> bytes:
    """A change in the log (never folded in), then the file replaced by a version that never had
    it, as a git pull does; returns the file as it was before the change."""
    older = shop.read_bytes()
    service = logged(shop)
    service.execute(SetPoints("SHOP-1", 5))
    service.flush()
    service.writer.log_over = None
    shop.write_bytes(older.replace(b'"title": "two"', b'"title": "two from git"'))
    return older


def test_a_log_made_for_another_version_is_sorted_out_without_parsing_the_file_twice(shop, monkeypatch):
    _logged_then_replaced_by_git(shop)
    parsed = []
    parse = model.store._parse
    monkeypatch.setattr(model.store, "_parse", lambda data, path: parsed.append(path) or parse(data, path))
    _, backlog = Store.open(shop)
    assert parsed == [shop]  # looked at again under the lock, but the file had not changed: parsed once
    assert backlog.item("SHOP-2").title == "two from git" and backlog.item("SHOP-1").points is None


def test_a_file_replaced_while_the_lock_is_awaited_is_read_again(shop, monkeypatch):
    older = _logged_then_replaced_by_git(shop)
    from filelock import FileLock

    acquire = FileLock.acquire

    def replaced_meanwhile(lock, *args, **kwargs):
        shop.write_bytes(older.replace(b'"title": "two"', b'"title": "two, replaced again"'))
        return acquire(lock, *args, **kwargs)

    monkeypatch.setattr(FileLock, "acquire", replaced_meanwhile)
    _, backlog = Store.open(shop)
    assert backlog.item("SHOP-2").title == "two, replaced again"


def test_a_running_groom_whose_file_is_replaced_keeps_its_log_aside_and_says_so(shop, tmp_path):
    """git pull in another pane within two seconds of a change: the file is replaced by a version
    that never had the change, which is still only in the log. It is not applied to that file
    (it was made for another), not lost (kept beside it), and the app is told at once."""
    older = shop.read_bytes()
    service = logged(shop)
    service.execute(SetPoints("SHOP-1", 5))
    service.flush()
    shop.write_bytes(older.replace(b'"title": "two"', b'"title": "two from git"'))
    outcome = service.refresh()
    assert outcome is not None
    assert any("were not applied" in note and "unapplied-" in note for note in outcome.replaced)
    assert service.backlog.item("SHOP-2").title == "two from git"
    assert service.backlog.item("SHOP-1").points is None  # memory is what the file holds
    aside = [p for p in tmp_path.iterdir() if ".unapplied-" in p.name]
    assert len(aside) == 1 and b'"points":5' in aside[0].read_bytes()
    service.execute(SetPoints("SHOP-3", 2))  # and saving goes on, in a new log
    service.close()
    backlog = reopen(shop)
    assert (backlog.item("SHOP-2").title, backlog.item("SHOP-3").points) == ("two from git", 2)


def test_a_log_the_file_already_holds_is_left_over_and_ignored(shop):
    service = logged(shop)
    service.execute(SetPoints("SHOP-1", 5))
    service.flush()
    # As if a compaction replaced the file and died before starting the new log (and before
    # its marker): the file holds every change of the log, which no longer names it as its base.
    log = log_of(shop).read_bytes()
    Store.open(shop)[0].write({})
    log_of(shop).write_bytes(log)
    again = BacklogService.open(shop)
    assert again.backlog.warnings == [] and again.backlog.item("SHOP-1").points == 5
    assert not [p for p in shop.parent.iterdir() if ".unapplied-" in p.name]
    again.execute(SetPoints("SHOP-2", 2))  # the next whole write drops the left-over log
    assert not log_of(shop).exists()


def test_a_compaction_cut_short_between_the_two_renames_is_finished_on_open(shop, monkeypatch):
    service = logged(shop)
    service.execute(SetPoints("SHOP-1", 5))
    service.flush()
    other = logged(shop)
    write_temp = service.store.storage.write_temp

    def with_another_groom(blocks):  # another Groom appends while the new file is written
        result = write_temp(blocks)
        other.execute(SetPoints("SHOP-3", 1))
        other.flush()
        return result

    class Killed(Exception):
        pass

    def killed(*args, **kwargs):
        raise Killed

    monkeypatch.setattr(service.store.storage, "write_temp", with_another_groom)
    monkeypatch.setattr(model.store.journal, "start", killed)  # dies right after the file was replaced
    with pytest.raises(Killed):
        service.store.compact()
    monkeypatch.undo()
    assert '"points": 5' in shop.read_text() and '"points": 1' not in shop.read_text()
    _, backlog = Store.open(shop)  # the marker in the old log says what the new file lacks
    assert (backlog.item("SHOP-1").points, backlog.item("SHOP-3").points) == (5, 1)
    assert backlog.warnings == []
    assert journal.parse(log_of(shop).read_bytes(), log_of(shop)).header.follows is not None
    other.writer.close()


def test_two_processes_follow_each_other_through_the_log_without_reading_the_file(shop, monkeypatch):
    ana, ben = logged(shop, user="ana"), logged(shop, user="ben")
    full_reads = []
    monkeypatch.setattr(Store, "_pull_everything", lambda self, backlog: full_reads.append(self) or None)
    ana.execute(SetPoints("SHOP-1", 5))
    ana.flush()
    outcome = ben.refresh()
    assert outcome is not None and ben.backlog.item("SHOP-1").points == 5
    ben.execute(EditItem("SHOP-2", {"title": "ben's two"}))
    ben.flush()
    assert ana.refresh() is not None and ana.backlog.item("SHOP-2").title == "ben's two"
    assert ana.store.compact()  # ana folds the log in; ben carries on from the new log
    assert ben.refresh() is None
    ben.execute(SetPoints("SHOP-3", 2))
    ben.flush()
    assert ana.refresh() is not None and ana.backlog.item("SHOP-3").points == 2
    assert full_reads == []
    # Every history entry reached both, once.
    assert ana.backlog.history.docs == ben.backlog.history.docs
    monkeypatch.undo()
    ana.close()
    ben.close()
    backlog = reopen(shop)
    assert (backlog.item("SHOP-1").points, backlog.item("SHOP-2").title, backlog.item("SHOP-3").points) == \
        (5, "ben's two", 2)


def test_a_process_that_had_not_read_the_whole_log_reads_the_file_again(shop):
    ana, ben = logged(shop, user="ana"), logged(shop, user="ben")
    ana.execute(SetPoints("SHOP-1", 5))
    ana.flush()
    assert ana.store.compact()  # ben never read ana's change before it was folded in
    assert ben.refresh() is not None
    assert ben.backlog.item("SHOP-1").points == 5
    ben.execute(SetPoints("SHOP-2", 1))
    ben.flush()
    ana.refresh()
    assert ana.backlog.item("SHOP-2").points == 1
    ana.close()
    ben.close()


def test_a_failed_append_undoes_the_change_and_leaves_no_half_line(shop, monkeypatch):
    service = logged(shop)
    service.execute(SetPoints("SHOP-1", 5))
    service.flush()
    log_before = log_of(shop).read_bytes()

    def disk_full(fd, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(model.journal.os, "write", disk_full)
    with pytest.raises(StoreError, match="No space left on device"):
        service.execute(SetPoints("SHOP-2", 8))  # small appends are waited for (after the frame, in the app)
        service.flush()
    monkeypatch.undo()
    assert service.backlog.item("SHOP-2").points is None  # undone in memory, as on disk
    assert log_of(shop).read_bytes() == log_before
    service.execute(SetPoints("SHOP-3", 3))  # and saving goes on
    service.close()
    backlog = reopen(shop)
    assert (backlog.item("SHOP-1").points, backlog.item("SHOP-2").points, backlog.item("SHOP-3").points) == \
        (5, None, 3)


def test_small_files_in_the_app_are_still_written_whole(shop):
    service = BacklogService.open(shop, background=True)
    service.execute(SetPoints("SHOP-1", 5))
    service.flush()
    assert '"points": 5' in shop.read_text()
    assert not log_of(shop).exists()
    service.close()


def test_the_log_keeps_the_files_mode(shop):
    os.chmod(shop, 0o640)
    service = logged(shop)
    service.execute(SetPoints("SHOP-1", 5))
    service.flush()
    assert os.stat(log_of(shop)).st_mode & 0o777 == 0o640
    service.close()


# ----- property: whatever two Groom processes do, in whatever order, and however the log is
# folded in or cut short by a crash, the file (with its log) holds exactly the changes made ----

OPERATIONS = st.one_of(
    st.tuples(st.just("points"), st.sampled_from(("ana", "ben")), st.integers(0, 20), st.sampled_from((1, 2, 3, 5, 8))),
    st.tuples(st.just("move"), st.sampled_from(("ana", "ben")), st.integers(0, 20),
              st.sampled_from(("up", "down", "top", "bottom"))),
    st.tuples(st.just("add"), st.sampled_from(("ana", "ben")), st.integers(0, 20), st.just(None)),
    st.tuples(st.just("delete"), st.sampled_from(("ana", "ben")), st.integers(0, 20), st.just(None)),
    st.tuples(st.just("compact"), st.sampled_from(("ana", "ben")), st.just(0), st.just(None)),
    st.tuples(st.just("refresh"), st.sampled_from(("ana", "ben")), st.just(0), st.just(None)),
    st.tuples(st.just("torn"), st.just("ana"), st.just(0), st.just(None)),
)


def _command(op: str, backlog, index: int, value: object, serial: int):
    keys = backlog.order
    if op == "add" or not keys:
        return AddItem(f"item {serial}", below=keys[index % len(keys)] if keys else None)
    key = keys[index % len(keys)]
    if op == "points":
        return SetPoints(key, value)
    if op == "move":
        return MoveItem(key, value)
    return DeleteItem(key)


def _items(backlog) -> list[tuple[str, str, object]]:
    return [(item.key, item.title, item.points) for item in backlog]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(OPERATIONS, min_size=1, max_size=25))
def test_two_processes_on_the_log_never_lose_or_invent_a_change(tmp_path_factory, operations):
    folder = tmp_path_factory.mktemp("log")
    path, twin = folder / "shop.json", folder / "twin.json"
    for target in (path, twin):
        seed = BacklogService.create(target, "Shop", "SHOP", user="seed")
        add_items(seed, "one", "two", "three", "four")
    groom = {"ana": logged(path, user="ana"), "ben": logged(path, user="ben")}
    reference = BacklogService.open(twin, user="ref")  # the same commands, one after the other
    try:
        for serial, (op, who, index, value) in enumerate(operations):
            service = groom[who]
            if op == "compact":
                service.store.compact()
            elif op == "refresh":
                service.refresh()
            elif op == "torn":  # a Groom killed in the middle of an append
                if log_of(path).exists():
                    with open(log_of(path), "ab") as handle:
                        handle.write(b'0badc0de [["items", "1", {"title": "never acknowl')
            else:
                service.refresh()  # as the app does every second; execute pulls anyway
                command = _command(op, service.backlog, index, value, serial)
                expected = _command(op, reference.backlog, index, value, serial)
                try:
                    service.execute(command)
                    service.flush()
                except CommandError:
                    with pytest.raises(CommandError):
                        reference.execute(expected)
                    continue
                reference.execute(expected)
            on_disk = reopen(path)
            assert on_disk.warnings == []
            assert _items(on_disk) == _items(reference.backlog), operations[: serial + 1]
        for service in groom.values():
            service.refresh()
            assert _items(service.backlog) == _items(reference.backlog)
    finally:
        for service in groom.values():
            service.close()
    assert _items(reopen(path)) == _items(reference.backlog)
    assert Store.open(path)[0].log_bytes == 0  # quitting folded everything in


def test_a_log_line_that_is_not_a_change_groom_wrote_refuses_to_open(shop):
    service = logged(shop)
    service.execute(SetPoints("SHOP-1", 5))
    service.flush()
    body = b'[["items", "not-a-number", {"title": "x"}]]'
    with open(log_of(shop), "ab") as handle:  # checksummed, so only a program could have written it
        handle.write(b"%08x %s\n" % (zlib.crc32(body), body))
        handle.write(journal.encode_change([("items", "1", None)]))
    with pytest.raises(StoreError, match="a line is not a change Groom wrote"):
        Store.open(shop)
