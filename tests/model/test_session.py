"""Refinement sessions in the model: starting, time per item, the summary worked out from the
history of a scripted session (frozen clock), ownership, and the Markdown export."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from model.commands import AddCriterion, AddQuestion, CycleMoscow, EditQuestion, SetPoints
from model.errors import CommandError
from model.io.session_markdown import escape, render_markdown
from model.service import BacklogService
from model.session import (
    EndSession,
    StartSession,
    TimeTracker,
    UpdateSession,
    agenda_from,
    default_agenda,
    open_session,
    warning_at,
)
from model.session_record import STALE_AFTER, SessionOwner, SessionSummary, clock, minutes
from model.split import ChildDraft, SplitItem
from model.store import Store
from tests.tui import scenario

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


class ManualClock:
    """Time stands still until a test moves it."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def manual() -> ManualClock:
    return ManualClock()


@pytest.fixture
def shop(tmp_path: Path, manual: ManualClock) -> BacklogService:
    """The 18-item webshop scenario (velocity 20: SHOP-1..SHOP-10 in the next two sprints)."""
    Store.create(tmp_path / "webshop.json", scenario.build_backlog())
    return BacklogService.open(tmp_path / "webshop.json", clock=manual, user="ana")


def owner(user: str = "ana") -> SessionOwner:
    return SessionOwner.this_process(user)


def start(service: BacklogService, timebox: int = 60, agenda: tuple[str, ...] | None = None) -> int:
    keys = agenda if agenda is not None else default_agenda(service.backlog).keys
    outcome = service.execute(StartSession(timebox, keys, owner(service.user), "not ready in the next two sprints"))
    return outcome.change.docs[0].doc_id


# ----- the agenda -----------------------------------------------------------------------------------


def test_the_default_agenda_is_what_is_not_ready_in_the_next_two_sprints(shop):
    agenda = default_agenda(shop.backlog)
    assert agenda.keys == ("SHOP-3", "SHOP-4", "SHOP-6", "SHOP-8", "SHOP-9", "SHOP-10")
    assert agenda.source == "not ready in the next two sprints" and agenda.note == ""


def test_without_capacity_the_first_open_items_not_ready_stand_in(tmp_path):
    Store.create(tmp_path / "new.json", scenario.build_backlog(sprints=[]))
    service = BacklogService.open(tmp_path / "new.json")
    agenda = default_agenda(service.backlog)
    assert agenda.keys[:3] == ("SHOP-3", "SHOP-4", "SHOP-6") and len(agenda.keys) == 10
    assert "No sprint history" in agenda.note


def test_an_agenda_from_the_filter_keeps_open_items_in_rank_order(shop):
    agenda = agenda_from(shop.backlog, ["SHOP-12", "SHOP-2", "SHOP-15", "SHOP-2", "SHOP-99"], "the filter")
    assert agenda.keys == ("SHOP-2", "SHOP-12")  # SHOP-15 is done, SHOP-99 does not exist


def test_the_warning_comes_ten_minutes_before_the_end_or_earlier_in_short_sessions():
    assert (warning_at(60), warning_at(120), warning_at(30), warning_at(2)) == (600, 600, 360, 24)


# ----- starting, updating, ending -------------------------------------------------------------------


def test_starting_writes_the_session_with_its_owner_and_how_ready_the_sprints_were(shop, manual):
    doc_id = start(shop)
    session = Store.open(shop.store.path)[1].sessions[doc_id]
    assert session.started == START and session.timebox == 60 and session.by == "ana"
    assert session.owner == owner() and session.running
    assert session.at_start.capacity == 20 and session.at_start.items == 9 and session.at_start.ready_items == 3
    assert open_session(shop.backlog) == (doc_id, shop.backlog.sessions[doc_id])


def test_session_writes_are_not_undo_steps(shop, manual):
    shop.execute(SetPoints("SHOP-9", 3))
    shop.undo()
    doc_id = start(shop)
    shop.execute(UpdateSession(doc_id, {"SHOP-3": 30}, 0, "SHOP-3"))
    assert shop.undo_label is None and shop.redo_label == "Estimate SHOP-9: 3"
    shop.redo()  # the redo stack survived the session writes
    assert shop.backlog.item("SHOP-9").points == 3


def test_only_one_session_is_open_at_a_time(shop):
    start(shop)
    with pytest.raises(CommandError, match="already open"):
        start(shop)


@pytest.mark.parametrize(("timebox", "agenda", "message"), [
    (0, ("SHOP-3",), "the timebox must be 1 to 480 minutes"),
    (60, (), "the agenda is empty"),
    (60, ("SHOP-99",), "there is no item SHOP-99"),
])
def test_a_bad_start_is_refused_in_words(shop, timebox, agenda, message):
    with pytest.raises(CommandError, match=message):
        shop.execute(StartSession(timebox, agenda, owner()))
    assert shop.backlog.sessions == {}


def test_another_groom_cannot_update_a_session_it_does_not_run(shop):
    doc_id = start(shop)
    foreign = SessionOwner(user="ben", host="elsewhere", pid=4242)
    session = shop.backlog.sessions[doc_id]
    shop.backlog.sessions[doc_id] = session.model_copy(update={"owner": foreign})
    with pytest.raises(CommandError, match="run by another Groom"):
        shop.execute(UpdateSession(doc_id, {}, 0, None))
    shop.execute(UpdateSession(doc_id, {}, 0, None, owner=owner()))  # taking it over is explicit
    assert shop.backlog.sessions[doc_id].owner == owner()


def test_an_owner_is_gone_when_its_process_ended_or_it_stopped_writing(shop, manual):
    doc_id = start(shop)
    session = shop.backlog.sessions[doc_id]
    assert not session.owner_gone(manual.now)
    assert session.owner_gone(manual.now + STALE_AFTER + timedelta(seconds=1))
    dead = session.model_copy(update={"owner": SessionOwner(user="ana", host=owner().host, pid=2 ** 22 + 7)})
    assert dead.owner_gone(manual.now)
    remote = session.model_copy(update={"owner": SessionOwner(user="ben", host="other-host", pid=os.getpid())})
    assert not remote.owner_gone(manual.now)  # another machine: only the heartbeat tells


def test_ending_an_abandoned_session_stops_it_when_it_was_last_seen(shop, manual):
    doc_id = start(shop)
    manual.advance(minutes=20)
    shop.execute(UpdateSession(doc_id, {"SHOP-3": 600}, 0, "SHOP-3"))
    last_seen = manual.now
    manual.advance(hours=5)
    shop.execute(EndSession(doc_id, {"SHOP-3": 600}, 0, at=shop.backlog.sessions[doc_id].heartbeat))
    session = shop.backlog.sessions[doc_id]
    assert session.ended == last_seen and session.summary.duration == 20 * 60
    assert session.owner is None and not session.running
    with pytest.raises(CommandError, match="already ended"):
        shop.execute(EndSession(doc_id, {}, 0))


# ----- time per item ----------------------------------------------------------------------------------


def test_time_goes_to_the_agenda_item_under_the_cursor(manual):
    tracker = TimeTracker(("SHOP-3", "SHOP-4"))
    tracker.focus("SHOP-3", manual.now)
    manual.advance(seconds=90)
    tracker.focus("SHOP-1", manual.now)  # off the agenda
    manual.advance(seconds=30)
    tracker.focus("SHOP-4", manual.now)
    assert tracker.position() == 2
    manual.advance(seconds=15)
    assert tracker.on_current(manual.now) == 15
    tracker.focus("SHOP-3", manual.now)
    manual.advance(seconds=10)
    tracker.settle(manual.now)
    assert tracker.whole_seconds() == {"SHOP-3": 100, "SHOP-4": 15}
    assert tracker.off_agenda == 30 and tracker.position() == 1


# ----- the summary of a scripted session -----------------------------------------------------------


def test_the_summary_is_worked_out_from_the_history_of_the_session(shop, manual, tmp_path):
    shop.execute(SetPoints("SHOP-12", 2))  # before the session: not counted
    manual.advance(minutes=1)
    doc_id = start(shop, timebox=60)
    ben = BacklogService.open(shop.store.path, clock=manual, user="ben")

    manual.advance(minutes=3)
    shop.execute(SetPoints("SHOP-9", 5))  # estimated
    shop.execute(SetPoints("SHOP-10", 8))  # estimated, then undone: not counted
    shop.undo()
    shop.execute(AddQuestion("SHOP-3", "Which carriers give dates?", ask="Sam"))
    manual.advance(minutes=4)
    shop.execute(EditQuestion("SHOP-3", 2, answer="DHL and UPS"))  # raised and answered
    shop.execute(EditQuestion("SHOP-3", 0, answer="All of them"))  # an old question answered: SHOP-3 is ready
    manual.advance(minutes=5)
    ben.execute(AddCriterion("SHOP-6", "Given the new SDK, when I pay, then it works"))  # ben makes SHOP-6 ready
    shop.refresh()
    shop.execute(SplitItem("SHOP-4", (ChildDraft("Spike: providers", points=2), ChildDraft("Autocomplete"))))
    shop.execute(CycleMoscow("SHOP-17"))  # not on the agenda
    seconds = {"SHOP-3": 420, "SHOP-9": 125, "SHOP-4": 300, "SHOP-6": 61}
    manual.advance(minutes=60)  # 72 minutes in all: 12 over
    shop.execute(EndSession(doc_id, seconds, 200))
    manual.advance(minutes=1)
    shop.execute(SetPoints("SHOP-8", 1))  # after the session: not counted

    summary = shop.backlog.sessions[doc_id].summary
    assert summary.started == START + timedelta(minutes=1) and summary.duration == 72 * 60 and summary.over == 12 * 60
    assert summary.contributors == ("ana", "ben")
    assert [(e.key, e.old, e.new) for e in summary.estimated] == [("SHOP-9", None, 5), ("SHOP-19", None, 2)]
    assert [(s.key, s.children) for s in summary.split] == [("SHOP-4", ("SHOP-19", "SHOP-20"))]
    assert [r.key for r in summary.made_ready] == ["SHOP-3", "SHOP-6"]
    assert [(q.key, q.text, q.ask) for q in summary.raised] == [("SHOP-3", "Which carriers give dates?", "Sam")]
    assert [(q.key, q.answer) for q in summary.answered] == [("SHOP-3", "All of them"), ("SHOP-3", "DHL and UPS")]
    assert (summary.created, summary.deleted) == (2, 0)
    agenda = {row.key: (row.seconds, row.outcome) for row in summary.agenda}
    assert agenda["SHOP-9"] == (125, ("estimated ? → 5",))
    assert agenda["SHOP-10"] == (0, ("2 changes",))  # estimated and undone: touched, nothing changed
    assert agenda["SHOP-3"] == (420, ("made ready", "1 question raised", "2 answered"))
    assert agenda["SHOP-4"] == (300, ("split into 2",))
    assert agenda["SHOP-8"] == (0, ())
    assert [row.key for row in summary.others] == ["SHOP-19", "SHOP-20", "SHOP-17"]
    assert summary.discussed == 5 and summary.off_agenda == 200
    assert summary.before.ready_points == 15 and summary.after.ready_points > summary.before.ready_points
    assert summary.overview()[0] == "1 h 12 min of a 60-minute timebox (12 min over)"
    # Kept in the store: a fresh process reads the same summary.
    _, reopened = Store.open(shop.store.path)
    assert reopened.sessions[doc_id].summary == summary


def test_the_summary_round_trips_through_json(shop, manual):
    doc_id = start(shop, agenda=("SHOP-9",))
    shop.execute(SetPoints("SHOP-9", 3))
    shop.execute(EndSession(doc_id, {"SHOP-9": 30}, 0))
    summary = shop.backlog.sessions[doc_id].summary
    assert SessionSummary.model_validate(summary.model_dump(mode="json")) == summary


def test_minutes_and_clock_read_like_people_write_them():
    assert (minutes(45), minutes(12 * 60 + 20), minutes(65 * 60)) == ("45 s", "12 min", "1 h 05 min")
    assert (clock(247), clock(3723), clock(-65)) == ("4:07", "1:02:03", "-1:05")


# ----- Markdown ------------------------------------------------------------------------------------


def test_the_markdown_export_names_everything_and_escapes_user_text(shop, manual):
    shop.execute(AddQuestion("SHOP-9", "Use *bold* | pipes [x](http://e.x)?", ask="Po_lly"))
    manual.advance(minutes=1)
    doc_id = start(shop, timebox=30, agenda=("SHOP-9", "SHOP-10"))
    manual.advance(minutes=2)
    shop.execute(SetPoints("SHOP-9", 5))
    shop.execute(EditQuestion("SHOP-9", 0, answer="<b>no</b>"))
    manual.advance(minutes=20)
    shop.execute(EndSession(doc_id, {"SHOP-9": 600}, 0))
    text = render_markdown(shop.backlog.sessions[doc_id].summary)
    assert text.startswith("# Refinement session 1: Webshop checkout\n")
    assert "Monday 02 November 2026, 09:01–09:23 UTC · ana" in text
    assert "| SHOP-9 | 10:00 | Redesign the payment page | estimated ? → 5, 1 answered |" in text
    assert "| SHOP-10 | — | טופס תשלום בעברית (right-to-left checkout form) | not discussed |" in text
    assert "- SHOP-9: Use \\*bold\\* \\| pipes \\[x\\](http://e.x)? — \\<b\\>no\\</b\\>" in text
    assert "- 22 min of a 30-minute timebox (8 min to spare)" in text
    assert escape("a\x1b[31m|b\nc") == "a \\[31m\\|b c"
