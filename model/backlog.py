"""The backlog in memory: items in rank order, the team, the sprint history, settings.

It changes only through `apply(change)`, which validates every touched document before
anything is mutated, so a refused change leaves it exactly as it was.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import compress, pairwise, repeat
from operator import attrgetter, itemgetter
from typing import Any

from pydantic import ValidationError

from model.change import HISTORY, ITEMS, META, SESSIONS, SPRINTS, TEAM, Change, Doc
from model.errors import CommandError, GroomError
from model.history import History, InvalidHistory
from model.item import CLOSED_STATUSES, Item, key_number, make_key
from model.item_loading import validate_items
from model.meta import BacklogMeta
from model.session_record import Session
from model.team import Sprint, TeamMember
from model.validation import describe

META_DOC_ID = 1


class InvalidBacklog(GroomError):
    """The stored backlog breaks a rule; the message names the document and field."""


@dataclass(frozen=True)
class Written:
    """A document as it must now be stored (None: deleted)."""

    table: str
    doc_id: int
    doc: Doc | None


class Backlog:
    def __init__(self, meta: BacklogMeta) -> None:
        self.meta = meta
        self.items: dict[str, Item] = {}
        self.order: list[str] = []  # item keys, in rank order
        self._items_holed = False  # an item was deleted: `items` has a hole (see _compact_items)
        self.sprints: dict[int, Sprint] = {}
        self.team: dict[int, TeamMember] = {}
        self.sessions: dict[int, Session] = {}
        # The change log: plain documents, not part of what changes and undo work on.
        self.history = History()
        self.warnings: list[str] = []  # repairs made while loading, reported to the user
        self.conflicted: set[str] = set()  # keys of items holding unresolved merge conflicts
        self.open_count = 0  # items not done, dropped or split: kept as items change, never counted
        # Bumped by every applied change, in this process: lets derived views (the forecast)
        # know they are stale even when the change was never written (meta.revision is the file's).
        self.version = 0
        self._children: dict[str, list[str]] = {}

    # ----- loading and dumping -------------------------------------------------------

    @classmethod
    def empty(cls, name: str, prefix: str) -> Backlog:
        try:
            return cls(BacklogMeta(name=name, prefix=prefix))
        except ValidationError as exc:
            raise InvalidBacklog(describe(exc, "backlog")) from None

    @classmethod
    def from_tables(cls, tables: Mapping[str, Any]) -> Backlog:
        """Build a backlog from stored tables, or raise InvalidBacklog naming the first problem."""
        if not isinstance(tables, Mapping):
            raise InvalidBacklog("the file does not hold a backlog (expected a JSON object of tables)")
        unknown = sorted(set(tables) - {META, ITEMS, SPRINTS, TEAM, SESSIONS, HISTORY, "_default"})
        if unknown:
            raise InvalidBacklog(f"unknown table {unknown[0]!r} (expected meta, items, sprints, team, sessions, "
                                 "history)")
        meta_table = _table(tables, META)
        if str(META_DOC_ID) not in meta_table:
            raise InvalidBacklog("the meta table has no backlog record (document 1)")
        try:
            meta = BacklogMeta.model_validate(meta_table[str(META_DOC_ID)])
        except ValidationError as exc:
            raise InvalidBacklog(describe(exc, "backlog settings (meta)")) from None
        backlog = cls(meta)
        backlog._load_items(_table(tables, ITEMS))
        backlog.sprints = _load_docs(_table(tables, SPRINTS), Sprint, "sprint")
        backlog.team = _load_docs(_table(tables, TEAM), TeamMember, "team member")
        backlog.sessions = _load_docs(_table(tables, SESSIONS), Session, "refinement session")
        history = tables.get(HISTORY, {})
        if not isinstance(history, Mapping):
            raise InvalidBacklog("the history table is not a JSON object of documents")
        try:
            backlog.history = History.load(history)
        except InvalidHistory as exc:
            raise InvalidBacklog(str(exc)) from None
        return backlog

    def _load_items(self, table: Mapping[str, Any]) -> None:
        prefix = self.meta.prefix
        # At 50k items this is most of opening a file: every item is validated and its key
        # checked in bulk (C-level maps, no Python loop per item); any problem at all, and the
        # items are gone through one by one to name the first one in document order, exactly.
        models, numbers, (keys, ranks, statuses, parents, conflicts) = (
            _items_in_bulk(table, prefix) or _items_one_by_one(table, prefix))
        items = self.items = dict(zip(keys, models, strict=True))
        self.conflicted.update(compress(keys, conflicts))
        self.open_count = len(statuses) - sum(map(statuses.count, CLOSED_STATUSES))
        self.order = order = list(map(_THIRD, sorted(zip(ranks, numbers, keys, strict=True))))
        split = list(compress(zip(keys, parents, strict=True), parents))
        for key, parent in split:
            self._children.setdefault(parent, []).append(key)
        for children in self._children.values():
            children.sort(key=self._sort_key)
        highest = max(numbers, default=0)
        if self.meta.next_number <= highest:
            self.warnings.append(
                f"next key number was {self.meta.next_number} but {make_key(prefix, highest)} exists; "
                f"new items continue from {highest + 1}"
            )
            self.meta = self.meta.model_copy(update={"next_number": highest + 1})
        for key, parent in split:
            if parent not in items:
                self.warnings.append(f"{key} was split from {parent}, which no longer exists")
        if len(set(ranks)) == len(ranks):
            return  # no two items share a rank: the common case, checked without a loop
        shared = [(a, b) for a, b in pairwise(order) if items[a].rank == items[b].rank]
        if shared:
            # Ranks order the backlog; equal ones (a merge, a hand edit) are ordered by key number,
            # and the next move or add beside them gives them ranks of their own.
            a, b = shared[0]
            more = f" (and {len(shared) - 1} more pairs)" if len(shared) > 1 else ""
            self.warnings.append(f"{a} and {b} have the same rank {items[a].rank!r}{more}: they are listed by key "
                                 "number until one of them is moved")

    def to_tables(self) -> dict[str, dict[str, Doc]]:
        """Every document, as the file stores them."""
        return {
            META: {str(META_DOC_ID): self.meta.model_dump(mode="json")},
            ITEMS: {str(item.number): item.to_doc() for item in self.items.values()},
            SPRINTS: {str(i): s.model_dump(mode="json") for i, s in self.sprints.items()},
            TEAM: {str(i): m.model_dump(mode="json") for i, m in self.team.items()},
            SESSIONS: {str(i): s.model_dump(mode="json") for i, s in self.sessions.items()},
            HISTORY: self.history.to_table(),
        }

    # ----- reading -------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.order)

    def __iter__(self) -> Iterator[Item]:
        items = self.items
        return (items[key] for key in self.order)

    def __contains__(self, key: object) -> bool:
        return key in self.items

    def item(self, key: str) -> Item:
        try:
            return self.items[key]
        except KeyError:
            raise CommandError(f"there is no item {key}") from None

    def at(self, position: int) -> Item:
        return self.items[self.order[position]]

    def position(self, key: str) -> int:
        """Index of the item in rank order (0 is the top)."""
        item = self.item(key)
        index = bisect.bisect_left(self.order, self._sort_key(key), key=self._sort_key)
        if index < len(self.order) and self.order[index] == key:
            return index
        return self.order.index(item.key)  # pragma: no cover - order and ranks always agree

    def ranks(self, without: str | None = None) -> list[str]:
        items = self.items
        return [items[key].rank for key in self.order if key != without]

    def children(self, key: str) -> list[Item]:
        """Items split from `key`, in rank order."""
        return [self.items[k] for k in self._children.get(key, ())]

    def next_key(self, offset: int = 0) -> str:
        return make_key(self.meta.prefix, self.meta.next_number + offset)

    def sprint_records(self) -> list[tuple[int, Sprint]]:
        """(document id, sprint) pairs, oldest first: by end date (else start date) where known;
        sprints without dates count as the latest, in the order they were added."""
        return sorted(self.sprints.items(), key=lambda pair: (pair[1].end or pair[1].start or _FAR, pair[0]))

    def sprint_history(self) -> list[Sprint]:
        """Past sprints, oldest first (see `sprint_records`)."""
        return [sprint for _, sprint in self.sprint_records()]

    def _sort_key(self, key: str) -> tuple[str, int]:
        return (self.items[key].rank, key_number(key))

    # ----- changing ------------------------------------------------------------------

    def apply(self, change: Change) -> list[Written]:
        """Apply a change; return the documents as they must now be stored.

        Every new document is validated first; on any error nothing changes.
        """
        written: list[Written] = []
        staged_items: dict[str, Item | None] = {}
        staged_other: dict[tuple[str, int], Any] = {}
        staged_meta: BacklogMeta | None = None
        for doc_change in change.docs:
            table, doc_id = doc_change.table, doc_change.doc_id
            try:
                if table == ITEMS:
                    key = make_key(self.meta.prefix, doc_id)
                    current = staged_items[key] if key in staged_items else self.items.get(key)
                    self._check_exists(doc_change.created, current is not None, f"item {key}")
                    doc = _without_empty_records(doc_change.apply_to(current.to_doc() if current else None))
                    model = Item.model_validate(doc) if doc is not None else None
                    if model is not None and model.key != key:
                        raise CommandError(f"item {model.key} cannot be stored as {key}")
                    staged_items[key] = model
                elif table == META:
                    base = staged_meta or self.meta
                    doc = doc_change.apply_to(base.model_dump(mode="json"))
                    staged_meta = BacklogMeta.model_validate(doc)
                elif table in _RECORDS:
                    models = self._records(table)
                    model_type = _RECORDS[table]
                    slot = (table, doc_id)
                    current = staged_other[slot] if slot in staged_other else models.get(doc_id)
                    self._check_exists(doc_change.created, current is not None, f"{table} record {doc_id}")
                    doc = doc_change.apply_to(current.model_dump(mode="json") if current else None)
                    staged_other[slot] = model_type.model_validate(doc) if doc is not None else None
                else:
                    raise CommandError(f"unknown table {table!r}")
            except ValidationError as exc:
                raise CommandError(describe(exc, _change_label(doc_change, self.meta.prefix))) from None
            except KeyError as exc:
                raise CommandError(str(exc.args[0])) from None
            written.append(Written(table, doc_id, doc))

        # Everything validated: now mutate.
        for key, model in staged_items.items():
            self._put_item(key, model)
        for (table, doc_id), model in staged_other.items():
            models = self._records(table)
            if model is None:
                models.pop(doc_id, None)
            else:
                models[doc_id] = model
        if staged_meta is not None:
            self.meta = staged_meta
        self._reserve_numbers(staged_items)
        if self._items_holed:
            self._compact_items()
        self.version += 1
        return written

    @staticmethod
    def _check_exists(created: bool, exists: bool, what: str) -> None:
        if created and exists:
            raise CommandError(f"{what} already exists")
        if not created and not exists:
            raise CommandError(f"{what} no longer exists")

    def _put_item(self, key: str, item: Item | None) -> None:
        if item is not None and item.conflicts:
            self.conflicted.add(key)
        else:
            self.conflicted.discard(key)
        old = self.items.get(key)
        self.open_count += (item is not None and not item.is_closed) - (old is not None and not old.is_closed)
        if old is not None:
            if item is not None and item.rank == old.rank and item.parent == old.parent:
                self.items[key] = item  # the common case: an edit that keeps the item's place
                return
            index = bisect.bisect_left(self.order, self._sort_key(key), key=self._sort_key)
            if index < len(self.order) and self.order[index] == key:
                del self.order[index]
            else:  # pragma: no cover - defensive: order and ranks always agree
                self.order.remove(key)
            if old.parent:
                siblings = self._children.get(old.parent, [])
                if key in siblings:
                    siblings.remove(key)
                if not siblings:
                    self._children.pop(old.parent, None)
            if item is None:
                del self.items[key]
                self._items_holed = True
                return
        if item is None:
            return
        # A moved item keeps its slot in the dict (no delete and re-insert): a dict without
        # deleted slots is copied as one block, which the forecast's snapshot relies on.
        self.items[key] = item
        bisect.insort(self.order, key, key=self._sort_key)
        if item.parent:
            bisect.insort(self._children.setdefault(item.parent, []), key, key=self._sort_key)

    def _compact_items(self) -> None:
        """After deletes (once per change): rebuild the dict without the holes they left, so that
        copying it stays a block copy (~2 ms at 50k items, against ~15 ms entry by entry)."""
        self._items_holed = False
        items = dict(self.items)
        self.items.clear()
        self.items.update(items)

    def _reserve_numbers(self, staged_items: Mapping[str, Item | None]) -> None:
        # Keys are never reused: a created (or re-created, by redo) item moves the counter on.
        created = [key_number(k) for k, model in staged_items.items() if model is not None]
        if created and max(created) >= self.meta.next_number:
            self.meta = self.meta.model_copy(update={"next_number": max(created) + 1})

    def doc(self, table: str, doc_id: int) -> Doc | None:
        if table == ITEMS:
            item = self.items.get(make_key(self.meta.prefix, doc_id))
            return item.to_doc() if item else None
        if table == META:
            return self.meta.model_dump(mode="json")
        model = self._records(table).get(doc_id)
        return model.model_dump(mode="json") if model else None

    def next_doc_id(self, table: str) -> int:
        return max(self._records(table), default=0) + 1

    def _records(self, table: str) -> dict[int, Any]:
        """The validated documents of a small table (sprints, team, sessions) by document id."""
        return {SPRINTS: self.sprints, TEAM: self.team, SESSIONS: self.sessions}[table]


_FAR = date.max
_RECORDS: dict[str, type] = {SPRINTS: Sprint, TEAM: TeamMember, SESSIONS: Session}


# The items' keys, ranks, statuses, parents and merge conflicts, read in one pass: at 50k items
# each pass over them costs ~30 ms in memory reads alone, whatever it does.
_Columns = tuple[tuple[Any, ...], ...]
_FIELDS = attrgetter("key", "rank", "status", "parent", "conflicts")
_THIRD = itemgetter(2)
# Loading items: the items, their key numbers and their columns, in document order.
_Loaded = tuple[list[Item], list[int], _Columns]


def _columns(models: list[Item]) -> _Columns:
    return tuple(zip(*map(_FIELDS, models), strict=True)) if models else ((),) * 5


def _items_in_bulk(table: Mapping[str, Any], prefix: str) -> _Loaded | None:
    """Every item validated and stored under its own key; None at the first problem of any kind
    (then `_items_one_by_one` says which)."""
    try:
        models = validate_items(list(table.values()))
    except ValidationError:
        return None
    columns = _columns(models)
    # Document ids are canonical numbers (`_table`) and keys too (KEY_PATTERN): a key must be
    # exactly the prefix and its document id. Distinct ids then make distinct keys.
    if columns[0] != tuple(map(f"{prefix}-".__add__, table)):
        return None
    return models, list(map(int, table)), columns


def _items_one_by_one(table: Mapping[str, Any], prefix: str) -> _Loaded:
    """As `_items_in_bulk`, item by item: raises InvalidBacklog naming the first problem."""
    start = len(prefix) + 1
    seen: set[str] = set()
    models: list[Item] = []
    numbers: list[int] = []
    for doc_id, doc in table.items():
        try:
            item = Item.model_validate(doc)
        except ValidationError as exc:
            raise InvalidBacklog(describe(exc, f"item {_doc_label(doc, doc_id)}")) from None
        key = item.key
        if key in seen:
            raise InvalidBacklog(f"item {key} is stored twice (document {doc_id} repeats it)")
        if not key.startswith(prefix + "-"):
            raise InvalidBacklog(f"item {key} does not use this backlog's key prefix {prefix}")
        if key[start:] != doc_id:  # keys and document ids are both canonical numbers
            raise InvalidBacklog(f"item {key} is stored as document {doc_id}; it must be document {item.number}")
        seen.add(key)
        models.append(item)
        numbers.append(int(doc_id))
    return models, numbers, _columns(models)


def _table(tables: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    table = tables.get(name, {})
    if not isinstance(table, Mapping):
        raise InvalidBacklog(f"the {name} table is not a JSON object of documents")
    if _plain_table(table):
        return table
    for doc_id, doc in table.items():
        if not doc_id.isdigit() or doc_id.startswith("0"):
            raise InvalidBacklog(f"the {name} table has a document id {doc_id!r}; ids are whole numbers")
        if not isinstance(doc, Mapping):
            raise InvalidBacklog(f"{name} document {doc_id} is not a JSON object")
    return table


def _plain_table(table: Mapping[str, Any]) -> bool:
    """Whether every id is a whole number and every document a dict, checked without a Python
    loop (at 50k items the loop below takes ~50 ms); False: let the loop name the problem."""
    try:
        return (all(map(str.isdigit, table)) and not any(map(str.startswith, table, repeat("0")))
                and set(map(type, table.values())) <= {dict})
    except TypeError:  # an id that is not text
        return False


def _without_empty_records(doc: Doc | None) -> Doc | None:
    # Resolving the last conflict diffs to `conflicts: None`: leave the field out of the file
    # instead, as `Item.to_doc` does, so a resolved item is stored as it was before the merge.
    if doc is not None:
        for field in ("conflicts", "former_keys"):
            if field in doc and not doc[field]:
                del doc[field]
    return doc


def _doc_label(doc: Mapping[str, Any], doc_id: str) -> str:
    key = doc.get("key")
    return f"{key} (document {doc_id})" if isinstance(key, str) and len(key) < 30 else f"document {doc_id}"


def _load_docs(table: Mapping[str, Any], model: type, what: str) -> dict[int, Any]:
    loaded = {}
    for doc_id, doc in table.items():
        try:
            loaded[int(doc_id)] = model.model_validate(doc)
        except ValidationError as exc:
            raise InvalidBacklog(describe(exc, f"{what} (document {doc_id})")) from None
    return loaded


def _change_label(doc_change: Any, prefix: str) -> str:
    if doc_change.table == ITEMS:
        return make_key(prefix, doc_change.doc_id)
    return f"{doc_change.table} record {doc_change.doc_id}"
