"""The backlog's own record: name, key prefix, counters and settings."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from model.item import PREFIX_PATTERN

SCHEMA_VERSION = 1


class Settings(BaseModel):
    """Per-backlog settings. Defaults follow common Scrum practice."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    estimate_unit: Literal["points", "days"] = "points"
    split_threshold: float = Field(default=13, gt=0)  # items above this should be split
    velocity_window: int = Field(default=3, ge=1, le=50)  # sprints averaged for capacity
    sprint_length_days: int = Field(default=10, ge=1, le=100)
    focus_factor: float = Field(default=0.7, gt=0, le=1)
    horizon: int = Field(default=3, ge=1, le=20)  # sprint lines drawn in the list


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
