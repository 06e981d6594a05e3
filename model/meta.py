"""The backlog's own record: name, key prefix, counters and settings."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from model.item import PREFIX_PATTERN
from model.scoring import SCORE_MODELS, WeightedCriterion

# 2: the history and sessions tables (model/store.py MIGRATIONS upgrades format 1).
SCHEMA_VERSION = 2


# Definition of Ready rules a backlog can require (see model/readiness.py), and the default set.
READY_RULES: dict[str, str] = {
    "criteria": "at least one acceptance criterion",
    "estimated": "estimated",
    "small": "no bigger than the split threshold",
    "no_open_questions": "no open questions",
    "moscow": "a MoSCoW priority",
    "description": "a description",
    "not_epic": "not an epic (split epics into stories first)",
}
DEFAULT_READY_RULES = ("criteria", "estimated", "small", "no_open_questions", "moscow")


class Settings(BaseModel):
    """Per-backlog settings. Defaults follow common Scrum practice."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    estimate_unit: Literal["points", "days"] = "points"
    split_threshold: float = Field(default=13, gt=0)  # items above this should be split
    velocity_window: int = Field(default=3, ge=1, le=50)  # sprints averaged for capacity
    sprint_length_days: int = Field(default=10, ge=1, le=100)
    # Points per person-day, used for the focus capacity when no past sprint records its
    # person-days (see model/capacity.py). 0.7: 70% focus when one point is one ideal day.
    focus_factor: float = Field(default=0.7, gt=0, le=50)
    horizon: int = Field(default=3, ge=1, le=20)  # sprint lines drawn in the list
    capacity_basis: Literal["velocity", "focus"] = "velocity"  # what sizes the meter and the sprint lines
    ready_rules: tuple[str, ...] = DEFAULT_READY_RULES  # the backlog's Definition of Ready
    score_model: str | None = None  # the score shown as a column and used by rank-by-score
    weighted_criteria: tuple[WeightedCriterion, ...] = ()  # for the weighted score

    @field_validator("ready_rules")
    @classmethod
    def _known_rules(cls, rules: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [r for r in rules if r not in READY_RULES]
        if unknown:
            raise ValueError(f"unknown Definition of Ready rule {unknown[0]!r}; use {', '.join(READY_RULES)}")
        return tuple(dict.fromkeys(rules))

    @field_validator("score_model")
    @classmethod
    def _known_model(cls, model: str | None) -> str | None:
        if model is not None and model not in SCORE_MODELS:
            raise ValueError(f"unknown score model {model!r}; use {', '.join(SCORE_MODELS)}")
        return model

    @field_validator("weighted_criteria")
    @classmethod
    def _distinct_criteria(cls, criteria: tuple[WeightedCriterion, ...]) -> tuple[WeightedCriterion, ...]:
        names = [c.name for c in criteria]
        if len(names) != len(set(names)):
            raise ValueError("weighted criteria must have different names")
        return criteria


class BacklogMeta(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    schema_version: int = SCHEMA_VERSION
    name: str = Field(min_length=1, max_length=100)
    prefix: str
    next_number: int = Field(default=1, ge=1)  # keys are never reused, even after delete/undo
    revision: int = Field(default=0, ge=0)  # bumped by every write; tells processes apart
    settings: Settings = Field(default_factory=Settings)

    @field_validator("prefix")
    @classmethod
    def _prefix_shape(cls, value: str) -> str:
        if not PREFIX_PATTERN.match(value):
            raise ValueError(f"{value!r} is not a key prefix: 1-10 capital letters or digits, starting with a letter")
        return value
