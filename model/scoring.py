"""Prioritisation scores: WSJF, RICE, opportunity score and weighted scoring.

Every input is optional: an item lacking the inputs of a model simply has no score for it
(and stays where it is when the backlog is ranked by that score). Scores advise; the manual
rank stays the truth.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

if TYPE_CHECKING:  # pragma: no cover
    from model.item import Item
    from model.meta import Settings

FIBONACCI = (1, 2, 3, 5, 8, 13, 20)  # the modified Fibonacci scale WSJF inputs use
RICE_IMPACT = (3, 2, 1, 0.5, 0.25)  # massive, high, medium, low, minimal
RICE_CONFIDENCE = (100, 80, 50)  # percent: high, medium, low


def _on(scale: tuple[float, ...], what: str) -> Callable[[float | None], float | None]:
    def check(value: float | None) -> float | None:
        if value is not None and value not in scale:
            raise ValueError(f"{value:g} is not a {what}; use one of {', '.join(f'{v:g}' for v in scale)}")
        return value

    return check


Fib = Annotated[float | None, AfterValidator(_on(FIBONACCI, "WSJF value"))]
ZeroToTen = Annotated[float | None, Field(ge=0, le=10)]


class ScoreInputs(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    # WSJF (SAFe): cost of delay / job size, each on 1 2 3 5 8 13 20.
    business_value: Fib = None
    time_criticality: Fib = None
    risk_reduction: Fib = None  # risk reduction / opportunity enablement
    job_size: Fib = None
    # RICE: reach x impact x confidence / effort.
    reach: float | None = Field(default=None, ge=0)  # people or events per quarter
    impact: Annotated[float | None, AfterValidator(_on(RICE_IMPACT, "RICE impact"))] = None
    confidence: Annotated[float | None, AfterValidator(_on(RICE_CONFIDENCE, "RICE confidence (%)"))] = None
    effort: float | None = Field(default=None, gt=0)  # person-months
    # Opportunity score (Ulwick): importance + max(importance - satisfaction, 0), both 0-10.
    importance: ZeroToTen = None
    satisfaction: ZeroToTen = None
    # Weighted scoring: criterion name -> value; the criteria and weights live in the settings.
    weighted: dict[str, float] = Field(default_factory=dict)


class WeightedCriterion(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = Field(min_length=1, max_length=40)
    weight: float = Field(gt=0, le=100)


@dataclass(frozen=True)
class ScoreModel:
    id: str
    name: str  # as shown in the list's column header and menus
    formula: str
    inputs: tuple[str, ...]  # ScoreInputs fields (weighted: the settings' criteria)


SCORE_MODELS: dict[str, ScoreModel] = {
    "wsjf": ScoreModel("wsjf", "WSJF", "(business value + time criticality + risk reduction) ÷ job size",
                       ("business_value", "time_criticality", "risk_reduction", "job_size")),
    "rice": ScoreModel("rice", "RICE", "reach × impact × confidence ÷ effort",
                       ("reach", "impact", "confidence", "effort")),
    "opportunity": ScoreModel("opportunity", "Opp", "importance + max(importance − satisfaction, 0)",
                              ("importance", "satisfaction")),
    "weighted": ScoreModel("weighted", "Wtd", "Σ weight × value over the backlog's criteria", ()),
}

INPUT_LABELS = {
    "business_value": "User-business value", "time_criticality": "Time criticality",
    "risk_reduction": "Risk reduction / opportunity enablement", "job_size": "Job size",
    "reach": "Reach (per quarter)", "impact": "Impact (3 2 1 0.5 0.25)", "confidence": "Confidence % (100 80 50)",
    "effort": "Effort (person-months)", "importance": "Importance (0-10)", "satisfaction": "Satisfaction (0-10)",
}


def wsjf(inputs: ScoreInputs) -> float | None:
    values = (inputs.business_value, inputs.time_criticality, inputs.risk_reduction, inputs.job_size)
    if any(v is None for v in values):
        return None
    value, time, risk, size = values  # type: ignore[misc]
    return (value + time + risk) / size


def rice(inputs: ScoreInputs) -> float | None:
    if inputs.reach is None or inputs.impact is None or inputs.confidence is None or not inputs.effort:
        return None
    return inputs.reach * inputs.impact * (inputs.confidence / 100) / inputs.effort


def opportunity(inputs: ScoreInputs) -> float | None:
    if inputs.importance is None or inputs.satisfaction is None:
        return None
    return inputs.importance + max(inputs.importance - inputs.satisfaction, 0)


def weighted(inputs: ScoreInputs, criteria: tuple[WeightedCriterion, ...]) -> float | None:
    if not criteria or any(c.name not in inputs.weighted for c in criteria):
        return None
    return sum(c.weight * inputs.weighted[c.name] for c in criteria)


def score(item: Item, model: str, settings: Settings) -> float | None:
    """The item's score under `model`, or None when an input is missing."""
    inputs = item.scores
    if model == "wsjf":
        return wsjf(inputs)
    if model == "rice":
        return rice(inputs)
    if model == "opportunity":
        return opportunity(inputs)
    if model == "weighted":
        return weighted(inputs, settings.weighted_criteria)
    raise ValueError(f"unknown score model {model!r}; use {', '.join(SCORE_MODELS)}")


def missing_inputs(item: Item, model: str, settings: Settings) -> list[str]:
    """Names of the inputs the item lacks for `model` (empty: it has a score)."""
    if model == "weighted":
        return [c.name for c in settings.weighted_criteria if c.name not in item.scores.weighted] or (
            [] if settings.weighted_criteria else ["no weighted criteria defined for this backlog"]
        )
    values: dict[str, Any] = item.scores.model_dump()
    return [INPUT_LABELS[name] for name in SCORE_MODELS[model].inputs if values.get(name) is None]


def format_score(value: float | None) -> str:
    if value is None:
        return "–"
    if value >= 1000:
        return f"{value / 1000:.1f}k"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"
