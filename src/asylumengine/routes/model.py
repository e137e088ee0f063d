"""A route: the ordered steps of a case under the law in force, and the direct answers."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class Text(BaseModel):
    en: str
    nl: str


class Step(BaseModel):
    code: str = Field(description="Step kind: screening, registration, responsibility, take_charge_request, ...")
    title: Text
    start: dt.date | None = None
    deadline: dt.date | None = Field(None, description="Computed expiry date of the step's time limit.")
    deadline_latest: dt.date | None = Field(None, description="Upper end where the law gives a range or an extension.")
    outcome: str | None = Field(None, description="The outcome, when determined (in the route's language).")
    branches: list[str] = Field(default_factory=list, description="Outcomes still open (in the route's language).")
    citations: list[str] = Field(min_length=1, description="Legal basis, e.g. 'AMMR Art 39(1)' (instrument words in the route's language).")
    explanation: Text
    open_points: list[str] = Field(default_factory=list, description="Where the law is open or ambiguous, said plainly (in the route's language).")


class Ground(BaseModel):
    code: str = Field("", description="Stable id of the ground, e.g. 'safe_third_country'.")
    ground: str = Field(description="The ground in words, in the route's language.")
    citation: str
    available: bool
    mandatory: bool
    link: str | None = Field(None, description="Safe third country: the link used - connection, transit or agreement (APR Art 59(5)(b)(i)-(iii)).")
    link_label: str | None = Field(None, description="That link in words, in the route's language.")


class ProcedureAnswer(BaseModel):
    applies: bool
    mandatory: bool
    may_apply: bool = Field(False, description="The text says 'may': the procedure can be applied, it is not required (APR Art 42(3) for unaccompanied minors).")
    grounds: list[str] = Field(default_factory=list)
    citations: list[str] = Field(default_factory=list)
    note: str | None = None


class ScreeningAnswer(BaseModel):
    required: bool = Field(description="Whether the person is to be screened (Screening Regulation Arts 5, 7).")
    where: str = Field(description="external_border, territory or none.")
    ground: str = Field(description="Code of the point that decides (e.g. apprehended_at_external_border, already_screened).")
    citation: str = Field(description="That point, e.g. 'Screening Regulation (EU) 2024/1356 Art 7(1)'.")
    deadline: dt.date | None = Field(None, description="Last day of the screening (SR Art 8(3)-(4)).")
    referral: str = Field(description="What follows (SR Art 18): registration, return_procedure, return_procedure_continues, or none.")


class Route(BaseModel):
    case_id: str
    computed_on: dt.date
    language: str = Field("en", description="Language of the one-language texts (outcomes, branches, open points, grounds, notes); "
                          "step titles and explanations carry both.")
    regime: dict[str, str] = Field(description="responsibility, procedure and return regimes that govern the case.")
    responsible_state: str = Field(description="ISO alpha-2 code of the Member State responsible under the criteria.")
    responsibility_criterion: str
    responsibility_citation: str
    examining_state: str = Field(description="State that examines the application in the end (after a failed transfer, etc.).")
    request: str = Field(description="none, take_charge or take_back")
    request_deadline: dt.date | None
    reply_deadline: dt.date | None
    transfer_deadline: dt.date | None
    screening_deadline: dt.date | None
    application_made: bool = Field(True, description="False for a person who has not applied: only the screening and what follows.")
    screening: ScreeningAnswer | None = Field(None, description="Whether screening is required, where, on which point, and what follows.")
    border_procedure: ProcedureAnswer
    accelerated_procedure: ProcedureAnswer
    admissibility_grounds: list[Ground]
    steps: list[Step]
    terminal_states: list[str] = Field(min_length=1, description="Where the case can end (one if determined).")
    terminal_labels: list[str] = Field(default_factory=list, description="terminal_states in words, in the route's language.")
    legal_basis_codes: dict[str, int] = Field(description="Codes as in the population output.")
