"""Properties that must hold for any valid pledges and classifications (hypothesis)."""

from __future__ import annotations

from functools import lru_cache

import pytest
from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asylumengine.law import law_parameters
from asylumengine.solidarity import Interpretation, Pledge, StateClassification, Status, compute_cycle


@lru_cache(maxsize=1)
def participating() -> list[str]:
    return sorted(law_parameters().value("solidarity.participating_member_states", __import__("datetime").date(2026, 6, 12)))


states = st.sampled_from(participating())


@st.composite
def scenarios(draw):
    benefitting = draw(st.lists(states, min_size=1, max_size=4, unique=True))
    classes = []
    for ms in benefitting:
        classes.append(
            StateClassification(
                member_state=ms,
                status=(Status.MIGRATORY_PRESSURE,),
                benefitting=True,
                systemic_shortcomings=draw(st.booleans()),
                need_share=draw(st.none() | st.floats(0.1, 10)),
            )
        )
    for ms in draw(st.lists(states.filter(lambda s: s not in benefitting), max_size=4, unique=True)):
        classes.append(
            StateClassification(
                member_state=ms, status=(Status.SIGNIFICANT_MIGRATORY_SITUATION,), deduction=draw(st.floats(0, 1))
            )
        )
    pledges = []
    for ms in draw(st.lists(states, max_size=8, unique=True)):
        offsets = draw(st.integers(0, 300))
        pledges.append(
            Pledge(
                member_state=ms,
                relocations=draw(st.integers(0, 5000)),
                financial_eur=draw(st.floats(0, 1e8)),
                alternative_eur=draw(st.floats(0, 1e7)),
                offsets=offsets,
                offsets_towards=draw(st.sampled_from(benefitting)) if offsets else None,
            )
        )
    pool = draw(st.integers(1000, 120000))
    interp = Interpretation(
        systemic_shortcomings_effect=draw(st.sampled_from(["release", "redistribute"])),
        mandatory_offset_ceiling_counts=draw(st.sampled_from(["relocations_and_offsets", "offsets_only"])),
    )
    return dict(pool_relocations=pool, pledges=pledges, classifications=classes, interpretation=interp)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_totals_always_reconcile_to_the_pool(scenario):
    result = compute_cycle(2026, **scenario)
    assert result.totals.reconciles
    assert result.totals.reference_eur == pytest.approx(result.pool.financial_eur)
    assert result.totals.fair_share == pytest.approx(100)
    for s in result.states:
        assert 0 <= s.obligation_eur <= s.reference_eur + 1e-6
        assert s.shortfall_eur >= 0 and s.surplus_eur >= 0
        assert all(d.value_eur >= 0 for d in s.owes)
        # Art 63(7): nobody is asked to take over more than its fair share
        assert s.mandatory_offsets_up_to <= s.reference_relocations + 1e-6
        if s.exempt:
            assert s.obligation_eur == 0 and not s.owes
    o = result.offsets
    assert o.mandatory_allocated + o.mandatory_unallocated == pytest.approx(o.mandatory_needed)


@settings(max_examples=examples(20), deadline=None)
@given(scenarios())
def test_same_inputs_same_result(scenario):
    assert compute_cycle(2026, **scenario) == compute_cycle(2026, **scenario)
