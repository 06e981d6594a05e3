"""A change to the backlog, as field-level edits of stored documents.

Every command produces one `Change`. The same value is what gets persisted, what the undo
stack keeps (its `inverse()` undoes it exactly), and what tells the UI which rows to redraw.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Doc = dict[str, Any]

ITEMS = "items"
SPRINTS = "sprints"
TEAM = "team"
META = "meta"
SESSIONS = "sessions"  # refinement sessions (model/session.py)
HISTORY = "history"  # every item's change log (model/history.py): written beside changes, never undone
TABLES = (META, ITEMS, SPRINTS, TEAM, SESSIONS, HISTORY)


@dataclass(frozen=True)
class DocChange:
    """One document created, edited or deleted.

    Created: `before` is None and `after` the whole document. Deleted: the reverse.
    Edited: `before` and `after` hold only the fields that changed, old and new values.
    """

    table: str
    doc_id: int
    before: Doc | None
    after: Doc | None

    @property
    def created(self) -> bool:
        return self.before is None

    @property
    def deleted(self) -> bool:
        return self.after is None

    def inverse(self) -> DocChange:
        return DocChange(self.table, self.doc_id, self.after, self.before)

    def apply_to(self, doc: Doc | None) -> Doc | None:
        """The document after this change, given the one before it."""
        if self.after is None:
            return None
        if self.before is None:
            return dict(self.after)
        if doc is None:
            raise KeyError(f"{self.table} document {self.doc_id} no longer exists")
        return {**doc, **self.after}

    def fields(self) -> list[str]:
        return sorted(set(self.before or {}) | set(self.after or {}))


@dataclass(frozen=True)
class Change:
    """What one user action did, in words (`label`) and in documents (`docs`)."""

    label: str
    docs: tuple[DocChange, ...]

    def inverse(self) -> Change:
        return Change(self.label, tuple(d.inverse() for d in reversed(self.docs)))

    def __bool__(self) -> bool:
        return bool(self.docs)


def diff_docs(table: str, doc_id: int, old: Doc | None, new: Doc | None) -> DocChange | None:
    """The field-level change from `old` to `new`, or None when they are equal."""
    if old is None and new is None:
        return None
    if old is None or new is None:
        return DocChange(table, doc_id, old, new)
    before = {k: v for k, v in old.items() if new.get(k, _MISSING) != v}
    after = {k: new[k] for k in new if old.get(k, _MISSING) != new[k]}
    for k in before:
        after.setdefault(k, None)
    if not before and not after:
        return None
    for k in after:
        before.setdefault(k, None)
    return DocChange(table, doc_id, before, after)


_MISSING = object()
