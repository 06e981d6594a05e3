"""The filter language of `/`: words and field:value terms, all of which must match.

    checkout kind:bug,chore label:payments status:new ready:no moscow:must
    points:? points:>8 has:questions has:criteria has:conflicts -kind:epic "saved card"
    key:SHOP-1,SHOP-7 score:missing score:rice:missing

A word matches the key or title (case-insensitive). `-` before a term negates it; a comma
means "any of". Half-typed terms (`kind:`) are ignored so the list never flickers to empty
while typing; unknown fields and values give a message instead of a guess.
"""

from __future__ import annotations

import operator
import shlex
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import compress
from weakref import WeakKeyDictionary

from model.backlog import Backlog
from model.item import CLOSED_STATUSES, Item, Kind, MoSCoW, Status, parse_points
from model.meta import Settings
from model.readiness import readiness
from model.scoring import SCORE_MODELS, score

Predicate = Callable[[Item], bool]

FIELDS = ("kind", "label", "status", "ready", "moscow", "points", "has", "parent", "open", "key", "score")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
_HAS = {
    "criteria": lambda item: bool(item.acceptance_criteria),
    "questions": lambda item: bool(item.open_questions),
    "description": lambda item: bool(item.description.strip()),
    "labels": lambda item: bool(item.labels),
    "parent": lambda item: item.parent is not None,
    "evidence": lambda item: bool(item.evidence),
    "conflicts": lambda item: bool(item.conflicts),  # left by a git merge, to resolve
}


@dataclass(frozen=True)
class Filter:
    text: str
    predicates: tuple[Predicate, ...]
    error: str | None = None

    @property
    def active(self) -> bool:
        return bool(self.predicates)

    def matches(self, item: Item) -> bool:
        return all(predicate(item) for predicate in self.predicates)

    def apply(self, items: Iterable[Item]) -> list[str]:
        """Keys of the matching items, in the order given (a Backlog: rank order)."""
        if isinstance(items, Backlog):
            keys: list[str] = items.order
            lookup: Mapping[str, Item] = items.items
        else:
            listed = list(items)
            keys, lookup = [item.key for item in listed], {item.key: item for item in listed}
        words = [p.word for p in self.predicates if isinstance(p, _Word)]
        if words:  # the common case while typing: plain substring tests, no call per item
            texts = _backlog_texts(items) if isinstance(items, Backlog) else _search_texts(keys, lookup)
            for word in words:
                found = [word in text for text in texts]
                keys, texts = list(compress(keys, found)), list(compress(texts, found))
        others = [p for p in self.predicates if not isinstance(p, _Word)]
        if others:
            matching = [lookup[key] for key in keys]
            for predicate in others:  # each term narrows what the next one has to look at
                matching = [item for item in matching if predicate(item)]
            keys = [item.key for item in matching]
        return list(keys)


FILTER_MAX = 1000  # characters: far more than any real filter; parsing is not linear in length


def parse_filter(text: str, settings: Settings | None = None) -> Filter:
    settings = settings or Settings()
    if len(text) > FILTER_MAX:
        return Filter(text, (), f"the filter is {len(text):,} characters long; at most {FILTER_MAX:,} are read")
    try:
        tokens = shlex.split(text)
    except ValueError:  # an unclosed quote while typing: read it as plain words
        tokens = text.replace('"', " ").replace("'", " ").split()
    predicates: list[Predicate] = []
    errors: list[str] = []
    for token in tokens:
        negate = token.startswith("-") and len(token) > 1
        term = token[1:] if negate else token
        field, colon, value = term.partition(":")
        if colon and field.lower() in FIELDS:
            if not value:
                continue  # still typing
            try:
                predicate = _field_predicate(field.lower(), value, settings)
            except ValueError as exc:
                errors.append(str(exc))
                continue
        elif colon and field and field.isalpha() and not value.startswith("/"):
            errors.append(f"unknown filter {field}: — use {', '.join(FIELDS)}")
            continue
        else:
            word = term.casefold()
            if not word:
                continue
            predicate = _word_predicate(word)
        predicates.append(_negated(predicate) if negate else predicate)
    return Filter(text, tuple(predicates), errors[0] if errors else None)


def _negated(predicate: Predicate) -> Predicate:
    return lambda item: not predicate(item)


@dataclass(frozen=True)
class _Word:
    """A word of the filter: in the item's key or title, ignoring case."""

    word: str

    def __call__(self, item: Item) -> bool:
        return self.word in _search_text(item)


def _word_predicate(word: str) -> Predicate:
    return _Word(word)


# Each item's key and title, casefolded, made once per item version (items are immutable, so
# an edit makes a new object): a filter keystroke at 50k items then costs one `in` per item.
_SEARCH_TEXT: dict[str, tuple[Item, str]] = {}


# The search texts of a backlog's items in rank order, made once per change to it (every applied
# change bumps `Backlog.version`): a keystroke then looks nothing up per item.
_BACKLOG_TEXTS: WeakKeyDictionary[Backlog, tuple[int, list[str]]] = WeakKeyDictionary()


def _backlog_texts(backlog: Backlog) -> list[str]:
    cached = _BACKLOG_TEXTS.get(backlog)
    if cached is not None and cached[0] == backlog.version and len(cached[1]) == len(backlog.order):
        return cached[1]
    items = backlog.items
    texts = [_search_text(items[key]) for key in backlog.order]
    _BACKLOG_TEXTS[backlog] = (backlog.version, texts)
    return texts


_LAST_TEXTS: tuple[list[Item], list[str]] = ([], [])  # the last list of items searched


def _search_texts(keys: list[str], lookup: Mapping[str, Item]) -> list[str]:
    global _LAST_TEXTS
    items = list(map(lookup.__getitem__, keys))
    cached_items, cached_texts = _LAST_TEXTS
    if len(cached_items) == len(items) and all(map(operator.is_, cached_items, items)):
        return cached_texts  # the same item versions as the last keystroke: nothing to redo
    texts = [_search_text(item) for item in items]
    _LAST_TEXTS = (items, texts)
    return texts


def _search_text(item: Item) -> str:
    cached = _SEARCH_TEXT.get(item.key)
    if cached is not None and cached[0] is item:
        return cached[1]
    text = f"{item.key.casefold()}\n{item.title.casefold()}"  # \n: a word never spans the two
    _SEARCH_TEXT[item.key] = (item, text)
    return text


def _field_predicate(field: str, value: str, settings: Settings) -> Predicate:
    choices = [v for v in value.split(",") if v]
    if field == "kind":
        kinds = {_choice(v, [k.value for k in Kind], "kind") for v in choices}
        return lambda item: item.kind in kinds
    if field == "status":
        statuses = {_choice(v.replace("-", "_"), [s.value for s in Status], "status") for v in choices}
        return lambda item: item.status in statuses
    if field == "moscow":
        wanted = {
            None if v.lower() in ("none", "unset") else _choice(v.replace("'", ""), [m.value for m in MoSCoW], "moscow")
            for v in choices
        }
        return lambda item: item.moscow in wanted
    if field == "label":
        labels = {v.casefold() for v in choices}
        return lambda item: any(label.casefold() in labels for label in item.labels)
    if field == "ready":
        want = _yes_no(value, "ready")
        if want:
            return lambda item: readiness(item, settings).ready
        # Not ready means open work still to refine: a split record, a done or a dropped item
        # fails the Definition of Ready too, but nobody grooms it (the list marks it ÷ ✔ ✗).
        return lambda item: item.status not in CLOSED_STATUSES and not readiness(item, settings).ready
    if field == "open":
        want = _yes_no(value, "open")
        return lambda item: (item.status not in CLOSED_STATUSES) is want
    if field == "has":
        tests = [_HAS[_choice(v, list(_HAS), "has")] for v in choices]
        return lambda item: any(test(item) for test in tests)
    if field == "parent":
        parents = {v.upper() for v in choices}
        return lambda item: item.parent in parents
    if field == "key":
        # An item renumbered by a merge is still found by the key it had on its branch.
        keys = {v.upper() for v in choices}
        return lambda item: item.key in keys or any(former.key in keys for former in item.former_keys)
    if field == "score":
        return _score_predicate(value, settings)
    return _points_predicate(value)


def _score_predicate(value: str, settings: Settings) -> Predicate:
    """`score:missing` / `score:yes`: items lacking (or having) the inputs of the chosen score;
    `score:wsjf:missing` names the score."""
    model, _, state = value.rpartition(":")
    model = model or settings.score_model or ""
    if model not in SCORE_MODELS:
        raise ValueError("score: choose a score first (ctrl+p, Score column) or write score:wsjf:missing")
    if state not in ("missing", "yes", "no"):
        raise ValueError(f"score:{value} — use score:missing or score:yes")
    want = state == "yes"
    return lambda item: (score(item, model, settings) is not None) is want


def _points_predicate(value: str) -> Predicate:
    for op, compare in (
        (">=", lambda a, b: a >= b), ("<=", lambda a, b: a <= b),
        (">", lambda a, b: a > b), ("<", lambda a, b: a < b),
    ):
        if value.startswith(op):
            try:
                limit = float(value[len(op):])
            except ValueError:
                raise ValueError(f"points:{value} — expected a number after {op}") from None
            return lambda item: item.points is not None and compare(item.points, limit)
    try:
        wanted = {parse_points(v) for v in value.split(",") if v}
    except ValueError as exc:
        raise ValueError(f"points: {exc}") from None
    return lambda item: item.points in wanted


def _choice(value: str, options: list[str], field: str) -> str:
    lowered = value.lower()
    if lowered in options:
        return lowered
    matches = [o for o in options if o.startswith(lowered)]
    if len(matches) == 1:
        return matches[0]
    raise ValueError(f"{field}:{value} — use one of {', '.join(options)}")


def _yes_no(value: str, field: str) -> bool:
    if value.lower() in _YES:
        return True
    if value.lower() in _NO:
        return False
    raise ValueError(f"{field}:{value} — use yes or no")
