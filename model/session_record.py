"""The stored record of a refinement session, and its summary (the `sessions` table).

Plain data: how a session is started, run and summarised is in model/session.py and
model/session_summary.py.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from model.item import ItemKey, Points, ShortText, Timestamp, format_points

if TYPE_CHECKING:
    from model.backlog import Backlog

MAX_TIMEBOX = 8 * 60  # minutes
STALE_AFTER = timedelta(minutes=3)  # an owner that has not written for this long is gone

Seconds = Annotated[int, Field(ge=0)]
# Built when first used (opening a file with sessions, starting one): not at every start.
_FROZEN = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class ReadyPoints(BaseModel):
    """How ready the next two sprints are: what the summary compares before and after."""

    model_config = _FROZEN
    capacity: float | None = None  # of one sprint; None when there is nothing to size it
    items: int = 0  # open items inside the next two sprints
    ready_items: int = 0
    points: float = 0  # their points
    ready_points: float = 0

    @property
    def two_sprints(self) -> float | None:
        return self.capacity * 2 if self.capacity else None


class ItemRef(BaseModel):
    model_config = _FROZEN
    key: str
    title: str = ""


class Estimate(ItemRef):
    old: Points = None
    new: Points = None

    @property
    def words(self) -> str:
        return f"{format_points(self.old)} → {format_points(self.new)}"


class Split(ItemRef):
    children: tuple[str, ...] = ()


class QuestionNote(ItemRef):
    text: str
    ask: str = ""
    answer: str = ""


class ItemTime(ItemRef):
    seconds: int = 0
    outcome: tuple[str, ...] = ()  # what happened to it, in a few words each

    @property
    def discussed(self) -> bool:
        return self.seconds > 0 or bool(self.outcome)


class SessionSummary(BaseModel):
    model_config = _FROZEN
    session: int  # the session's document id
    backlog: str = ""
    started: Timestamp
    ended: Timestamp
    timebox: int  # minutes
    by: str = ""
    contributors: tuple[str, ...] = ()
    agenda_source: str = ""
    agenda: tuple[ItemTime, ...] = ()  # in agenda order
    others: tuple[ItemTime, ...] = ()  # items changed that were not on the agenda
    off_agenda: int = 0  # seconds the cursor spent off the agenda
    estimated: tuple[Estimate, ...] = ()
    split: tuple[Split, ...] = ()
    made_ready: tuple[ItemRef, ...] = ()
    raised: tuple[QuestionNote, ...] = ()
    answered: tuple[QuestionNote, ...] = ()
    created: int = 0
    deleted: int = 0
    changes: int = 0  # history entries: one per item per change
    before: ReadyPoints = Field(default_factory=ReadyPoints)
    after: ReadyPoints = Field(default_factory=ReadyPoints)

    @property
    def duration(self) -> int:
        return int((self.ended - self.started).total_seconds())

    @property
    def over(self) -> int:
        """Seconds over the timebox (negative: under it)."""
        return self.duration - self.timebox * 60

    @property
    def discussed(self) -> int:
        return sum(entry.discussed for entry in self.agenda)

    def overview(self) -> list[str]:
        """The outcome in a few lines of plain text (the screen and the Markdown use them)."""
        over = self.over
        timing = (f"{minutes(self.duration)} of a {self.timebox}-minute timebox"
                  + (f" ({minutes(over)} over)" if over > 59 else f" ({minutes(-over)} to spare)" if over < -59
                     else " (on time)"))
        lines = [timing, f"Agenda: {self.discussed} of {len(self.agenda)} items discussed ({self.agenda_source})"]
        lines.append(f"Estimated: {plural(len(self.estimated), 'item')}"
                     + (f" ({', '.join(f'{e.key} {e.words}' for e in self.estimated[:6])}"
                        f"{' …' if len(self.estimated) > 6 else ''})" if self.estimated else ""))
        lines.append(f"Split: {plural(len(self.split), 'item')}"
                     + (f" ({', '.join(f'{s.key} into {len(s.children)}' for s in self.split)})" if self.split else ""))
        lines.append(f"Made ready: {plural(len(self.made_ready), 'item')}"
                     + (f" ({', '.join(r.key for r in self.made_ready[:8])}"
                        f"{' …' if len(self.made_ready) > 8 else ''})" if self.made_ready else ""))
        lines.append(f"Questions: {len(self.raised)} raised, {len(self.answered)} answered")
        lines.append(self.readiness_line())
        if self.created or self.deleted:
            lines.append(f"Items added: {self.created}, deleted: {self.deleted}")
        return lines

    def readiness_line(self) -> str:
        before, after = self.before, self.after
        if not after.two_sprints:
            return (f"Ready points: {after.ready_points:g} (was {before.ready_points:g}); "
                    "no capacity to compare them with")
        return (f"Ready in the next two sprints: {after.ready_points:g} of {after.two_sprints:g} points of capacity "
                f"(was {before.ready_points:g}); {after.ready_items} of {after.items} items ready")


def plural(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def minutes(seconds: float) -> str:
    """A duration for people: `45 s`, `12 min`, `1 h 05 min`."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    mins = round(seconds / 60)
    return f"{mins} min" if mins < 60 else f"{mins // 60} h {mins % 60:02d} min"


def clock(seconds: float) -> str:
    """A countdown or stopwatch reading: `4:07`, `1:02:03`."""
    seconds = int(seconds)
    hours, rest = divmod(abs(seconds), 3600)
    text = f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"
    return "-" + text if seconds < 0 else text


class SessionOwner(BaseModel):
    """The Groom process running a session."""

    model_config = _FROZEN
    user: ShortText
    host: ShortText
    pid: int = Field(ge=0)

    @classmethod
    def this_process(cls, user: str) -> SessionOwner:
        return cls(user=user, host=socket.gethostname(), pid=os.getpid())


class Session(BaseModel):
    model_config = _FROZEN
    started: Timestamp
    timebox: int = Field(ge=1, le=MAX_TIMEBOX)  # minutes
    by: ShortText  # who started it
    agenda: tuple[ItemKey, ...]
    agenda_source: ShortText = ""  # how the agenda was chosen, in words
    owner: SessionOwner | None = None  # the process running it; None once ended
    heartbeat: Timestamp  # the owner's latest write
    current: ItemKey | None = None  # the agenda item under discussion
    seconds: dict[ItemKey, Seconds] = Field(default_factory=dict)  # time on each agenda item
    off_agenda: Seconds = 0  # time on other items
    at_start: ReadyPoints = Field(default_factory=ReadyPoints)
    ended: Timestamp | None = None
    summary: SessionSummary | None = None

    @property
    def running(self) -> bool:
        return self.ended is None

    def deadline(self) -> datetime:
        return self.started + timedelta(minutes=self.timebox)

    def owned_by(self, owner: SessionOwner) -> bool:
        return self.owner is not None and (self.owner.host, self.owner.pid) == (owner.host, owner.pid)

    def owner_gone(self, now: datetime) -> bool:
        """Whether nobody runs this open session any more (its Groom crashed or was closed)."""
        if self.owner is None:
            return True
        if now - self.heartbeat > STALE_AFTER:
            return True
        return self.owner.host == socket.gethostname() and not _process_alive(self.owner.pid)

    def to_doc(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def _process_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    except OSError:
        return False
    return True


def open_session(backlog: Backlog) -> tuple[int, Session] | None:
    """The session still running (or left open), if any: the latest one."""
    for doc_id in sorted(backlog.sessions, reverse=True):
        session = backlog.sessions[doc_id]
        if session.running:
            return doc_id, session
    return None
