"""Three-way merges of single field values: what one item field becomes when two branches
changed it.

The rule is the live store's, per field: a value changed on one side only takes that side's
value; changed on both sides to the same value, that value. Changed on both sides to
different values, some fields still merge because their parts are independent:

- labels are a set: each side's additions and removals are kept;
- acceptance criteria, questions and evidence are lists merged entry by entry (a diff3 of
  the entries): one side ticking a criterion while the other adds one is no conflict, and
  entries both sides added at the same place are all kept (ours first);
- the description is text merged line by line, as git merges files;
- scores are merged input by input.

What is left is a clash: both candidates are returned (each keeping every change that did
merge), the ours candidate in place, so the caller can record a conflict.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from merge3 import Merge3

MISSING: Any = object()  # the field is absent on that side (e.g. no common ancestor)


@dataclass(frozen=True)
class Merged:
    value: Any
    # (ours candidate, theirs candidate) when both sides changed it incompatibly.
    clash: tuple[Any, Any] | None = None


def merge_value(field: str, base: Any, ours: Any, theirs: Any) -> Merged:
    if ours == theirs or theirs == base:
        return Merged(ours)
    if ours == base:
        return Merged(theirs)
    merger = _MERGERS.get(field, _clash)
    return merger(base, ours, theirs)


def _clash(base: Any, ours: Any, theirs: Any) -> Merged:
    return Merged(ours, (ours, theirs))


def _labels(base: Any, ours: Any, theirs: Any) -> Merged:
    if not (isinstance(ours, list) and isinstance(theirs, list)):
        return _clash(base, ours, theirs)
    before = set(base) if isinstance(base, list) else set()
    removed_by_theirs = before - set(theirs)
    merged = [label for label in ours if label not in removed_by_theirs]
    merged += [label for label in theirs if label not in ours and label not in before]
    return Merged(merged)


def _entries(base: Any, ours: Any, theirs: Any) -> Merged:
    if not (isinstance(ours, list) and isinstance(theirs, list)):
        return _clash(base, ours, theirs)
    encode: Callable[[Any], bytes] = lambda value: orjson.dumps(value, option=orjson.OPT_SORT_KEYS)  # noqa: E731
    decoded = {encode(value): value for value in (*(base or []), *ours, *theirs)}
    mine, other = _diff3([encode(v) for v in base or []], [encode(v) for v in ours], [encode(v) for v in theirs],
                         union_insertions=True)
    mine_values = [decoded[v] for v in mine]
    other_values = [decoded[v] for v in other]
    if mine == other:
        return Merged(mine_values)
    return Merged(mine_values, (mine_values, other_values))


def _text(base: Any, ours: Any, theirs: Any) -> Merged:
    if not (isinstance(ours, str) and isinstance(theirs, str)):
        return _clash(base, ours, theirs)
    original = base if isinstance(base, str) else ""
    lines = _diff3(original.splitlines(keepends=True), ours.splitlines(keepends=True),
                   theirs.splitlines(keepends=True), union_insertions=False)
    mine, other = "".join(lines[0]), "".join(lines[1])
    return Merged(mine) if mine == other else Merged(mine, (mine, other))


def _mapping(base: Any, ours: Any, theirs: Any) -> Merged:
    if not (isinstance(ours, dict) and isinstance(theirs, dict)):
        return _clash(base, ours, theirs)
    before = base if isinstance(base, dict) else {}
    mine: dict[str, Any] = {}
    other: dict[str, Any] = {}
    for key in sorted({*before, *ours, *theirs}):
        part = merge_value("", before.get(key, MISSING), ours.get(key, MISSING), theirs.get(key, MISSING))
        first, second = part.clash if part.clash else (part.value, part.value)
        if first is not MISSING:
            mine[key] = first
        if second is not MISSING:
            other[key] = second
    return Merged(mine) if mine == other else Merged(mine, (mine, other))


def _diff3(base: Sequence[Any], ours: Sequence[Any], theirs: Sequence[Any], *,
           union_insertions: bool) -> tuple[list[Any], list[Any]]:
    """Merge two edits of a sequence region by region. Returns the result preferring ours
    in conflicting regions and the one preferring theirs (equal when nothing conflicts)."""
    mine: list[Any] = []
    other: list[Any] = []
    for region in Merge3(base, ours, theirs).merge_regions():
        kind = region[0]
        if kind == "unchanged":
            part = list(base[region[1]:region[2]])
            mine += part
            other += part
        elif kind in ("same", "a"):
            part = list(ours[region[1]:region[2]])
            mine += part
            other += part
        elif kind == "b":
            part = list(theirs[region[1]:region[2]])
            mine += part
            other += part
        else:  # conflict
            base_start, base_end, ours_start, ours_end, theirs_start, theirs_end = region[1:]
            ours_part = list(ours[ours_start:ours_end])
            theirs_part = list(theirs[theirs_start:theirs_end])
            part = _combined(list(base[base_start:base_end]), ours_part, theirs_part) if union_insertions else None
            if part is not None:
                mine += part
                other += part
            else:
                mine += ours_part
                other += theirs_part
    return mine, other


def _combined(base: list[Any], ours: list[Any], theirs: list[Any]) -> list[Any] | None:
    """Entries both sides added at one place are all kept (ours first); an edit on one side
    next to entries the other side added keeps both. None: the same entries changed both ways."""
    if not base:
        return ours + [entry for entry in theirs if entry not in ours]
    size = len(base)
    if theirs[:size] == base:  # theirs only added after: ours' edit, then theirs' additions
        return ours + theirs[size:]
    if theirs[-size:] == base:
        return theirs[:-size] + ours
    if ours[:size] == base:
        return theirs + ours[size:]
    if ours[-size:] == base:
        return ours[:-size] + theirs
    return None


_MERGERS: dict[str, Callable[[Any, Any, Any], Merged]] = {
    "labels": _labels,
    "acceptance_criteria": _entries,
    "questions": _entries,
    "evidence": _entries,
    "description": _text,
    "scores": _mapping,
}
