"""The working state of one cycle while its steps run (``steps.PIPELINE``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from asylumengine.data import member_states as ms_codes
from asylumengine.solidarity.context import Law
from asylumengine.solidarity.key import KeyShare
from asylumengine.solidarity.models import (
    CycleResult,
    Interpretation,
    KeyInfo,
    OffsetRegime,
    Pledge,
    Pool,
    Procedure,
    StateClassification,
    StateResult,
    Totals,
)


@dataclass
class Run:
    law: Law
    year: int
    interpretation: Interpretation
    inputs: dict[str, Any]
    assumptions: list[str] = field(default_factory=list)
    open_points: list[str] = field(default_factory=list)
    # key (Art 66)
    participating: list[str] = field(default_factory=list)
    not_participating: list[str] = field(default_factory=list)
    population: dict[str, float] = field(default_factory=dict)
    gdp: dict[str, float] = field(default_factory=dict)
    key: dict[str, KeyShare] = field(default_factory=dict)
    key_info: KeyInfo | None = None
    vintage: tuple[str, str, bool] = ("", "", False)  # name, label, proxy
    # pool (Art 12, 57)
    pool: Pool | None = None
    proposed: float = 0
    reference_reloc: dict[str, float] = field(default_factory=dict)
    reference_eur: dict[str, float] = field(default_factory=dict)
    # classification, exemptions, deductions (Art 11, 60(3), 61, 62)
    classes: dict[str, StateClassification] = field(default_factory=dict)
    benefitting: list[str] = field(default_factory=list)
    blocked: set[str] = field(default_factory=set)
    keep: dict[str, float] = field(default_factory=dict)
    exempt: dict[str, bool] = field(default_factory=dict)
    # pledges (Art 56, 57)
    pledge: dict[str, tuple[Pledge, str]] = field(default_factory=dict)
    # offsets (Art 63)
    offsets: OffsetRegime | None = None
    thresholds: Any = None
    offsets_alloc: dict[str, float] = field(default_factory=dict)
    alloc_by_reading: dict[str, dict[str, float]] = field(default_factory=dict)
    # deliveries (Art 60)
    weights: dict[str, float] = field(default_factory=dict)
    states: list[StateResult] = field(default_factory=list)
    undrawn: float = 0
    totals: Totals | None = None
    procedure: Procedure = field(default_factory=Procedure)

    def result(self) -> CycleResult:
        name, label, proxy = self.vintage
        return CycleResult(
            year=self.year, on=self.law.on, code_convention=ms_codes.CODE_CONVENTION, vintage=name, vintage_label=label,
            vintage_is_proxy=proxy, pool=self.pool, participating=self.participating,
            not_participating=self.not_participating, offsets=self.offsets, interpretation=self.interpretation,
            states=self.states, totals=self.totals, assumptions=self.assumptions, citations=self.law.citations,
            key=self.key_info, procedure=self.procedure, open_points=self.open_points,
        )  # fmt: skip
