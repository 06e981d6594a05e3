"""What a refinement session achieved, worked out from the history it recorded.

The summary compares each item as it was when the session started with how it was when it
ended, from the history entries stamped in between (whoever made them: a session is a
meeting, and a pair's edits from another Groom count too). Working from the net change means
an estimate that was undone is not counted, and a question raised and then answered is both
raised and answered. Nothing is counted by the screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from model.health import health
from model.history import HistoryEntry
from model.item import CLOSED_STATUSES, Item, format_points, format_timestamp
from model.readiness import readiness
from model.session_record import (
    Estimate,
    ItemRef,
    ItemTime,
    QuestionNote,
    ReadyPoints,
    Session,
    SessionSummary,
    Split,
    plural,
)

if TYPE_CHECKING:
    from model.backlog import Backlog


# ----- working it out ----------------------------------------------------------------------------


def ready_points(backlog: Backlog) -> ReadyPoints:
    """How ready the next two sprints are now."""
    report = health(backlog)
    items = backlog.items
    not_ready = set(report.not_ready_upcoming)
    return ReadyPoints(
        capacity=report.plan.capacity,
        items=len(report.upcoming),
        ready_items=len(report.upcoming) - len(not_ready),
        points=sum(items[k].points or 0 for k in report.upcoming),
        ready_points=sum(items[k].points or 0 for k in report.upcoming if k not in not_ready),
    )


def summarize(backlog: Backlog, session: Session, doc_id: int, ended: datetime) -> SessionSummary:
    """The summary of `session` ending at `ended`, from the backlog's history."""
    start, end = format_timestamp(session.started), format_timestamp(ended)
    during = backlog.history.between(start, end)
    after = [e for e in backlog.history.between(end) if e.at > end]
    by_item: dict[str, list[HistoryEntry]] = {}
    for entry in during:
        by_item.setdefault(entry.item, []).append(entry)
    later: dict[str, list[HistoryEntry]] = {}
    for entry in after:
        later.setdefault(entry.item, []).append(entry)

    settings = backlog.meta.settings
    titles: dict[str, str] = {}
    estimated, splits, made_ready, raised, answered = [], [], [], [], []
    outcomes: dict[str, list[str]] = {}
    created = deleted = 0
    for key, entries in by_item.items():
        current = backlog.items.get(key)
        at_end = _rolled_back(current.to_doc() if current else None, later.get(key, []))
        at_start = _rolled_back(at_end, entries)
        titles[key] = _title(at_end, at_start, current)
        words = outcomes.setdefault(key, [])
        if at_start is None and at_end is not None:
            created += 1
            words.append("added")
        if at_start is not None and at_end is None:
            deleted += 1
            words.append("deleted")
        old_points = (at_start or {}).get("points")
        new_points = (at_end or {}).get("points")
        if at_end is not None and new_points is not None and new_points != old_points:
            estimated.append(Estimate(key=key, title=titles[key], old=old_points, new=new_points))
            words.append(f"estimated {format_points(old_points)} → {format_points(new_points)}")
        if (at_end or {}).get("status") == "split" and (at_start or {}).get("status") != "split":
            children = tuple(child.key for child in backlog.children(key))
            splits.append(Split(key=key, title=titles[key], children=children))
            words.append(f"split into {len(children)}")
        if _ready(key, at_end, settings) and not _ready(key, at_start, settings):
            made_ready.append(ItemRef(key=key, title=titles[key]))
            words.append("made ready")
        new_raised, new_answered = _questions((at_start or {}).get("questions") or [],
                                              (at_end or {}).get("questions") or [])
        raised += [QuestionNote(key=key, title=titles[key], **q) for q in new_raised]
        answered += [QuestionNote(key=key, title=titles[key], **q) for q in new_answered]
        if new_raised:
            words.append(plural(len(new_raised), "question") + " raised")
        if new_answered:
            words.append(f"{len(new_answered)} answered")
        if not words:
            words.append(plural(len(entries), "change"))

    seconds = session.seconds
    agenda = tuple(
        ItemTime(key=key, title=titles.get(key) or _current_title(backlog, key), seconds=seconds.get(key, 0),
                 outcome=tuple(outcomes.get(key, ())))
        for key in session.agenda
    )
    others = tuple(ItemTime(key=key, title=titles[key], outcome=tuple(outcomes[key]))
                   for key in by_item if key not in session.agenda)
    contributors = tuple(dict.fromkeys([session.by, *(e.by for e in during)]))
    return SessionSummary(
        session=doc_id, backlog=backlog.meta.name, started=session.started, ended=ended,
        timebox=session.timebox, by=session.by, contributors=contributors, agenda_source=session.agenda_source,
        agenda=agenda, others=others, off_agenda=session.off_agenda, estimated=tuple(estimated),
        split=tuple(splits), made_ready=tuple(made_ready), raised=tuple(raised), answered=tuple(answered),
        created=created, deleted=deleted, changes=len(during), before=session.at_start,
        after=ready_points(backlog),
    )


def _rolled_back(doc: Mapping[str, Any] | None, entries: Iterable[HistoryEntry]) -> dict[str, Any] | None:
    """The item as it was before `entries` (oldest first) happened to it."""
    state = dict(doc) if doc is not None else None
    for entry in reversed(list(entries)):
        if entry.op == "created":
            state = None
        elif entry.op == "deleted":
            state = {f: old for f, (old, _) in entry.fields.items() if old is not None}
        else:
            state = dict(state or {})
            state.update({f: old for f, (old, _) in entry.fields.items() if f != "position"})
    return state


def _ready(key: str, doc: Mapping[str, Any] | None, settings: Any) -> bool:
    if doc is None or doc.get("status") in CLOSED_STATUSES:
        return False
    try:
        item = Item.model_validate({"title": "?", "rank": "V", "created": "2000-01-01T00:00:00Z",
                                    "updated": "2000-01-01T00:00:00Z", **doc, "key": key})
    except ValidationError:  # a state pieced together from abbreviated history: say not ready
        return False
    return readiness(item, settings).ready


def _questions(old: list[Mapping[str, Any]], new: list[Mapping[str, Any]]) -> tuple[list[dict], list[dict]]:
    """Questions raised (in `new` only) and answered (answered in `new`, open or absent in `old`)."""
    before = {q.get("text", ""): q for q in old}
    raised, answered = [], []
    for question in new:
        note = {"text": question.get("text", ""), "ask": question.get("ask", ""), "answer": question.get("answer", "")}
        previous = before.get(note["text"])
        if previous is None:
            raised.append(note)
        if note["answer"] and (previous is None or not previous.get("answer")):
            answered.append(note)
    return raised, answered


def _title(at_end: Mapping[str, Any] | None, at_start: Mapping[str, Any] | None, current: Any) -> str:
    for doc in (at_end, at_start):
        if doc and doc.get("title"):
            return str(doc["title"])
    return current.title if current else ""


def _current_title(backlog: Backlog, key: str) -> str:
    item = backlog.items.get(key)
    return item.title if item else "(deleted)"
