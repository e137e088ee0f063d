"""One annual solidarity cycle, end to end (AMMR Part IV), composed from the rules in
``solidarity/rules``.

The order of the steps is the table ``PIPELINE``: key (Art 66) -> pool and reference
numbers (Art 12, 57) -> classification, exemptions and deductions (Art 11, 60(3), 61, 62)
-> pledges (Art 56, 57(4), 65) -> offsets (Art 63, 69) -> deliveries and systemic
shortcomings (Art 60(2)-(3)) -> answers and the procedure over dates (Arts 13(4), 61-63).
Every number of law is read from the dated parameters; every choice the Regulation
leaves open is an ``Interpretation`` field or an open point in the result; every
assumption for a missing input is listed in ``assumptions``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from asylumengine.law import ParameterSet, law_parameters
from asylumengine.solidarity.context import Law
from asylumengine.solidarity.errors import SolidarityError
from asylumengine.solidarity.models import (
    CycleResult,
    DeductionRequest,
    Interpretation,
    KeyRow,
    OffsetRequest,
    Pledge,
    StateClassification,
    SystemicFinding,
)
from asylumengine.solidarity.run import Run
from asylumengine.solidarity.steps import PIPELINE

__all__ = ["SolidarityError", "compute_cycle", "default_date", "default_classifications"]


def default_date(year: int, params: ParameterSet | None = None) -> dt.date:
    """The date on which a cycle's law is read: 1 January of the cycle year, or the date
    Part IV applies (12 June 2026) if that is later."""
    params = params or law_parameters()
    applies = dt.date.fromisoformat(str(params.value("solidarity.part_iv_application_date", dt.date(year, 1, 1))))
    return max(dt.date(year, 1, 1), applies)


def default_classifications(params: ParameterSet, year: int) -> dict[str, StateClassification]:
    """The Commission's Art 11 decision for the cycle, as shipped (dated by cycle year)."""
    from asylumengine.solidarity.rules.classification import decided_classifications

    return decided_classifications(Law(params, dt.date(year, 1, 1)), year)


def compute_cycle(
    year: int = 2026,
    *,
    on: dt.date | None = None,
    pool_relocations: float | None = None,
    pool_eur: float | None = None,
    proposed_relocations: float | None = None,
    pledges: Iterable[Pledge] | None = None,
    classifications: Iterable[StateClassification] | None = None,
    vintage: str | None = None,
    interpretation: Interpretation | None = None,
    params: ParameterSet | None = None,
    key_data: Iterable[KeyRow] | None = None,
    fixed_shares: Mapping[str, float] | None = None,
    deduction_requests: Iterable[DeductionRequest] | None = None,
    systemic_findings: Iterable[SystemicFinding] | None = None,
    sar_share: float | None = None,
    key_source: str | None = None,
    offset_requests: Iterable[OffsetRequest] | None = None,
) -> CycleResult:
    """Compute one cycle. With no arguments: the 2026 cycle with the shipped defaults.

    ``key_data``: run the key on these states and figures instead of the shipped vintage;
    ``fixed_shares``: percent per state (e.g. ``{"NL": 5.2}``), the others from the data scaled;
    ``deduction_requests``, ``systemic_findings``, ``offset_requests``: dated events of the cycle's procedure;
    ``sar_share``: the Council act's indicative share of the Pool for SAR states (fraction).
    """
    params = params or law_parameters()
    run = Run(
        law=Law(params, on or default_date(year, params)),
        year=year,
        interpretation=interpretation or Interpretation(),
        inputs=dict(
            pool_relocations=pool_relocations, pool_eur=pool_eur, proposed_relocations=proposed_relocations,
            pledges=None if pledges is None else list(pledges), classifications=classifications, vintage=vintage,
            key_data=None if key_data is None else list(key_data), fixed_shares=dict(fixed_shares or {}),
            deduction_requests=list(deduction_requests or []), systemic_findings=list(systemic_findings or []),
            sar_share=sar_share, key_source=key_source, offset_requests=list(offset_requests or []),
        ),
    )  # fmt: skip
    for _name, step in PIPELINE:
        step(run)
    return run.result()

