"""Timeboxed refinement sessions: the agenda, time per item, and the commands that write them.

A session is one document of the `sessions` table (model/session_record.py). It is written when the session starts,
updated while it runs (time per agenda item, the item under discussion, a heartbeat), and
closed with its summary when it ends. It belongs to the Groom process that started it (the
`owner`): another Groom on the same file shows it running but does not run it. An owner that
is gone (its process ended, or no heartbeat for `STALE_AFTER`) leaves the session open for
anyone to resume or end — a crash never loses a session.

Session writes go through the backlog service like every change, but they are not undo steps:
`u` undoes the grooming, not the meeting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar

from pydantic import ValidationError

from model.backlog import Backlog
from model.change import SESSIONS, Change, DocChange
from model.errors import CommandError
from model.health import health
from model.item import format_timestamp
from model.readiness import readiness
from model.session_record import MAX_TIMEBOX, Session, SessionOwner, open_session
from model.session_summary import ready_points, summarize
from model.validation import describe

DEFAULT_TIMEBOX = 60  # minutes
HEARTBEAT = timedelta(seconds=60)  # how often a running session is written at the least
FALLBACK_AGENDA = 10  # items on the default agenda when there is no capacity to size sprints


def latest_session(backlog: Backlog) -> tuple[int, Session] | None:
    if not backlog.sessions:
        return None
    doc_id = max(backlog.sessions)
    return doc_id, backlog.sessions[doc_id]


# ----- the agenda ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Agenda:
    keys: tuple[str, ...]
    source: str  # in words, for the dialog and the summary
    note: str = ""  # why the default could not be used as such


def default_agenda(backlog: Backlog) -> Agenda:
    """The open items inside the next two sprints' capacity that are not ready, in rank order.

    Without a capacity (no sprint history, no team) the first open items that are not ready
    stand in, so a new team can still run a session.
    """
    report = health(backlog)
    if report.plan.capacity:
        return Agenda(report.not_ready_upcoming, "not ready in the next two sprints")
    settings = backlog.meta.settings
    keys = []
    for item in backlog:
        if not item.is_closed and not readiness(item, settings).ready:
            keys.append(item.key)
            if len(keys) == FALLBACK_AGENDA:
                break
    return Agenda(tuple(keys), f"the first {FALLBACK_AGENDA} open items not ready",
                  report.plan.note or "No capacity to size the next sprints.")


def agenda_from(backlog: Backlog, keys: Sequence[str], source: str) -> Agenda:
    """An agenda of the given items (e.g. what the filter shows), open ones only, in rank order."""
    items = backlog.items
    chosen = sorted((k for k in dict.fromkeys(keys) if k in items and not items[k].is_closed),
                    key=backlog.position)
    return Agenda(tuple(chosen), source)


# ----- time per item ---------------------------------------------------------------------------


@dataclass
class TimeTracker:
    """Time the cursor rests on each agenda item; the rest counts as off the agenda.

    The screen says which item is under the cursor whenever it changes (`focus`); the time
    since the previous call goes to the previous item.
    """

    agenda: tuple[str, ...]
    seconds: dict[str, float] = field(default_factory=dict)
    off_agenda: float = 0
    current: str | None = None  # the agenda item under the cursor (None: off the agenda)
    last_agenda: str | None = None  # the latest agenda item visited
    _since: datetime | None = None

    @classmethod
    def resume(cls, session: Session, now: datetime) -> TimeTracker:
        tracker = cls(session.agenda, {k: float(v) for k, v in session.seconds.items()}, float(session.off_agenda))
        tracker.last_agenda = session.current
        tracker._since = now
        return tracker

    def focus(self, key: str | None, now: datetime) -> None:
        self.settle(now)
        self.current = key if key in self.agenda else None
        if self.current is not None:
            self.last_agenda = self.current

    def settle(self, now: datetime) -> None:
        """Book the time since the last call to the item under the cursor."""
        if self._since is not None:
            elapsed = max(0.0, (now - self._since).total_seconds())
            if self.current is None:
                self.off_agenda += elapsed
            else:
                self.seconds[self.current] = self.seconds.get(self.current, 0) + elapsed
        self._since = now

    def on_current(self, now: datetime) -> float:
        """Seconds spent so far on the item under the cursor, this visit included."""
        if self.current is None:
            return 0
        pending = max(0.0, (now - self._since).total_seconds()) if self._since else 0
        return self.seconds.get(self.current, 0) + pending

    def position(self) -> int | None:
        """1-based place in the agenda of the item under discussion (or last discussed)."""
        key = self.current or self.last_agenda
        return self.agenda.index(key) + 1 if key in self.agenda else None

    def whole_seconds(self) -> dict[str, int]:
        return {k: round(v) for k, v in self.seconds.items() if round(v) > 0}


# ----- commands --------------------------------------------------------------------------------


def _session_doc(backlog: Backlog, doc_id: int) -> Session:
    session = backlog.sessions.get(doc_id)
    if session is None:
        raise CommandError(f"there is no refinement session {doc_id}")
    return session


def _edit(doc_id: int, session: Session, label: str, **fields: Any) -> Change:
    before = session.to_doc()
    try:
        after = Session.model_validate({**before, **fields}).to_doc()
    except ValidationError as exc:
        raise CommandError(describe(exc, "refinement session")) from None
    changed = [k for k in after if after[k] != before.get(k)]
    if not changed:
        return Change(label, ())
    return Change(label, (DocChange(SESSIONS, doc_id, {k: before.get(k) for k in changed},
                                    {k: after[k] for k in changed}),))


@dataclass(frozen=True)
class StartSession:
    timebox: int
    agenda: tuple[str, ...]
    owner: SessionOwner
    source: str = ""

    undoable: ClassVar[bool] = False

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        running = open_session(backlog)
        if running is not None:
            _, session = running
            raise CommandError(f"a refinement session is already open (started "
                               f"{format_timestamp(session.started)} by {session.by}); end it first")
        if not 1 <= self.timebox <= MAX_TIMEBOX:
            raise CommandError(f"the timebox must be 1 to {MAX_TIMEBOX} minutes, not {self.timebox}")
        if not self.agenda:
            raise CommandError("the agenda is empty: choose at least one item")
        missing = [k for k in self.agenda if k not in backlog.items]
        if missing:
            raise CommandError(f"there is no item {missing[0]}")
        try:
            session = Session(started=now, timebox=self.timebox, by=self.owner.user, agenda=self.agenda,
                              agenda_source=self.source, owner=self.owner, heartbeat=now,
                              current=None, at_start=ready_points(backlog))
        except ValidationError as exc:
            raise CommandError(describe(exc, "refinement session")) from None
        doc_id = backlog.next_doc_id(SESSIONS)
        return Change("Start a refinement session", (DocChange(SESSIONS, doc_id, None, session.to_doc()),))


@dataclass(frozen=True)
class UpdateSession:
    """The owner's periodic write: time per item, the item under discussion, the heartbeat."""

    doc_id: int
    seconds: Mapping[str, int]
    off_agenda: int
    current: str | None
    owner: SessionOwner | None = None  # set to take over a session whose Groom has gone

    undoable: ClassVar[bool] = False

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        session = _session_doc(backlog, self.doc_id)
        if not session.running:
            raise CommandError("the refinement session has already ended")
        fields: dict[str, Any] = {"seconds": dict(self.seconds), "off_agenda": self.off_agenda,
                                  "current": self.current, "heartbeat": now}
        if self.owner is not None:
            fields["owner"] = self.owner.model_dump()
        elif session.owner is None or not session.owned_by(SessionOwner.this_process(session.owner.user)):
            raise CommandError("this refinement session is run by another Groom")
        return _edit(self.doc_id, session, "Update the refinement session", **fields)


@dataclass(frozen=True)
class EndSession:
    """Close the session and keep its summary, computed from the history it recorded.

    `at` ends it at a given time rather than now: a session whose Groom has gone ends when it
    was last seen running, not hours later when someone closes it.
    """

    doc_id: int
    seconds: Mapping[str, int]
    off_agenda: int
    at: datetime | None = None

    undoable: ClassVar[bool] = False

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        session = _session_doc(backlog, self.doc_id)
        if not session.running:
            raise CommandError("the refinement session has already ended")
        ended = min(self.at, now) if self.at is not None else now
        ended = max(ended, session.started)
        timed = session.model_copy(update={"seconds": dict(self.seconds), "off_agenda": self.off_agenda})
        summary = summarize(backlog, timed, self.doc_id, ended)
        return _edit(self.doc_id, session, "End the refinement session", seconds=dict(self.seconds),
                     off_agenda=self.off_agenda, ended=ended, owner=None, current=None,
                     summary=summary.model_dump(mode="json"))


def warning_at(timebox: int) -> int:
    """Seconds left when the session warns that time is nearly up: 10 minutes, or a fifth of a
    short timebox (a 2-minute session warns at 24 seconds)."""
    return min(10 * 60, timebox * 60 // 5)
