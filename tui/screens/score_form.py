"""`w`: the scoring inputs of one item, for every score model, in one compact form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from model.item import Item
from model.meta import Settings
from model.scoring import FIBONACCI, RICE_CONFIDENCE, RICE_IMPACT, SCORE_MODELS, ScoreInputs, format_score, score
from tui.text import visible_line

# Returns None when saved, else the reason it was refused.
SubmitScores = Callable[[dict[str, Any]], str | None]

SCALES: dict[str, tuple[float, ...]] = {
    "business_value": FIBONACCI, "time_criticality": FIBONACCI, "risk_reduction": FIBONACCI,
    "job_size": FIBONACCI, "impact": RICE_IMPACT, "confidence": RICE_CONFIDENCE,
}
FIELDS: list[tuple[str, str, str]] = [  # (model, input, label)
    ("wsjf", "business_value", "Value"), ("wsjf", "time_criticality", "Time crit."),
    ("wsjf", "risk_reduction", "Risk/opp."), ("wsjf", "job_size", "Job size"),
    ("rice", "reach", "Reach"), ("rice", "impact", "Impact"), ("rice", "confidence", "Confid. %"),
    ("rice", "effort", "Effort"), ("opportunity", "importance", "Importance"),
    ("opportunity", "satisfaction", "Satisfact."),
]


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


# A formula has one row of the form (48 columns at 80x24): WSJF's in the words of the form's own
# labels, where the full one would be cut after "risk".
FORM_FORMULAS = {"wsjf": "(value + time crit. + risk/opp.) ÷ job size"}


class ScoreForm(ModalScreen[bool]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="scores.save"),
        Binding("escape", "cancel", "Cancel", id="scores.cancel"),
    ]

    def __init__(self, item: Item, settings: Settings, submit: SubmitScores) -> None:
        super().__init__()
        self.item = item
        self.settings = settings
        self.submit = submit

    def compose(self) -> ComposeResult:
        inputs = self.item.scores
        values = inputs.model_dump()
        with Vertical(classes="dialog score-form"):
            heading = Text(f"Scores of {self.item.key} ", style="bold")
            heading.append(visible_line(self.item.title[:60]))
            yield Static(heading, classes="dialog-title")
            with Grid(id="score-grid"):
                model = ""
                for model_id, name, label in FIELDS:
                    if model_id != model:
                        model = model_id
                        yield Static(Text(SCORE_MODELS[model].name, style="bold"), classes="score-model")
                        formula = FORM_FORMULAS.get(model, SCORE_MODELS[model].formula)
                        yield Static(Text(formula, style="dim"), classes="score-formula")
                    yield Label(label)
                    if name in SCALES:
                        options = [(f"{v:g}", f"{v:g}") for v in SCALES[name]]
                        current = _number(values[name]) or Select.NULL
                        yield Select(options, value=current, prompt="–", id=f"score-{name}", compact=True)
                    else:
                        yield Input(_number(values[name]), id=f"score-{name}", compact=True, placeholder="–")
                criteria = self.settings.weighted_criteria
                if criteria:
                    yield Static(Text("Weighted", style="bold"), classes="score-model")
                    weights = ", ".join(f"{c.name} ×{c.weight:g}" for c in criteria)
                    yield Static(Text(weights, style="dim"), classes="score-formula")
                    for index, criterion in enumerate(criteria):
                        yield Label(criterion.name[:10])
                        value = inputs.weighted.get(criterion.name)
                        yield Input(_number(value), id=f"weighted-{index}", compact=True, placeholder="–")
            yield Static(id="score-result")
            yield Static(classes="error", id="score-error")
            yield Static("ctrl+s save · escape cancel · tab next field · empty = not scored", classes="dialog-hint")

    def on_mount(self) -> None:
        self._show_scores()
        self.query_one("#score-business_value").focus()

    def on_input_changed(self) -> None:
        self._show_scores()

    def on_select_changed(self) -> None:
        self._show_scores()

    def _collect(self) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        for _, name, label in FIELDS:
            widget = self.query_one(f"#score-{name}")
            raw = widget.value if isinstance(widget, Input) else ("" if widget.is_blank() else widget.value)
            fields[name] = _parse(str(raw), label)
        weighted = {}
        for index, criterion in enumerate(self.settings.weighted_criteria):
            value = _parse(self.query_one(f"#weighted-{index}", Input).value, criterion.name)
            if value is not None:
                weighted[criterion.name] = value
        # Keep values of criteria that are no longer defined: the form must not lose data.
        defined = {c.name for c in self.settings.weighted_criteria}
        for name, value in self.item.scores.weighted.items():
            if name not in defined:
                weighted[name] = value
        fields["weighted"] = weighted
        return fields

    def _show_scores(self) -> None:
        result = self.query_one("#score-result", Static)
        try:
            inputs = ScoreInputs.model_validate(self._collect())
        except (ValueError, TypeError) as exc:
            result.update(Text(f"⚠ {str(exc).splitlines()[0][:200]}", style="yellow"))
            return
        item = self.item.model_copy(update={"scores": inputs})
        parts = [f"{m.name} {format_score(score(item, m.id, self.settings))}" for m in SCORE_MODELS.values()]
        result.update(Text("Scores: " + " · ".join(parts)))

    def action_save(self) -> None:
        try:
            fields = self._collect()
        except ValueError as exc:
            self.query_one("#score-error", Static).update(Text(f"⚠ {exc}"))
            return
        error = self.submit(fields)
        if error:
            self.query_one("#score-error", Static).update(Text("⚠ " + visible_line(error)))
        else:
            self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


def _parse(raw: str, label: str) -> float | None:
    text = raw.strip().replace(",", ".").rstrip("%")
    if not text or text in ("-", "–"):
        return None
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{label}: {raw!r} is not a number") from None
