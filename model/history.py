"""The change log of every item: what changed, old → new, when, and by whom.

Each change the backlog service makes writes one history entry per item it touched, in the
same atomic write as the change itself. Entries are plain JSON documents of the `history`
table, never pydantic models: a busy backlog collects a hundred thousand of them and opening
it must stay fast. They are checked cheaply when the file is read and indexed by item only
when first asked for.

A stored entry::

    {"item": "SHOP-12", "at": "2026-11-02T09:14:00Z", "by": "ana",
     "what": "Estimate SHOP-12: 5", "fields": {"points": [3, 5]}}

`fields` maps each changed field to `[old, new]`. Two fields are not item fields: `position`
(`[4, 2]`: the item moved from #4 to #2 in rank order; rank strings mean nothing to people) and
the entry's `op`, present only when the item was created or deleted. Long text is kept
abbreviated (the log says what changed; the undo stack holds the full values). Entries are
never edited; the oldest entries of an item beyond `PER_ITEM_LIMIT` are dropped when it gets
a new one, which bounds the file however long a backlog lives.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from model.change import ITEMS, Change
from model.errors import GroomError
from model.item import format_points, format_timestamp, make_key

PER_ITEM_LIMIT = 200  # entries kept per item; the oldest go first
TEXT_KEPT = 200  # characters of a long text value kept in the log
NOT_RECORDED = frozenset({"rank", "updated", "created", "key"})  # rank becomes `position`
_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")

Doc = dict[str, Any]


class InvalidHistory(GroomError):
    """A stored history entry is not the shape Groom writes."""


# ----- reading entries -----------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    """A read-only view of one stored entry."""

    doc_id: int
    doc: Mapping[str, Any]

    @property
    def item(self) -> str:
        return self.doc["item"]

    @property
    def at(self) -> str:
        return self.doc["at"]

    @property
    def when(self) -> datetime:
        return datetime.strptime(self.doc["at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)

    @property
    def by(self) -> str:
        return self.doc["by"]

    @property
    def what(self) -> str:
        return self.doc["what"]

    @property
    def op(self) -> str:
        """created, deleted or edited."""
        return self.doc.get("op", "edited")

    @property
    def fields(self) -> Mapping[str, list[Any]]:
        return self.doc["fields"]

    def changes(self) -> list[str]:
        """What changed, one readable line per change: `points 3 → 5`, `criterion ticked: “…”`."""
        return describe(self.op, self.fields)


class History:
    """Every stored entry by document id, with a per-item index built on first use."""

    def __init__(self) -> None:
        self.docs: dict[int, Doc] = {}
        self._by_item: dict[str, list[int]] | None = None
        self._next_id = 1

    @classmethod
    def load(cls, table: Mapping[str, Any]) -> History:
        """Entries from the stored table; raises InvalidHistory naming the first bad one."""
        history = cls()
        docs = history.docs
        for doc_id, doc in table.items():
            _check(doc_id, doc)
            docs[int(doc_id)] = doc
        history._next_id = max(docs, default=0) + 1
        return history

    def __len__(self) -> int:
        return len(self.docs)

    def to_table(self) -> dict[str, Doc]:
        return {str(doc_id): doc for doc_id, doc in self.docs.items()}

    def _index(self) -> dict[str, list[int]]:
        if self._by_item is None:
            index: dict[str, list[int]] = {}
            for doc_id in sorted(self.docs):
                index.setdefault(self.docs[doc_id]["item"], []).append(doc_id)
            self._by_item = index
        return self._by_item

    def count(self, key: str) -> int:
        return len(self._index().get(key, ()))

    def for_item(self, key: str, limit: int | None = None) -> list[HistoryEntry]:
        """The item's entries, newest first (at most `limit`)."""
        ids = self._index().get(key, [])
        chosen = ids[::-1] if limit is None else ids[: -limit - 1 if limit < len(ids) else None : -1]
        return [HistoryEntry(doc_id, self.docs[doc_id]) for doc_id in chosen]

    def between(self, start: str, end: str | None = None) -> list[HistoryEntry]:
        """Entries stamped from `start` to `end` (inclusive; open-ended without `end`), oldest first.

        Timestamps are fixed-width UTC text, so they compare as strings. Entries from several
        processes may be stamped slightly out of id order; they are sorted by time, then id.
        """
        found = [
            HistoryEntry(doc_id, doc) for doc_id, doc in self.docs.items()
            if doc["at"] >= start and (end is None or doc["at"] <= end)
        ]
        found.sort(key=lambda entry: (entry.at, entry.doc_id))
        return found

    # ----- changing (by the service and by pulls; never undone) --------------------------

    def add(self, doc: Doc) -> tuple[int, dict[int, Doc]]:
        """Store a new entry; return its id and the old entries the per-item cap dropped."""
        ids = self._index().setdefault(doc["item"], [])
        doc_id = self._next_id
        self._next_id += 1
        self.docs[doc_id] = doc
        dropped: dict[int, Doc] = {}
        ids.append(doc_id)
        while len(ids) > PER_ITEM_LIMIT:
            oldest = ids.pop(0)
            dropped[oldest] = self.docs.pop(oldest)
        return doc_id, dropped

    def restore(self, added: Iterable[int], dropped: Mapping[int, Doc]) -> None:
        """Take back entries just added and bring back those dropped (a write that failed)."""
        for doc_id in added:
            self.docs.pop(doc_id, None)
        self.docs.update(dropped)
        self._by_item = None
        self._next_id = max(self.docs, default=0) + 1

    def incoming(self, table: Mapping[str, Any]) -> tuple[set[str], set[str]]:
        """What a table another process wrote adds and drops, its new entries checked first.

        Entries are never edited, so only ids need comparing.
        """
        current = {str(doc_id) for doc_id in self.docs}
        incoming = set(table)
        added = incoming - current
        for doc_id in added:
            _check(doc_id, table[doc_id])
        return added, current - incoming

    def take(self, table: Mapping[str, Any], changes: tuple[set[str], set[str]]) -> None:
        """Apply what `incoming` found."""
        added, removed = changes
        for doc_id in removed:
            del self.docs[int(doc_id)]
        for doc_id in sorted(added, key=int):
            self.docs[int(doc_id)] = table[doc_id]
        if added or removed:
            self._by_item = None  # rebuilt on next use: cheaper than patching for bulk pulls
            self._next_id = max(self._next_id, max(self.docs, default=0) + 1)


def _check(doc_id: str, doc: Any) -> None:
    """A cheap shape check: enough that showing and summarising entries cannot fail."""
    problem = None
    if not doc_id.isdigit() or doc_id.startswith("0"):
        raise InvalidHistory(f"the history table has a document id {doc_id!r}; ids are whole numbers")
    if not isinstance(doc, dict):
        problem = "is not a JSON object"
    elif not isinstance(doc.get("item"), str):
        problem = "has no item key"
    elif not isinstance(doc.get("at"), str) or not _TIMESTAMP.fullmatch(doc["at"]):
        problem = f"has no time like 2026-11-02T09:14:00Z (got {doc.get('at')!r:.40})"
    elif not isinstance(doc.get("by"), str) or not isinstance(doc.get("what"), str):
        problem = "needs text for by and what"
    elif not isinstance(doc.get("fields"), dict) or not all(
        isinstance(pair, list) and len(pair) == 2 for pair in doc["fields"].values()
    ):
        problem = "needs fields as {field: [old, new]}"
    elif doc.get("op", "edited") not in ("created", "deleted", "edited"):
        problem = "has an op other than created or deleted"
    if problem:
        raise InvalidHistory(f"history document {doc_id} {problem}")


# ----- recording a change ------------------------------------------------------------------


def positions_before(backlog: Any, change: Change) -> dict[str, int]:
    """Rank positions, before `change` is applied, of the items whose place it may change."""
    prefix = backlog.meta.prefix
    found = {}
    for doc in change.docs:
        if doc.table != ITEMS:
            continue
        key = make_key(prefix, doc.doc_id)
        if key in backlog.items and (doc.after is None or "rank" in doc.after):
            found[key] = backlog.position(key)
    return found


def entries_for(change: Change, backlog: Any, before: Mapping[str, int], *, what: str, at: datetime,
                by: str) -> list[Doc]:
    """One entry per item `change` touched (the change already applied to `backlog`).

    Neighbours whose ranks were only re-spread to make room keep their place among the
    others and get no entry; an item gets `position` only when it moved past another.
    """
    prefix = backlog.meta.prefix
    stamp = format_timestamp(at)
    merged: dict[str, tuple[Doc | None, Doc | None, bool, bool]] = {}  # key: (old, new, created, deleted)
    for doc in change.docs:
        if doc.table != ITEMS:
            continue
        key = make_key(prefix, doc.doc_id)
        old, new, created, deleted = merged.get(key, ({}, {}, False, False))
        assert old is not None and new is not None
        for field, value in (doc.before or {}).items():
            old.setdefault(field, value)
        new.update(doc.after or {})
        for field in doc.before or {}:
            new.setdefault(field, None)
        merged[key] = (old, new, created or doc.before is None, deleted or doc.after is None)
    moved = _moved(backlog, before, merged)
    entries = []
    for key, (old, new, created, deleted) in merged.items():
        assert old is not None and new is not None
        if created and deleted:
            continue
        if created:
            fields = {f: [None, _kept(v)] for f, v in new.items() if f not in NOT_RECORDED and _given(f, v)}
        elif deleted:
            fields = {f: [_kept(v), None] for f, v in old.items() if f not in NOT_RECORDED and _given(f, v)}
        else:
            fields = {f: [_kept(old.get(f)), _kept(new.get(f))] for f in sorted(set(old) | set(new))
                      if f not in NOT_RECORDED and old.get(f) != new.get(f)}
        if key in moved:
            fields["position"] = list(moved[key])
        if not fields and not (created or deleted):
            continue
        entry: Doc = {"item": key, "at": stamp, "by": by, "what": what, "fields": fields}
        if created or deleted:
            entry["op"] = "created" if created else "deleted"
        entries.append(entry)
    return entries


def _moved(backlog: Any, before: Mapping[str, int], merged: Mapping[str, Any]) -> dict[str, tuple[int, int]]:
    """Items that changed place: (old #, new #). Neighbours whose ranks were only re-spread to
    make room keep their order and are not moves.

    An item moved when its place among the untouched items changed (its position less the
    touched items ahead of it). Among the touched items that stayed between the same untouched
    ones, the fewest that explain the new order moved: all but a longest run that kept its order.
    """
    touched_before = sorted(before.values())
    after = {key: backlog.position(key) for key in before if key in backlog.items}
    for key, (_, _, created, deleted) in merged.items():
        if created and not deleted and key in backlog.items:
            after[key] = backlog.position(key)
    touched_after = sorted(after.values())
    moved: dict[str, tuple[int, int]] = {}
    stayed: list[tuple[int, int, str]] = []  # (old position, new position, key)
    for key, old_position in before.items():
        if key not in after:
            continue
        new_position = after[key]
        old_place = old_position - bisect.bisect_left(touched_before, old_position)
        new_place = new_position - bisect.bisect_left(touched_after, new_position)
        if old_place != new_place:
            moved[key] = (old_position + 1, new_position + 1)
        else:
            stayed.append((old_position, new_position, key))
    stayed.sort()
    kept = _longest_increasing({i: entry[1] for i, entry in enumerate(stayed)})
    for i, (old_position, new_position, key) in enumerate(stayed):
        if i not in kept:
            moved[key] = (old_position + 1, new_position + 1)
    return moved


def _longest_increasing(values: Mapping[int, int]) -> set[int]:
    """Indices (0..n-1, in order) of a longest strictly increasing run of `values`: O(n log n)."""
    tails: list[int] = []  # value at the end of the best run of each length
    tail_index: list[int] = []
    previous: dict[int, int | None] = {}
    for index in range(len(values)):
        value = values[index]
        length = bisect.bisect_left(tails, value)
        if length == len(tails):
            tails.append(value)
            tail_index.append(index)
        else:
            tails[length] = value
            tail_index[length] = index
        previous[index] = tail_index[length - 1] if length else None
    kept: set[int] = set()
    current = tail_index[-1] if tail_index else None
    while current is not None:
        kept.add(current)
        current = previous[current]
    return kept


def _given(field: str, value: Any) -> bool:
    """Whether a created or deleted item's field says anything (defaults and blanks do not)."""
    if field == "status":
        return value != "new"
    return value not in (None, "", [], {})


def _kept(value: Any) -> Any:
    """The value as the log keeps it: long text abbreviated, everything else as it is."""
    if isinstance(value, str):
        return value if len(value) <= TEXT_KEPT else value[: TEXT_KEPT - 1] + "…"
    if isinstance(value, list):
        return [_kept(v) for v in value]
    if isinstance(value, dict):
        return {k: _kept(v) for k, v in value.items()}
    return value


# ----- saying what changed ------------------------------------------------------------------

_NAMES = {"moscow": "MoSCoW", "acceptance_criteria": "criteria", "scores": "scores"}


def describe(op: str, fields: Mapping[str, list[Any]]) -> list[str]:
    """Readable lines for an entry's fields. Text the user typed is quoted, never interpreted."""
    if op == "created":
        title = fields.get("title", [None, None])[1]
        kind = fields.get("kind", [None, None])[1]
        line = f"created “{title}”" if title else "created"
        details = [_created_detail(field, pair[1]) for field, pair in fields.items() if field not in ("title", "kind")]
        return [line + (f" ({kind})" if kind else ""), *(d for d in details if d)]
    if op == "deleted":
        title = fields.get("title", [None, None])[0]
        return [f"deleted “{title}”" if title else "deleted"]
    lines: list[str] = []
    for field, (old, new) in fields.items():
        lines.extend(_describe_field(field, old, new))
    return lines


def _created_detail(field: str, value: Any) -> str | None:
    if field == "position":
        return None
    if field == "acceptance_criteria":
        return f"with {len(value)} criteria" if len(value) != 1 else "with 1 criterion"
    if field == "questions":
        return f"with {len(value)} question{'s' if len(value) != 1 else ''}"
    if field == "parent":
        return f"split from {value}"
    if field in ("description", "evidence", "scores"):
        return f"with {field}"
    return f"{_NAMES.get(field, field)} {_value(field, value)}"


def _value(field: str, value: Any) -> str:
    if field == "points":
        return format_points(value)
    if value is None or value == "":
        return "none"
    if field == "status":
        return str(value).replace("_", " ")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    return str(value)


def _describe_field(field: str, old: Any, new: Any) -> list[str]:
    if field == "position":
        return [f"moved from #{old} to #{new}"]
    if field == "acceptance_criteria":
        return _list_changes(old or [], new or [], "criterion", _criterion_change)
    if field == "questions":
        return _list_changes(old or [], new or [], "question", _question_change)
    if field == "labels":
        added = [v for v in new or [] if v not in (old or [])]
        removed = [v for v in old or [] if v not in (new or [])]
        return ["labels " + " ".join([*(f"+{v}" for v in added), *(f"−{v}" for v in removed)])]
    if field == "title":
        return [f"title “{old}” → “{new}”"]
    if field in ("description", "source"):
        if not old:
            return [f"{field} added"]
        return [f"{field} removed" if not new else f"{field} changed"]
    if field == "evidence":
        return [f"evidence {len(old or [])} → {len(new or [])}"]
    if field == "scores":
        keys = sorted(set(old or {}) | set(new or {}))
        changed = [f"{k} {_value(k, (old or {}).get(k))} → {_value(k, (new or {}).get(k))}"
                   for k in keys if (old or {}).get(k) != (new or {}).get(k)]
        return ["scores " + ", ".join(changed)] if changed else []
    if field == "parent":
        return [f"split from {new}" if new else f"no longer split from {old}"]
    return [f"{_NAMES.get(field, field)} {_value(field, old)} → {_value(field, new)}"]


def _list_changes(old: list[Any], new: list[Any], noun: str, pair_change: Any) -> list[str]:
    """Entries added, removed, changed in place, or reordered, in words."""
    old_texts = [_text(e) for e in old]
    new_texts = [_text(e) for e in new]
    if len(old) == len(new):
        differing = [i for i, (a, b) in enumerate(zip(old_texts, new_texts, strict=True)) if a != b]
        if len(differing) == 1 and old_texts[differing[0]] not in new_texts:  # one entry reworded
            i = differing[0]
            return [f"{noun} {i + 1} edited: “{old_texts[i]}” → “{new_texts[i]}”",
                    *pair_change(old[i], new[i])]
    lines = []
    for entry in new:
        if _text(entry) not in old_texts:
            lines.append(f"{noun} added: “{_text(entry)}”")
    for entry in old:
        if _text(entry) not in new_texts:
            lines.append(f"{noun} removed: “{_text(entry)}”")
    for entry in new:
        if _text(entry) in old_texts:
            before = old[old_texts.index(_text(entry))]
            lines.extend(pair_change(before, entry))
    if not lines and old_texts != new_texts:
        lines.append("criteria reordered" if noun == "criterion" else "questions reordered")
    if not lines and old != new:
        lines.append(f"{noun} edited")
    return lines


def _text(entry: Any) -> str:
    return entry.get("text", "") if isinstance(entry, dict) else str(entry)


def _criterion_change(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    if bool(old.get("done")) != bool(new.get("done")):
        return [f"criterion {'ticked' if new.get('done') else 'unticked'}: “{_text(new)}”"]
    return []


def _question_change(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    lines = []
    if old.get("answer", "") != new.get("answer", ""):
        if new.get("answer"):
            lines.append(f"question answered: “{_text(new)}” → “{new['answer']}”")
        else:
            lines.append(f"question reopened: “{_text(new)}”")
    if old.get("ask", "") != new.get("ask", ""):
        lines.append(f"question “{_text(new)}”: ask {new.get('ask') or 'nobody'}")
    return lines


