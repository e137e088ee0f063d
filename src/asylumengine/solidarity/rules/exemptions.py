"""Exemptions and deductions: AMMR Art 60(3), third subpara; Art 61 and 62.

Which of them applies to a state is decided by the first row of ``OBLIGATION_ORDER`` that
holds (a benefitting state is exempt whatever else is said about it; a full deduction
exempts; a partial one scales the contribution).
"""

from __future__ import annotations

from asylumengine.law.rules import rule
from asylumengine.solidarity.models import StateClassification, Status

TEXT_60 = "ammr-part4-texts#Article 60(3)"


@rule(
    "AMMR Art 60(3), third subpara",
    "A benefitting state, or one granted a full deduction, is not obliged to implement its pledges",
    engine="solidarity",
    reads=("benefitting", "deduction"),
    produces=("exempt",),
    text=TEXT_60,
)
def exempt(c: StateClassification) -> bool:
    return c.benefitting or c.deduction >= 1


@rule(
    "AMMR Art 61(4)",
    "The share of its pledge a state implements: none if exempt, else what the Council's deduction leaves",
    engine="solidarity",
    also=("AMMR Art 62(5)", "AMMR Art 60(3), third subpara"),
    reads=("benefitting", "deduction"),
    produces=("implemented_share",),
    text="ammr-part4-texts#Article 61(4)",
)
def implemented_share(c: StateClassification) -> float:
    return 0 if exempt(c) else 1 - c.deduction


@rule(
    "AMMR Art 62(5)",
    "Obligation = reference EUR less the deduction the Council granted, less the exemption of a benefitting state",
    engine="solidarity",
    also=("AMMR Art 61(4)", "AMMR Art 60(3), third subpara"),
    reads=("reference_eur", "benefitting", "deduction"),
    produces=("deduction_eur", "exempted_eur", "obligation_eur"),
    text="ammr-part4-texts#Article 62(4), (5)",
)
def obligation(c: StateClassification, reference_eur: float) -> tuple[float, float, float]:
    deduction_eur = 0 if c.benefitting else reference_eur * min(c.deduction, 1)
    exempted_eur = reference_eur if c.benefitting else 0
    return deduction_eur, exempted_eur, reference_eur - deduction_eur - exempted_eur


# The basis of a deduction: first row that holds (Art 62 for a significant situation, Art 61 for
# pressure; a state in neither list can still ask as one that "considers itself" so, Art 61(1), 62(1)).
DEDUCTION_BASIS = (
    (Status.SIGNIFICANT_MIGRATORY_SITUATION, "AMMR Art 62"),
    (Status.MIGRATORY_PRESSURE, "AMMR Art 61"),
    (None, "AMMR Art 61(1) or 62(1): state considers itself under pressure / in a significant situation"),
)


@rule(
    "AMMR Art 62(1)",
    "Which article a deduction rests on: Art 62 (significant situation), Art 61 (pressure), or self-assessment",
    engine="solidarity",
    also=("AMMR Art 61(1)",),
    reads=("status",),
    produces=("deduction_basis",),
    text="ammr-part4-texts#Article 62(1)",
)
def deduction_basis(c: StateClassification) -> str:
    return next(basis for status, basis in DEDUCTION_BASIS if status is None or c.has(status))


# The note on a state's obligation: first row that holds.
OBLIGATION_ORDER = (
    (lambda c: c.benefitting, lambda c: "Benefitting state: exempt from implementing its pledges this year (AMMR Art 60(3), third subpara)."),
    (lambda c: c.deduction >= 1, lambda c: "Full deduction: exempt from implementing its pledges this year (AMMR Art 60(3), third subpara)."),
    (lambda c: c.deduction > 0, lambda c: f"Council deducted {c.deduction:.0%} of its contribution ({deduction_basis(c)})."),
)


def obligation_note(c: StateClassification) -> str | None:
    return next((note(c) for applies, note in OBLIGATION_ORDER if applies(c)), None)
