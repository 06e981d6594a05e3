"""Importing a file into a backlog file: read it all first, then write once.

The export is parsed before the backlog is touched, so a broken file changes nothing. When
the backlog does not exist yet it is created (named after the Jira project or Trello board),
and removed again if the import is refused, so a failed import leaves no empty backlog behind.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from model.errors import GroomError
from model.io.errors import BadImportFile
from model.io.import_command import ImportItems
from model.io.incoming import ParsedExport
from model.io.jira import parse_jira
from model.io.reading import read_bytes
from model.io.report import ImportReport
from model.io.trello import parse_trello
from model.service import BacklogService, Outcome
from model.store import lock_path

Parser = Callable[..., ParsedExport]
IMPORTERS: dict[str, Parser] = {"jira": parse_jira, "trello": parse_trello}
EXTENSIONS = {".csv": "jira", ".json": "trello"}


def kind_for(path: Path, kind: str | None) -> str:
    """The importer to use: as given, or from the file's extension."""
    if kind:
        if kind not in IMPORTERS:
            raise BadImportFile(f"unknown import kind {kind!r}: use {' or '.join(IMPORTERS)}")
        return kind
    guessed = EXTENSIONS.get(path.suffix.lower())
    if guessed is None:
        raise BadImportFile(f"cannot tell what {path.name} is from its name: say jira (a .csv export) "
                            "or trello (a .json board export)")
    return guessed


def parse_file(kind: str, path: Path, *, comments: bool = True) -> ParsedExport:
    return IMPORTERS[kind](read_bytes(path), path.name, comments=comments)


def import_with(service: BacklogService, export: ParsedExport) -> tuple[Outcome, ImportReport]:
    """The whole import as one command on the service: one write, one undo step."""
    command = ImportItems(export)
    outcome = service.execute(command)
    return outcome, command.report


@dataclass(frozen=True)
class ImportResult:
    report: ImportReport
    created_backlog: str | None  # the sentence saying a new backlog was made, if it was


def import_file(kind: str, path: Path, into: Path, *, comments: bool = True, name: str | None = None,
                prefix: str | None = None, **service_options: object) -> ImportResult:
    export = parse_file(kind, path, comments=comments)
    if into.exists():
        service = BacklogService.open(into, **service_options)
        _, report = import_with(service, export)
        return ImportResult(report, None)
    name = name or export.name
    prefix = prefix or export.prefix
    service = BacklogService.create(into, name, prefix, **service_options)
    try:
        _, report = import_with(service, export)
    except GroomError:
        with contextlib.suppress(OSError):
            into.unlink()
            lock_path(into).unlink()
        raise
    return ImportResult(report, f"Created a new backlog “{name}” at {into} (keys {prefix}-…)")
