"""An item's history as the detail pane and the history screen show it.

Entries quote what users typed (titles, criteria, answers): it is shown literally, never as
markup, with control characters made visible. Times are the viewer's local time.
"""

from __future__ import annotations

from rich.text import Text

from model.backlog import Backlog
from model.history import HistoryEntry
from tui.text import visible_line

SHOWN_IN_PANE = 5  # newest entries in the detail pane; `h` shows them all
CHANGES_PER_ENTRY = 3  # change lines per entry in the pane


def entry_text(entry: HistoryEntry, *, stamp: str = "%m-%d %H:%M", changes: int | None = None) -> Text:
    """One entry: when, who and what on the first line, then what changed, indented."""
    text = Text()
    text.append(entry.when.astimezone().strftime(stamp), style="dim")
    text.append(" " + visible_line(entry.by), style="bold")
    text.append(" " + visible_line(entry.what))
    lines = entry.changes()
    shown = lines if changes is None else lines[:changes]
    for line in shown:
        text.append("\n  " + visible_line(line), style="italic")
    if len(shown) < len(lines):
        text.append(f"\n  … {len(lines) - len(shown)} more", style="dim")
    return text


def history_section(backlog: Backlog, key: str) -> Text:
    """The newest few entries of an item, then how many more there are.

    Costs the item's own entries only (the history is indexed by item on first use), so the
    cursor moves as fast at 50k items with a long history as without one.
    """
    history = backlog.history
    total = history.count(key)
    text = Text()
    if not total:  # nothing recorded (e.g. a file from before history was kept): say nothing
        return text
    text.append(f"History ({total})\n", style="bold underline")
    for entry in history.for_item(key, limit=SHOWN_IN_PANE):
        text.append_text(entry_text(entry, changes=CHANGES_PER_ENTRY))
        text.append("\n")
    if total > SHOWN_IN_PANE:
        text.append(f"… {total - SHOWN_IN_PANE} more: press h for all\n", style="dim")
    return text
