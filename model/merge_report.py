"""What a merge did, in words: the report `groom merge-driver` prints, and the branch names."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from model.errors import GroomError

Tables = dict[str, dict[str, Any]]
Doc = dict[str, Any]


class MergeError(GroomError):
    """The two sides cannot be merged into a valid backlog; the message says why."""


@dataclass(frozen=True)
class Branches:
    """The branch names, as the user knows them (may be empty: then "ours"/"theirs")."""

    ours: str = ""
    theirs: str = ""

    def name(self, side: str) -> str:
        label = {"ours": self.ours, "theirs": self.theirs}.get(side, "")
        return label or side


@dataclass(frozen=True)
class Renumbered:
    old_key: str
    new_key: str
    side: str  # "ours" or "theirs": where the renumbered item was added
    branch: str
    title: str
    kept_by: str  # the title of the item that kept the old key


@dataclass
class MergeReport:
    added: dict[str, list[str]] = field(default_factory=lambda: {"ours": [], "theirs": []})
    changed: list[str] = field(default_factory=list)  # items edited on one or both sides
    deleted: list[str] = field(default_factory=list)
    renumbered: list[Renumbered] = field(default_factory=list)
    conflicts: list[tuple[str, str]] = field(default_factory=list)  # (key, field)
    notes: list[str] = field(default_factory=list)
    ranks_respread: int = 0

    def lines(self, branches: Branches) -> list[str]:
        ours, theirs = branches.name("ours"), branches.name("theirs")
        lines = [
            f"items: {len(self.added['ours'])} added on {ours}, {len(self.added['theirs'])} added on {theirs}, "
            f"{len(self.changed)} changed, {len(self.deleted)} deleted"
        ]
        for entry in self.renumbered:
            lines.append(f"renumbered {entry.old_key} from {entry.branch} to {entry.new_key} “{entry.title}” "
                         f"({entry.old_key} is “{entry.kept_by}”)")
        if self.conflicts:
            shown = ", ".join(f"{key} {name}" for key, name in self.conflicts[:10])
            more = f" and {len(self.conflicts) - 10} more" if len(self.conflicts) > 10 else ""
            lines.append(f"{len(self.conflicts)} conflict{'s' if len(self.conflicts) != 1 else ''} recorded in the "
                         f"file: {shown}{more} — open the backlog and filter has:conflicts to pick a side")
        lines += self.notes
        if self.ranks_respread:
            lines.append(f"{self.ranks_respread} items shared a rank after the merge and were re-spread")
        return lines

