"""Splitting a big story into small, valuable, testable ones.

`split_reasons` says why an item may need splitting; `PATTERNS` are Richard Lawrence's
nine story-splitting patterns, each able to pre-fill child titles; `SplitDraft` is the
wizard's work in progress; `review` warns about a draft; `SplitItem` applies it as one
change: the children take the parent's place in the rank (right below it, in the order
given) and the parent stays as the record of the split with status `split`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from pydantic import ValidationError

from model.backlog import Backlog
from model.change import ITEMS, Change, DocChange
from model.errors import CommandError
from model.item import Item, Kind, MoSCoW, Status, format_points, parse_points
from model.meta import Settings
from model.rank import place
from model.validation import describe

TOO_MANY_CRITERIA = 6
VAGUE_WORDS = frozenset({
    "improve", "improved", "better", "optimise", "optimize", "enhance", "enhancements", "various",
    "misc", "stuff", "etc", "refactor", "cleanup", "revamp", "rework", "support", "handle", "overhaul",
})
INVEST = (
    "Independent: can be built and released on its own",
    "Negotiable: a conversation, not a contract",
    "Valuable: each child delivers value a user or customer sees",
    "Estimable: the team can size it",
    "Small: fits comfortably in a sprint",
    "Testable: has acceptance criteria someone can check",
)


def split_reasons(item: Item, settings: Settings) -> list[str]:
    """Why this item may need splitting, in words (empty: it looks small and clear)."""
    reasons = []
    if item.points is not None and item.points > settings.split_threshold:
        reasons.append(
            f"{format_points(item.points)} points is above the split threshold of {settings.split_threshold:g}"
        )
    if item.kind == Kind.EPIC:
        reasons.append("it is an epic: epics are split into stories before they are planned")
    if not item.acceptance_criteria:
        reasons.append("it has no acceptance criteria: nobody can say when it is done")
    elif len(item.acceptance_criteria) > TOO_MANY_CRITERIA:
        reasons.append(f"it has {len(item.acceptance_criteria)} acceptance criteria: more than one story's worth")
    if is_vague(item.title):
        reasons.append("the title is vague: say who gets what, so the pieces are clear")
    return reasons


def is_vague(title: str) -> bool:
    words = re.findall(r"[\w']+", title.casefold())
    return len(words) < 3 or any(word in VAGUE_WORDS for word in words)


# ----- patterns -------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildDraft:
    """One child story being drafted: its criteria are parent criteria (by index) and new ones."""

    title: str
    kind: Kind = Kind.STORY
    points: float | None = None
    parent_criteria: tuple[int, ...] = ()
    new_criteria: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pattern:
    name: str
    hint: str
    example: str
    children: Callable[[str], list[ChildDraft]]


def _titles(*titles: str) -> Callable[[str], list[ChildDraft]]:
    return lambda title: [ChildDraft(t.format(title=title)) for t in titles]


def _spike(title: str) -> list[ChildDraft]:
    return [ChildDraft(f"Spike: {title}", kind=Kind.SPIKE), ChildDraft(title)]


PATTERNS: tuple[Pattern, ...] = (
    Pattern("Workflow steps", "Build the simplest path through the workflow end to end, then add the steps in between.",
            "“Publish an article” → publish directly; then add editor review; then legal review.",
            _titles("{title}: simplest path end to end", "{title}: add the next step")),
    Pattern("Business rule variations", "One story per business rule, simplest rule first.",
            "“Search flights” → by date; with flexible dates ±3 days; excluding red-eye flights.",
            _titles("{title}: the simplest rule", "{title}: the next rule")),
    Pattern("Major effort", "The first one carries the effort; the rest are small. Do one first, then the others.",
            "“Pay by card” → Visa first (builds the payment plumbing); then Mastercard and Amex.",
            _titles("{title}: the first one (builds the foundation)", "{title}: the rest")),
    Pattern("Simple / complex", "What is the simplest version that still works? Split the complexity out.",
            "“Search” → keyword search; then filters; then saved searches.",
            _titles("{title}: simplest version", "{title}: the complex cases")),
    Pattern("Variations in data", "Handle one kind of data first, add the other kinds later.",
            "“Import contacts” → from CSV; then from vCard; then from Google.",
            _titles("{title}: for one kind of data", "{title}: for the other kinds")),
    Pattern("Data entry methods", "Start with the simplest way to enter data; add the rich input later.",
            "“Pick a delivery date” → a plain date field; then a calendar picker.",
            _titles("{title}: simple input", "{title}: rich input")),
    Pattern("Defer performance", "Make it work first, make it fast later.",
            "“Search 1M products” → correct results; then results under 200 ms.",
            _titles("{title}: make it work", "{title}: make it fast")),
    Pattern("Operations (CRUD)", "Split by operation: create, read, update, delete.",
            "“Manage saved addresses” → add; view; edit; remove.",
            _titles("{title}: create", "{title}: read", "{title}: update", "{title}: delete")),
    Pattern("Break out a spike", "Too uncertain to estimate? A timeboxed spike first, then the story.",
            "“Pay with Klarna” → Spike: how does the Klarna API work? Then: pay with Klarna.",
            _spike),
)


# ----- the draft and its review ---------------------------------------------------------


@dataclass(frozen=True)
class SplitDraft:
    key: str
    children: tuple[ChildDraft, ...] = ()
    pattern: str = ""

    def with_pattern(self, pattern: Pattern, item: Item) -> SplitDraft:
        return replace(self, pattern=pattern.name, children=tuple(pattern.children(short_title(item.title))))

    def with_child(self, index: int, child: ChildDraft) -> SplitDraft:
        children = list(self.children)
        children[index] = child
        return replace(self, children=tuple(children))

    def add_child(self, child: ChildDraft, at: int | None = None) -> SplitDraft:
        children = list(self.children)
        children.insert(len(children) if at is None else at, child)
        return replace(self, children=tuple(children))

    def remove_child(self, index: int) -> SplitDraft:
        return replace(self, children=self.children[:index] + self.children[index + 1:])

    def move_child(self, index: int, offset: int) -> SplitDraft:
        target = index + offset
        if not (0 <= index < len(self.children) and 0 <= target < len(self.children)):
            return self
        children = list(self.children)
        children.insert(target, children.pop(index))
        return replace(self, children=tuple(children))

    def toggle_criterion(self, child: int, criterion: int) -> SplitDraft:
        current = self.children[child]
        assigned = set(current.parent_criteria) ^ {criterion}
        return self.with_child(child, replace(current, parent_criteria=tuple(sorted(assigned))))

    def command(self) -> SplitItem:
        return SplitItem(self.key, self.children, self.pattern)


def short_title(title: str, limit: int = 120) -> str:
    return title if len(title) <= limit else title[: limit - 1] + "…"


@dataclass(frozen=True)
class Review:
    points_total: float
    parent_points: float | None
    unestimated: int
    warnings: tuple[str, ...]


def review(item: Item, draft: SplitDraft, settings: Settings) -> Review:
    """What to check before applying: points against the parent's, and anything missing."""
    children = draft.children
    warnings = []
    if not children:
        warnings.append("there are no children yet: add at least two")
    elif len(children) == 1:
        warnings.append("only one child: a split needs at least two stories to be a split")
    for number, child in enumerate(children, start=1):
        name = f"child {number} “{short_title(child.title, 40)}”"
        if not child.parent_criteria and not child.new_criteria:
            warnings.append(f"{name} has no acceptance criteria")
        if child.points is not None and child.points > settings.split_threshold:
            warnings.append(f"{name} is still above the split threshold ({format_points(child.points)} points)")
        if not child.title.strip():
            warnings.append(f"child {number} has no title")
    assigned = {index for child in children for index in child.parent_criteria}
    for index, criterion in enumerate(item.acceptance_criteria):
        if index not in assigned:
            warnings.append(f"criterion {index + 1} “{short_title(criterion.text, 40)}” is assigned to no child")
    total = sum(child.points or 0 for child in children)
    unestimated = sum(child.points is None for child in children)
    return Review(total, item.points, unestimated, tuple(warnings))


# ----- the command ----------------------------------------------------------------------


@dataclass(frozen=True)
class SplitItem:
    """Replace `key` by `children`: one undo step, redone exactly by redo."""

    key: str
    children: tuple[ChildDraft, ...]
    pattern: str = ""
    labels: tuple[str, ...] | None = None  # None: copy the parent's
    moscow: MoSCoW | str | None = field(default="inherit")

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        parent = backlog.item(self.key)
        if parent.is_closed:
            raise CommandError(f"{self.key} is {parent.status.value}; only open items can be split")
        if not self.children:
            raise CommandError(f"a split of {self.key} needs at least one child story")
        for number, child in enumerate(self.children, start=1):
            bad = [i for i in child.parent_criteria if not 0 <= i < len(parent.acceptance_criteria)]
            if bad:
                raise CommandError(f"child {number} is given criterion {bad[0] + 1}, which {self.key} does not have")
        position = backlog.position(self.key)
        others = [k for k in backlog.order if k != self.key]
        ranks = [backlog.items[k].rank for k in others]
        # Children go right below the parent: ranks between the parent and the next item.
        placement = place([*ranks[:position], parent.rank, *ranks[position:]], position + 1, len(self.children))
        docs: list[DocChange] = []
        for slot, rank in placement.rewrites.items():
            if slot == position:
                docs.append(DocChange(ITEMS, parent.number, {"rank": parent.rank}, {"rank": rank}))
                continue
            neighbour = backlog.items[others[slot if slot < position else slot - 1]]
            docs.append(DocChange(ITEMS, neighbour.number, {"rank": neighbour.rank}, {"rank": rank}))
        moscow = parent.moscow if self.moscow == "inherit" else self.moscow
        labels = list(parent.labels if self.labels is None else self.labels)
        for offset, (child, rank) in enumerate(zip(self.children, placement.ranks, strict=True)):
            key = backlog.next_key(offset)
            criteria = [parent.acceptance_criteria[i].model_dump() for i in child.parent_criteria]
            criteria += [{"text": text, "done": False} for text in child.new_criteria]
            try:
                points = parse_points(child.points)
                item = Item.model_validate({
                    "key": key, "title": child.title, "kind": child.kind, "rank": rank, "points": points,
                    "moscow": moscow, "labels": labels, "parent": parent.key,
                    "acceptance_criteria": criteria, "created": now, "updated": now,
                })
            except (ValidationError, ValueError) as exc:
                message = describe(exc, f"child {offset + 1}") if isinstance(exc, ValidationError) else str(exc)
                raise CommandError(message) from None
            docs.append(DocChange(ITEMS, item.number, None, item.to_doc()))
        try:
            record = parent.revised(status=Status.SPLIT, updated=now)
        except ValidationError as exc:  # pragma: no cover - status is always valid
            raise CommandError(describe(exc, self.key)) from None
        docs.append(DocChange(ITEMS, parent.number, {"status": parent.status.value,
                                                      "updated": parent.to_doc()["updated"]},
                              {"status": record.status.value, "updated": record.to_doc()["updated"]}))
        count = len(self.children)
        return Change(f"Split {self.key} into {count} stor{'ies' if count > 1 else 'y'}", tuple(docs))
