"""Properties of the what-if key and the dated procedure (hypothesis, derandomised in CI)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asylumengine.solidarity import SystemicFinding, compute_cycle
from test_solidarity_properties import participating

BASE = {s.member_state: s.fair_share for s in compute_cycle(2026).states}


@st.composite
def fixed_sets(draw):
    states = draw(st.lists(st.sampled_from(participating()), min_size=1, max_size=5, unique=True))
    shares = [draw(st.floats(0, 100 / len(states))) for _ in states]
    return dict(zip(states, shares))


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fixed_sets())
def test_fixed_shares_are_kept_and_the_others_keep_their_proportions(fixed):
    result = compute_cycle(2026, fixed_shares=fixed)
    assert result.totals.fair_share == pytest.approx(100)
    assert result.totals.reconciles
    factor = result.key.others_scaled_by
    for s in result.states:
        if s.member_state in fixed:
            assert s.fair_share == pytest.approx(fixed[s.member_state]) and s.fair_share_fixed
        else:
            assert s.fair_share == pytest.approx(BASE[s.member_state] * factor)


@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dates(dt.date(2026, 6, 12), dt.date(2026, 12, 31)), st.dates(dt.date(2026, 6, 12), dt.date(2026, 12, 31)))
def test_a_finding_applies_exactly_from_its_date(decided, on):
    result = compute_cycle(2026, on=on, systemic_findings=[SystemicFinding(member_state="IT", decided_on=decided)])
    assert result.state("IT").systemic_shortcomings is (decided <= on)
    assert (result.state("NL").released_eur > 0) is (decided <= on)
    assert result.totals.reconciles
