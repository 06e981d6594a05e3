"""The backlog as a CSV file Jira's importer takes (System → External system import → CSV).

Column names are the ones Jira's CSV importer maps on its own: Summary, Issue Type, Status,
Priority, Description, Labels (one column per label, as Jira's own export writes them),
Sprint, Story Points, and Issue Id / Parent Id for linking children to their parents. The
description is converted from Markdown to Jira wiki markup, with the acceptance criteria as
a list under "Acceptance criteria" (✓ marks a met one: Jira's (/) icon). `groom import jira`
reads this file back.
"""

from __future__ import annotations

import csv
import io
import re

import mistletoe
from mistletoe.contrib.jira_renderer import JiraRenderer

from model.io.export_input import ExportInput
from model.item import Item, Kind, Status, format_timestamp, key_number

ISSUE_TYPES = {Kind.STORY: "Story", Kind.BUG: "Bug", Kind.FEATURE: "New Feature", Kind.CHORE: "Task",
               Kind.SPIKE: "Spike", Kind.EPIC: "Epic"}
STATUSES = {Status.NEW: "To Do", Status.NEEDS_INFO: "Needs Info", Status.READY: "Ready",
            Status.PLANNED: "In Progress", Status.DONE: "Done", Status.DROPPED: "Won't Do", Status.SPLIT: "Split"}
RESOLUTIONS = {Status.DONE: "Done", Status.DROPPED: "Won't Do", Status.SPLIT: "Done"}
MOSCOW = {"must": "Must Have", "should": "Should Have", "could": "Could Have", "wont": "Won't Have"}
_JIRA_SPECIAL = re.compile(r"([\[\]{}*_+^~|!#-])")


class _Renderer(JiraRenderer):
    """Markdown's soft line breaks as Jira line breaks: people who typed a newline meant one."""

    def render_line_break(self, token: object) -> str:
        return "\n" if getattr(token, "soft", False) else super().render_line_break(token)


def render_csv(source: ExportInput) -> bytes:
    items = list(source.backlog) if source.top is None else source.open_items()
    label_columns = max((len(_labels(i)[0]) for i in items), default=0) or 1
    sprint_columns = max((len(_labels(i)[1]) for i in items), default=0) or 1
    header = ["Summary", "Issue key", "Issue id", "Parent id", "Issue Type", "Status", "Resolution", "Priority",
              "Story Points", "MoSCoW", *["Labels"] * label_columns, *["Sprint"] * sprint_columns,
              "Description", "Created"]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    with _Renderer() as renderer:
        for item in items:
            labels, sprints, priority = _labels(item)
            writer.writerow([
                item.title, item.key, key_number(item.key), key_number(item.parent) if item.parent else "",
                ISSUE_TYPES[item.kind], STATUSES[item.status], RESOLUTIONS.get(item.status, ""), priority,
                _points(item.points), MOSCOW.get(item.moscow.value, "") if item.moscow else "",
                *_padded(labels, label_columns), *_padded(sprints, sprint_columns),
                _description(item, renderer), format_timestamp(item.created),
            ])
    return out.getvalue().encode("utf-8")


def _labels(item: Item) -> tuple[list[str], list[str], str]:
    """Jira labels (no spaces allowed there), sprint names, and the priority kept as a label."""
    labels, sprints, priority = [], [], ""
    for label in item.labels:
        if label.startswith("sprint:"):
            sprints.append(label.removeprefix("sprint:"))
        elif label.startswith("priority:") and not priority:
            priority = label.removeprefix("priority:").title()
        else:
            labels.append("_".join(label.split()))
    return labels, sprints, priority


def _padded(values: list[str], width: int) -> list[str]:
    return values + [""] * (width - len(values))


def _points(points: float | None) -> str:
    return "" if points is None else f"{points:g}"


def _description(item: Item, renderer: JiraRenderer) -> str:
    parts = []
    if item.description.strip():
        parts.append(renderer.render(mistletoe.Document(item.description)).strip())
    if item.acceptance_criteria:
        lines = ["h3. Acceptance criteria"]
        lines += [f"* {'(/) ' if c.done else ''}{jira_escaped(c.text)}" for c in item.acceptance_criteria]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def jira_escaped(text: str) -> str:
    """Plain text that Jira shows as written: its markup characters escaped with a backslash."""
    return _JIRA_SPECIAL.sub(r"\\\1", text)
