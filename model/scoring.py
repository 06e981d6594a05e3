"""Inputs for the prioritisation models an item can be scored with.

Every input is optional: an item lacking the inputs of a model simply has no score for it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ScoreInputs(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    # WSJF (SAFe): cost of delay / job size, inputs on 1 2 3 5 8 13 20.
    business_value: float | None = None
    time_criticality: float | None = None
    risk_reduction: float | None = None
    job_size: float | None = None
    # RICE: reach x impact x confidence / effort.
    reach: float | None = Field(default=None, ge=0)
    impact: float | None = None
    confidence: float | None = None
    effort: float | None = Field(default=None, gt=0)
    # Opportunity score (Ulwick): importance + max(importance - satisfaction, 0), both 0-10.
    importance: float | None = Field(default=None, ge=0, le=10)
    satisfaction: float | None = Field(default=None, ge=0, le=10)
    # Weighted scoring: criterion name -> value; the weights live in the backlog settings.
    weighted: dict[str, float] = Field(default_factory=dict)
