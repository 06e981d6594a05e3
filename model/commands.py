"""Commands: what a user can do to the backlog, each turned into one `Change`.

A command states an intent ("move SHOP-12 up", "cycle its MoSCoW"), not a result: it is
planned against the backlog as it is at the moment of writing (after pulling in other
processes' changes), so two people working on one file never act on stale state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from pydantic import ValidationError

from model.backlog import META_DOC_ID, Backlog
from model.change import ITEMS, META, Change, DocChange, diff_docs
from model.errors import CommandError
from model.item import Criterion, Item, Kind, MoSCoW, Question, Status, format_points, parse_points
from model.meta import Settings
from model.rank import place
from model.validation import describe

MOSCOW_CYCLE: tuple[MoSCoW | None, ...] = (MoSCoW.MUST, MoSCoW.SHOULD, MoSCoW.COULD, MoSCoW.WONT, None)
EDITABLE_FIELDS = frozenset(
    {"title", "kind", "description", "status", "points", "moscow", "labels", "acceptance_criteria",
     "questions", "evidence", "scores", "parent", "source"}
)


class Command(Protocol):
    def plan(self, backlog: Backlog, now: datetime) -> Change: ...


# ----- helpers shared by the commands ---------------------------------------------------


def revise(backlog: Backlog, key: str, label: str, now: datetime, **fields: Any) -> Change:
    """A change editing fields of one item; empty when nothing would change."""
    item = backlog.item(key)
    try:
        new = item.revised(**fields, updated=now)
    except ValidationError as exc:
        raise CommandError(describe(exc, key)) from None
    change = diff_docs(ITEMS, item.number, item.to_doc(), new.to_doc())
    if change is None or change.fields() == ["updated"]:
        return Change(label, ())
    return Change(label, (change,))


def _rank_changes(backlog: Backlog, key: str | None, index: int) -> tuple[str, list[DocChange]]:
    """Rank for `key` (or a new item) landing at `index` among the others, and any neighbour
    re-ranks needed to make room."""
    others = _Without(backlog.order, backlog.position(key) if key is not None else None)
    ranks = _Ranks(others, backlog.items)
    placement = place(ranks, index)
    docs = []
    for position, rank in sorted(placement.rewrites.items()):
        neighbour = backlog.items[others[position]]
        docs.append(DocChange(ITEMS, neighbour.number, {"rank": neighbour.rank}, {"rank": rank}))
    return placement.rank, docs


class _Without(Sequence[str]):
    """The rank order without one position, without copying it: placing an item reads only
    a few neighbours, so a move costs the same in a 50k backlog as in a 50-item one."""

    def __init__(self, keys: Sequence[str], skip: int | None) -> None:
        self.keys, self.skip = keys, skip

    def __len__(self) -> int:
        return len(self.keys) - (self.skip is not None)

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self.keys[index + 1 if self.skip is not None and index >= self.skip else index]


class _Ranks(Sequence[str]):
    def __init__(self, keys: Sequence[str], items: Mapping[str, Item]) -> None:
        self.keys, self.items = keys, items

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        return self.items[self.keys[index]].rank


def _with_questions_status(item: Item, questions: tuple[Question, ...]) -> dict[str, Any]:
    """Questions and the status they imply: an open question makes the item needs-info;
    answering the last one returns it to new."""
    fields: dict[str, Any] = {"questions": [q.model_dump() for q in questions]}
    has_open = any(q.is_open for q in questions)
    if has_open and item.status in (Status.NEW, Status.READY):
        fields["status"] = Status.NEEDS_INFO
    elif not has_open and item.status == Status.NEEDS_INFO:
        fields["status"] = Status.NEW
    return fields


def _questions(raw: Any, key: str) -> tuple[Question, ...]:
    """Validate questions one by one, so an error names which question is wrong."""
    if not isinstance(raw, list | tuple):
        raise CommandError(f"{key}: questions must be a list")
    questions = []
    for number, question in enumerate(raw, start=1):
        try:
            questions.append(question if isinstance(question, Question) else Question.model_validate(question))
        except ValidationError as exc:
            raise CommandError(f"{key}: question {number} {describe(exc)}") from None
    return tuple(questions)


def _check_parent(backlog: Backlog, key: str, parent: str) -> None:
    """An item cannot be split from itself, nor from one of its own descendants."""
    seen = {key}
    current: str | None = parent
    while current is not None:
        if current in seen:
            raise CommandError(f"{key} cannot be split from {parent}: that would make a loop of parents")
        seen.add(current)
        current = backlog.items[current].parent if current in backlog.items else None


def _dump_all(models: Iterable[Any]) -> list[dict[str, Any]]:
    return [m.model_dump() for m in models]


def _check_index(items: tuple[Any, ...], index: int, what: str, key: str) -> None:
    if not 0 <= index < len(items):
        raise CommandError(f"{key} has no {what} {index + 1}")


def _locate(entries: tuple[Any, ...], index: int, expected: str | None, what: str, key: str) -> int:
    """Where the criterion or question the user acted on is now.

    Commands name entries by position, as the user saw them; another Groom on the file may
    have added, moved or removed entries since. With `expected` (the text the user saw) the
    entry is found again by its text, nearest to where it was; if it is gone, the command is
    refused rather than applied to whatever entry now sits at that position.
    """
    if expected is None:
        _check_index(entries, index, what, key)
        return index
    if 0 <= index < len(entries) and entries[index].text == expected:
        return index
    found = [i for i, entry in enumerate(entries) if entry.text == expected]
    if not found:
        shown = expected if len(expected) <= 40 else expected[:39] + "…"
        raise CommandError(f"{key}: {what} “{shown}” was changed or removed by another Groom since; nothing was done")
    return min(found, key=lambda i: abs(i - index))


# ----- items ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AddItem:
    """A new item right below `below` (at the top when None), with the next key."""

    title: str
    below: str | None = None
    kind: Kind | str = Kind.STORY
    fields: Mapping[str, Any] = field(default_factory=dict)

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        index = backlog.position(self.below) + 1 if self.below is not None else 0
        key = backlog.next_key()
        rank, neighbours = _rank_changes(backlog, None, index)
        unknown = set(self.fields) - EDITABLE_FIELDS
        if unknown:
            raise CommandError(f"unknown field {sorted(unknown)[0]!r}")
        doc = {**self.fields, "key": key, "title": self.title, "kind": self.kind, "rank": rank,
               "created": now, "updated": now}
        if self.fields.get("questions") and "status" not in self.fields:
            questions = _questions(self.fields["questions"], "new item")
            if any(q.is_open for q in questions):
                doc["status"] = Status.NEEDS_INFO
        try:
            item = Item.model_validate(doc)
        except ValidationError as exc:
            raise CommandError(describe(exc, "new item")) from None
        created = DocChange(ITEMS, item.number, None, item.to_doc())
        return Change(f"Add {key}", (*neighbours, created))


@dataclass(frozen=True)
class EditItem:
    """Set fields of an item (the edit form)."""

    key: str
    fields: Mapping[str, Any]

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        unknown = set(self.fields) - EDITABLE_FIELDS
        if unknown:
            raise CommandError(f"{self.key}: {sorted(unknown)[0]!r} cannot be edited")
        item = backlog.item(self.key)
        fields = dict(self.fields)
        if "questions" in fields and "status" not in fields:
            fields.update(_with_questions_status(item, _questions(fields["questions"], self.key)))
        if fields.get("parent"):
            _check_parent(backlog, self.key, fields["parent"])
        return revise(backlog, self.key, f"Edit {self.key}", now, **fields)


@dataclass(frozen=True)
class EditScores:
    """Set some of an item's scoring inputs, keeping the others as they are when it is written
    (another Groom may have set them since the form opened). `changes` maps an input to its
    value (None clears it); "weighted" maps criterion names to values the same way."""

    key: str
    changes: Mapping[str, Any]

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        scores = backlog.item(self.key).scores.model_dump()
        for name, value in self.changes.items():
            if name == "weighted":
                weighted = dict(scores["weighted"])
                for criterion, number in dict(value).items():
                    if number is None:
                        weighted.pop(criterion, None)
                    else:
                        weighted[criterion] = number
                scores["weighted"] = weighted
            elif name in scores:
                scores[name] = value
            else:
                raise CommandError(f"{self.key}: {name!r} is not a scoring input")
        return revise(backlog, self.key, f"Edit {self.key}", now, scores=scores)


Where = Literal["up", "down", "top", "bottom", "above", "below"]


@dataclass(frozen=True)
class MoveItem:
    """Move an item one place, to an end, or next to another item (`anchor`)."""

    key: str
    where: Where
    anchor: str | None = None

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        if self.where not in ("up", "down", "top", "bottom", "above", "below"):
            raise CommandError(f"cannot move {self.key} {self.where!r}: use up, down, top, bottom, above or below")
        position = backlog.position(self.key)
        last = len(backlog) - 1
        if self.where == "up":
            index = position - 1
        elif self.where == "down":
            index = position + 1
        elif self.where == "top":
            index = 0
        elif self.where == "bottom":
            index = last
        else:
            if self.anchor is None:
                raise CommandError("a move next to an item needs that item")
            if self.anchor == self.key:
                return Change(f"Move {self.key}", ())
            anchor = backlog.position(self.anchor)
            anchor -= 1 if anchor > position else 0  # its index once the moved item is lifted out
            index = anchor if self.where == "above" else anchor + 1
        index = max(0, min(index, last))
        label = f"Move {self.key} {_where_words(self.where, self.anchor)}"
        if index == position:
            return Change(label, ())
        item = backlog.items[self.key]
        rank, neighbours = _rank_changes(backlog, self.key, index)
        moved = DocChange(ITEMS, item.number, {"rank": item.rank}, {"rank": rank})
        return Change(label, (*neighbours, moved))


def _where_words(where: str, anchor: str | None) -> str:
    return {"top": "to the top", "bottom": "to the bottom"}.get(where, f"{where} {anchor or ''}".strip())


@dataclass(frozen=True)
class DeleteItem:
    key: str

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        item = backlog.item(self.key)
        return Change(f"Delete {self.key}", (DocChange(ITEMS, item.number, item.to_doc(), None),))


@dataclass(frozen=True)
class SetPoints:
    key: str
    points: float | str | None

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        try:
            points = parse_points(self.points)
        except ValueError as exc:
            raise CommandError(f"{self.key}: {exc}") from None
        return revise(backlog, self.key, f"Estimate {self.key}: {format_points(points)}", now, points=points)


@dataclass(frozen=True)
class CycleMoscow:
    """must -> should -> could -> won't -> none -> must."""

    key: str

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        item = backlog.item(self.key)
        following = MOSCOW_CYCLE[(MOSCOW_CYCLE.index(item.moscow) + 1) % len(MOSCOW_CYCLE)]
        words = following.value if following else "none"
        return revise(backlog, self.key, f"MoSCoW {self.key}: {words}", now, moscow=following)


# ----- acceptance criteria ----------------------------------------------------------------


@dataclass(frozen=True)
class AddCriterion:
    key: str
    text: str

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        item = backlog.item(self.key)
        criteria = [*_dump_all(item.acceptance_criteria), {"text": self.text, "done": False}]
        return revise(backlog, self.key, f"Add criterion to {self.key}", now, acceptance_criteria=criteria)


@dataclass(frozen=True)
class EditCriterion:
    key: str
    index: int
    text: str
    expected: str | None = None  # the criterion's text as the user saw it (see _locate)

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        item = backlog.item(self.key)
        index = _locate(item.acceptance_criteria, self.index, self.expected, "criterion", self.key)
        criteria = _dump_all(item.acceptance_criteria)
        criteria[index]["text"] = self.text
        return revise(backlog, self.key, f"Edit criterion {index + 1} of {self.key}", now,
                      acceptance_criteria=criteria)


@dataclass(frozen=True)
class ToggleCriterion:
    key: str
    index: int
    done: bool | None = None  # None flips it
    expected: str | None = None

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        item = backlog.item(self.key)
        index = _locate(item.acceptance_criteria, self.index, self.expected, "criterion", self.key)
        criteria = _dump_all(item.acceptance_criteria)
        done = (not criteria[index]["done"]) if self.done is None else self.done
        criteria[index]["done"] = done
        verb = "Tick" if done else "Untick"
        return revise(backlog, self.key, f"{verb} criterion {index + 1} of {self.key}", now,
                      acceptance_criteria=criteria)


@dataclass(frozen=True)
class DeleteCriterion:
    key: str
    index: int
    expected: str | None = None

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        item = backlog.item(self.key)
        index = _locate(item.acceptance_criteria, self.index, self.expected, "criterion", self.key)
        criteria = _dump_all(item.acceptance_criteria)
        del criteria[index]
        return revise(backlog, self.key, f"Delete criterion {index + 1} of {self.key}", now,
                      acceptance_criteria=criteria)


@dataclass(frozen=True)
class MoveCriterion:
    key: str
    index: int
    offset: int  # -1 up, +1 down
    expected: str | None = None

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        item = backlog.item(self.key)
        index = _locate(item.acceptance_criteria, self.index, self.expected, "criterion", self.key)
        target = index + self.offset
        if not 0 <= target < len(item.acceptance_criteria):
            return Change(f"Move criterion of {self.key}", ())
        criteria = _dump_all(item.acceptance_criteria)
        criteria.insert(target, criteria.pop(index))
        return revise(backlog, self.key, f"Move criterion {index + 1} of {self.key}", now,
                      acceptance_criteria=criteria)


# ----- questions --------------------------------------------------------------------------


@dataclass(frozen=True)
class AddQuestion:
    """Raise a question for a stakeholder; the item becomes needs-info."""

    key: str
    text: str
    ask: str = ""

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        item = backlog.item(self.key)
        try:
            question = Question(text=self.text, ask=self.ask)
        except ValidationError as exc:
            raise CommandError(describe(exc, f"{self.key} question")) from None
        fields = _with_questions_status(item, (*item.questions, question))
        return revise(backlog, self.key, f"Ask about {self.key}", now, **fields)


@dataclass(frozen=True)
class EditQuestion:
    """Change a question's text, whom to ask, or its answer."""

    key: str
    index: int
    text: str | None = None
    ask: str | None = None
    answer: str | None = None
    expected: str | None = None  # the question's text as the user saw it (see _locate)

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        item = backlog.item(self.key)
        index = _locate(item.questions, self.index, self.expected, "question", self.key)
        updates = {k: v for k, v in (("text", self.text), ("ask", self.ask), ("answer", self.answer)) if v is not None}
        questions = list(item.questions)
        try:
            questions[index] = Question.model_validate({**questions[index].model_dump(), **updates})
        except ValidationError as exc:
            raise CommandError(describe(exc, f"{self.key} question {index + 1}")) from None
        verb = "Answer" if updates.keys() == {"answer"} else "Edit"
        if not updates:
            return Change(f"Edit question {index + 1} of {self.key}", ())
        return revise(backlog, self.key, f"{verb} question {index + 1} of {self.key}", now,
                      **_with_questions_status(item, tuple(questions)))


@dataclass(frozen=True)
class DeleteQuestion:
    key: str
    index: int
    expected: str | None = None

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        item = backlog.item(self.key)
        index = _locate(item.questions, self.index, self.expected, "question", self.key)
        questions = list(item.questions)
        del questions[index]
        return revise(backlog, self.key, f"Delete question {index + 1} of {self.key}", now,
                      **_with_questions_status(item, tuple(questions)))


# ----- backlog settings -------------------------------------------------------------------


@dataclass(frozen=True)
class EditSettings:
    """Change backlog settings (estimate unit, split threshold, Definition of Ready, scoring…)."""

    fields: Mapping[str, Any]
    label: str = "Change settings"

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        current = backlog.meta.settings
        try:
            settings = Settings.model_validate({**current.model_dump(), **self.fields})
        except ValidationError as exc:
            raise CommandError(describe(exc, "settings")) from None
        before, after = current.model_dump(mode="json"), settings.model_dump(mode="json")
        if before == after:
            return Change(self.label, ())
        return Change(self.label, (DocChange(META, META_DOC_ID, {"settings": before}, {"settings": after}),))


__all__ = [
    "AddCriterion", "AddItem", "AddQuestion", "Command", "Criterion", "CycleMoscow", "DeleteCriterion",
    "DeleteItem", "DeleteQuestion", "EditCriterion", "EditItem", "EditQuestion", "EditScores", "EditSettings",
    "MoveCriterion", "MoveItem", "SetPoints", "ToggleCriterion",
]
