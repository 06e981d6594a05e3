"""What an importer reads out of an export, before it meets a backlog.

Importers are pure: bytes in, `ParsedExport` out. Matching against the backlog, ranking and
writing happen in one command (`model/io/import_command.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from model.item import SHORT_TEXT_MAX, TITLE_MAX


@dataclass(frozen=True)
class Incoming:
    """One item as the export has it, in Groom's terms.

    `fields` holds title, kind, description, status, points, moscow, labels,
    acceptance_criteria and questions (JSON-ready values). The parent is a reference
    (`jira:JWP-99`), resolved to a Groom key when the import is planned.
    """

    ref: str  # "jira:HIVE-4413", "trello:joJVJ2KP/NkFluETS"
    name: str  # how the report names it: the Jira key, or the card's short name
    fields: dict[str, Any]
    parent_ref: str | None = None
    created: datetime | None = None
    wanted_key: str | None = None  # the Jira key, kept as the Groom key when the prefix is the same


@dataclass(frozen=True)
class Skipped:
    name: str
    reason: str


@dataclass(frozen=True)
class Note:
    """Something about one item that was not taken exactly as the export has it."""

    name: str
    text: str


@dataclass(frozen=True)
class ParsedExport:
    system: str  # "jira" or "trello": the start of every reference
    file_name: str
    kind: str  # "Jira CSV export", "Trello board"
    name: str  # for a new backlog: the Jira project's or Trello board's name
    prefix: str  # for a new backlog: a valid key prefix
    items: tuple[Incoming, ...]  # in the export's order (Jira rank, Trello list and card order)
    skipped: tuple[Skipped, ...] = ()
    notes: tuple[Note, ...] = ()
    mappings: tuple[str, ...] = ()  # how the export's types/statuses/lists were read, in words
    scopes: tuple[str, ...] = field(default=())  # reference prefixes this export covers


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clip_title(title: str, name: str, notes: list[Note]) -> str:
    """A one-line title within Groom's limit; the note says when it was shortened."""
    one_line = " ".join(title.split())
    if len(one_line) > TITLE_MAX:
        notes.append(Note(name, f"title is {len(one_line)} characters: shortened to {TITLE_MAX}; "
                                "the whole title starts the description"))
        return clip(one_line, TITLE_MAX)
    return one_line


def clip_short(text: str) -> str:
    """A criterion, question or label within Groom's short-text limit."""
    return clip(" ".join(text.split()), SHORT_TEXT_MAX)


def unique_labels(labels: list[str]) -> list[str]:
    """Labels without repeats that differ only in case ("cli" label, "CLI" component)."""
    seen: dict[str, str] = {}
    for label in labels:
        label = " ".join(label.split())[:100]
        if label:
            seen.setdefault(label.casefold(), label)
    return list(seen.values())
