"""Request and response models of the API, built from the engines' own pydantic models."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from asylumengine.routes import Route
from asylumengine.solidarity import CycleResult, Interpretation, Pledge, StateClassification


class Manifest(BaseModel):
    """What a result depends on, so it can be cited and reproduced."""

    code_version: str
    law_hash: str
    data_hash: str
    seed: int | None
    inputs: dict[str, Any]


class RouteResponse(BaseModel):
    manifest: Manifest
    route: Route


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SolidarityRequest(_Strict):
    """The inputs of ``asylum solidarity``: every option of the command, as JSON."""

    year: int = Field(2026, ge=2026, le=2100, description="Cycle year.")
    on: dt.date | None = Field(None, description="Date whose law applies (default: as the CLI).")
    pool_relocations: float | None = Field(None, gt=0, description="Pool size in relocations (EUR from the Art 12(3) ratio).")
    pool_eur: float | None = Field(None, gt=0, description="Pool size in EUR.")
    proposed_relocations: float | None = Field(None, gt=0, description="Relocations in the Commission's Art 12 proposal.")
    pledges: list[Pledge] | None = Field(None, max_length=40, description="Pledges; none: every state pays its obligation in money.")
    classifications: list[StateClassification] | None = Field(None, max_length=40, description="Art 11 classifications.")
    vintage: str | None = Field(None, max_length=60, description="Data vintage of the key (GET /api/solidarity/vintages).")
    interpretation: Interpretation = Field(default_factory=Interpretation, description="Choices the Regulation leaves open.")
    state: str | None = Field(None, max_length=3, description="Focus state: its row is repeated as `focus`.")


class SolidarityResponse(BaseModel):
    manifest: Manifest
    result: CycleResult
    focus: dict | None = None


MAX_REPLICATION_YEARS = 30_000


class ScenarioChoice(_Strict):
    id: str = Field(description="A shipped scenario (GET /api/scenarios).", max_length=80)
    overrides: dict[str, Any] = Field(default_factory=dict, description="Parameter key -> new value (validated as in a scenario file).")


class RunRequest(_Strict):
    """A simulation (one scenario) or a comparison (several; the first is the baseline)."""

    scenarios: list[ScenarioChoice] = Field(min_length=1, max_length=6)
    years: int = Field(10, ge=1, le=50)
    replications: int = Field(200, ge=1, le=5000)
    seed: int = Field(1, ge=0, le=2**32 - 1)
    private: bool = Field(True, description="Shown only to the token (or page session) that started it; false: anyone may read it.")

    @model_validator(mode="after")
    def _bounded(self) -> "RunRequest":
        # a job keeps every replication's monthly indicators in memory: about 4 kB per replication-year
        size = self.replications * self.years * len(self.scenarios)
        if size > MAX_REPLICATION_YEARS:
            raise ValueError(f"replications: replications x years x scenarios is {size:,}; at most {MAX_REPLICATION_YEARS:,} per job "
                             "(run larger studies with `asylum simulate` / `compare`)")  # fmt: skip
        return self


class JobStatus(BaseModel):
    id: str
    kind: Literal["simulate", "compare"]
    status: Literal["queued", "running", "done", "failed"]
    progress: float = Field(description="Share of the replications finished, 0 to 1.")
    done: int
    total: int
    error: str | None = None
    manifest: Manifest
    reproduce: dict[str, str] = Field(description="CLI command and Python call that give the same numbers.")
