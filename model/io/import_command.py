"""`ImportItems`: a whole import as one command — one write, one undo step.

New items land below the existing ones, in the export's order. An item imported before
(the same Jira key or Trello card, remembered in `source`) is not added again: each of its
fields is compared three ways (as last imported, as it is here, as the export has it now):

* unchanged in the export → whatever is here stays (your grooming is kept);
* changed in the export and not here → the export's value is taken;
* changed in both → the value here is kept, and the report names the item and field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from model.backlog import Backlog
from model.change import ITEMS, Change, DocChange, diff_docs
from model.io.incoming import Incoming, Note, ParsedExport, Skipped
from model.io.report import Entry, ImportReport
from model.io.source import FIELDS, field_hash, fingerprint, parse_source, source_ref, source_text
from model.item import KEY_PATTERN, Item, make_key
from model.rank import place
from model.validation import describe


def identity(ref: str) -> str:
    """What makes two references the same item: a Trello card keeps its id when it moves to
    another board (`trello:BOARD/CARD` → `trello:CARD`)."""
    system, colon, rest = ref.partition(":")
    return f"{system}:{rest.rpartition('/')[2]}" if colon else ref


@dataclass(frozen=True)
class ImportItems:
    export: ParsedExport
    # Filled in by `plan`: what the import did, for the report (the command is planned once).
    report: ImportReport = field(default_factory=ImportReport, compare=False)

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        export = self.export
        report = self.report
        report.file_name, report.kind, report.mappings = export.file_name, export.kind, export.mappings
        report.skipped[:] = list(export.skipped)
        report.notes[:] = list(export.notes)

        existing: dict[str, Item] = {}
        for item in backlog:
            if item.source:
                existing.setdefault(identity(source_ref(item.source)), item)
        keys = self._assign_keys(backlog, [i for i in export.items if identity(i.ref) not in existing])
        key_of = {ident: item.key for ident, item in existing.items()}
        key_of.update({identity(ref): key for ref, key in keys.items()})
        parents = self._parents(backlog, key_of)

        created: list[Item] = []
        edits: list[DocChange] = []
        for incoming in export.items:
            ident = identity(incoming.ref)
            parent = parents.get(ident)
            if ident in existing:
                change = self._merge(existing[ident], incoming, parent, backlog, now)
                if change is not None:
                    edits.append(change)
                continue
            key = keys[incoming.ref]
            doc = {**incoming.fields, "key": key, "rank": "V", "parent": parent, "created": incoming.created or now,
                   "updated": now}
            try:
                item = Item.model_validate(doc)
            except ValidationError as exc:
                report.skipped.append(Skipped(incoming.name, describe(exc)))
                continue
            values = _values(item.to_doc(), incoming.parent_ref)
            created.append(item.revised(source=source_text(incoming.ref, fingerprint(values))))
            report.created.append(Entry(key, incoming.name, item.title))
            if incoming.wanted_key and incoming.wanted_key != key:
                report.renamed.append(Entry(key, incoming.name, item.title))

        seen = {identity(i.ref) for i in export.items}
        for ident, item in existing.items():
            ref = source_ref(item.source)
            if ident not in seen and any(ref.startswith(scope) for scope in export.scopes):
                report.missing.append(Entry(item.key, ref.partition(":")[2]))

        docs = [*edits, *self._placed(backlog, created)]
        label = f"Import {export.file_name}: {len(report.created)} new, {len(report.updated)} updated"
        return Change(label, tuple(docs))

    # ----- keys, parents, ranks --------------------------------------------------------

    def _assign_keys(self, backlog: Backlog, new: list[Incoming]) -> dict[str, str]:
        """Groom keys for new items: the Jira key itself when the prefix is this backlog's and the
        number was never used here; otherwise the next free number."""
        prefix, base = backlog.meta.prefix, backlog.meta.next_number
        keys: dict[str, str] = {}
        used: set[int] = set()
        for incoming in new:
            wanted = incoming.wanted_key
            match = KEY_PATTERN.match(wanted) if wanted else None
            if match and match.group(1) == prefix:
                number = int(match.group(2))
                if number >= base and number not in used:
                    keys[incoming.ref] = wanted  # type: ignore[assignment]
                    used.add(number)
        fresh = max([base - 1, *used]) + 1
        for incoming in new:
            if incoming.ref not in keys:
                keys[incoming.ref] = make_key(prefix, fresh)
                fresh += 1
        return keys

    def _parents(self, backlog: Backlog, key_of: dict[str, str]) -> dict[str, str | None]:
        """Each incoming item's parent as a Groom key; links that would make a loop are dropped."""
        parents: dict[str, str | None] = {}
        for incoming in self.export.items:
            if incoming.parent_ref is None:
                continue
            parent = key_of.get(identity(incoming.parent_ref))
            if parent is None:
                self.report.notes.append(Note(incoming.name, f"its parent {incoming.parent_ref.partition(':')[2]} "
                                                             "is neither in this file nor imported before: "
                                                             "no parent link"))
            parents[identity(incoming.ref)] = parent
        by_key = {key_of[ident]: parent for ident, parent in parents.items() if ident in key_of}

        def parent_of(key: str) -> str | None:
            if key in by_key:
                return by_key[key]
            item = backlog.items.get(key)
            return item.parent if item else None

        for ident in list(parents):
            start = key_of.get(ident)
            seen, current = {start}, parents[ident]
            while current is not None:
                if current in seen:
                    self.report.notes.append(Note(start or ident, "its parent link would make a loop: left out"))
                    parents[ident] = None
                    by_key[start] = None  # type: ignore[index]
                    break
                seen.add(current)
                current = parent_of(current)
        return parents

    def _placed(self, backlog: Backlog, created: list[Item]) -> list[DocChange]:
        """The new items ranked below every existing item, in the export's order."""
        if not created:
            return []
        ranks = backlog.ranks()
        placement = place(ranks, len(ranks), len(created))
        docs = []
        for position, rank in sorted(placement.rewrites.items()):
            neighbour = backlog.at(position)
            docs.append(DocChange(ITEMS, neighbour.number, {"rank": neighbour.rank}, {"rank": rank}))
        for item, rank in zip(created, placement.ranks, strict=True):
            docs.append(DocChange(ITEMS, item.number, None, {**item.to_doc(), "rank": rank}))
        return docs

    # ----- re-import -------------------------------------------------------------------

    def _merge(self, item: Item, incoming: Incoming, parent: str | None, backlog: Backlog,
               now: datetime) -> DocChange | None:
        report = self.report
        try:
            probe = item.revised(**incoming.fields, parent=parent)
        except ValidationError as exc:
            report.skipped.append(Skipped(incoming.name, f"{item.key} not updated: {describe(exc)}"))
            return None
        new = _values(probe.to_doc(), incoming.parent_ref)
        local = _values(item.to_doc(), _parent_ref(backlog, item.parent))
        _, old_hashes = parse_source(item.source)
        taken: dict[str, Any] = {}
        kept: list[str] = []
        for name in FIELDS:
            new_hash, local_hash = field_hash(new[name]), field_hash(local[name])
            if new_hash == local_hash:
                continue
            old_hash = old_hashes.get(name) if old_hashes else None
            if old_hash == new_hash:
                continue  # the export did not change it: what is here is newer
            if old_hash == local_hash:
                taken[name] = parent if name == "parent" else probe.to_doc()[name]
            else:
                kept.append(name)
        source = source_text(incoming.ref, fingerprint(new))
        if not taken and source == item.source:
            report.unchanged.append(Entry(item.key, incoming.name, item.title))
            return None
        try:
            revised = item.revised(**taken, source=source, updated=now)
        except ValidationError as exc:
            report.skipped.append(Skipped(incoming.name, f"{item.key} not updated: {describe(exc)}"))
            return None
        if taken:
            report.updated.append(Entry(item.key, incoming.name, item.title, tuple(taken)))
        elif not kept:
            report.unchanged.append(Entry(item.key, incoming.name, item.title))
        if kept:
            report.kept.append(Entry(item.key, incoming.name, item.title, tuple(kept)))
        return diff_docs(ITEMS, item.number, item.to_doc(), revised.to_doc())


def _values(doc: dict[str, Any], parent_ref: str | None) -> dict[str, Any]:
    values = {name: doc[name] for name in FIELDS if name != "parent"}
    values["parent"] = identity(parent_ref) if parent_ref else None
    return values


def _parent_ref(backlog: Backlog, parent: str | None) -> str | None:
    """The local parent in the export's terms: its source reference, or its key."""
    if parent is None:
        return None
    item = backlog.items.get(parent)
    return source_ref(item.source) if item is not None and item.source else parent


__all__ = ["ImportItems", "identity"]
