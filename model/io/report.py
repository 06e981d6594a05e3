"""What an import did, in words: for the command line and for the app's report screen."""

from __future__ import annotations

from dataclasses import dataclass, field

from model.io.incoming import Note, Skipped


@dataclass(frozen=True)
class Entry:
    key: str  # the Groom key
    name: str  # the key or name in the export
    title: str = ""
    fields: tuple[str, ...] = ()


@dataclass
class ImportReport:
    file_name: str = ""
    kind: str = ""
    created: list[Entry] = field(default_factory=list)
    updated: list[Entry] = field(default_factory=list)  # fields taken from the export
    kept: list[Entry] = field(default_factory=list)  # fields changed both here and there: kept here
    unchanged: list[Entry] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    mappings: tuple[str, ...] = ()
    missing: list[Entry] = field(default_factory=list)  # imported before, no longer in the export
    renamed: list[Entry] = field(default_factory=list)  # new items that could not keep their Jira key

    def summary(self) -> str:
        parts = [f"{len(self.created)} new", f"{len(self.updated)} updated", f"{len(self.unchanged)} unchanged"]
        if self.kept:
            parts.append(f"{len(self.kept)} kept as groomed here")
        parts.append(f"{len(self.skipped)} skipped")
        return f"Imported {self.file_name}: " + ", ".join(parts)

    def lines(self) -> list[str]:
        lines = [self.summary() + f" ({self.kind})."]
        lines += [f"  {mapping}" for mapping in self.mappings]
        if self.created:
            first, last = self.created[0].key, self.created[-1].key
            span = first if first == last else f"{first} … {last}"
            lines.append(f"New ({len(self.created)}): {span}, below the existing items, in the export's order")
            kept_keys = sum(1 for e in self.created if e.name == e.key)
            if kept_keys:
                lines.append(f"  {kept_keys} kept their Jira key")
            foreign = [e for e in self.renamed if _prefix(e.name) != _prefix(e.key)]
            taken = [e for e in self.renamed if _prefix(e.name) == _prefix(e.key)]
            if taken:
                lines.append(_renamed_line(taken, "their number is taken here"))
            if foreign:
                why = f"another project's key; this backlog's prefix is {_prefix(foreign[0].key)}"
                lines.append(_renamed_line(foreign, why))
        lines += _changed_lines("Updated from the export", self.updated)
        lines += _changed_lines("Changed both here and in the export — kept as groomed here", self.kept)
        if self.skipped:
            lines.append(f"Skipped ({len(self.skipped)}):")
            lines += [f"  {s.name}: {s.reason}" for s in self.skipped]
        if self.notes:
            lines.append(f"Notes ({len(self.notes)}):")
            lines += [f"  {n.name}: {n.text}" for n in self.notes]
        if self.missing:
            lines.append(f"Imported before but not in this file ({len(self.missing)}), left as they are:")
            lines += [f"  {e.key} ({e.name})" for e in self.missing]
        return lines


def _changed_lines(heading: str, entries: list[Entry]) -> list[str]:
    """A heading with the count, then each item with the fields concerned; nothing when empty."""
    if not entries:
        return []
    return [f"{heading} ({len(entries)}):",
            *(f"  {e.key} ({e.name}): {', '.join(_words(f) for f in e.fields)}" for e in entries)]


def _words(field_name: str) -> str:
    return field_name.replace("_", " ")


def _prefix(key: str) -> str:
    return key.rpartition("-")[0]


def _renamed_line(entries: list[Entry], why: str) -> str:
    shown = ", ".join(f"{e.name} is {e.key}" for e in entries[:20])
    return f"  {len(entries)} got a new key ({why}): {shown}" + (" …" if len(entries) > 20 else "")
