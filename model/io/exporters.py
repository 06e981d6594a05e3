"""The export formats `groom export KIND` offers, by name.

Adding a format is one entry here: a function from `ExportInput` to bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from model.errors import GroomError
from model.io.csv_export import render_csv
from model.io.export_input import ExportInput
from model.io.json_export import render_json
from model.io.markdown import render_markdown
from model.storage import AtomicJSONStorage
from model.store import Store


@dataclass(frozen=True)
class Exporter:
    name: str
    description: str
    render: Callable[[ExportInput], bytes]
    extension: str
    takes_top: bool = True  # whether --top N means something for it


EXPORTERS: dict[str, Exporter] = {}


def register(exporter: Exporter) -> Exporter:
    EXPORTERS[exporter.name] = exporter
    return exporter


register(Exporter("markdown", "Markdown for stakeholders: sprint by sprint, with criteria and readiness",
                  render_markdown, ".md"))
register(Exporter("csv", "CSV for Jira's importer (Summary, Issue Type, Story Points, Labels …)", render_csv, ".csv"))
register(Exporter("json", "the whole backlog file (all its tables)", render_json, ".json", takes_top=False))


def export_backlog(kind: str, backlog_path: Path, now: datetime, top: int | None = None) -> bytes:
    exporter = EXPORTERS.get(kind)
    if exporter is None:
        raise GroomError(f"unknown export format {kind!r}: use {', '.join(EXPORTERS)}")
    if top is not None and not exporter.takes_top:
        raise GroomError(f"--top does not apply to the {kind} export (it is the whole file)")
    if top is not None and top < 1:
        raise GroomError(f"--top must be 1 or more, not {top}")
    store, backlog = Store.open(backlog_path)
    return exporter.render(ExportInput(backlog, store.tables, now, top))


def write_export(payload: bytes, target: Path, backlog_path: Path) -> None:
    """Write atomically (temp file, fsync, rename), never over the backlog itself."""
    if target.exists() and backlog_path.exists() and target.resolve() == backlog_path.resolve():
        raise GroomError(f"{target} is the backlog itself: choose another file for the export")
    if target.is_dir():
        raise GroomError(f"{target} is a folder: give a file name for the export")
    AtomicJSONStorage(target).write_bytes(payload)
