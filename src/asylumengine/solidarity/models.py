"""Typed inputs and outputs of one solidarity cycle (AMMR Part IV).

These pydantic models are the interface: the CLI, and later the web API, pass them in
and print them out unchanged. Amounts are in euro; relocations and offsets are counts
of persons / applications. Member States are ISO 3166-1 alpha-2 codes (EL is accepted
for Greece and stored as GR).
"""

from __future__ import annotations

import datetime as dt
from enum import Enum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from asylumengine.data.member_states import to_iso


class Status(str, Enum):
    """The Commission's Art 11 classification of a Member State for the cycle."""

    MIGRATORY_PRESSURE = "migratory_pressure"  # AMMR Art 11(1)(a) -> may use the Pool (Art 58), or ask deduction (Art 61)
    RISK_OF_MIGRATORY_PRESSURE = "risk_of_migratory_pressure"  # AMMR Art 11(1)(b) -> Toolbox priority, no deduction
    SIGNIFICANT_MIGRATORY_SITUATION = "significant_migratory_situation"  # AMMR Art 11(1)(c) -> may ask deduction (Art 62)
    NONE = "none"


class _MemberStateRow(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)  # a pledge of infinite euros is not a pledge

    member_state: str

    @field_validator("member_state", mode="before")
    @classmethod
    def _iso(cls, v: str) -> str:
        return to_iso(v)


class StateClassification(_MemberStateRow):
    """How the cycle treats one Member State: its classification and the decisions about it."""

    status: tuple[Status, ...] = Field(
        (Status.NONE,), description="One or more Art 11 classifications (they may overlap, e.g. at risk and significant)."
    )
    benefitting: bool = Field(False, description="Uses the Pool: Art 58(1) notification or Art 59(4) decision.")
    deduction: float = Field(
        0.0, ge=0.0, le=1.0, description="Share of its fair share the Council deducted (Art 61(4) / 62(5)); 1 = full."
    )
    systemic_shortcomings: bool = Field(
        False, description="Commission identified systemic shortcomings in its application of Part III (Art 60(3))."
    )
    need_share: float | None = Field(
        None, ge=0.0, description="Benefitting states only: relative weight of its needs in the Pool (Art 58(2))."
    )
    sar_pressure: bool = Field(
        False, description="Under migratory pressure from recurring search-and-rescue disembarkations (Art 12(5), 57(2))."
    )
    source: str = "input"

    @field_validator("status", mode="before")
    @classmethod
    def _split(cls, v):
        if isinstance(v, str):
            v = [part.strip() for part in v.replace("+", ";").replace(",", ";").split(";") if part.strip()]
        if isinstance(v, Status):
            v = [v]
        return v

    @field_validator("status")
    @classmethod
    def _none_alone(cls, v: tuple[Status, ...]) -> tuple[Status, ...]:
        if not v:
            return (Status.NONE,)
        if Status.NONE in v and len(v) > 1:
            raise ValueError("'none' cannot be combined with another status")
        return tuple(dict.fromkeys(v))

    def has(self, status: Status) -> bool:
        return status in self.status


class Pledge(_MemberStateRow):
    """A contributing state's pledge (Art 57(4)) and the offsets it applies (Art 63, 69)."""

    relocations: int = Field(0, ge=0, description="Relocations pledged (Art 56(2)(a)).")
    financial_eur: float = Field(0.0, ge=0.0, description="Financial contribution pledged, EUR (Art 56(2)(b), 64).")
    alternative_eur: float = Field(
        0.0, ge=0.0, description="Alternative solidarity measures, valued in EUR (Art 56(2)(c), 65(1))."
    )
    offsets: int = Field(0, ge=0, description="Applications taken over from a benefitting state (Art 63, 69).")
    offsets_towards: str | None = Field(None, description="Benefitting state whose applications are taken over.")
    relocations_implemented: int | None = Field(
        None, ge=0, description="Relocations implemented (or accepted, Art 67(9)) by the end of the year (Art 63(5))."
    )

    @field_validator("offsets_towards", mode="before")
    @classmethod
    def _iso_opt(cls, v: str | None) -> str | None:
        return to_iso(v) if v not in (None, "") else None


class KeyRow(_MemberStateRow):
    """One state of a user-given key: its population and GDP with their source (Art 66)."""

    population: float = Field(gt=0, description="Population (persons).")
    gdp: float = Field(gt=0, description="Total GDP (any one currency for all rows: only ratios count).")
    source: str = Field(min_length=1, description="Where the two figures come from, with their reference date.")
    fixed_share: float | None = Field(None, ge=0, le=100, description="Optional: the state's share fixed, in percent.")


class DeductionRequest(_MemberStateRow):
    """A state's request for a deduction of its pledged contributions (Art 61(1), 62(1))."""

    requested_on: dt.date = Field(description="Day the request is submitted to the Commission.")
    received_on: dt.date | None = Field(None, description="Day the Commission receives it (default: the day it is submitted).")


class OffsetRequest(_MemberStateRow):
    """A benefitting state's request to a contributing state (``member_state``) to take over applications (Art 63, 69)."""

    requested_by: str = Field(description="The benefitting state whose applications are to be taken over.")
    applications: int = Field(ge=1, description="Number of applications in the request (Art 69(1)).")
    received_on: dt.date

    @field_validator("requested_by", mode="before")
    @classmethod
    def _iso_by(cls, v: str) -> str:
        return to_iso(v)


class SystemicFinding(_MemberStateRow):
    """A dated Commission decision (Art 11 or 59(4)) on systemic shortcomings in a benefitting state (Art 60(3))."""

    decided_on: dt.date
    found: bool = Field(True, description="True: shortcomings identified; False: the check found none.")
    source: str = "input"


class Pool(BaseModel):
    """The Annual Solidarity Pool as the Council adopted it (Art 57), or as the user sets it."""

    model_config = ConfigDict(frozen=True, allow_inf_nan=False)

    relocations: float = Field(gt=0)
    financial_eur: float = Field(gt=0)
    eur_per_relocation: float = Field(description="Equivalence of one relocation in EUR, from the Art 12 ratio.")
    source: str
    below_article_12_minimum: bool = Field(
        description="True when smaller than the 30,000 / EUR 600 million minimum of the Commission proposal (Art 12(2))."
    )


class Interpretation(BaseModel):
    """Choices the Regulation leaves open. Each default is documented in docs/solidarity.md."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mandatory_offset_ceiling_counts: str = Field(
        "relocations_and_offsets",
        pattern="^(relocations_and_offsets|offsets_only)$",
        description="Art 63(3) 'up to the higher of the two numbers': does the ceiling count pledged relocations "
        "plus offsets (offsets fill the gap), or offsets alone?",
    )
    systemic_shortcomings_effect: str = Field(
        "release",
        pattern="^(release|redistribute)$",
        description="Art 60(3): the part of a pledge towards a state with systemic shortcomings is released, "
        "or redistributed to the other benefitting states.",
    )
    reconvened_forum_held: bool = Field(
        True, description="Art 63(3) applies after the High-Level Forum convened under Art 13(4) has met."
    )


class Delivery(BaseModel):
    """What a contributing state delivers towards one benefitting state."""

    to: str
    relocations: float = 0.0
    financial_eur: float = 0.0
    alternative_eur: float = 0.0
    offsets: int = 0
    value_eur: float = 0.0
    released: bool = Field(False, description="Not required: benefitting state has systemic shortcomings (Art 60(3)).")


class ThresholdTest(BaseModel):
    """One threshold of the Regulation applied: the two numbers compared and where the first one lies."""

    test: str = Field(description="What is tested, in words.")
    citation: str
    value: float = Field(description="The number tested (e.g. relocations pledged).")
    threshold: float = Field(description="The number it is compared with.")
    result: str = Field(description="'below', 'at' or 'above': where value lies relative to threshold.")
    met: bool = Field(description="Whether the article's condition holds ('equal to or above', 'below', ...).")
    consequence: str


class Reading(BaseModel):
    """One reading of a provision the text leaves open, and what it gives."""

    reading: str
    value: float | None
    note: str = ""


class StillToImplement(BaseModel):
    """What a state must still deliver after deductions, exemptions, offsets and releases."""

    relocations: float
    financial_eur: float
    alternative_eur: float
    value_eur: float
    obligation_left_after_offsets_eur: float


class StateAnswers(BaseModel):
    """The questions a ministry lawyer asks about one state, answered with their articles."""

    may_offer_offsets: bool = Field(description="Art 63(2): may indicate willingness to take over applications.")
    may_offer_basis: str
    may_offer_up_to: list[Reading] = Field(description="Up to how many applications (two readings, Art 63(2), (7)).")
    offsets_mandatory: bool = Field(description="Art 63(3)-(4): must take over applications on request.")
    mandatory_up_to: float = Field(description="Its part of the Art 63(3) ceiling, capped at its fair share (Art 63(7)).")
    mandatory_up_to_readings: list[Reading] = Field(default_factory=list, description="The same under both readings of the ceiling.")
    year_end_offsets: str = Field(description="Art 63(5): after the year, offsets for relocations not implemented.")
    year_end_offsets_up_to: list[Reading] = Field(default_factory=list)
    still_to_implement: StillToImplement
    threshold_tests: list[ThresholdTest]


class StateResult(BaseModel):
    member_state: str = Field(description="ISO 3166-1 alpha-2 code.")
    eurostat_code: str
    name: str
    status: list[Status]
    benefitting: bool
    systemic_shortcomings: bool
    population: float
    gdp: float
    population_share: float = Field(description="Percent of the participating states' population.")
    gdp_share: float = Field(description="Percent of the participating states' GDP.")
    fair_share: float = Field(description="Percent: 50% population share + 50% GDP share (Art 66, Annex I).")
    reference_relocations: float = Field(description="Fair share x the Pool's relocations (Art 12(2), 57(3)).")
    reference_eur: float = Field(description="Fair share x the Pool's financial contributions (Art 12(2), 57(3)).")
    exempt: bool = Field(description="Not required to implement pledges this year (Art 60(3), third subpara).")
    deduction_share: float
    deduction_eur: float
    exempted_eur: float
    obligation_eur: float = Field(description="Reference EUR less deduction and exemption.")
    pledge_source: str = Field(description="'given' (in the pledges input) or 'assumed' (the documented default: a contributing state its fair share in money, a benefitting state nothing).")
    pledged_relocations: int
    pledged_financial_eur: float
    pledged_alternative_eur: float
    pledge_value_eur: float = Field(description="Relocations at the Pool ratio + money + alternative measures.")
    offsets: int
    offsets_towards: str | None
    offsets_counted: int = Field(description="Offsets with a legal basis this cycle (Art 63(1)-(3)), within the cap.")
    offsets_value_eur: float
    offset_basis: str
    mandatory_offsets_up_to: float = Field(description="Applications it must take over on request (Art 63(3), 69).")
    remaining_obligation_eur: float = Field(description="Obligation less counted offsets.")
    shortfall_eur: float = Field(description="Remaining obligation not covered by the pledge (>= 0).")
    surplus_eur: float = Field(description="Pledge above the remaining obligation (voluntary, Recital 31).")
    owes: list[Delivery]
    released_eur: float
    fair_share_fixed: bool = Field(False, description="True when the share was fixed by the user (--fixed-share).")
    answers: StateAnswers | None = None
    notes: list[str]


class OffsetRegime(BaseModel):
    total_pledged_relocations: int
    proposed_relocations: float
    voluntary_available: bool
    voluntary_threshold: float
    mandatory_triggered: bool
    mandatory_absolute_threshold: float
    mandatory_relative_threshold: float
    mandatory_ceiling: float
    mandatory_needed: float
    mandatory_allocated: float
    mandatory_unallocated: float
    in_force: bool
    citations: list[str]
    forum_reconvened: bool = Field(True, description="Art 13(4) High-Level Forum reconvened (precondition of Art 63(3)).")
    ceiling_readings: list[Reading] = Field(default_factory=list, description="Art 63(3) ceiling, both readings.")
    threshold_tests: list[ThresholdTest] = Field(default_factory=list)


class KeyInfo(BaseModel):
    """Which key was used: the shipped data vintage or a user's file, and any shares fixed by hand."""

    data: str = Field(description="'vintage <name>' or the key data file.")
    states: int
    fixed_shares: dict[str, float] = Field(default_factory=dict, description="Percent, as given.")
    others_scaled_by: float = Field(1.0, description="Factor applied to every other state's share from the data.")
    note: str


class DeductionAnswer(BaseModel):
    """A deduction request on a date: who assesses and decides, by when, and whether it is automatic."""

    member_state: str
    requested_on: dt.date
    received_on: dt.date
    basis: str
    admissible: bool
    admissibility_note: str
    submitted_to: str
    informed: list[str]
    assessed_by: str
    assessment_due: dt.date | None
    assessment_period: str
    decided_by: str
    decision_due: str
    automatic: bool
    effect_until_decided: str
    open_points: list[str]
    citations: list[str]


class OffsetRequestAnswer(BaseModel):
    """A request to take over applications on a date: on what basis, by when to reply, how many must be accepted."""

    member_state: str
    requested_by: str
    applications: int
    received_on: dt.date
    basis: str
    procedure: str
    reply_due: dt.date | None
    must_accept_up_to: float = Field(description="Applications it must take over (0 where acceptance is voluntary).")
    may_accept_up_to: float = Field(description="Applications it may take over (the request, within its fair share, Art 63(7)).")
    note: str
    citations: list[str]


class SystemicCheck(BaseModel):
    """A Commission check of systemic shortcomings (Art 60(3)), scheduled or decided, and its effect on the date."""

    member_state: str
    date: dt.date
    kind: str = Field(description="'scheduled' (announced) or 'decision' (input).")
    found: bool | None
    in_effect: bool = Field(description="Whether the finding applies on the cycle's date.")
    source: str


class SarShare(BaseModel):
    """The indicative share of the Pool for states under SAR pressure (Art 12(5), 57(2))."""

    share: float | None
    source: str
    states: list[str]
    applied: bool
    note: str


class Procedure(BaseModel):
    """The cycle's procedure over dates (Arts 13(4), 57-63)."""

    deduction_requests: list[DeductionAnswer] = Field(default_factory=list)
    offset_requests: list[OffsetRequestAnswer] = Field(default_factory=list)
    systemic_checks: list[SystemicCheck] = Field(default_factory=list)
    sar_share: SarShare | None = None
    year_end: str = ""


class Totals(BaseModel):
    fair_share: float
    reference_relocations: float
    reference_eur: float
    deduction_eur: float
    exempted_eur: float
    obligation_eur: float
    pledge_value_eur: float
    offsets_value_eur: float
    delivered_value_eur: float
    released_eur: float
    reconciles: bool


class CycleResult(BaseModel):
    year: int
    on: dt.date
    code_convention: str
    vintage: str
    vintage_label: str
    vintage_is_proxy: bool
    pool: Pool
    participating: list[str]
    not_participating: list[str]
    offsets: OffsetRegime
    interpretation: Interpretation
    states: list[StateResult]
    totals: Totals
    assumptions: list[str]
    citations: dict[str, str]
    key: KeyInfo | None = None
    procedure: Procedure = Field(default_factory=Procedure)
    open_points: list[str] = Field(default_factory=list)

    def state(self, code: str) -> StateResult:
        iso = to_iso(code)
        for s in self.states:
            if s.member_state == iso:
                return s
        raise KeyError(iso)
