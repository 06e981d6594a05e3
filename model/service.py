"""The backlog service: the one way anything changes.

`execute(command)` pulls in other processes' writes, plans the command on the fresh
backlog, validates, applies it, hands its documents to the writer (`model.writer`) and
records the change for undo. By default the file is written before `execute` returns; with
`background=True` (the app) a writer thread writes it moments later, coalescing changes that
come quickly, and `flush()` waits for it. The TUI calls nothing else to change the backlog.
"""

from __future__ import annotations

import dataclasses
import getpass
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from model.backlog import META_DOC_ID, Backlog, Written
from model.change import HISTORY, ITEMS, META, Change, DocChange
from model.errors import CommandError, StoreError
from model.history import entries_for, positions_before
from model.item import format_timestamp, make_key
from model.meta import BacklogMeta
from model.store import Store
from model.writer import Writer

if TYPE_CHECKING:
    # Commands are made by the screens as keys ask for them; the service only runs them.
    from model.commands import Command

Clock = Callable[[], datetime]
UNDO_LIMIT = 500
# Files this small are written in under ~10 ms (1.3 MB, 1k items: 4 ms with fsync; 13 MB: 30 ms),
# so a change waits for its write: small backlogs stay synchronous. Decided by size, not by the
# time a write took: a write racing the UI thread for the GIL looks slower than it is.
QUICK_WRITE_BYTES = 4_000_000


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Outcome:
    """What a call did: the change made (empty when there was nothing to do) and any
    changes other processes had made that were pulled in first."""

    change: Change
    external: Change | None = None
    replaced: tuple[str, ...] = ()  # own earlier edits that another process's later edit replaced

    @property
    def label(self) -> str:
        return self.change.label

    def touched_keys(self, prefix: str) -> set[str]:
        changes = [*self.change.docs, *(self.external.docs if self.external else ())]
        return {make_key(prefix, d.doc_id) for d in changes if d.table == ITEMS}


class NotSaved(StoreError):
    """Changes could not be written; they have been undone in memory (the message names them)."""


@dataclass
class _Unsaved:
    """A change applied in memory and not yet known to be on disk, with what undoes it."""

    seq: int
    change: Change
    meta: BacklogMeta  # the backlog's record before it (revision, key counter, settings)
    undo: list[Change] = dataclasses.field(default_factory=list)  # the undo and redo stacks before it
    redo: list[Change] = dataclasses.field(default_factory=list)
    added: list[int] = dataclasses.field(default_factory=list)  # history entries it added
    dropped: dict[int, dict] = dataclasses.field(default_factory=dict)  # and those it pushed out


class BacklogService:
    def __init__(self, store: Store, backlog: Backlog, *, clock: Clock = utc_now, user: str | None = None,
                 background: bool = False, wait_under: int | None = QUICK_WRITE_BYTES,
                 log_over: int | None = QUICK_WRITE_BYTES) -> None:
        self.store = store
        self.backlog = backlog
        self.clock = clock
        self.user = user or _user_name()
        # Bigger files, in the background: changes are appended to the change log beside the
        # file (model/journal.py), folded into the file when idle and on close.
        self.writer = Writer(store, background=background, log_over=log_over)
        # With a background writer, still wait for writes of files this small, in bytes (None: never).
        self.wait_under = wait_under
        # The app sets this: it waits for those small writes right after the frame that shows the
        # change (catch_up), not before it, so the screen never waits for the disk. Every change,
        # undo, redo and refresh catches up first, so a change is on disk before the next is made.
        self.defer_waits = False
        self._owes_flush = False
        self._undo: list[Change] = []
        self._redo: list[Change] = []
        self._unsaved: list[_Unsaved] = []
        self._external: Outcome | None = None  # others' changes pulled in by a resync, not yet shown

    @classmethod
    def open(cls, path: str | Path, **options: object) -> BacklogService:
        store, backlog = Store.open(path)
        return cls(store, backlog, **options)  # type: ignore[arg-type]

    @classmethod
    def create(cls, path: str | Path, name: str, prefix: str, **options: object) -> BacklogService:
        backlog = Backlog.empty(name, prefix)
        store = Store.create(path, backlog)
        return cls(store, backlog, **options)  # type: ignore[arg-type]

    # ----- changing --------------------------------------------------------------------

    def execute(self, command: Command) -> Outcome:
        """Plan, validate, apply, persist and record one command. Raises CommandError or StoreError.

        Commands that say `undoable = False` (a refinement session's own record) are written
        the same way but are not undo steps, and leave the redo stack as it is.
        """
        self.catch_up()
        self._settle()
        with self.writer.changing() as fresh:
            external = self.store.pull(self.backlog) if fresh else None
            now = self.clock()
            change = command.plan(self.backlog, now)
            if change:
                self._commit(change, now, change.label)
                if getattr(command, "undoable", True):
                    self._undo.append(change)
                    del self._undo[:-UNDO_LIMIT]
                    self._redo.clear()
        replaced = self._replaced(external)
        if change:
            self._saved_or_waited()
        return Outcome(change, external, replaced)

    def undo(self) -> Outcome:
        """Undo the latest own change, unless someone changed those items since."""
        self.catch_up()
        self._settle()
        if not self._undo:
            raise CommandError("nothing to undo")
        with self.writer.changing() as fresh:
            external = self.store.pull(self.backlog) if fresh else None
            change = self._undo[-1]
            self._check_unchanged(change, "undo", after=True)
            now = self.clock()
            self._commit(self._stamped(change.inverse(), now), now, f"Undo: {change.label}")
            self._redo.append(self._undo.pop())
        self._saved_or_waited()
        return Outcome(change, external)

    def redo(self) -> Outcome:
        self.catch_up()
        self._settle()
        if not self._redo:
            raise CommandError("nothing to redo")
        with self.writer.changing() as fresh:
            external = self.store.pull(self.backlog) if fresh else None
            change = self._redo[-1]
            self._check_unchanged(change, "redo", after=False)
            now = self.clock()
            self._commit(self._stamped(change, now), now, f"Redo: {change.label}")
            self._undo.append(self._redo.pop())
        self._saved_or_waited()
        return Outcome(change, external)

    def refresh(self) -> Outcome | None:
        """Pull in other processes' writes without changing anything (live sharing).

        Also where a background write that failed is reported (StoreError, after the changes
        that are not on disk have been undone in memory)."""
        self.catch_up()
        outcome = self._settle()
        if outcome is not None:
            return outcome
        if not self.writer.idle:
            return None  # we hold the lock until our writes are done: nobody else can have written
        if not self.store.changed_on_disk():
            return None
        with self.writer.changing():
            external = self.store.pull(self.backlog)
        return Outcome(Change("", ()), external, self._replaced(external)) if external else None

    def flush(self) -> None:
        """Return once every change is on disk. If a write failed, the changes that are not on
        disk are undone in memory (so memory and file agree) and StoreError says which."""
        while True:
            self.writer.wait()
            if self.writer.file_changed:
                self._resync()
                continue
            self._settle(take_external=False)  # others' changes stay for refresh() to show
            return

    def catch_up(self) -> None:
        """Wait for the small write a deferred call left in flight (see `defer_waits`)."""
        if self._owes_flush:
            self._owes_flush = False
            self.flush()

    def close(self) -> None:
        """Flush, then stop the background writer."""
        try:
            self.flush()
        finally:
            self.writer.close()

    @property
    def unsaved(self) -> int:
        """How many changes are not on disk yet."""
        return self.writer.submitted - self.writer.durable

    @property
    def undo_label(self) -> str | None:
        return self._undo[-1].label if self._undo else None

    @property
    def redo_label(self) -> str | None:
        return self._redo[-1].label if self._redo else None

    def _replaced(self, external: Change | None) -> tuple[str, ...]:
        """Say which of our own recent edits another process has since overwritten.

        Last writer wins per field; the one whose edit was replaced is told, naming the item
        and the field. (Ranks are left out: neighbours' ranks are rewritten to make room.)
        """
        news = tuple(self.store.take_news())  # e.g. our change log moved aside: the file was replaced
        if not external:
            return news
        mine: dict[tuple[int, str], object] = {}
        for change in self._undo[-50:]:
            for doc in change.docs:
                # Items we created are not "our edits" of each field: others may go on refining them.
                if doc.table == ITEMS and doc.after is not None and doc.before is not None:
                    for field, value in doc.after.items():
                        mine[(doc.doc_id, field)] = value
        notes: list[str] = []
        for doc in external.docs:
            if doc.table != ITEMS:
                continue
            key = make_key(self.backlog.meta.prefix, doc.doc_id)
            if doc.after is None:
                if any(doc_id == doc.doc_id for doc_id, _ in mine):
                    notes.append(f"{key}, which you changed, was deleted in another Groom")
                continue
            for field, value in doc.after.items():
                if field in ("updated", "rank") or (doc.doc_id, field) not in mine:
                    continue
                if not _still_holds(mine[(doc.doc_id, field)], value):
                    notes.append(f"{key} {field.replace('_', ' ')}: your change was replaced by a later one "
                                 "from another Groom")
        return news + tuple(dict.fromkeys(notes))

    def _commit(self, change: Change, now: datetime, what: str) -> None:
        """Apply the change (validated: on error nothing changed) with its history entries, and
        hand their documents to the writer: they reach the file in the same atomic write."""
        revision = self.backlog.meta.revision
        record = _Unsaved(0, change, self.backlog.meta, list(self._undo), list(self._redo))
        positions = positions_before(self.backlog, change)
        written = self.backlog.apply(change)
        history = self.backlog.history
        for entry in entries_for(change, self.backlog, positions, what=what, at=now, by=self.user):
            doc_id, gone = history.add(entry)
            record.added.append(doc_id)
            written.append(Written(HISTORY, doc_id, entry))
            record.dropped.update(gone)
        written.extend(Written(HISTORY, doc_id, None) for doc_id in record.dropped)
        # Every change bumps the revision (how processes tell versions apart; it also keys caches).
        self.backlog.meta = self.backlog.meta.model_copy(update={"revision": revision + 1})
        written.append(Written(META, META_DOC_ID, self.backlog.meta.model_dump(mode="json")))
        record.seq = self.writer.submit(written, hold=self._defers_wait())
        durable = self.writer.durable
        self._unsaved = [u for u in self._unsaved if u.seq > durable]
        self._unsaved.append(record)

    def _waits(self) -> bool:
        """Whether a change waits for its write: without a background writer, or while the
        file is small (writes take a few ms)."""
        writer = self.writer
        return not writer.background or (self.wait_under is not None and writer.last_write_bytes <= self.wait_under)

    def _defers_wait(self) -> bool:
        """Whether a change's wait for its write comes later (catch_up, see `defer_waits`)."""
        return self.defer_waits and self.writer.background and self._waits()

    def _saved_or_waited(self) -> None:
        """The change is on disk before the call returns (see _waits), or at the next
        catch_up (see `defer_waits`); otherwise the writer catches up."""
        if self._defers_wait():
            # Written by catch_up itself, after the frame (Writer.submit's `hold`).
            self._owes_flush = True
        elif self._waits():
            self.flush()

    def _settle(self, *, take_external: bool = True) -> Outcome | None:
        """Act on what the writer reported: a failed write, or the file changed under our lock.
        Returns the others' changes a resync pulled in (once), for the UI to show."""
        if self.writer.file_changed:
            self._resync()
        problem = self.writer.problem
        if problem is None:
            if not take_external:
                return None
            external, self._external = self._external, None
            return external
        lost = [u for u in self._unsaved if u.seq > self.writer.durable]
        for unsaved in reversed(lost):
            self.backlog.apply(unsaved.change.inverse())
            self.backlog.history.restore(unsaved.added, unsaved.dropped)
        if lost:
            first = lost[0]
            self.backlog.meta = first.meta  # also the key counter: memory must equal the file
            self._undo, self._redo = first.undo, first.redo
        self._unsaved.clear()
        self.writer.reset()
        labels = [u.change.label for u in lost if u.change.label]
        undone = f" Not saved, so undone: {'; '.join(labels[:5])}{' …' if len(labels) > 5 else ''}." if labels else ""
        raise NotSaved(f"{problem}.{undone}")

    def _resync(self) -> None:
        """The file changed under our lock (a program that ignores it): take its changes in,
        then write ours on top of them, field by field."""
        ours = self.writer.pending(HISTORY)
        external = self.store.pull(self.backlog)
        # The pull took the file's change log, which lacks our entries still to be written: keep them.
        self.backlog.history.restore([i for i, doc in ours.items() if doc is None],
                                     {i: doc for i, doc in ours.items() if doc is not None})
        meta = self.backlog.meta
        self.backlog.meta = meta.model_copy(update={"revision": meta.revision + 1})
        # Our history entries are ours alone: they stay as written; documents are taken afresh.
        self.writer.rebase(lambda table, doc_id, doc: doc if table == HISTORY else self.backlog.doc(table, doc_id))
        if external:
            self._external = Outcome(Change("", ()), external, self._replaced(external))

    def _check_unchanged(self, change: Change, verb: str, *, after: bool) -> None:
        """Refuse to undo/redo over someone else's later edit of the same documents."""
        for doc in change.docs:
            expected = doc.after if after else doc.before
            current = self.backlog.doc(doc.table, doc.doc_id)
            if expected is None:
                if current is not None:
                    raise CommandError(f"cannot {verb} “{change.label}”: {self._name(doc)} has been re-created since")
                continue
            if current is None:
                raise CommandError(f"cannot {verb} “{change.label}”: {self._name(doc)} has been deleted since")
            for field, value in expected.items():
                if field != "updated" and current.get(field) != value:
                    raise CommandError(
                        f"cannot {verb} “{change.label}”: {self._name(doc)} {field} was changed since"
                    )

    def _name(self, doc: DocChange) -> str:
        if doc.table == ITEMS:
            return make_key(self.backlog.meta.prefix, doc.doc_id)
        return f"{doc.table} record {doc.doc_id}"

    def _stamped(self, change: Change, when: datetime) -> Change:
        """The change with edited items' `updated` set to now: an undo is a new edit."""
        now = format_timestamp(when)
        docs = []
        for doc in change.docs:
            if doc.table == ITEMS and doc.before is not None and doc.after is not None:
                current = self.backlog.doc(ITEMS, doc.doc_id) or {}
                before = {**doc.before, "updated": current.get("updated")}
                doc = DocChange(doc.table, doc.doc_id, before, {**doc.after, "updated": now})
            docs.append(doc)
        return Change(change.label, tuple(docs))




def _still_holds(ours: object, theirs: object) -> bool:
    """Whether a later value keeps our edit: equal, or (for lists such as acceptance criteria)
    still containing every entry we wrote, since the later writer built on our list, or (for
    objects such as the scoring inputs) still holding every value we set."""
    if isinstance(ours, list) and isinstance(theirs, list):
        return all(entry in theirs for entry in ours)
    if isinstance(ours, dict) and isinstance(theirs, dict):
        return all(name in theirs and _still_holds(value, theirs[name]) for name, value in ours.items())
    return ours == theirs


def _user_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "unknown"
