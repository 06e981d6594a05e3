"""Runs this Groom's refinement session for the grooming screen, and shows anyone else's.

The runner keeps the time per agenda item (the time the cursor rests on it), drives the
countdown bar once a second, warns gently (a notification, never a dialog) when ten minutes
are left and when the timebox is up, and writes the session through the backlog service when
it starts, when the discussion moves to another agenda item (at most every 15 seconds), once a
minute as a heartbeat, and when it ends. Its clock is the service's, so tests drive it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from model.errors import GroomError
from model.session_record import Session, SessionOwner, SessionSummary, clock, minutes, open_session
from tui.widgets.session_bar import SessionBar, SessionView

if TYPE_CHECKING:
    from model.session import TimeTracker
    from tui.screens.grooming import GroomingScreen
    from tui.screens.session import SessionPlan

# What runs a session (model.session: its commands, agenda, time tracking), its dialogs and the
# Markdown summary are imported when first used, not at start: most Groom runs hold no session,
# and first paint should not wait for them. Finding whether one is open is model.session_record's.

SAVE_AFTER_MOVE = timedelta(seconds=15)  # the least time between writes caused by moving on
RESUME_WITHIN = timedelta(minutes=30)  # reopening Groom this soon after it closed resumes its session


class SessionRunner:
    def __init__(self, screen: GroomingScreen) -> None:
        self.screen = screen
        self.service = screen.service
        self.owner = SessionOwner.this_process(self.service.user)
        self.doc_id: int | None = None  # the session this Groom runs
        self.tracker: TimeTracker | None = None
        self.saved_at: datetime | None = None
        self.warned: set[str] = set()

    @property
    def running(self) -> bool:
        return self.doc_id is not None

    @property
    def session(self) -> Session | None:
        return self.service.backlog.sessions.get(self.doc_id) if self.doc_id is not None else None

    def now(self) -> datetime:
        return self.service.clock()

    # ----- the screen's hooks ------------------------------------------------------------------

    def mount(self) -> None:
        """Resume our own session when Groom is reopened soon after it closed (or crashed)."""
        found = open_session(self.service.backlog)
        if found is not None:
            doc_id, session = found
            now = self.now()
            if (session.by == self.service.user and session.owner_gone(now)
                    and now - session.heartbeat <= RESUME_WITHIN):
                self.resume(doc_id, session, now)
        self.tick()

    def tick(self) -> None:
        """Once a second: the countdown, the warnings, the heartbeat; or another Groom's session."""
        bar = self.screen.query_one(SessionBar)
        found = open_session(self.service.backlog)
        if self.running:
            session = self.session
            if found is None or found[0] != self.doc_id or session is None or not session.owned_by(self.owner):
                self._lost()
                return
            now = self.now()
            self._warn(session, now)
            from model.session import HEARTBEAT

            if self.saved_at is None or now - self.saved_at >= HEARTBEAT:
                self.save(now)
            bar.view = self._view(session, now)
            return
        if found is None:
            bar.view = None
            return
        bar.view = self._view(found[1], self.now(), own=False)

    def focus(self, key: str | None) -> None:
        """The cursor is on `key`: its time starts counting (if it is on the agenda)."""
        if self.tracker is None:
            return
        now = self.now()
        before = self.tracker.current
        self.tracker.focus(key, now)
        if self.tracker.current not in (None, before) and (
                self.saved_at is None or now - self.saved_at >= SAVE_AFTER_MOVE):
            self.save(now)
        session = self.session
        if session is not None:
            self.screen.query_one(SessionBar).view = self._view(session, now)

    # ----- R ---------------------------------------------------------------------------------

    def toggle(self) -> None:
        """Start a session, end ours, or decide about one whose Groom has gone."""
        if self.running:
            from tui.screens.dialogs import ConfirmDialog

            session = self.session
            left = self._left_words(session) if session else ""
            self.screen.app.push_screen(ConfirmDialog(f"End the refinement session{left}? You will see the summary."),
                                        lambda yes: self.end() if yes else None)
            return
        found = open_session(self.service.backlog)
        if found is None:
            self._ask_start()
            return
        doc_id, session = found
        now = self.now()
        if not session.owner_gone(now):
            self.screen.tell(f"{session.by}'s refinement session runs in another Groom on this file"
                             f"{self._left_words(session)}; it is ended there.", title="Session")
            return

        def chosen(choice: str | None) -> None:
            if choice == "resume":
                self.resume(doc_id, session, self.now())
            elif choice == "end":
                self.end(doc_id, at=session.heartbeat)

        from tui.screens.session import ChoiceDialog

        question = (f"An unfinished refinement session from {session.started.astimezone():%a %H:%M} by {session.by} "
                    f"is still open: its Groom closed at {session.heartbeat.astimezone():%H:%M}.")
        self.screen.app.push_screen(ChoiceDialog(question, [
            ("r", "resume", "resume it here"),
            ("e", "end", "end it (summary up to when it closed)"),
        ]), chosen)

    def _ask_start(self) -> None:
        from model.session import agenda_from, default_agenda
        from tui.screens.session import SessionStartDialog

        screen = self.screen
        backlog = self.service.backlog
        filtered = None
        if screen.filter.active:
            filtered = agenda_from(backlog, screen.list.keys, f"the filter “{screen.filter.text}”")

        def chosen(plan: SessionPlan | None) -> None:
            if plan is not None:
                self.start(plan)

        screen.app.push_screen(SessionStartDialog(backlog, default_agenda(backlog), filtered), chosen)

    def start(self, plan: SessionPlan) -> None:
        from model.session import StartSession

        try:
            outcome = self.service.execute(StartSession(plan.timebox, plan.agenda, self.owner, plan.source))
        except GroomError as exc:
            self.screen.tell(str(exc), title="Session not started", severity="error")
            return
        doc_id = outcome.change.docs[0].doc_id
        session = self.service.backlog.sessions[doc_id]
        self._begin(doc_id, session, session.started)
        if outcome.external:
            self.screen.after_change(outcome, self.screen.current_key)
        if plan.show_only_agenda:
            self.screen.apply_filter(self.agenda_query(), focus_key=plan.agenda[0])
        self.go_to(plan.agenda[0])
        each = minutes(plan.timebox * 60 / len(plan.agenda))
        self.screen.tell(f"{plan.timebox} minutes for {len(plan.agenda)} items (≈{each} each). "
                         "] and [ move along the agenda; R ends the session.", title="Session started")

    def resume(self, doc_id: int, session: Session, now: datetime) -> None:
        from model.session import UpdateSession, warning_at

        command = UpdateSession(doc_id, session.seconds, session.off_agenda, session.current, owner=self.owner)
        try:
            self.service.execute(command)
        except GroomError as exc:
            self.screen.tell(str(exc), title="Session", severity="error")
            return
        self._begin(doc_id, self.service.backlog.sessions[doc_id], now)
        session = self.service.backlog.sessions[doc_id]
        left = (session.deadline() - now).total_seconds()
        self.warned = {"soon"} if left <= warning_at(session.timebox) else set()
        if left <= 0:
            self.warned.add("over")
        self.screen.tell(f"Resumed the refinement session started at {session.started.astimezone():%H:%M}"
                         f"{self._left_words(session)}.", title="Session")
        self.tick()

    def _begin(self, doc_id: int, session: Session, now: datetime) -> None:
        from model.session import TimeTracker

        self.doc_id = doc_id
        self.tracker = TimeTracker.resume(session, now)
        self.tracker.focus(self.screen.current_key, now)
        self.saved_at = now
        self.warned = set()

    # ----- moving along the agenda -------------------------------------------------------------

    def agenda_query(self) -> str:
        """The filter showing the agenda, and the stories split from agenda items (which take
        their parent's place, so the discussion can go on with them)."""
        session = self.session
        if session is None:
            return ""
        backlog = self.service.backlog
        keys = [k for key in session.agenda for k in (key, *(c.key for c in backlog.children(key)))]
        return "key:" + ",".join(dict.fromkeys(keys))

    def widen_agenda_filter(self) -> None:
        """After a change: if the agenda is shown and an agenda item was split, show its children too."""
        screen = self.screen
        if not self.running or not screen.filter.text.startswith("key:"):
            return
        shown = set(screen.filter.text[4:].split(","))
        session = self.session
        if session is None or not set(session.agenda) <= shown:
            return  # the user's own filter, not the agenda
        query = self.agenda_query()
        if query != screen.filter.text:
            screen.set_filter_text(query)

    def step(self, offset: int) -> None:
        """`]` / `[`: the next or previous agenda item."""
        session = self.session
        if session is None or self.tracker is None:
            self.screen.tell("No refinement session is running here: R starts one.", title="Session")
            return
        agenda = [k for k in session.agenda if k in self.service.backlog.items]
        if not agenda:
            self.screen.tell("Every agenda item has been deleted.", title="Session", severity="warning")
            return
        position = self.tracker.position()
        current = session.agenda[position - 1] if position else None
        if current in agenda:
            index = agenda.index(current) + offset
        else:
            index = 0 if offset > 0 else len(agenda) - 1
        if not 0 <= index < len(agenda):
            last = "last" if offset > 0 else "first"
            self.screen.tell(f"That was the {last} item on the agenda ({len(agenda)} items). R ends the session.",
                             title="Session")
            return
        self.go_to(agenda[index])

    def go_to(self, key: str) -> None:
        screen = self.screen
        if key not in screen.list.keys:
            screen.apply_filter(self.agenda_query(), focus_key=key)
        else:
            screen.list.show(screen.list.keys, screen.list.cuts, focus_key=key)

    # ----- writing ----------------------------------------------------------------------------

    def save(self, now: datetime) -> None:
        from model.session import UpdateSession

        if self.doc_id is None or self.tracker is None:
            return
        self.tracker.settle(now)
        command = UpdateSession(self.doc_id, self.tracker.whole_seconds(), round(self.tracker.off_agenda),
                                self.tracker.last_agenda)
        self.saved_at = now
        try:
            outcome = self.service.execute(command)
        except GroomError as exc:
            if self.session is None or not self.session.running or not self.session.owned_by(self.owner):
                self._lost()
            else:
                self.screen.tell(f"The session's time could not be saved: {exc}", title="Session",
                                 severity="warning")
            return
        if outcome.external:
            self.screen.after_change(outcome, self.screen.current_key)

    def end(self, doc_id: int | None = None, at: datetime | None = None,
            then: Callable[[], object] | None = None) -> None:
        """End our session (or an abandoned one) and show the summary; `then` runs after it closes."""
        from model.session import EndSession

        target = self.doc_id if doc_id is None else doc_id
        if target is None:
            return
        seconds: dict[str, int]
        if target == self.doc_id and self.tracker is not None:
            self.tracker.settle(self.now())
            seconds, off = self.tracker.whole_seconds(), round(self.tracker.off_agenda)
        else:
            session = self.service.backlog.sessions[target]
            seconds, off = dict(session.seconds), session.off_agenda
        try:
            self.service.execute(EndSession(target, seconds, off, at=at))
        except GroomError as exc:
            self.screen.tell(str(exc), title="Session not ended", severity="error")
            return
        if target == self.doc_id:
            showing_agenda = self.screen.filter.text == self.agenda_query()
            self._stop()
            if showing_agenda:
                self.screen.action_clear_filter()
        self.tick()
        summary = self.service.backlog.sessions[target].summary
        if summary is not None:
            from tui.screens.session import SessionSummaryScreen

            self.screen.app.push_screen(SessionSummaryScreen(summary, self.export),
                                        (lambda _: then()) if then else None)
        elif then:
            then()

    def keep_for_later(self) -> None:
        """Quitting with the session open: save it; it resumes when Groom opens again."""
        if self.running:
            self.save(self.now())

    def export(self, summary: SessionSummary) -> str:
        from model.io.session_markdown import render_markdown

        path = Path(self.service.store.path)
        target = path.with_name(f"{path.stem}-session-{summary.session}.md")
        target.write_text(render_markdown(summary), encoding="utf-8")
        return f"Saved to {target}"

    def _stop(self) -> None:
        self.doc_id = None
        self.tracker = None
        self.saved_at = None
        self.warned = set()

    def _lost(self) -> None:
        """Our session was ended (or taken over) in another Groom."""
        self._stop()
        self.screen.tell("The refinement session was ended in another Groom on this file.", title="Session")
        self.tick()

    # ----- what the bar and the warnings say ---------------------------------------------------

    def _warn(self, session: Session, now: datetime) -> None:
        from model.session import warning_at

        left = (session.deadline() - now).total_seconds()
        tracker = self.tracker
        discussed = sum(1 for k in session.agenda if tracker and tracker.seconds.get(k, 0) >= 1)
        if left <= 0 and "over" not in self.warned:
            self.warned.update({"over", "soon"})
            self.screen.tell(f"The {session.timebox}-minute timebox is up ({len(session.agenda) - discussed} of "
                             f"{len(session.agenda)} agenda items not discussed). R ends the session and shows the "
                             "summary.", title="Session: time is up", severity="warning", timeout=12)
        elif 0 < left <= warning_at(session.timebox) and "soon" not in self.warned:
            self.warned.add("soon")
            position = tracker.position() if tracker else None
            where = f"you are on item {position} of {len(session.agenda)}" if position else "no item discussed yet"
            self.screen.tell(f"{minutes(left)} left in the refinement session: {where}.",
                             title="Session", severity="warning", timeout=10)

    def _view(self, session: Session, now: datetime, own: bool = True) -> SessionView:
        from model.session import warning_at

        left = int((session.deadline() - now).total_seconds())
        count = len(session.agenda)
        if own and self.tracker is not None:
            tracker = self.tracker
            position, current, on_item = tracker.position(), tracker.current, int(tracker.on_current(now))
        else:
            current = session.current
            position = session.agenda.index(current) + 1 if current in session.agenda else None
            on_item = session.seconds.get(current, 0) if current else 0
        to_come = count - (position or 1) + 1
        pace = left // to_come if left > 0 and to_come > 0 else None
        return SessionView(own=own, by=session.by, started=session.started, remaining=left, timebox=session.timebox,
                           warn_at=warning_at(session.timebox), count=count, position=position, current=current,
                           on_item=on_item, pace=pace, stale=not own and session.owner_gone(now))

    def _left_words(self, session: Session) -> str:
        left = int((session.deadline() - self.now()).total_seconds())
        return f" ({clock(left)} left)" if left >= 0 else f" ({clock(-left)} over time)"
