"""A refinement session's summary as Markdown, for the stakeholders who were not in the room.

User text (titles, questions, answers, names) is escaped so it reads as typed: a title with
`|`, `*` or `[link](…)` stays one table cell of plain words.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from model.errors import GroomError
from model.session_record import ItemTime, SessionSummary, clock, minutes
from model.session_summary import summarize

if TYPE_CHECKING:
    from model.backlog import Backlog

# What would change the meaning of plain text (parentheses only matter after `]`, escaped too).
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape(text: str) -> str:
    """Plain text for Markdown: special characters escaped, one line, no control characters."""
    text = _CONTROL.sub(" ", " ".join(text.split()))
    return _SPECIAL.sub(r"\\\1", text)


def render_markdown(summary: SessionSummary) -> str:
    started, ended = summary.started, summary.ended
    lines = [
        f"# Refinement session {summary.session}: {escape(summary.backlog)}",
        "",
        f"{started:%A %d %B %Y}, {started:%H:%M}–{ended:%H:%M} UTC · "
        f"{', '.join(escape(name) for name in summary.contributors)}",
        "",
        "## Outcome",
        "",
    ]
    lines += [f"- {escape(line)}" for line in summary.overview()]
    lines += ["", f"## Agenda ({summary.discussed} of {len(summary.agenda)} discussed)", ""]
    lines += _table(summary.agenda, timed=True)
    if summary.off_agenda >= 60:
        lines += ["", f"Time off the agenda: {minutes(summary.off_agenda)}."]
    if summary.others:
        lines += ["", "## Also changed", ""]
        lines += _table(summary.others, timed=False)
    if summary.estimated:
        lines += ["", "## Estimates", ""]
        lines += [f"- {e.key} {escape(e.title)}: {e.words}" for e in summary.estimated]
    if summary.split:
        lines += ["", "## Splits", ""]
        lines += [f"- {s.key} {escape(s.title)} into {', '.join(s.children) or 'no remaining children'}"
                  for s in summary.split]
    if summary.raised:
        lines += ["", "## Questions raised", ""]
        lines += [f"- {q.key}: {escape(q.text)}" + (f" (ask {escape(q.ask)})" if q.ask else "") for q in summary.raised]
    if summary.answered:
        lines += ["", "## Questions answered", ""]
        lines += [f"- {q.key}: {escape(q.text)} — {escape(q.answer)}" for q in summary.answered]
    lines += ["", f"_{summary.changes} changes recorded in the backlog's history during the session._", ""]
    return "\n".join(lines)


def _table(rows: tuple[ItemTime, ...], *, timed: bool) -> list[str]:
    if not rows:
        return ["(none)"]
    head = "| Item | Time | Title | Outcome |" if timed else "| Item | Title | Outcome |"
    rule = "|---|--:|---|---|" if timed else "|---|---|---|"
    lines = [head, rule]
    for row in rows:
        outcome = ", ".join(row.outcome) if row.outcome else ("no change" if row.seconds else "not discussed")
        cells = [row.key] + ([clock(row.seconds) if row.seconds else "—"] if timed else [])
        cells += [escape(row.title), escape(outcome)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def session_export(backlog: Backlog, doc_id: int | None, now: datetime, name: str) -> tuple[str, str | None]:
    """The Markdown of session `doc_id` (the latest when None), and a note when it has not ended.

    A session still running (or left open by a Groom that closed) is summarised as it is so far:
    up to now, or up to when its Groom was last seen.
    """
    if not backlog.sessions:
        raise GroomError(f"{name} has no refinement sessions yet (R starts one in the app)")
    chosen = doc_id if doc_id is not None else max(backlog.sessions)
    if chosen not in backlog.sessions:
        known = ", ".join(str(i) for i in sorted(backlog.sessions))
        raise GroomError(f"{name} has no refinement session {chosen} (it has {known})")
    session = backlog.sessions[chosen]
    if session.summary is not None:
        return render_markdown(session.summary), None
    ended = session.heartbeat if session.owner_gone(now) else now
    summary = summarize(backlog, session, chosen, max(session.started, min(ended, now)))
    return render_markdown(summary), f"session {chosen} has not ended; this is its summary so far"
