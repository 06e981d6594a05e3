"""Commands for the capacity inputs: past sprints, team members and the capacity settings.

They follow the `Command` protocol of `model.commands`: `plan(backlog, now)` returns one
`Change` (documents in the "sprints", "team" and "meta" tables), which the backlog service
validates, writes atomically and records as one undo step. Values may come straight from a
form (strings) or from code (numbers, dates); anything wrong is refused with a `CommandError`
saying what to type instead.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from pydantic import ValidationError

from model.backlog import Backlog
from model.capacity import BASES, BASIS_NAMES
from model.change import SPRINTS, TEAM, Change, DocChange, diff_docs
from model.commands import EditSettings
from model.errors import CommandError
from model.team import Sprint, TeamMember
from model.validation import describe

SPRINT_FIELDS = ("name", "start", "end", "committed", "completed", "available_days")
MEMBER_FIELDS = ("name", "available_days")


class NumberSetting(NamedTuple):
    """How a capacity setting is typed: its name in messages and the numbers it accepts."""

    words: str
    whole: bool
    lowest: float
    highest: float
    lowest_allowed: bool = True  # False: it must be above `lowest`


# The same bounds as model.meta.Settings, said in words before pydantic would refuse them.
CAPACITY_SETTINGS: dict[str, NumberSetting] = {
    "velocity_window": NumberSetting("Velocity window (sprints averaged)", True, 1, 50),
    "focus_factor": NumberSetting("Focus factor (points per person-day)", False, 0, 50, lowest_allowed=False),
    "sprint_length_days": NumberSetting("Sprint length (working days)", True, 1, 100),
    "horizon": NumberSetting("Sprint lines shown", True, 1, 20),
}


# ----- reading what was typed ---------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value: Any) -> str:
    text = str(value).strip()
    return repr(text if len(text) <= 30 else text[:29] + "…")


def parse_number(value: Any, what: str, example: str, *, optional: bool = False, whole: bool = False,
                 lowest: float = 0, highest: float | None = None, lowest_allowed: bool = True) -> float | None:
    """A number typed or given; None when blank and `optional`. Errors say what to type."""
    if _blank(value):
        if optional:
            return None
        raise CommandError(f"{what} is needed: type a number, like {example}")
    if isinstance(value, bool):
        raise CommandError(f"{what} must be a number, like {example}")
    try:
        number = _float(value)
    except (TypeError, ValueError):
        hint = ": no thousands separators, and 2.5 for two and a half" if "," in str(value) else ""
        raise CommandError(f"{what} must be a number, like {example} (got {_shown(value)}){hint}") from None
    if not math.isfinite(number):
        raise CommandError(f"{what} must be a number, like {example} (got {_shown(value)})")
    if whole and number != int(number):
        raise CommandError(f"{what} must be a whole number, like {example} (got {_shown(value)})")
    too_low = number < lowest if lowest_allowed else number <= lowest
    if too_low or (highest is not None and number > highest):
        if highest is None:
            rule = "cannot be negative" if lowest == 0 and lowest_allowed else (
                f"must be {'at least' if lowest_allowed else 'above'} {lowest:g}")
        elif lowest_allowed:
            rule = f"must be from {lowest:g} to {highest:g}"
        else:
            rule = f"must be above {lowest:g} and at most {highest:g}"
        raise CommandError(f"{what} {rule} (got {_shown(value)})")
    return int(number) if whole else number


def _float(value: Any) -> float:
    if not isinstance(value, str):
        return float(value)
    text = value.strip()
    if "," in text:
        # A decimal comma ("2,5") is read as a decimal point; "1,000" is refused rather than
        # guessed (a thousands separator or three decimals?).
        if not _DECIMAL_COMMA.fullmatch(text):
            raise ValueError(text)
        text = text.replace(",", ".")
    return float(text)


_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d{1,2}")


def parse_date(value: Any, what: str) -> date | None:
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise CommandError(f"{what} must be a date written like 2026-10-05 (got {_shown(value)})") from None


def _name(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CommandError(f"{what} needs a name")
    name = " ".join(value.split())
    if len(name) > 100:
        raise CommandError(f"{what} name is {len(name)} characters long; the limit is 100")
    return name


def _unknown(fields: Mapping[str, Any], known: tuple[str, ...], what: str) -> None:
    unknown = sorted(set(fields) - set(known))
    if unknown:
        raise CommandError(f"{unknown[0]!r} is not something a {what} has (it has {', '.join(known)})")


def sprint_doc(fields: Mapping[str, Any]) -> dict[str, Any]:
    """A sprint document from typed fields, checked, in words."""
    _unknown(fields, SPRINT_FIELDS, "sprint")
    name = _name(fields.get("name"), "A sprint")
    start = parse_date(fields.get("start"), "Start")
    end = parse_date(fields.get("end"), "End")
    if start and end and end < start:
        raise CommandError(f"{name} would end ({end}) before it starts ({start})")
    doc = {
        "name": name,
        "start": start,
        "end": end,
        "committed": parse_number(fields.get("committed"), "Committed points", "30"),
        "completed": parse_number(fields.get("completed"), "Completed points", "26"),
        "available_days": parse_number(fields.get("available_days"), "Person-days", "45", optional=True),
    }
    try:
        return Sprint.model_validate(doc).model_dump(mode="json")
    except ValidationError as exc:  # pragma: no cover - the checks above come first
        raise CommandError(describe(exc, name)) from None


def member_doc(fields: Mapping[str, Any]) -> dict[str, Any]:
    _unknown(fields, MEMBER_FIELDS, "team member")
    name = _name(fields.get("name"), "A team member")
    doc = {"name": name, "available_days": parse_number(fields.get("available_days"), f"{name}'s available days",
                                                        "10", highest=366)}
    try:
        return TeamMember.model_validate(doc).model_dump(mode="json")
    except ValidationError as exc:  # pragma: no cover - the checks above come first
        raise CommandError(describe(exc, name)) from None


def _same_name(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def _current(models: Mapping[int, Any], doc_id: int, what: str) -> Any:
    model = models.get(doc_id)
    if model is None:
        raise CommandError(f"That {what} no longer exists (it may have been deleted in another Groom)")
    return model


# ----- sprints --------------------------------------------------------------------------


def suggest_next_sprint(backlog: Backlog) -> dict[str, str]:
    """What a form for a new sprint starts with: the next name and dates in the team's cadence.

    "Sprint 25" is followed by "Sprint 26"; dates move on by the gap between the last two
    sprints' starts (else by the sprint length in whole weeks). Points are left for the user.
    """
    history = backlog.sprint_history()
    taken = {s.name.casefold() for s in backlog.sprints.values()}
    base, number = "Sprint ", len(history) + 1
    if history:
        match = _TRAILING_NUMBER.fullmatch(history[-1].name)
        if match:
            base, number = match.group(1), int(match.group(2)) + 1
    while f"{base}{number}".casefold() in taken:
        number += 1
    suggestion = {"name": f"{base}{number}", "start": "", "end": ""}
    last = history[-1] if history else None
    if last and last.start and last.end:
        previous = history[-2] if len(history) > 1 else None
        step = timedelta(weeks=math.ceil(backlog.meta.settings.sprint_length_days / 5))
        if previous and previous.start and previous.start < last.start:
            step = last.start - previous.start
        suggestion["start"] = (last.start + step).isoformat()
        suggestion["end"] = (last.end + step).isoformat()
    return suggestion


_TRAILING_NUMBER = re.compile(r"(.*?)(\d+)")



@dataclass(frozen=True)
class AddSprint:
    """A past (or running) sprint: name, dates, committed and completed points, person-days."""

    fields: Mapping[str, Any]

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        doc = sprint_doc(self.fields)
        if any(_same_name(s.name, doc["name"]) for s in backlog.sprints.values()):
            raise CommandError(f"There is already a sprint named {doc['name']}")
        doc_id = backlog.next_doc_id(SPRINTS)
        return Change(f"Add sprint {doc['name']}", (DocChange(SPRINTS, doc_id, None, doc),))


@dataclass(frozen=True)
class EditSprint:
    doc_id: int
    fields: Mapping[str, Any]

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        sprint = _current(backlog.sprints, self.doc_id, "sprint")
        old = sprint.model_dump(mode="json")
        doc = sprint_doc({**old, **self.fields})
        if any(_same_name(s.name, doc["name"]) for i, s in backlog.sprints.items() if i != self.doc_id):
            raise CommandError(f"There is already a sprint named {doc['name']}")
        change = diff_docs(SPRINTS, self.doc_id, old, doc)
        return Change(f"Edit sprint {doc['name']}", (change,) if change else ())


@dataclass(frozen=True)
class DeleteSprint:
    doc_id: int

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        sprint = _current(backlog.sprints, self.doc_id, "sprint")
        return Change(f"Delete sprint {sprint.name}",
                      (DocChange(SPRINTS, self.doc_id, sprint.model_dump(mode="json"), None),))


# ----- team members ---------------------------------------------------------------------


@dataclass(frozen=True)
class AddTeamMember:
    """A team member: name and available days in the next sprint."""

    name: str
    available_days: float | str

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        doc = member_doc({"name": self.name, "available_days": self.available_days})
        if any(_same_name(m.name, doc["name"]) for m in backlog.team.values()):
            raise CommandError(f"{doc['name']} is already in the team")
        doc_id = backlog.next_doc_id(TEAM)
        return Change(f"Add {doc['name']} to the team", (DocChange(TEAM, doc_id, None, doc),))


@dataclass(frozen=True)
class EditTeamMember:
    doc_id: int
    fields: Mapping[str, Any]

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        member = _current(backlog.team, self.doc_id, "team member")
        old = member.model_dump(mode="json")
        doc = member_doc({**old, **self.fields})
        if any(_same_name(m.name, doc["name"]) for i, m in backlog.team.items() if i != self.doc_id):
            raise CommandError(f"{doc['name']} is already in the team")
        change = diff_docs(TEAM, self.doc_id, old, doc)
        return Change(f"Edit team member {doc['name']}", (change,) if change else ())


@dataclass(frozen=True)
class DeleteTeamMember:
    doc_id: int

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        member = _current(backlog.team, self.doc_id, "team member")
        return Change(f"Remove {member.name} from the team",
                      (DocChange(TEAM, self.doc_id, member.model_dump(mode="json"), None),))


# ----- capacity settings ----------------------------------------------------------------


@dataclass(frozen=True)
class EditCapacitySettings:
    """Velocity window, focus factor, sprint length, sprint lines shown, capacity basis."""

    fields: Mapping[str, Any]
    label: str = "Change capacity settings"

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        _unknown(self.fields, (*CAPACITY_SETTINGS, "capacity_basis"), "capacity setting")
        parsed: dict[str, Any] = {}
        for name, value in self.fields.items():
            if name == "capacity_basis":
                if value not in BASES:
                    raise CommandError(f"Capacity basis must be one of {', '.join(BASES)} (got {_shown(value)})")
                parsed[name] = value
                continue
            rule = CAPACITY_SETTINGS[name]
            example = f"{getattr(backlog.meta.settings, name):g}"
            parsed[name] = parse_number(value, rule.words, example, whole=rule.whole, lowest=rule.lowest,
                                        highest=rule.highest, lowest_allowed=rule.lowest_allowed)
        return EditSettings(parsed, self.label).plan(backlog, now)


@dataclass(frozen=True)
class SetCapacityBasis:
    """What sizes the meter and the sprint lines: "velocity" or "focus" (None: the other one)."""

    basis: str | None = None

    def plan(self, backlog: Backlog, now: datetime) -> Change:
        current = backlog.meta.settings.capacity_basis
        basis = self.basis or ("focus" if current == "velocity" else "velocity")
        label = f"Size sprints by {BASIS_NAMES.get(basis, basis)}"
        return EditCapacitySettings({"capacity_basis": basis}, label).plan(backlog, now)


__all__ = [
    "AddSprint", "AddTeamMember", "DeleteSprint", "DeleteTeamMember", "EditCapacitySettings", "EditSprint",
    "EditTeamMember", "SetCapacityBasis", "member_doc", "parse_date", "parse_number", "sprint_doc",
    "suggest_next_sprint",
]
