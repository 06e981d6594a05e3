"""The running refinement session in one line: countdown, a time bar, the agenda position.

Shown only while a session is open. What it says fits the width: the countdown and the agenda
position always; the per-item pace and the keys when there is room.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from model.session_record import clock
from tui.text import visible_line


@dataclass(frozen=True)
class SessionView:
    """What the bar shows, worked out by the session runner once a second."""

    own: bool  # run by this Groom (False: another Groom runs it, or nobody does any more)
    by: str
    started: datetime
    remaining: int  # seconds left of the timebox (negative: over it)
    timebox: int  # minutes
    warn_at: int  # seconds left when the bar turns to a warning
    count: int  # agenda items
    position: int | None = None  # 1-based, of the item under discussion
    current: str | None = None
    on_item: int = 0  # seconds on the current item so far
    pace: int | None = None  # seconds per agenda item still to come, if the rest share what is left
    stale: bool = False  # open, but its Groom has gone


class SessionBar(Widget):
    COMPONENT_CLASSES = {"session-bar--fill", "session-bar--empty", "session-bar--warning", "session-bar--over"}

    view: reactive[SessionView | None] = reactive(None)

    def watch_view(self, view: SessionView | None) -> None:
        self.display = view is not None

    def render(self) -> Text:
        view = self.view
        if view is None:
            return Text()
        style = self.get_component_rich_style
        width = self.size.width or 80
        if view.stale:
            text = Text()
            text.append(" ◷ Session ", style="bold reverse")
            text.append(f" an unfinished session from {view.started.astimezone():%H:%M} by {visible_line(view.by)}: "
                        "its Groom has closed · R resume or end it", style=style("session-bar--warning"))
            return text
        over = view.remaining < 0
        state = "session-bar--over" if over else "session-bar--warning" if view.remaining <= view.warn_at else ""
        text = Text()
        text.append(" ◷ Session ", style="bold reverse")
        countdown = f" {clock(-view.remaining)} over" if over else f" {clock(view.remaining)} left"
        text.append(countdown, style=style(state) + Style(bold=True) if state else Style(bold=True))
        where = self._where(view)
        pace = f" · ≈{clock(view.pace)} per item to come" if view.pace is not None and not over else ""
        keys = " · ] next [ previous · R end" if view.own else ""
        owner = "" if view.own else f" · {visible_line(view.by)}'s, run in another Groom"
        fixed = len(text) + len(where) + len(owner)
        bar_width = 20 if width - fixed >= 60 else 10 if width - fixed >= 14 else 0
        if bar_width:
            used = min(1.0, max(0.0, 1 - view.remaining / (view.timebox * 60)))
            filled = round(bar_width * used)
            text.append(" ▕")
            text.append("█" * filled, style=style(state or "session-bar--fill"))
            text.append("░" * (bar_width - filled), style=style("session-bar--empty"))
            text.append("▏")
        text.append(where)
        text.append(owner, style="dim")
        for extra in (pace, keys):
            if extra and len(text) + len(extra) <= width:
                text.append(extra, style="dim")
        return text

    @staticmethod
    def _where(view: SessionView) -> str:
        if view.count == 0:
            return " · empty agenda"
        if view.position is None:
            return f" · {view.count} items, none discussed yet" if view.own else f" · {view.count} items"
        where = f" · item {view.position} of {view.count}"
        if view.current:
            where += f" {view.current} {clock(view.on_item)}"
        elif view.own:
            where += " · off the agenda"
        return where
