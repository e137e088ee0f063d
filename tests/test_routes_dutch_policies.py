"""Dated Dutch policies the route engine reads per case date: the young-adults Art 8 ECHR policy
(Vreemdelingencirculaire 2000, dropped from 1 June 2026) and the suspension of the Dutch national
list of safe countries of origin (Kamerstuk 19637 nr. 3475, since 23 September 2025)."""

from __future__ import annotations

import datetime as dt

import pytest

from asylumengine.routes import Case
from asylumengine.routes.engine import evaluate_cases


def _case(state: str = "NL") -> Case:
    return Case.model_validate({"applicant": {"date_of_birth": "1995-03-01", "nationality": "MA"},
                                "application": {"member_state": state, "made_on": "2025-03-03", "registered_on": "2025-03-04"}})  # fmt: skip


@pytest.mark.parametrize("on, applies", [(dt.date(2026, 5, 31), True), (dt.date(2026, 6, 1), False)])
def test_young_adult_policy_until_31_may_2026(on, applies):
    """Vreemdelingencirculaire 2000 (young adults): in force to 31 May 2026, not from 1 June 2026."""
    _, r = evaluate_cases([_case()], on=on)
    assert bool(r["young_adult_policy"][0]) is applies


@pytest.mark.parametrize("on, state, suspended", [(dt.date(2025, 9, 22), "NL", False), (dt.date(2025, 9, 23), "NL", True),
                                                  (dt.date(2025, 9, 23), "BE", False)])  # fmt: skip
def test_dutch_safe_country_list_suspended_from_23_september_2025(on, state, suspended):
    """Kamerstuk 19637 nr. 3475: the day before, the day of, and another examining state."""
    _, r = evaluate_cases([_case(state)], on=on)
    assert bool(r["nl_sco_list_suspended"][0]) is suspended
