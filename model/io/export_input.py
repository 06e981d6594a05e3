"""What every exporter is given: the backlog, the file's tables, and the options."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from model.backlog import Backlog
from model.item import Item


@dataclass(frozen=True)
class ExportInput:
    backlog: Backlog
    tables: dict[str, Any]  # the backlog file's tables as stored
    now: datetime
    top: int | None = None  # only the top N open items (exporters that list items)

    def open_items(self) -> list[Item]:
        """Open items in rank order, the first `top` of them when a limit is given."""
        found: list[Item] = []
        for item in self.backlog:
            if self.top is not None and len(found) >= self.top:
                break
            if not item.is_closed:
                found.append(item)
        return found
