"""Resolving a merge conflict: the user picks ours, theirs or the ancestor's value of a field.

One command per pick, through the backlog service like every change, so it is saved at once
and undoable. Picking the side that deleted the item deletes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from model.backlog import Backlog
from model.change import ITEMS, Change, DocChange
from model.commands import _check_parent, _questions, _with_questions_status, revise
from model.conflict import SIDES, Side, field_words
from model.errors import CommandError


@dataclass(frozen=True)
class ResolveConflict:
    key: str
    field: str
    side: Side

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        item = backlog.item(self.key)
        if self.side not in SIDES:
            raise CommandError(f"pick ours, theirs or base, not {self.side!r}")
        conflict = item.conflict(self.field)
        if conflict is None:
            raise CommandError(f"{self.key} has no merge conflict on {field_words(self.field)}")
        label = f"Resolve {self.key} {field_words(self.field)}: {conflict.label(self.side)}"
        if self.field == "deleted":
            label = f"Resolve {self.key}: {'delete' if conflict.value(self.side) else 'keep'} it"
        remaining = [c.model_dump(mode="json") for c in item.conflicts if c.field != self.field]
        if self.field == "deleted":
            if conflict.value(self.side):
                return Change(label, (DocChange(ITEMS, item.number, item.to_doc(), None),))
            return revise(backlog, self.key, label, now, conflicts=remaining)
        value = conflict.value(self.side)
        fields = {self.field: value, "conflicts": remaining}
        if self.field == "parent" and value:
            _check_parent(backlog, self.key, value)
        if self.field == "questions" and item.conflict("status") is None:
            fields.update(_with_questions_status(item, _questions(value or [], self.key)))
        return revise(backlog, self.key, label, now, **fields)

