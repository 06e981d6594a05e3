"""A Trello board's JSON export ("Export as JSON", the whole board) → Groom items.

The board is read through lenient pydantic models of the parts Groom uses, so any shape
Trello does not write gives a clear error naming the place, never a traceback. The mapping
(lists → statuses, labels, checklists, points) is documented in the README ("Import from
Trello").
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from datetime import UTC, datetime
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from model.io.errors import BadImportFile
from model.io.estimates import to_scale
from model.io.incoming import Incoming, Note, ParsedExport, Skipped, clip, clip_short, clip_title, unique_labels
from model.io.reading import decode_text
from model.item import TEXT_MAX, Kind, Status, prefix_from
from model.validation import describe

SYSTEM = "trello"

# List names, read word by word (case and emoji ignored), to statuses. The first rule that
# matches wins; a list matching none is "new".
LIST_STATUSES: tuple[tuple[tuple[str, ...], Status], ...] = (
    (("done", "complete", "completed", "finished", "shipped", "released", "closed", "resolved"), Status.DONE),
    (("won't do", "wont do", "rejected", "cancelled", "canceled", "dropped", "abandoned", "graveyard"),
     Status.DROPPED),
    (("doing", "in progress", "progress", "review", "testing", "qa", "ready to merge", "ready for qa",
      "in development", "started", "wip", "blocked by"), Status.PLANNED),
    (("ready", "up next", "next", "selected", "ready for dev", "ready for development", "refined"), Status.READY),
    (("needs info", "waiting", "on hold", "blocked", "questions"), Status.NEEDS_INFO),
)
LABEL_KINDS: dict[str, Kind] = {
    "bug": Kind.BUG, "bugs": Kind.BUG, "defect": Kind.BUG, "spike": Kind.SPIKE, "research": Kind.SPIKE,
    "investigation": Kind.SPIKE, "epic": Kind.EPIC, "chore": Kind.CHORE, "task": Kind.CHORE,
    "tech debt": Kind.CHORE, "technical debt": Kind.CHORE, "feature": Kind.FEATURE, "enhancement": Kind.FEATURE,
    "improvement": Kind.FEATURE, "story": Kind.STORY, "user story": Kind.STORY,
}
CRITERIA_CHECKLISTS = ("acceptance criteria", "acceptance criterion", "acceptance tests", "ac",
                       "definition of done", "dod")
POINT_FIELDS = ("points", "story points", "story point", "estimate", "estimation", "sp", "size", "effort")
_TITLE_KIND = re.compile(r"^\s*\[?(bug|spike|epic|chore|feature)\]?\s*[:\]-]", re.IGNORECASE)
_TITLE_POINTS = re.compile(r"^\s*\((\d+(?:\.\d+)?|½|\?)\)\s*")  # Scrum for Trello: "(3) Title"


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class TrelloLabel(_Model):
    id: str
    name: str | None = ""
    color: str | None = None


class TrelloList(_Model):
    id: str
    name: str = ""
    closed: bool = False
    pos: float = 0


class CheckItem(_Model):
    name: str = ""
    state: str = "incomplete"
    pos: float = 0


class Checklist(_Model):
    id: str
    idCard: str = ""
    name: str = ""
    pos: float = 0
    checkItems: list[CheckItem] = Field(default_factory=list)


class CustomFieldItem(_Model):
    idCustomField: str = ""
    value: dict[str, Any] | None = None


class Attachment(_Model):
    name: str | None = ""
    url: str | None = ""


class TrelloCard(_Model):
    id: str
    name: str = ""
    desc: str = ""
    closed: bool = False
    idList: str = ""
    pos: float = 0
    idLabels: list[str] = Field(default_factory=list)
    idChecklists: list[str] = Field(default_factory=list)
    shortLink: str = ""
    dateLastActivity: datetime | None = None
    customFieldItems: list[CustomFieldItem] = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)

    @field_validator("desc", "name", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return "" if value is None else value


class CustomField(_Model):
    id: str
    name: str = ""
    type: str = ""


class ActionData(_Model):
    text: str | None = None
    card: dict[str, Any] | None = None


class Member(_Model):
    fullName: str | None = None
    username: str | None = None


class Action(_Model):
    type: str = ""
    date: datetime | None = None
    data: ActionData = Field(default_factory=ActionData)
    memberCreator: Member | None = None


class Board(_Model):
    id: str
    name: str = ""
    shortLink: str = ""
    lists: list[TrelloList]
    cards: list[TrelloCard]
    labels: list[TrelloLabel] = Field(default_factory=list)
    checklists: list[Checklist] = Field(default_factory=list)
    customFields: list[CustomField] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)


def read_board(data: bytes, name: str) -> Board:
    text = decode_text(data, name)
    try:
        raw = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise BadImportFile(f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    if not isinstance(raw, dict) or "cards" not in raw or "lists" not in raw:
        raise BadImportFile(f"{name} is not a Trello board export: it needs the board's lists and cards "
                            "(in Trello: board menu → Print, export and share → Export as JSON)")
    try:
        return Board.model_validate(raw)
    except ValidationError as exc:
        raise BadImportFile(f"{name} is not a Trello board export Groom can read: {describe(exc)}") from None
    except (ValueError, TypeError, OverflowError) as exc:  # pragma: no cover - pydantic wraps these
        raise BadImportFile(f"{name}: {exc}") from None


def parse_trello(data: bytes, file_name: str, *, comments: bool = True) -> ParsedExport:
    board = read_board(data, file_name)
    lists = {trello_list.id: trello_list for trello_list in board.lists}
    labels = {label.id: label for label in board.labels}
    checklists: dict[str, list[Checklist]] = defaultdict(list)
    for checklist in board.checklists:
        checklists[checklist.idCard].append(checklist)
    point_fields = {f.id for f in board.customFields
                    if f.type == "number" and f.name.strip().lower() in POINT_FIELDS}
    card_comments = _comments(board) if comments else {}
    board_ref = board.shortLink or board.id

    skipped: list[Skipped] = []
    notes: list[Note] = []
    statuses: Counter[str] = Counter()
    ordered = []
    for index, card in enumerate(board.cards):
        trello_list = lists.get(card.idList)
        name = _short(card.name) or card.shortLink or card.id
        if trello_list is None:
            skipped.append(Skipped(name, "its list is not in the export"))
        elif trello_list.closed:
            skipped.append(Skipped(name, f"in the archived list “{trello_list.name}”"))
        elif card.closed:
            skipped.append(Skipped(name, "archived card"))
        else:
            # Lists left to right, cards top to bottom; equal positions keep the export's order.
            ordered.append(((_pos(trello_list.pos), _pos(card.pos), index), card, trello_list))
    ordered.sort(key=lambda entry: entry[0])
    for trello_list in board.lists:
        if trello_list.closed and not any(c.idList == trello_list.id for c in board.cards):
            skipped.append(Skipped(f"list “{trello_list.name}”", "archived list (it has no cards)"))

    items = []
    for _, card, trello_list in ordered:
        name = _short(card.name) or card.shortLink or card.id
        status = list_status(trello_list.name)
        statuses[f"{trello_list.name} → {status.value}"] += 1
        items.append(_item(card, trello_list, status, board_ref, labels, checklists.get(card.id, []),
                           point_fields, card_comments.get(card.id, []), notes, name))
    mappings = ("Lists: " + ", ".join(f"{k} ({n})" for k, n in statuses.items()),
                "Order: lists left to right, cards top to bottom")
    board_name = board.name.strip() or "Trello board"
    return ParsedExport(
        system=SYSTEM, file_name=file_name, kind="Trello board", name=clip(board_name, 100),
        prefix=prefix_from(board_name, fallback="CARD"), items=tuple(items), skipped=tuple(skipped), notes=tuple(notes),
        mappings=mappings, scopes=(f"{SYSTEM}:{board_ref}/",),
    )


def list_status(list_name: str) -> Status:
    words = " ".join(re.findall(r"[a-z']+", list_name.lower()))
    for names, status in LIST_STATUSES:
        for word in names:
            if re.search(rf"(?<![a-z']){re.escape(word)}(?![a-z'])", words):
                return status
    if words.startswith(("todo", "to do", "backlog", "ideas", "icebox")):
        return Status.NEW
    return Status.NEW


def _item(card: TrelloCard, trello_list: TrelloList, status: Status, board_ref: str,
          labels: dict[str, TrelloLabel], checklists: list[Checklist], point_fields: set[str],
          comments: list[str], notes: list[Note], name: str) -> Incoming:
    title_text = card.name
    points, note = None, None
    estimate = _TITLE_POINTS.match(title_text)
    if estimate:
        points, note = to_scale("0.5" if estimate.group(1) == "½" else estimate.group(1).replace("?", ""))
        title_text = title_text[estimate.end():]
    for field_item in card.customFieldItems:
        if field_item.idCustomField in point_fields and field_item.value:
            points, note = to_scale(str(field_item.value.get("number", "")))
    if note:
        notes.append(Note(name, note))

    card_labels = []
    for label_id in card.idLabels:
        label = labels.get(label_id)
        if label is None:
            continue
        text = (label.name or "").strip() or (label.color or "")
        if text:
            card_labels.append(text)
    kind = _kind(title_text, card_labels)
    card_labels.append(f"list:{trello_list.name.strip()}")

    criteria: list[dict[str, Any]] = []
    sections = []
    for checklist in sorted(checklists, key=lambda c: _pos(c.pos)):
        entries = sorted(checklist.checkItems, key=lambda i: _pos(i.pos))
        if checklist.name.strip().lower().rstrip(":") in CRITERIA_CHECKLISTS:
            criteria += [{"text": clip_short(i.name) or "(empty)", "done": i.state == "complete"} for i in entries]
        elif entries:
            lines = [f"- [{'x' if i.state == 'complete' else ' '}] {' '.join(i.name.split())}" for i in entries]
            sections.append(f"### {checklist.name.strip() or 'Checklist'}\n\n" + "\n".join(lines))
    links = [a for a in card.attachments if a.url]
    if links:
        sections.append("### Attachments\n\n" + "\n".join(
            f"- [{(a.name or a.url or '').strip() or 'link'}]({a.url})" for a in links))
    if comments:
        sections.append("### Comments\n\n" + "\n\n".join(comments))

    title = clip_title(title_text, name, notes) or "(untitled card)"
    description = card.desc.replace("\r\n", "\n").strip()
    if title != " ".join(title_text.split()) and title != "(untitled card)":
        description = f"**{' '.join(title_text.split())}**\n\n{description}".strip()
    description = "\n\n".join(part for part in (description, *sections) if part)
    if len(description) > TEXT_MAX:
        notes.append(Note(name, f"description is {len(description):,} characters: cut to {TEXT_MAX:,}"))
        description = clip(description, TEXT_MAX)
    fields = {
        "title": title, "kind": kind.value, "description": description, "status": status.value,
        "points": points, "moscow": None, "labels": unique_labels(card_labels),
        "acceptance_criteria": criteria, "questions": [],
    }
    ref = f"{SYSTEM}:{board_ref}/{card.shortLink or card.id}"
    return Incoming(ref, name, fields, None, _created(card))


def _kind(title: str, labels: list[str]) -> Kind:
    for label in labels:
        kind = LABEL_KINDS.get(label.strip().lower())
        if kind is not None:
            return kind
    prefix = _TITLE_KIND.match(title)
    return LABEL_KINDS[prefix.group(1).lower()] if prefix else Kind.STORY


def _comments(board: Board) -> dict[str, list[str]]:
    """Card comments from the board's actions, oldest first. (Trello caps the export at 1000
    actions, so a big board's oldest comments may be missing.)"""
    found: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
    for action in board.actions:
        if action.type != "commentCard" or not action.data.text or not action.data.card:
            continue
        card_id = action.data.card.get("id")
        if not isinstance(card_id, str):
            continue
        who = (action.memberCreator.fullName or action.memberCreator.username) if action.memberCreator else None
        when = action.date.strftime("%Y-%m-%d %H:%M") if action.date else ""
        heading = f"**{who or 'someone'}**" + (f", {when}" if when else "")
        found[card_id].append((action.date or datetime.min.replace(tzinfo=UTC), f"{heading}:\n\n{action.data.text}"))
    return {card: [text for _, text in sorted(entries, key=lambda e: e[0])] for card, entries in found.items()}


def _created(card: TrelloCard) -> datetime | None:
    """A card id is a MongoDB ObjectId: its first 8 hex digits are the creation time."""
    try:
        return datetime.fromtimestamp(int(card.id[:8], 16), UTC)
    except (ValueError, OverflowError, OSError):
        return None


def _pos(value: float) -> float:
    return value if math.isfinite(value) else math.inf


def _short(text: str) -> str:
    one_line = " ".join(text.split())
    return clip(one_line, 50)


