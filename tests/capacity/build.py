"""Small backlogs for the capacity and forecast tests, built through the model."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from model.backlog import Backlog
from model.item import Item
from model.rank import initial_ranks
from model.team import Sprint, TeamMember

STAMP = datetime(2026, 11, 2, 9, 0, tzinfo=UTC).isoformat()
FIRST_SPRINT = date(2026, 1, 5)


def sprint(completed: float, days: float | None = None, committed: float | None = None, name: str = "",
           start: date | None = None, end: date | None = None, undated: bool = False) -> dict[str, Any]:
    """A sprint spec; dated in the two-week cadence unless given dates or `undated`."""
    return {"completed": completed, "available_days": days, "committed": committed if committed is not None
            else completed, "name": name, "start": start, "end": end, "undated": undated}


def backlog(points: Sequence[float | None] = (), *, closed: Sequence[int] = (),
            sprints: Sequence[float | dict[str, Any]] = (), team: Sequence[float | tuple[str, float]] = (),
            **settings: Any) -> Backlog:
    """Items K-1, K-2, … in rank order with `points` (None: unestimated); `closed` are the
    1-based numbers of items that are done. `sprints` are completed points (oldest first) or
    `sprint(...)` specs, dated two weeks apart unless given dates; `team` are available days
    (or (name, days) pairs)."""
    meta = Backlog.empty("Capacity", "K").meta
    meta = meta.model_copy(update={"next_number": len(points) + 1,
                                   "settings": meta.settings.model_copy(update=settings)})
    items = {}
    for number, (value, rank) in enumerate(zip(points, initial_ranks(len(points)), strict=True), start=1):
        items[str(number)] = Item.model_validate({
            "key": f"K-{number}", "title": f"Item {number}", "rank": rank, "points": value,
            "status": "done" if number in closed else "new", "created": STAMP, "updated": STAMP}).to_doc()
    sprint_docs = {}
    for index, spec in enumerate(sprints, start=1):
        spec = spec if isinstance(spec, dict) else sprint(spec)
        start = FIRST_SPRINT + timedelta(days=14 * (index - 1))
        dated = {"start": spec["start"], "end": spec["end"]}
        if not spec["undated"] and spec["start"] is None and spec["end"] is None:
            dated = {"start": start, "end": start + timedelta(days=11)}
        sprint_docs[str(index)] = Sprint(
            name=spec["name"] or f"Sprint {index}", committed=spec["committed"], completed=spec["completed"],
            available_days=spec["available_days"], **dated).model_dump(mode="json")
    team_docs = {}
    for index, member in enumerate(team, start=1):
        name, days = member if isinstance(member, tuple) else (f"Member {index}", member)
        team_docs[str(index)] = TeamMember(name=name, available_days=days).model_dump(mode="json")
    return Backlog.from_tables({"meta": {"1": meta.model_dump(mode="json")}, "items": items,
                                "sprints": sprint_docs, "team": team_docs})
