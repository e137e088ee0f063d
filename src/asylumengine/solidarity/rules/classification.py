"""The Commission's Art 11 decision for the cycle, and which states use the Pool (Art 58(1), 59(4))."""

from __future__ import annotations

import datetime as dt

from asylumengine.data import member_states as ms_codes
from asylumengine.law.rules import rule
from asylumengine.solidarity.context import Law
from asylumengine.solidarity.errors import SolidarityError
from asylumengine.solidarity.models import StateClassification, Status

LISTED = (Status.MIGRATORY_PRESSURE, Status.RISK_OF_MIGRATORY_PRESSURE, Status.SIGNIFICANT_MIGRATORY_SITUATION)


@rule(
    "AMMR Art 11",
    "The shipped Art 11 decision of the cycle year; states under migratory pressure are taken to use the Pool",
    engine="solidarity",
    also=("AMMR Art 58(1)",),
    params=("solidarity.classification",),
    produces=("status", "benefitting", "systemic_shortcomings"),
    text="ammr-part4-texts#Article 58(1), (3)",
)
def decided_classifications(law: Law, year: int) -> dict[str, StateClassification]:
    decision = law.params.at("solidarity.classification", dt.date(year, 1, 1))
    law.citations["solidarity.classification"] = decision.citation
    statuses: dict[str, list[Status]] = {}
    for status in LISTED:
        for code in decision.value.get(status.value, []):
            statuses.setdefault(ms_codes.to_iso(code), []).append(status)
    shortcomings = {ms_codes.to_iso(c) for c in decision.value.get("systemic_shortcomings", [])}
    return {
        iso: StateClassification(
            member_state=iso,
            status=tuple(st),
            benefitting=Status.MIGRATORY_PRESSURE in st,  # assumption (listed in the result): Art 58(1) notification
            systemic_shortcomings=iso in shortcomings,
            source=decision.citation,
        )
        for iso, st in statuses.items()
    }


@rule(
    "AMMR Art 61(1)",
    "A classification must be for a bound state; a state that uses the Pool gets no deduction",
    engine="solidarity",
    also=("AMMR Art 60(3)",),
    reads=("classification",),
    text="ammr-part4-texts#Article 61(1), (3)",
)
def check_classification(ms: str, c: StateClassification, participating: list[str]) -> None:
    if ms not in participating:
        raise SolidarityError(f"classification for {ms}: not bound by AMMR Part IV (Recitals 90-94)")
    if c.deduction > 0 and c.benefitting:
        raise SolidarityError(
            f"classification for {ms}: deduction {c.deduction} for a state that uses the Pool; a benefitting state is "
            "exempt from its pledges instead (AMMR Art 60(3)), and Art 61(1) deductions are for states that have "
            "not used the Pool"
        )
    if c.sar_pressure and not c.benefitting:
        raise SolidarityError(f"classification for {ms}: sar_pressure is only meaningful for a benefitting state (Art 12(5), 57(2))")
    if c.need_share is not None and not c.benefitting:
        raise SolidarityError(f"classification for {ms}: need_share is only meaningful for a benefitting state")
