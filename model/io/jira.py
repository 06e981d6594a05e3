"""Jira's "Export CSV (all fields / current fields)" → Groom items.

Real exports repeat columns (Labels, Sprint, Component/s, Comment, Watchers…): every column
is read by its position, and a repeated name gathers all of its cells. The mapping of issue
types, statuses and priorities is documented in the README ("Import from Jira").
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

from model.io.errors import BadImportFile
from model.io.estimates import to_scale
from model.io.incoming import Incoming, Note, ParsedExport, Skipped, clip, clip_short, clip_title, unique_labels
from model.io.jira_markup import to_markdown
from model.io.reading import decode_text
from model.item import PREFIX_PATTERN, TEXT_MAX, Kind, Status

SYSTEM = "jira"

KINDS: dict[str, Kind] = {
    "story": Kind.STORY, "user story": Kind.STORY,
    "bug": Kind.BUG, "defect": Kind.BUG, "incident": Kind.BUG, "problem": Kind.BUG,
    "epic": Kind.EPIC, "initiative": Kind.EPIC, "theme": Kind.EPIC,
    "task": Kind.CHORE, "sub-task": Kind.CHORE, "subtask": Kind.CHORE, "technical task": Kind.CHORE,
    "chore": Kind.CHORE, "technical debt": Kind.CHORE,
    "spike": Kind.SPIKE, "research": Kind.SPIKE, "investigation": Kind.SPIKE,
    "new feature": Kind.FEATURE, "feature": Kind.FEATURE, "improvement": Kind.FEATURE,
    "enhancement": Kind.FEATURE, "feature request": Kind.FEATURE,
}
STATUSES: dict[str, Status] = {
    "to do": Status.NEW, "open": Status.NEW, "backlog": Status.NEW, "new": Status.NEW,
    "reopened": Status.NEW, "todo": Status.NEW, "funnel": Status.NEW,
    "needs info": Status.NEEDS_INFO, "needs information": Status.NEEDS_INFO, "waiting for info": Status.NEEDS_INFO,
    "waiting for customer": Status.NEEDS_INFO, "on hold": Status.NEEDS_INFO, "blocked": Status.NEEDS_INFO,
    "ready": Status.READY, "ready for development": Status.READY, "selected for development": Status.READY,
    "ready for dev": Status.READY, "refined": Status.READY,
    "planned": Status.PLANNED, "in progress": Status.PLANNED, "in review": Status.PLANNED,
    "in development": Status.PLANNED, "code review": Status.PLANNED, "review": Status.PLANNED,
    "in testing": Status.PLANNED, "testing": Status.PLANNED, "qa": Status.PLANNED, "in qa": Status.PLANNED,
    "uat": Status.PLANNED,
    "done": Status.DONE, "resolved": Status.DONE, "closed": Status.DONE, "complete": Status.DONE,
    "completed": Status.DONE, "released": Status.DONE,
    "won't do": Status.DROPPED, "wont do": Status.DROPPED, "cancelled": Status.DROPPED, "canceled": Status.DROPPED,
    "rejected": Status.DROPPED, "declined": Status.DROPPED, "dropped": Status.DROPPED,
    "split": Status.SPLIT,
}
CATEGORIES = {"to do": Status.NEW, "in progress": Status.PLANNED, "done": Status.DONE}
# Resolutions that close an issue without doing it: the item is dropped, not done.
DROPPING_RESOLUTIONS = frozenset({
    "won't fix", "won't do", "wont fix", "duplicate", "invalid", "cannot reproduce", "not a problem",
    "not a bug", "incomplete", "obsolete", "rejected", "declined", "abandoned", "later", "works as designed",
})
# Every project's middle priority: kept out of the labels, where it would only add noise.
DEFAULT_PRIORITIES = frozenset({"", "medium", "major", "normal"})
POINT_COLUMNS = ("Custom field (Story Points)", "Custom field (Story point estimate)", "Story Points",
                 "Story point estimate")
PARENT_COLUMNS = ("Parent id", "Parent", "Parent Id", "Custom field (Parent Link)", "Custom field (Epic Link)",
                  "Epic Link")
RANK_COLUMNS = ("Custom field (Rank)", "Rank")
MOSCOW_COLUMNS = ("Custom field (MoSCoW)", "MoSCoW", "Custom field (MoSCoW Priority)")
CRITERIA_COLUMNS = ("Custom field (Acceptance Criteria)", "Acceptance Criteria", "Custom field (Acceptance criteria)")
FLAGGED_COLUMNS = ("Custom field (Flagged)", "Flagged")
PEOPLE_PAIRS = (("Assignee", "Assignee Id"), ("Reporter", "Reporter Id"), ("Creator", "Creator Id"),
                ("Watchers", "Watchers Id"), ("Project lead", "Project lead id"))
_MOSCOW = {"must": "must", "must have": "must", "should": "should", "should have": "should",
           "could": "could", "could have": "could", "won't": "wont", "wont": "wont", "won't have": "wont",
           "won't have this time": "wont", "wont have": "wont"}
_DATE_FORMATS = ("%d/%b/%y %I:%M %p", "%d/%b/%y %H:%M", "%d/%b/%Y %I:%M %p", "%d/%b/%Y %H:%M",
                 "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d")


class Columns:
    """The header row: every name with all of its positions (repeated names gather)."""

    def __init__(self, header: Sequence[str]) -> None:
        self.names = [name.strip() for name in header]
        self.positions: dict[str, list[int]] = {}
        for index, name in enumerate(self.names):
            self.positions.setdefault(name, []).append(index)

    def __contains__(self, name: str) -> bool:
        return name in self.positions

    def first(self, row: Sequence[str], *names: str) -> str:
        """The first non-empty cell among the columns `names` (in that order of preference)."""
        for name in names:
            for index in self.positions.get(name, ()):
                if index < len(row) and row[index].strip():
                    return row[index].strip()
        return ""

    def every(self, row: Sequence[str], name: str) -> list[str]:
        """Every non-empty cell of a (possibly repeated) column, left to right."""
        return [row[i] for i in self.positions.get(name, ()) if i < len(row) and row[i].strip()]


def read_rows(data: bytes, name: str) -> tuple[Columns, list[list[str]]]:
    """The header and the records of a CSV file (quoted fields may hold line breaks)."""
    text = decode_text(data, name)
    csv.field_size_limit(max(csv.field_size_limit(), TEXT_MAX * 8))
    try:
        dialect = csv.excel
        rows = list(csv.reader(io.StringIO(text, newline=""), dialect, strict=True))
    except csv.Error as exc:
        raise BadImportFile(f"{name} is not a readable CSV file ({exc})") from None
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise BadImportFile(f"{name} is empty")
    columns = Columns(rows[0])
    if "Summary" not in columns or not ("Issue key" in columns or "Issue id" in columns):
        shown = ", ".join(n for n in columns.names[:6] if n) or "none"
        raise BadImportFile(
            f"{name} is not a Jira CSV export: it needs the columns Summary and Issue key "
            f"(its first columns are: {clip(shown, 120)})"
        )
    if len(rows) == 1:
        raise BadImportFile(f"{name} has no issues: only the header row")
    records = rows[1:]
    # Jira writes every cell of every record. A last record short of cells, after records that
    # have them all, is a file cut off (a download or copy that stopped): importing it would
    # bring in a half issue, or skip it without saying why.
    width = len(columns.names)
    if len(records[-1]) < width and all(len(row) >= width for row in records[:-1]):
        raise BadImportFile(f"{name} looks cut off: its last record has {len(records[-1])} of the {width} "
                            "columns the header names. Export it from Jira again.")
    return columns, records


def parse_jira(data: bytes, file_name: str, *, comments: bool = True) -> ParsedExport:
    columns, rows = read_rows(data, file_name)
    people = _people(columns, rows)
    id_to_key = {}
    for row in rows:
        issue_id, key = columns.first(row, "Issue id"), columns.first(row, "Issue key")
        if issue_id and key:
            id_to_key[issue_id] = key
    epic_names = {columns.first(row, "Custom field (Epic Name)"): columns.first(row, "Issue key")
                  for row in rows if columns.first(row, "Custom field (Epic Name)")}
    keys_in_file = {columns.first(row, "Issue key") for row in rows}

    items: list[tuple[tuple[int, str, int], Incoming]] = []
    skipped: list[Skipped] = []
    notes: list[Note] = []
    kinds: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    seen: set[str] = set()
    projects: Counter[tuple[str, str]] = Counter()
    for number, row in enumerate(rows, start=2):
        key = columns.first(row, "Issue key") or columns.first(row, "Issue id")
        label = key or f"row {number}"
        if len(row) > len(columns.names):
            notes.append(Note(label, f"row {number} has {len(row)} cells for {len(columns.names)} columns: "
                                     "the extra cells were left out"))
        summary = columns.first(row, "Summary")
        if not key:
            skipped.append(Skipped(label, "no Issue key or Issue id"))
            continue
        if not summary:
            skipped.append(Skipped(label, "no Summary"))
            continue
        if key in seen:
            skipped.append(Skipped(label, f"{key} appears twice in the file: the first one was imported"))
            continue
        seen.add(key)
        project = columns.first(row, "Project key") or key.rpartition("-")[0]
        projects[(project, columns.first(row, "Project name"))] += 1
        incoming, jira_type, jira_status = _item(columns, row, key, summary, people, notes, comments,
                                                 (id_to_key, epic_names, keys_in_file))
        kinds[f"{jira_type or '(none)'} → {incoming.fields['kind']}"] += 1
        statuses[f"{jira_status or '(none)'} → {incoming.fields['status']}"] += 1
        rank = columns.first(row, *RANK_COLUMNS)
        items.append(((0 if rank else 1, rank, number), incoming))
    items.sort(key=lambda pair: pair[0])  # by Jira rank where there is one, else file order
    (project, project_name), _ = projects.most_common(1)[0] if projects else (("", ""), 0)
    prefix = project if PREFIX_PATTERN.match(project) else "JIRA"
    mappings = (
        "Issue types: " + ", ".join(f"{k} ({n})" for k, n in sorted(kinds.items())),
        "Statuses: " + ", ".join(f"{k} ({n})" for k, n in sorted(statuses.items())),
    )
    if any(k for k in columns.positions if k in RANK_COLUMNS):
        mappings += ("Order: by Jira rank",)
    return ParsedExport(
        system=SYSTEM, file_name=file_name, kind="Jira CSV export",
        name=clip(project_name or project or "Jira import", 100), prefix=prefix,
        items=tuple(incoming for _, incoming in items), skipped=tuple(skipped), notes=tuple(notes),
        mappings=mappings, scopes=tuple(f"{SYSTEM}:{p}-" for p, _ in projects),
    )


def _item(columns: Columns, row: list[str], key: str, summary: str, people: dict[str, str],
          notes: list[Note], comments: bool, links: tuple[dict, dict, set]) -> tuple[Incoming, str, str]:
    id_to_key, epic_names, keys_in_file = links
    jira_type = columns.first(row, "Issue Type")
    kind = KINDS.get(jira_type.lower())
    if kind is None:
        kind = Kind.STORY
        notes.append(Note(key, f"issue type {jira_type!r} is not one Groom knows: imported as a story"))

    status = _status(columns, row)
    points, note = to_scale(columns.first(row, *POINT_COLUMNS))
    if note:
        notes.append(Note(key, note))

    labels = [clip_short(label)[:100] for label in columns.every(row, "Labels")]
    labels += [clip_short(component)[:100] for component in columns.every(row, "Component/s")]
    labels += [f"sprint:{clip_short(sprint)}"[:100] for sprint in columns.every(row, "Sprint")]
    priority = columns.first(row, "Priority")
    if priority.lower() not in DEFAULT_PRIORITIES:
        labels.append(f"priority:{priority.lower()}"[:100])

    description = to_markdown(columns.first(row, "Description"), people)
    description, criteria = _criteria_from(description)
    extra = columns.first(row, *CRITERIA_COLUMNS)
    if extra:
        criteria += _criteria_lines(to_markdown(extra, people))

    questions = []
    flagged = columns.first(row, *FLAGGED_COLUMNS)
    if flagged:
        labels.append("flagged")
        if status not in (Status.DONE, Status.DROPPED, Status.SPLIT):
            questions.append({"text": f"Flagged in Jira ({clip_short(flagged)[:60]}): what is blocking it?",
                              "ask": "", "answer": ""})
            if status in (Status.NEW, Status.READY):
                status = Status.NEEDS_INFO

    title = clip_title(summary, key, notes)
    if title != " ".join(summary.split()):
        description = f"**{' '.join(summary.split())}**\n\n{description}".strip()
    if comments:
        description = _with_comments(description, columns.every(row, "Comment"), people)
    if len(description) > TEXT_MAX:
        notes.append(Note(key, f"description and comments are {len(description):,} characters: "
                               f"cut to {TEXT_MAX:,}"))
        description = clip(description, TEXT_MAX)

    fields = {
        "title": title, "kind": kind.value, "description": description, "status": status.value,
        "points": points, "moscow": _MOSCOW.get(columns.first(row, *MOSCOW_COLUMNS).lower()),
        "labels": unique_labels(labels), "acceptance_criteria": criteria, "questions": questions,
    }
    parent_key = _parent(columns, row, id_to_key, epic_names, keys_in_file)
    parent_ref = f"{SYSTEM}:{parent_key}" if parent_key and parent_key != key else None
    created = _date(columns.first(row, "Created"))
    return Incoming(f"{SYSTEM}:{key}", key, fields, parent_ref, created, key), jira_type, columns.first(row, "Status")


def _status(columns: Columns, row: list[str]) -> Status:
    name = columns.first(row, "Status").lower()
    resolution = columns.first(row, "Resolution").lower()
    status = STATUSES.get(name)
    if status is None:
        status = CATEGORIES.get(columns.first(row, "Status Category").lower())
    if status is None:
        status = Status.DONE if resolution else Status.NEW
    if status == Status.DONE and resolution in DROPPING_RESOLUTIONS:
        status = Status.DROPPED
    return status


def _parent(columns: Columns, row: list[str], id_to_key: dict[str, str], epic_names: dict[str, str],
            keys_in_file: set[str]) -> str | None:
    for name in PARENT_COLUMNS:
        value = columns.first(row, name)
        if not value:
            continue
        if value in id_to_key:
            return id_to_key[value]
        if re.fullmatch(r"[A-Z][A-Z0-9_]*-\d+", value):
            return value
        if value in epic_names:  # old exports put the epic's name in Epic Link
            return epic_names[value]
    return None


def _criteria_from(description: str) -> tuple[str, list[dict]]:
    """Acceptance criteria written as a list under an "Acceptance criteria" heading (or bold line)
    in the description become Groom's criteria; the section leaves the description."""
    lines = description.split("\n")
    for start, line in enumerate(lines):
        plain = line.strip().strip("#").strip().strip("*").strip().rstrip(":").strip()
        if plain.lower() not in ("acceptance criteria", "acceptance criterion", "acceptance tests", "ac",
                                 "definition of done"):
            continue
        criteria, end = [], start + 1
        while end < len(lines):
            current = lines[end]
            if not current.strip():
                end += 1
                continue
            listed = re.match(r"^\s*(?:[-*+]|\d+\.)\s+(.*)$", current)
            if not listed:
                break
            criteria.append(_criterion(listed.group(1)))
            end += 1
        if criteria:
            rest = "\n".join(lines[:start] + lines[end:])
            return re.sub(r"\n{3,}", "\n\n", rest).strip(), criteria
    return description, []


def _criteria_lines(text: str) -> list[dict]:
    lines = [re.sub(r"^\s*(?:[-*+]|\d+\.)\s+", "", line) for line in text.split("\n")]
    return [_criterion(line) for line in lines if line.strip()]


def _criterion(text: str) -> dict:
    done = bool(re.match(r"^\s*(\(/\)|\[x\]|✓|✔)\s*", text, re.IGNORECASE))
    text = re.sub(r"^\s*(\(/\)|\(x\)|\[x\]|\[ \]|✓|✔|✗)\s*", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\\([^\w\s])", r"\1", text)  # criteria are plain text: no Markdown escapes
    return {"text": clip_short(text) or "(empty)", "done": done}


def _with_comments(description: str, cells: list[str], people: dict[str, str]) -> str:
    """Comments (`date;author;text` cells) appended to the description, oldest first."""
    parts = []
    for cell in cells:
        date, _, rest = cell.partition(";")
        author, _, text = rest.partition(";")
        if not _date(date):  # not Jira's comment layout: keep the cell as it is
            date, author, text = "", "", cell
        text = text.removesuffix(";;;").strip()
        if not text:
            continue
        who = people.get(author.strip(), author.strip()) or "someone"
        heading = f"**{who}**" + (f", {date.strip()}" if date else "")
        parts.append(f"{heading}:\n\n{to_markdown(text, people)}")
    if not parts:
        return description
    block = "### Comments\n\n" + "\n\n".join(parts)
    return f"{description}\n\n{block}" if description else block


def _people(columns: Columns, rows: list[list[str]]) -> dict[str, str]:
    """Account ids → names, from the columns that give both (Jira Cloud exports)."""
    people: dict[str, str] = {}
    for name_column, id_column in PEOPLE_PAIRS:
        names, ids = columns.positions.get(name_column, []), columns.positions.get(id_column, [])
        for row in rows:
            for name_index, id_index in zip(names, ids, strict=False):
                if id_index < len(row) and name_index < len(row) and row[id_index].strip() and row[name_index].strip():
                    people[row[id_index].strip()] = row[name_index].strip()
    return people


_JIRA_DATE = re.compile(r"(\d{1,2})/([A-Za-z]{3})/(\d{2}) (\d{1,2}):(\d{2})(?: ([AaPp][Mm]))?")
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"), start=1)}


def _date(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    quick = _JIRA_DATE.fullmatch(text)  # Jira's own layout, parsed without strptime's cost
    if quick and quick.group(2).lower() in _MONTHS:
        day, month, year, hour, minute, half = quick.groups()
        hour_value = int(hour)
        if half:
            hour_value = hour_value % 12 + (12 if half.lower() == "pm" else 0)
        try:
            return datetime(2000 + int(year), _MONTHS[month.lower()], int(day), hour_value, int(minute), tzinfo=UTC)
        except ValueError:
            return None
    for layout in _DATE_FORMATS:
        try:
            return datetime.strptime(text, layout).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None
