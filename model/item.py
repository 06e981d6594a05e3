"""A backlog item and the small value types it is made of.

Items are immutable: a change builds a new, validated item (see `Item.revised`), so the
backlog in memory always holds items that would pass validation if read from disk.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    field_serializer,
    field_validator,
)

from model.conflict import Conflict, FormerKey
from model.scoring import ScoreInputs

KEY_PATTERN = re.compile(r"^([A-Z][A-Z0-9]{0,9})-([1-9][0-9]{0,8})$")
PREFIX_PATTERN = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")
TITLE_MAX = 200
TEXT_MAX = 200_000  # a long Jira description is ~20k characters; this leaves room, not abuse
SHORT_TEXT_MAX = 2_000

# Mike Cohn's planning-poker scale. `None` means unestimated ("?").
POINT_SCALE: tuple[float, ...] = (0, 0.5, 1, 2, 3, 5, 8, 13, 20, 40, 100)
_POINT_WORDS = {"½": 0.5, "1/2": 0.5, ".5": 0.5}
_NOT_CONFLICTING = frozenset({"key", "rank", "updated", "conflicts", "former_keys"})  # merged without conflicts


class Kind(StrEnum):
    STORY = "story"
    BUG = "bug"
    FEATURE = "feature"
    CHORE = "chore"
    SPIKE = "spike"
    EPIC = "epic"


class Status(StrEnum):
    """Where an item is in refinement. See README "Statuses" for what each one means."""

    NEW = "new"
    NEEDS_INFO = "needs_info"
    READY = "ready"
    PLANNED = "planned"
    DONE = "done"
    DROPPED = "dropped"
    SPLIT = "split"


# Statuses whose items no longer need capacity: finished, abandoned, or replaced by children.
CLOSED_STATUSES = frozenset({Status.DONE, Status.DROPPED, Status.SPLIT})


class MoSCoW(StrEnum):
    MUST = "must"
    SHOULD = "should"
    COULD = "could"
    WONT = "wont"


def prefix_from(name: str, fallback: str = "ITEM") -> str:
    """A key prefix from a backlog's name: initials of several words, or the start of one word."""
    words = re.findall(r"[A-Za-z][A-Za-z0-9]*", name)
    if len(words) >= 2:
        prefix = "".join(w[0] for w in words)[:5]
    elif words:
        prefix = words[0][:4]
    else:
        prefix = fallback
    prefix = prefix.upper()
    return prefix if PREFIX_PATTERN.match(prefix) else fallback


def parse_points(value: Any) -> float | None:
    """Turn user or file input into a value on the Cohn scale, or None for unestimated."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"points must be a number on the estimation scale ({scale_text()} or ?), not true/false")
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("", "?", "none", "unset"):
            return None
        if text in _POINT_WORDS:
            return _POINT_WORDS[text]
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"{_shown(value)} is not an estimate; use one of {scale_text()} or ?") from None
    if isinstance(value, int | float):
        number = float(value)
        if number in POINT_SCALE:
            return int(number) if number.is_integer() else number
    raise ValueError(f"{_shown(value)} is not on the estimation scale ({scale_text()} or ?)")


def _shown(value: Any) -> str:
    """A value as an error message quotes it: short, whatever the user pasted."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def scale_text() -> str:
    return ", ".join("½" if p == 0.5 else str(int(p)) for p in POINT_SCALE)


def format_points(points: float | None) -> str:
    if points is None:
        return "?"
    return "½" if points == 0.5 else str(int(points))


def _clean_title(value: Any) -> Any:
    if isinstance(value, str):
        # Titles are one line: imported summaries sometimes carry tabs or line breaks.
        return " ".join(value.split())
    return value


def _clean_line(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def format_timestamp(value: datetime) -> str:
    """`YYYY-MM-DDTHH:MM:SSZ`, in UTC. The year always has four digits: strftime writes the year
    999 as `999`, which no ISO 8601 reader (pydantic included) takes back."""
    utc = value.astimezone(UTC)
    return f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}Z"


Timestamp = Annotated[
    datetime,
    AfterValidator(_utc),
    PlainSerializer(format_timestamp, return_type=str, when_used="json"),
]
Points = Annotated[int | float | None, BeforeValidator(parse_points)]
# Constraints before the cleaning validator: pydantic then checks them natively after it runs
# (the other order checks them in Python, per field of every item: a third of opening 50k items).
Title = Annotated[str, Field(min_length=1, max_length=TITLE_MAX), BeforeValidator(_clean_title)]
ShortText = Annotated[str, Field(max_length=SHORT_TEXT_MAX), BeforeValidator(_clean_line)]
LongText = Annotated[str, Field(max_length=TEXT_MAX)]
ItemKey = Annotated[str, Field(pattern=KEY_PATTERN.pattern)]


class Criterion(BaseModel):
    """One acceptance criterion, e.g. "Given a saved card, when I pay, then ..."."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    text: Annotated[str, Field(min_length=1, max_length=SHORT_TEXT_MAX), BeforeValidator(_clean_line)]
    done: bool = False


class Question(BaseModel):
    """A question a stakeholder must answer before the item can be ready."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    text: Annotated[str, Field(min_length=1, max_length=SHORT_TEXT_MAX), BeforeValidator(_clean_line)]
    ask: ShortText = ""  # whom to ask
    answer: ShortText = ""

    @property
    def is_open(self) -> bool:
        return not self.answer


class Evidence(BaseModel):
    """Why the item matters: customer feedback, an analytics link, a support ticket."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    text: ShortText
    link: ShortText = ""


class Item(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=False)

    key: ItemKey
    title: Title
    kind: Kind = Kind.STORY
    description: LongText = ""
    rank: str = Field(pattern=r"^[0-9A-Za-z]{1,64}$")
    status: Status = Status.NEW
    points: Points = None
    moscow: MoSCoW | None = None
    acceptance_criteria: tuple[Criterion, ...] = ()
    questions: tuple[Question, ...] = ()
    labels: tuple[str, ...] = ()
    parent: ItemKey | None = None
    evidence: tuple[Evidence, ...] = ()
    scores: ScoreInputs = Field(default_factory=ScoreInputs)
    source: ShortText = ""  # where an imported item came from, e.g. "jira:HIVE-1234"
    created: Timestamp
    updated: Timestamp
    # Left by a git merge (model/merge.py); stored only when not empty, so files without
    # merges keep exactly the documents they always had.
    conflicts: tuple[Conflict, ...] = ()
    former_keys: tuple[FormerKey, ...] = ()

    @field_validator("conflicts", "former_keys", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return () if value is None else value

    @field_validator("conflicts")
    @classmethod
    def _conflict_fields(cls, conflicts: tuple[Conflict, ...]) -> tuple[Conflict, ...]:
        fields = [c.field for c in conflicts]
        for field in fields:
            if field != "deleted" and (field not in cls.model_fields or field in _NOT_CONFLICTING):
                raise ValueError(f"{field!r} is not a field a merge conflict can be on")
        if len(fields) != len(set(fields)):
            raise ValueError("a field can have only one merge conflict")
        return conflicts

    @field_validator("labels", mode="before")
    @classmethod
    def _clean_labels(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            seen: dict[str, None] = {}
            for label in value:
                if not isinstance(label, str):
                    raise ValueError("labels must be text")
                label = " ".join(label.split())
                if len(label) > 100:
                    raise ValueError(f"label {label[:20]!r}… is longer than 100 characters")
                if label:
                    seen.setdefault(label)
            return tuple(seen)
        return value

    @field_serializer("scores")
    def _scores_given(self, scores: ScoreInputs) -> dict[str, Any]:
        # Only the inputs someone gave: a dozen nulls per item would bury the file in noise.
        return scores.model_dump(mode="json", exclude_defaults=True)

    @property
    def number(self) -> int:
        return key_number(self.key)

    @property
    def open_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.is_open)

    @property
    def is_closed(self) -> bool:
        """Done, dropped or split: no longer needs capacity."""
        return self.status in CLOSED_STATUSES

    def to_doc(self) -> dict[str, Any]:
        """The item as stored in the file (JSON-ready; every field present except the merge
        records `conflicts` and `former_keys`, which are left out when empty)."""
        doc = self.model_dump(mode="json")
        if not self.conflicts:
            del doc["conflicts"]
        if not self.former_keys:
            del doc["former_keys"]
        return doc

    def conflict(self, field: str) -> Conflict | None:
        return next((c for c in self.conflicts if c.field == field), None)

    def revised(self, **changes: Any) -> Item:
        """A validated copy with `changes` applied (raises pydantic.ValidationError)."""
        doc = self.to_doc()
        doc.update(changes)
        return Item.model_validate(doc)


@functools.lru_cache(maxsize=1 << 17)
def key_number(key: str) -> int:
    # Cached: a rank-order lookup (Backlog.position, a bisect) asks it of a dozen keys, and a
    # filtered list asks for the position of every row it draws.
    match = KEY_PATTERN.match(key)
    if not match:
        raise ValueError(f"{key!r} is not an item key like SHOP-12")
    return int(match.group(2))


def make_key(prefix: str, number: int) -> str:
    return f"{prefix}-{number}"
