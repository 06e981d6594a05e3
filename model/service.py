"""The backlog service: the one way anything changes.

`execute(command)` pulls in other processes' writes, plans the command on the fresh
backlog, validates, writes the file atomically under the lock, and records the change for
undo, all before it returns. The TUI calls nothing else to change the backlog.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from model.backlog import Backlog, Written
from model.change import HISTORY, ITEMS, Change, DocChange
from model.commands import Command
from model.errors import CommandError, StoreError
from model.history import entries_for, positions_before
from model.item import format_timestamp, make_key
from model.store import Store

Clock = Callable[[], datetime]
UNDO_LIMIT = 500


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


class BacklogService:
    def __init__(self, store: Store, backlog: Backlog, *, clock: Clock = utc_now, user: str | None = None) -> None:
        self.store = store
        self.backlog = backlog
        self.clock = clock
        self.user = user or _user_name()
        self._undo: list[Change] = []
        self._redo: list[Change] = []

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
        """Plan, validate, persist and record one command. Raises CommandError or StoreError.

        Commands that say `undoable = False` (a refinement session's own record) are written
        the same way but are not undo steps, and leave the redo stack as it is.
        """
        with self.store.locked():
            external = self.store.pull(self.backlog)
            now = self.clock()
            change = command.plan(self.backlog, now)
            if change:
                self._commit(change, now, change.label)
        replaced = self._replaced(external)
        if change and getattr(command, "undoable", True):
            self._undo.append(change)
            del self._undo[:-UNDO_LIMIT]
            self._redo.clear()
        return Outcome(change, external, replaced)

    def undo(self) -> Outcome:
        """Undo the latest own change, unless someone changed those items since."""
        if not self._undo:
            raise CommandError("nothing to undo")
        change = self._undo[-1]
        with self.store.locked():
            external = self.store.pull(self.backlog)
            self._check_unchanged(change, "undo", after=True)
            now = self.clock()
            self._commit(self._stamped(change.inverse(), now), now, f"Undo: {change.label}")
        self._redo.append(self._undo.pop())
        return Outcome(change, external)

    def redo(self) -> Outcome:
        if not self._redo:
            raise CommandError("nothing to redo")
        change = self._redo[-1]
        with self.store.locked():
            external = self.store.pull(self.backlog)
            self._check_unchanged(change, "redo", after=False)
            now = self.clock()
            self._commit(self._stamped(change, now), now, f"Redo: {change.label}")
        self._undo.append(self._redo.pop())
        return Outcome(change, external)

    def refresh(self) -> Outcome | None:
        """Pull in other processes' writes without changing anything (live sharing)."""
        if not self.store.changed_on_disk():
            return None
        with self.store.locked():
            external = self.store.pull(self.backlog)
        return Outcome(Change("", ()), external, self._replaced(external)) if external else None

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
        if not external:
            return ()
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
        return tuple(dict.fromkeys(notes))

    def _commit(self, change: Change, now: datetime, what: str) -> None:
        """Apply and write a change, with its history entries in the same atomic write."""
        positions = positions_before(self.backlog, change)
        written = self.backlog.apply(change)
        history = self.backlog.history
        added: list[int] = []
        dropped: dict[int, dict] = {}
        for entry in entries_for(change, self.backlog, positions, what=what, at=now, by=self.user):
            doc_id, gone = history.add(entry)
            added.append(doc_id)
            written.append(Written(HISTORY, doc_id, entry))
            dropped.update(gone)
        written.extend(Written(HISTORY, doc_id, None) for doc_id in dropped)
        try:
            self.store.save(self.backlog, written)
        except StoreError:
            self.backlog.apply(change.inverse())  # memory must match the file on disk
            history.restore(added, dropped)
            raise

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
    still containing every entry we wrote, since the later writer built on our list."""
    if isinstance(ours, list) and isinstance(theirs, list):
        return all(entry in theirs for entry in ours)
    return ours == theirs


def _user_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "unknown"
