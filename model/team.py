"""The team that does the work and the sprints it has done: the inputs to capacity."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator


def _clean_name(value: object) -> object:
    return " ".join(value.split()) if isinstance(value, str) else value


Name = Annotated[str, BeforeValidator(_clean_name), Field(min_length=1, max_length=100)]


class Sprint(BaseModel):
    """A finished (or running) sprint: what the team committed to and what it completed."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: Name
    start: date | None = None
    end: date | None = None
    committed: float = Field(default=0, ge=0)
    completed: float = Field(default=0, ge=0)
    # Person-days the team had in this sprint, when known: lets the focus factor be learned.
    available_days: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _dates_in_order(self) -> Sprint:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"sprint {self.name!r} ends ({self.end}) before it starts ({self.start})")
        return self


class TeamMember(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: Name
    available_days: float = Field(default=10, ge=0, le=366)  # in the next sprint
