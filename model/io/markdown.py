"""The backlog as Markdown for stakeholders: what comes next, sprint by sprint.

Open items in rank order under a heading per sprint (cut where the team's capacity runs
out, as the app's sprint lines), then each item's acceptance criteria, open questions and
what it still lacks to be ready.
"""

from __future__ import annotations

import re

from model.backlog import Backlog
from model.capacity import sprint_plan
from model.io.export_input import ExportInput
from model.item import Item, format_points
from model.readiness import readiness

_ESCAPE = re.compile(r"([\\`*_\[\]<>|#])")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def text(value: str) -> str:
    """User text inside Markdown: shown as written, never read as markup or HTML; control
    characters (an ANSI escape pasted into a title) are shown as their symbols (␛)."""
    value = _CONTROL.sub(lambda m: chr(0x2400 + ord(m.group())) if ord(m.group()) < 0x20 else "\ufffd",
                         " ".join(value.split()))
    return _ESCAPE.sub(r"\\\1", value)


def render_markdown(source: ExportInput) -> bytes:
    backlog = source.backlog
    items = source.open_items()
    plan = sprint_plan(backlog)
    unit = "days" if backlog.meta.settings.estimate_unit == "days" else "points"
    sprint_of = plan.sprint_of()
    lines = [f"# {text(backlog.meta.name)}", ""]
    total = sum(i.points or 0 for i in items)
    facts = [f"Backlog as of {source.now:%Y-%m-%d}", f"{len(items)} open item{'s' if len(items) != 1 else ''}",
             f"{total:g} {unit}"]
    if plan.capacity:
        basis = "velocity" if plan.basis == "velocity" else "focus factor × person-days"
        facts.append(f"capacity {plan.capacity:g} {unit} per sprint ({basis})")
    lines.append(" · ".join(facts))
    if source.top is not None:
        lines.append("")
        lines.append(f"The top {len(items)} open items.")
    if not plan.capacity:
        lines += ["", f"No sprint lines: {plan.note or 'no capacity known yet.'}"]
    ready_rules = backlog.meta.settings
    groups: list[tuple[str, list[Item]]] = []
    for item in items:
        number = sprint_of.get(item.key)
        heading = _sprint_heading(plan, number, unit) if number else ("Later" if plan.capacity else "Open items")
        if not groups or groups[-1][0] != heading:
            groups.append((heading, []))
        groups[-1][1].append(item)
    positions = {key: index for index, key in enumerate(backlog.order, start=1)}
    for heading, group in groups:
        lines += ["", f"## {heading}", "", "| # | Key | Title | Kind | Points | MoSCoW | Ready |",
                  "|--:|---|---|---|--:|---|---|"]
        for item in group:
            ready = readiness(item, ready_rules)
            lines.append(f"| {positions[item.key]} | {item.key} | {text(item.title)} | {item.kind.value} | "
                         f"{format_points(item.points)} | {_moscow(item)} | {'yes' if ready.ready else 'no'} |")
    lines += ["", "## Items", ""]
    for item in items:
        lines += _details(item, positions[item.key], backlog, unit)
    return ("\n".join(lines).rstrip() + "\n").encode()


def _sprint_heading(plan: object, number: int, unit: str) -> str:
    sprint = plan.sprints[number - 1]  # type: ignore[attr-defined]
    name = "Sprint 1 (next)" if number == 1 else f"Sprint {number}"
    words = f"{name} — {sprint.points:g} of {plan.capacity:g} {unit}"  # type: ignore[attr-defined]
    if sprint.unestimated:
        words += f", {len(sprint.unestimated)} not estimated"
    if sprint.oversized:
        words += ", over capacity"
    return words


def _moscow(item: Item) -> str:
    return {"must": "Must", "should": "Should", "could": "Could", "wont": "Won't"}.get(
        item.moscow.value if item.moscow else "", "—")


def _details(item: Item, position: int, backlog: Backlog, unit: str) -> list[str]:
    lines = [f"### {position}. {item.key} · {text(item.title)}", ""]
    facts = [item.kind.value, item.status.value.replace("_", " "), f"{format_points(item.points)} {unit}",
             f"MoSCoW: {_moscow(item)}"]
    if item.labels:
        facts.append("labels: " + ", ".join(text(label) for label in item.labels))
    if item.parent:
        facts.append(f"parent {item.parent}")
    lines.append(" · ".join(facts))
    result = readiness(item, backlog.meta.settings)
    lines += ["", "**Ready**" if result.ready else "**Not ready:** " + "; ".join(result.failures)]
    if item.acceptance_criteria:
        lines += ["", "Acceptance criteria:", ""]
        lines += [f"- [{'x' if c.done else ' '}] {text(c.text)}" for c in item.acceptance_criteria]
    questions = item.open_questions
    if questions:
        lines += ["", "Open questions:", ""]
        lines += [f"- {text(q.text)}" + (f" (ask {text(q.ask)})" if q.ask else "") for q in questions]
    lines.append("")
    return lines
