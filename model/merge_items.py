"""Merging the items table: which item is which on the two branches, key numbers, fields.

See model/merge.py for the rules. Items are matched by document id, except where an earlier
merge renumbered one on a branch (its `former_keys` say so); new items clashing on a number
are renumbered; then each item is merged field by field (model/merge_values.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from pydantic import ValidationError

from model.backlog import Backlog
from model.item import KEY_PATTERN, Item, make_key
from model.merge_report import Branches, Doc, MergeReport, Renumbered
from model.merge_values import MISSING, merge_value
from model.rank import spread

# Fields whose change alone is not an edit: neighbours' ranks are rewritten to make room for
# moves, and `updated` follows every change.
NOT_EDITS = frozenset({"rank", "updated"})
_SPECIAL = frozenset({"key", "rank", "updated", "conflicts", "former_keys"})


@dataclass
class _Entry:
    """One item as the three versions know it. `origin` says where it was first seen: "base"
    (number: its number in the ancestor), or "ours"/"theirs"/"both" (added there)."""

    origin: str
    number: int
    base: Doc | None = None
    ours: Doc | None = None
    theirs: Doc | None = None
    ours_number: int | None = None
    theirs_number: int | None = None
    final: int | None = None

    @property
    def any_doc(self) -> Doc:
        doc = self.ours or self.theirs or self.base
        assert doc is not None
        return doc


class ItemMerge:
    """Documents are compared as stored; only items both sides changed are normalised (through
    the validated backlogs) and merged field by field, so a big backlog with a few changes
    merges fast and every untouched item keeps its exact document."""

    def __init__(self, base: Mapping[str, Any] | None, ours: Backlog, ours_tables: Mapping[str, Any],
                 theirs: Backlog, theirs_tables: Mapping[str, Any], branches: Branches,
                 published: Mapping[int, str], report: MergeReport) -> None:
        self.prefix = ours.meta.prefix
        self.backlogs = {"ours": ours, "theirs": theirs}
        self.base = _docs(base)
        self.ours = _docs(ours_tables)
        self.theirs = _docs(theirs_tables)
        base_next = (base or {}).get("meta", {}).get("1", {}).get("next_number", 1)
        self.floor = max(ours.meta.next_number, theirs.meta.next_number, base_next if isinstance(base_next, int) else 1)
        self.branches = branches
        self.published = published
        self.report = report

    def run(self) -> dict[int, Doc]:
        entries = self._identify()
        living = [entry for entry in entries if self._survives(entry)]
        self._number(living)
        maps = self._maps(entries)
        result: dict[int, Doc] = {}
        ours_by_final: dict[int, Doc] = {}
        for entry in entries:
            doc = self._merge(entry, maps)
            if doc is not None and entry.final is not None:
                result[entry.final] = doc
                if entry.ours is not None:
                    ours_by_final[entry.final] = _mapped(entry.ours, maps["ours"], self.prefix)
        self._break_parent_loops(result, ours_by_final)
        self._strict_ranks(result)
        return result

    # -- which item is which ---------------------------------------------------------------

    def _identify(self) -> list[_Entry]:
        entries: dict[tuple[str, int], _Entry] = {
            ("base", number): _Entry("base", number, base=doc) for number, doc in self.base.items()
        }
        for side, docs in (("ours", self.ours), ("theirs", self.theirs)):
            renames = self._renames(docs)
            renamed_away = set(renames.values())
            for number, doc in docs.items():
                if number in renames:
                    identity = ("base", renames[number])
                elif number in self.base and number not in renamed_away:
                    identity = ("base", number)
                else:
                    identity = (side, number)
                entry = entries.setdefault(identity, _Entry(identity[0], identity[1]))
                setattr(entry, side, doc)
                setattr(entry, f"{side}_number", number)
        # The same item added on both sides (both took the same commit): one item.
        for (origin, number), entry in list(entries.items()):
            if origin != "ours" or ("theirs", number) not in entries:
                continue
            other = entries[("theirs", number)]
            if _without(entry.ours, NOT_EDITS) == _without(other.theirs, NOT_EDITS):
                entry.origin = "both"
                entry.theirs, entry.theirs_number = other.theirs, other.theirs_number
                del entries[("theirs", number)]
        return sorted(entries.values(), key=lambda e: (e.number, e.origin))

    def _renames(self, docs: Mapping[int, Doc]) -> dict[int, int]:
        """Items this side holds under a new number because an earlier merge renumbered them:
        side number -> ancestor number. Known by a former key naming an ancestor item created
        at the same moment."""
        renames: dict[int, int] = {}
        for number, doc in docs.items():
            if number in self.base:
                continue
            for former in doc.get("former_keys") or ():
                old = _number_of(former.get("key"), self.prefix)
                original = self.base.get(old) if old is not None else None
                if old is not None and original is not None and original.get("created") == doc.get("created") \
                        and old not in renames.values():
                    renames[number] = old
                    break
        return renames

    def _survives(self, entry: _Entry) -> bool:
        if entry.origin != "base":
            return True
        if entry.ours is None and entry.theirs is None:
            return False
        if entry.ours is None:
            return edited(entry.base, entry.theirs)
        if entry.theirs is None:
            return edited(entry.base, entry.ours)
        return True

    # -- numbers ------------------------------------------------------------------------

    def _number(self, entries: list[_Entry]) -> None:
        wanted: dict[int, list[_Entry]] = {}
        for entry in entries:
            wanted.setdefault(self._wanted_number(entry), []).append(entry)
        losers: list[tuple[int, _Entry, _Entry]] = []
        for number, claimants in wanted.items():
            claimants.sort(key=lambda e: self._claim(e, number))
            claimants[0].final = number
            losers += [(number, loser, claimants[0]) for loser in claimants[1:]]
        fresh = max([self.floor, *(number + 1 for number in wanted)])
        for number, loser, winner in sorted(losers, key=lambda t: (t[0], self._claim(t[1], t[0]))):
            loser.final = fresh
            fresh += 1
            side = "theirs" if loser.theirs_number == number and loser.ours_number != number else "ours"
            branch = self.branches.name(side)
            doc = loser.ours if side == "ours" else loser.theirs
            assert doc is not None
            old_key, new_key = make_key(self.prefix, number), make_key(self.prefix, loser.final)
            doc = {**doc, "former_keys": [*(doc.get("former_keys") or []), {"key": old_key, "branch": branch}]}
            setattr(loser, side, doc)  # a copy: the input tables are never changed
            self.report.renumbered.append(Renumbered(old_key, new_key, side, branch, doc.get("title", ""),
                                                     winner.any_doc.get("title", "")))

    def _wanted_number(self, entry: _Entry) -> int:
        ours, theirs = entry.ours_number, entry.theirs_number
        if ours is not None and theirs is not None and ours != theirs:
            # Renumbered by an earlier merge on one side only: that side's number stands.
            return theirs if ours == entry.number else ours
        return ours if ours is not None else theirs if theirs is not None else entry.number

    def _claim(self, entry: _Entry, number: int) -> tuple[Any, ...]:
        """Sort key of a claim on `number`: the smallest keeps it. The ancestor's own item
        first, then an item already on the main branch, then the one created first; the
        document's bytes settle a tie. Nothing here depends on which side is ours."""
        doc = entry.any_doc
        created = doc.get("created", "")
        return (
            0 if entry.origin == "base" and entry.number == number else 1,
            0 if self.published.get(number) == created else 1,
            created,
            orjson.dumps(_without(doc, NOT_EDITS), option=orjson.OPT_SORT_KEYS),
        )

    def _maps(self, entries: list[_Entry]) -> dict[str, dict[int, int]]:
        """Per version: its item numbers -> the merged numbers (for parent references)."""
        maps: dict[str, dict[int, int]] = {"base": {}, "ours": {}, "theirs": {}}
        for entry in entries:
            if entry.final is None:
                continue
            if entry.origin == "base":
                maps["base"][entry.number] = entry.final
            if entry.ours_number is not None:
                maps["ours"][entry.ours_number] = entry.final
            if entry.theirs_number is not None:
                maps["theirs"][entry.theirs_number] = entry.final
        return maps

    # -- fields -------------------------------------------------------------------------

    def _merge(self, entry: _Entry, maps: dict[str, dict[int, int]]) -> Doc | None:
        if entry.final is None:
            if entry.base is not None:
                self.report.deleted.append(make_key(self.prefix, entry.number))
            return None
        key = make_key(self.prefix, entry.final)
        base = _mapped(entry.base, maps["base"], self.prefix) if entry.base is not None else None
        ours = _mapped(entry.ours, maps["ours"], self.prefix) if entry.ours is not None else None
        theirs = _mapped(entry.theirs, maps["theirs"], self.prefix) if entry.theirs is not None else None
        if entry.origin in ("ours", "theirs"):
            self.report.added[entry.origin].append(key)
            added = ours if ours is not None else theirs
            assert added is not None
            return {**added, "key": key}
        assert ours is not None or theirs is not None
        if entry.origin == "both":  # the same item added on both sides, maybe moved differently
            return self._valid(self._fields(None, ours, theirs, key), ours or {}, key)
        if ours is None or theirs is None:
            return self._deleted_and_edited(ours, theirs, key)
        if edited(entry.base, entry.ours) or edited(entry.base, entry.theirs):
            self.report.changed.append(key)
        if entry.ours == entry.theirs or entry.base in (entry.ours, entry.theirs):
            # Changed on one side at most: that side's document as it is (it is valid there).
            return {**(theirs if entry.ours == entry.base else ours), "key": key}
        # Changed on both sides: compare normalised documents, field by field.
        base = self._normal(base)
        ours = self._normal(ours, "ours", entry.ours_number)
        theirs = self._normal(theirs, "theirs", entry.theirs_number)
        assert base is not None and ours is not None and theirs is not None
        return self._valid(self._fields(base, ours, theirs, key), ours, key, theirs=theirs, base=base)

    def _deleted_and_edited(self, ours: Doc | None, theirs: Doc | None, key: str) -> Doc:
        """Deleted on one side, edited on the other: kept, with a conflict to decide."""
        kept, deleted_on = (theirs, "ours") if ours is None else (ours, "theirs")
        assert kept is not None
        doc = {**kept, "key": key}
        conflict = self._conflict("deleted", False, deleted_on == "ours", deleted_on == "theirs")
        doc["conflicts"] = _with_conflict(doc.get("conflicts") or [], conflict)
        self.report.conflicts.append((key, "deleted"))
        self.report.changed.append(key)
        return self._valid(doc, kept, key)

    def _normal(self, doc: Doc | None, side: str | None = None, number: int | None = None) -> Doc | None:
        """The document as this Groom writes it (defaults filled in, values in their usual form),
        keeping the merged numbering of its parent."""
        if doc is None:
            return None
        try:
            if side is not None and number is not None:
                normal = self.backlogs[side].items[make_key(self.prefix, number)].to_doc()
            else:
                normal = Item.model_validate(doc).to_doc()
        except (KeyError, ValidationError):
            return doc
        normal["parent"] = doc.get("parent")
        if "conflicts" in doc:
            normal["conflicts"] = doc["conflicts"]
        if "former_keys" in doc:
            normal["former_keys"] = doc["former_keys"]
        return normal

    def _fields(self, base: Doc | None, ours: Doc | None, theirs: Doc | None, key: str) -> Doc:
        assert ours is not None and theirs is not None
        before = base if base is not None else {}
        doc: Doc = {"key": key}
        found: list[Doc] = []
        for name in sorted((set(before) | set(ours) | set(theirs)) - _SPECIAL):
            merged = merge_value(name, before.get(name, MISSING), ours.get(name, MISSING), theirs.get(name, MISSING))
            if merged.clash is not None:
                old = before.get(name)
                found.append(self._conflict(name, old, merged.clash[0], merged.clash[1]))
            if merged.value is not MISSING:
                doc[name] = merged.value
        rank = merge_value("rank", before.get("rank"), ours.get("rank"), theirs.get("rank"))
        doc["rank"] = rank.value
        if rank.clash is not None:
            self.report.notes.append(f"{key} was moved on both branches; it keeps its place from "
                                     f"{self.branches.name('ours')}")
        doc["updated"] = max(ours.get("updated", ""), theirs.get("updated", ""))
        formers = [*(ours.get("former_keys") or []), *(theirs.get("former_keys") or [])]
        if formers:
            doc["former_keys"] = list({orjson.dumps(f, option=orjson.OPT_SORT_KEYS): f for f in formers}.values())
        conflicts = _merged_conflicts(before.get("conflicts") or [], ours.get("conflicts") or [],
                                      theirs.get("conflicts") or [])
        for conflict in found:
            conflicts = _with_conflict(conflicts, conflict)
            self.report.conflicts.append((key, conflict["field"]))
        if conflicts:
            doc["conflicts"] = conflicts
        _status_follows_questions(doc, ours, theirs, {c["field"] for c in found})
        return doc

    def _conflict(self, name: str, base: Any, ours: Any, theirs: Any) -> Doc:
        return {"field": name, "base": None if base is MISSING else base, "ours": ours, "theirs": theirs,
                "ours_label": self.branches.ours, "theirs_label": self.branches.theirs}

    def _valid(self, doc: Doc, fallback: Doc, key: str, *, theirs: Doc | None = None,
               base: Doc | None = None) -> Doc:
        """The merged item, checked; if the combination breaks a rule, ours with every field
        theirs changed recorded as a conflict, so nothing is lost and the file stays valid."""
        try:
            return Item.model_validate(doc).to_doc()
        except ValidationError:
            pass
        safe = {**fallback, "key": key}
        if theirs is not None:
            before = base or {}
            conflicts = safe.get("conflicts") or []
            for name in sorted(set(theirs) - _SPECIAL):
                if theirs.get(name) != safe.get(name) and theirs.get(name) != before.get(name):
                    conflicts = _with_conflict(conflicts, self._conflict(name, before.get(name), safe.get(name),
                                                                         theirs.get(name)))
                    self.report.conflicts.append((key, name))
            if conflicts:
                safe["conflicts"] = conflicts
        self.report.notes.append(f"{key}: the two branches' changes do not combine into a valid item; "
                                 f"kept {self.branches.name('ours')}'s and recorded theirs as conflicts")
        return Item.model_validate(safe).to_doc()

    # -- the backlog as a whole ---------------------------------------------------------

    def _break_parent_loops(self, result: dict[int, Doc], ours_by_final: Mapping[int, Doc]) -> None:
        """Parents changed on both sides may form a loop (A split from B, B from A): the
        parent links that came from theirs go back to ours' and become conflicts."""
        for start in sorted(result):
            path: list[int] = []
            seen: set[int] = set()
            current: int | None = start
            while current is not None and current in result and current not in seen:
                seen.add(current)
                path.append(current)
                current = _number_of(result[current].get("parent"), self.prefix)
            if current is None or current not in seen:
                continue
            for number in path[path.index(current):]:
                doc, ours = result[number], ours_by_final.get(number)
                if ours is None or ours.get("parent") == doc.get("parent"):
                    continue
                conflict = self._conflict("parent", None, ours.get("parent"), doc.get("parent"))
                doc["parent"] = ours.get("parent")
                doc["conflicts"] = _with_conflict(doc.get("conflicts") or [], conflict)
                self.report.conflicts.append((doc["key"], "parent"))
                self.report.notes.append(f"{doc['key']}: the branches' parent links made a loop; "
                                         f"kept {self.branches.name('ours')}'s parent")

    def _strict_ranks(self, result: dict[int, Doc]) -> None:
        """Items added at the same place on both sides get the same rank: keep the first (by
        number) and spread the others between it and the next rank, so the order is strict."""
        ordered = sorted(result, key=lambda number: (result[number]["rank"], number))
        index = 0
        while index < len(ordered):
            end = index
            rank = result[ordered[index]]["rank"]
            while end + 1 < len(ordered) and result[ordered[end + 1]]["rank"] == rank:
                end += 1
            if end > index:
                following = result[ordered[end + 1]]["rank"] if end + 1 < len(ordered) else None
                for number, fresh in zip(ordered[index + 1:end + 1], spread(rank, following, end - index),
                                         strict=True):
                    result[number]["rank"] = fresh
                    self.report.ranks_respread += 1
            index = end + 1


def _docs(tables: Mapping[str, Any] | None) -> dict[int, Doc]:
    items = (tables or {}).get("items", {})
    return {int(doc_id): doc for doc_id, doc in items.items()} if isinstance(items, Mapping) else {}


def _number_of(key: Any, prefix: str) -> int | None:
    if not isinstance(key, str):
        return None
    match = KEY_PATTERN.match(key)
    if not match or match.group(1) != prefix:
        return None
    return int(match.group(2))


def _mapped(doc: Doc, mapping: Mapping[int, int], prefix: str) -> Doc:
    """The document with its parent reference (also inside recorded parent conflicts) in the
    merged numbering: the document itself when nothing changes (never modify it), else a copy."""

    def remap(key: Any) -> Any:
        number = _number_of(key, prefix)
        return make_key(prefix, mapping[number]) if number is not None and mapping.get(number, number) != number \
            else key

    conflicts = doc.get("conflicts") or []
    parent_conflicts = [c for c in conflicts if c.get("field") == "parent"]
    if remap(doc.get("parent")) == doc.get("parent") and all(
            remap(c.get(side)) == c.get(side) for c in parent_conflicts for side in ("base", "ours", "theirs")):
        return doc
    doc = {**doc, "parent": remap(doc.get("parent"))}
    if parent_conflicts:
        doc["conflicts"] = [
            {**c, **{side: remap(c.get(side)) for side in ("base", "ours", "theirs")}} if c.get("field") == "parent"
            else c for c in conflicts]
    return doc


def _without(doc: Doc | None, names: frozenset[str]) -> Doc | None:
    if doc is None:
        return None
    return {k: v for k, v in doc.items() if k not in names}


def edited(base: Doc | None, side: Doc | None) -> bool:
    return _without(base, NOT_EDITS) != _without(side, NOT_EDITS)


def _with_conflict(conflicts: list[Doc], conflict: Doc) -> list[Doc]:
    """One record per field: a new conflict on a field replaces an older one."""
    return [c for c in conflicts if c.get("field") != conflict["field"]] + [conflict]


def _merged_conflicts(base: list[Doc], ours: list[Doc], theirs: list[Doc]) -> list[Doc]:
    """Conflicts recorded by earlier merges: a conflict resolved on either side stays
    resolved; one left open on either side stays open."""
    def resolved_on(side: list[Doc]) -> list[Doc]:
        return [c for c in base if c not in side]

    gone = resolved_on(ours) + resolved_on(theirs)
    merged = [c for c in ours if c not in gone]
    merged += [c for c in theirs if c not in gone and c not in merged]
    result: list[Doc] = []
    for conflict in merged:
        result = _with_conflict(result, conflict)
    return result


def _status_follows_questions(doc: Doc, ours: Doc, theirs: Doc, clashed: set[str]) -> None:
    """When questions came from one side and the status from the other, apply the app's rule
    (an open question makes the item needs-info; none left returns it to new)."""
    if clashed & {"status", "questions"}:
        return
    pair = (doc.get("status"), doc.get("questions"))
    if pair in ((ours.get("status"), ours.get("questions")), (theirs.get("status"), theirs.get("questions"))):
        return
    has_open = any(isinstance(q, dict) and not q.get("answer") for q in doc.get("questions") or ())
    if has_open and doc.get("status") in ("new", "ready"):
        doc["status"] = "needs_info"
    elif not has_open and doc.get("status") == "needs_info":
        doc["status"] = "new"

