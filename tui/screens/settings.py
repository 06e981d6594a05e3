"""`O`: backlog settings for refinement — estimate unit, split threshold, Definition of Ready,
the score shown in the list and the weighted-scoring criteria."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, SelectionList, Static

from model.meta import READY_RULES, Settings
from model.scoring import SCORE_MODELS
from tui.text import visible_line

SubmitSettings = Callable[[dict[str, Any]], str | None]


def format_criteria(settings: Settings) -> str:
    return ", ".join(f"{c.name}:{c.weight:g}" for c in settings.weighted_criteria)


def parse_criteria(text: str) -> list[dict[str, Any]]:
    """"Revenue:3, Strategic fit:2" -> [{name, weight}]; raises ValueError in words."""
    criteria = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = re.fullmatch(r"(.+?)\s*[:=×x*]\s*([0-9]+(?:\.[0-9]+)?)", part)
        if not match:
            raise ValueError(f"“{part}” should be name:weight, like Revenue:3")
        criteria.append({"name": match.group(1).strip(), "weight": float(match.group(2))})
    return criteria


class SettingsScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="settings.save"),
        Binding("escape", "cancel", "Cancel", id="settings.cancel"),
    ]

    def __init__(self, settings: Settings, submit: SubmitSettings) -> None:
        super().__init__()
        self.settings = settings
        self.submit = submit

    def compose(self) -> ComposeResult:
        settings = self.settings
        with Vertical(classes="dialog settings-dialog"):
            yield Static(Text("Backlog settings", style="bold"), classes="dialog-title")
            with Grid(id="settings-grid"):
                yield Label("Estimates in")
                yield Select([("story points", "points"), ("ideal days", "days")], value=settings.estimate_unit,
                             allow_blank=False, id="setting-unit", compact=True)
                yield Label("Split above")
                yield Input(f"{settings.split_threshold:g}", id="setting-threshold", compact=True)
                yield Label("Score column")
                score_options = [("none", "none")] + [(f"{m.name}: {m.formula}", m.id) for m in SCORE_MODELS.values()]
                yield Select(score_options, value=settings.score_model or "none", allow_blank=False,
                             id="setting-score", compact=True)
                yield Label("Weighted")
                yield Input(format_criteria(settings), placeholder="criteria, e.g. Revenue:3, Strategic fit:2",
                            id="setting-weighted", compact=True)
            yield Label("Definition of Ready (space toggles)")
            yield SelectionList[str](
                *[(description, rule, rule in settings.ready_rules) for rule, description in READY_RULES.items()],
                id="setting-ready",
            )
            yield Static(classes="error", id="settings-error")
            yield Static("ctrl+s save · escape cancel · tab next field", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#setting-unit").focus()

    def action_save(self) -> None:
        error = self.query_one("#settings-error", Static)
        threshold_text = self.query_one("#setting-threshold", Input).value.strip()
        try:
            threshold = float(threshold_text)
        except ValueError:
            error.update(Text(f"⚠ Split threshold: {visible_line(threshold_text)!r} is not a number"))
            return
        try:
            criteria = parse_criteria(self.query_one("#setting-weighted", Input).value)
        except ValueError as exc:
            error.update(Text(f"⚠ Weighted criteria: {visible_line(str(exc))}"))
            return
        score = self.query_one("#setting-score", Select).value
        chosen = self.query_one("#setting-ready", SelectionList).selected
        fields = {
            "estimate_unit": self.query_one("#setting-unit", Select).value,
            "split_threshold": threshold,
            "score_model": None if score == "none" else score,
            "weighted_criteria": criteria,
            "ready_rules": tuple(rule for rule in READY_RULES if rule in chosen),
        }
        # Only what the user changed: another Groom may have changed other settings meanwhile.
        fields = {name: value for name, value in fields.items() if _changed(self.settings, name, value)}
        problem = self.submit(fields)
        if problem:
            error.update(Text("⚠ " + visible_line(problem)))
        else:
            self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


def _changed(settings: Settings, name: str, value: Any) -> bool:
    """Whether the form's value differs from the setting it showed (compared as stored)."""
    shown = settings.model_dump()
    try:
        return Settings.model_validate({**shown, name: value}).model_dump()[name] != shown[name]
    except ValueError:  # invalid: send it, so that the command refuses it with the reason
        return True
