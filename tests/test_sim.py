"""The simulated chain: conservation, capacities, determinism, scenario directions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from asylumengine.sim import load_scenario, run, simulate
from asylumengine.sim.model import STOCKS

SCENARIOS = Path(__file__).parents[1] / "scenarios"
ALL = sorted(SCENARIOS.glob("*.yaml"))


@pytest.mark.parametrize("path", ALL, ids=[p.stem for p in ALL])
def test_every_shipped_scenario_conserves_people_and_respects_capacities(path):
    sc = load_scenario(path)
    r = simulate(sc, np.arange(30), 120, seed=3, trace=True)
    inflow = r["inflow_total"].sum(axis=1)
    # no person created or lost: inflow = stocks + outflows, at every step (ledger ~ 0)
    assert np.abs(r["_ledger"]).max() <= 1e-6 * max(1.0, inflow.max())
    for k in STOCKS:
        assert r[f"_stock_{k}"].min() >= -1e-9, k
    tol = 1e-6
    assert (r["decisions"] <= r["_capacity_ind"] + tol).all()
    assert (r["housed"] <= r["_capacity_housing"] + tol).all()
    assert (r["appeals_decided"] <= r["_capacity_courts"] + tol).all()
    assert (r["detention_occupancy"] <= r["_capacity_detention"] + tol).all()
    assert (r["emergency_occupancy"] >= -tol).all()


@settings(max_examples=examples(25), deadline=None)
@given(
    level=st.floats(0, 200_000), decisions=st.floats(0, 10_000), housing=st.floats(0, 10_000),
    dep=st.floats(0, 1), share=st.floats(0, 1), seed=st.integers(0, 2**31),
)  # fmt: skip
def test_conservation_holds_for_any_parameters(level, decisions, housing, dep, share, seed):
    from dataclasses import replace

    sc = load_scenario(SCENARIOS / "return-hub.yaml")
    changes = {"inflow.first_applications_per_year": level, "ind.decisions_per_month": decisions,
               "reception.housing_task_per_half_year": housing * 6, "return.departure_per_month": dep, "hub.share": share}  # fmt: skip
    params = {**sc.params, **{k: replace(sc.params[k], value=v) for k, v in changes.items()}}
    r = simulate(replace(sc, params=params), np.arange(5), 36, seed=seed, trace=True)
    scale = max(1.0, r["inflow_total"].sum(axis=1).max() + 200_000)
    assert np.abs(r["_ledger"]).max() <= 1e-6 * scale
    assert (r["decisions"] <= r["_capacity_ind"] + 1e-6).all()
    assert (r["housed"] <= r["_capacity_housing"] + 1e-6).all()


def test_same_seed_same_result_and_different_seed_differs():
    sc = load_scenario(SCENARIOS / "baseline.yaml")
    a = run(sc, years=3, replications=40, seed=11, scheduler="synchronous")
    b = run(sc, years=3, replications=40, seed=11, scheduler="synchronous")
    c = run(sc, years=3, replications=40, seed=12, scheduler="synchronous")
    for k in a.indicators:
        np.testing.assert_array_equal(a.indicators[k], b.indicators[k])
    assert not np.array_equal(a.indicators["occupancy"], c.indicators["occupancy"])


def test_result_does_not_depend_on_how_the_work_is_split():
    sc = load_scenario(SCENARIOS / "baseline.yaml")
    one = run(sc, years=2, replications=30, seed=5, scheduler="synchronous", chunk=30)
    pieces = run(sc, years=2, replications=30, seed=5, scheduler="synchronous", chunk=7)
    for k in one.indicators:
        np.testing.assert_array_equal(one.indicators[k], pieces.indicators[k], err_msg=k)


def test_identical_across_dask_worker_counts():
    sc = load_scenario(SCENARIOS / "baseline.yaml")
    w1 = run(sc, years=2, replications=60, seed=9, workers=1, chunk=20)
    w2 = run(sc, years=2, replications=60, seed=9, workers=2, chunk=20)
    for k in w1.indicators:
        np.testing.assert_array_equal(w1.indicators[k], w2.indicators[k], err_msg=k)


def _median(path: str, indicator: str, year: int = -1, reps: int = 200) -> float:
    r = run(load_scenario(SCENARIOS / path), years=10, replications=reps, seed=2, scheduler="synchronous")
    return float(np.median(r.yearly(indicator)[:, year]))


def test_resuming_dublin_transfers_raises_transfers_and_lowers_occupancy():
    assert _median("dublin-resumed.yaml", "transfers", 0) > _median("baseline.yaml", "transfers", 0)
    assert _median("dublin-resumed.yaml", "occupancy") < _median("baseline.yaml", "occupancy")
    assert _median("dublin-blocked.yaml", "transfers", 0) < _median("baseline.yaml", "transfers", 0)


def test_safe_third_country_partnership_lowers_occupancy_and_costs_money():
    assert _median("safe-third-country-partnership.yaml", "occupancy") < _median("baseline.yaml", "occupancy")
    assert _median("safe-third-country-partnership.yaml", "cost_stc", 0) > 0 == _median("baseline.yaml", "cost_stc", 0)


def test_safeguards_gate_stops_an_arrangement_from_counting():
    base = run(load_scenario(SCENARIOS / "baseline.yaml"), years=3, replications=50, seed=4, scheduler="synchronous")
    unmet = run(load_scenario(SCENARIOS / "return-hub-safeguards-unmet.yaml"), years=3, replications=50, seed=4, scheduler="synchronous")
    met = run(load_scenario(SCENARIOS / "return-hub.yaml"), years=3, replications=50, seed=4, scheduler="synchronous")
    np.testing.assert_array_equal(unmet.indicators["occupancy"], base.indicators["occupancy"])
    assert unmet.warnings and "legal_aid" in unmet.warnings[0] and not met.warnings
    assert np.median(met.indicators["end_hub"]) > 0 == np.median(unmet.indicators["end_hub"])
    assert np.median(met.indicators["end_still_in_chain"]) < np.median(base.indicators["end_still_in_chain"])


def test_a_signed_arrangement_that_fails_the_gate_still_costs_its_fixed_and_monitoring_costs():
    unmet = run(load_scenario(SCENARIOS / "return-hub-safeguards-unmet.yaml"), years=2, replications=10, seed=4, scheduler="synchronous")
    sc = unmet.scenario
    fixed, monitoring = sc.value("hub.fixed_cost_per_year"), sc.value("costs.monitoring_per_year")
    assert fixed > 0 and monitoring > 0
    from asylumengine.sim.model import build_inputs, draw

    drawn = build_inputs(sc, draw(sc, np.arange(10), 24, 4), 10, 24).v  # each replication's drawn costs
    np.testing.assert_allclose(unmet.yearly("cost_hub"), np.repeat(drawn["hub.fixed_cost_per_year"][:, None], 2, axis=1))  # only the fixed cost
    np.testing.assert_allclose(unmet.yearly("cost_monitoring"), monitoring)
    assert (unmet.indicators["end_hub"] == 0).all()
    base = run(load_scenario(SCENARIOS / "baseline.yaml"), years=2, replications=10, seed=4, scheduler="synchronous")
    assert (base.yearly("cost_hub") == 0).all() and (base.yearly("cost_monitoring") == 0).all()


def test_single_status_means_more_family_reunification_than_two_statuses():
    assert _median("single-status.yaml", "inflow_total", 3) > _median("two-status.yaml", "inflow_total", 3)
    assert _median("single-status.yaml", "occupancy_status_holders", 3) > _median("two-status.yaml", "occupancy_status_holders", 3)


def test_solidarity_by_relocation_raises_occupancy_and_removes_the_payment():
    assert _median("solidarity-relocation.yaml", "occupancy") > _median("solidarity-money.yaml", "occupancy")
    assert _median("solidarity-relocation.yaml", "cost_solidarity", 0) == 0 < _median("solidarity-money.yaml", "cost_solidarity", 0)


def test_legal_paths_come_from_the_route_engine_and_follow_the_law():
    """A scenario can take its legal shares from the route engine: under the law of 2026 (APR,
    Greece reopened) a cohort's untransferable share differs from 2023's (Greece blocked)."""
    import datetime as dt

    from asylumengine.sim.legal import cohort_paths

    y2023, y2026 = cohort_paths(dt.date(2023, 1, 1), 5_000), cohort_paths(dt.date(2026, 7, 1), 5_000)
    assert y2023.border_share == (0.0, 0.0, 0.0, 0.0)  # no mandatory border procedure before the APR
    assert y2026.border_share[3] > 0  # the low-recognition group under the APR
    assert 0 < y2026.blocked_share_of_claims < 1 and 0 < y2023.blocked_share_of_claims < 1
    on = run(load_scenario(SCENARIOS / "legal-paths-from-routes.yaml"), years=2, replications=20, seed=1, scheduler="synchronous")
    off = run(load_scenario(SCENARIOS / "baseline.yaml"), years=2, replications=20, seed=1, scheduler="synchronous")
    assert not np.array_equal(on.indicators["transfers"], off.indicators["transfers"])


def test_the_solidarity_contribution_is_the_solidarity_modules_answer():
    from asylumengine.solidarity import compute_cycle

    sc = load_scenario(SCENARIOS / "baseline.yaml")
    assert sc.value("costs.solidarity_per_year") == round(compute_cycle(2026).state("NL").obligation_eur)
    relocation = load_scenario(SCENARIOS / "solidarity-relocation.yaml")
    assert relocation.value("inflow.relocations_in_per_year") == round(compute_cycle(2026).state("NL").reference_relocations)


def test_family_members_arrive_exactly_the_delay_after_the_grant():
    """Grants in month t bring their family in month t + delay (found by the SimPy reference)."""
    from dataclasses import replace

    sc = load_scenario(SCENARIOS / "baseline.yaml")
    zero = {k: replace(sc.params[k], value=0, sd=0.0) for k in (
        "inflow.first_applications_per_year", "ind.initial_backlog", "courts.initial_backlog", "return.initial_stock",
        "reception.initial_status_holders", "inflow.resettlement_per_year", "dublin.warm_start", "inflow.transfers_in_per_year", "inflow.nareis_pipeline_per_month", "inflow.nareis_pending", "return.other_referrals_per_year")}
    params = {**sc.params, **zero,
              "ind.initial_backlog": replace(sc.params["ind.initial_backlog"], value=1000, sd=0.0),
              "inflow.nareis_per_grant": replace(sc.params["inflow.nareis_per_grant"], value=1.0, sd=0.0)}  # fmt: skip
    r = simulate(replace(sc, params=params), np.arange(1), 30, seed=1)
    granted_month0 = r["grants"][0, 0]
    nareis = r["inflow_total"][0] - r["arrivals"][0]
    assert granted_month0 > 0
    assert nareis[:12].sum() == 0 and nareis[12] > 0


def _first_year_transfers(warm: bool, start: str = "2024-01", applications: float = 32400) -> float:
    from dataclasses import replace

    sc = load_scenario(SCENARIOS / "baseline.yaml")
    params = {**sc.params, "dublin.warm_start": replace(sc.params["dublin.warm_start"], value=warm),
              "inflow.first_applications_by_year": replace(sc.params["inflow.first_applications_by_year"], value={2024: applications, 2025: applications})}  # fmt: skip
    sc = replace(sc, params=params, start=__import__("datetime").date.fromisoformat(start + "-01"))
    r = run(sc, years=2, replications=100, seed=3, scheduler="synchronous")
    return float(np.median(r.yearly("transfers")[:, 0])), float(np.median(r.yearly("transfers")[:, 1]))


def test_warm_start_gives_first_year_dublin_transfers_near_the_latest_observed_year():
    """Started in January 2024 with 2024's applications, the warm pipeline transfers within 20% of
    the 2 245 transfers of 2024 (dublin.csv) in the first year; an empty pipeline falls short."""
    from asylumengine.data.chain import dublin_transfers_out

    observed = dublin_transfers_out()[2024].value
    warm, warm_next = _first_year_transfers(True)
    cold, _ = _first_year_transfers(False)
    assert abs(warm - observed) <= 0.2 * observed
    assert cold < 0.8 * observed  # the ramp-up artefact the warm start removes
    assert abs(warm - warm_next) <= 0.1 * warm_next  # no ramp-up: the first year is like the second (seasonality aside)


def test_the_baseline_starts_from_the_latest_published_stocks():
    """First simulated month and the first year's average within 10% of the latest counts: COA residents,
    status holders, IND backlog."""
    from asylumengine.data import chain

    r = run(load_scenario(SCENARIOS / "baseline.yaml"), years=1, replications=50, seed=1, scheduler="synchronous")
    latest = {"occupancy": chain.coa_total()["2024-12"].value, "occupancy_status_holders": chain.coa_status_holders()["2025-02"].value,
              "backlog": chain.ind_backlog()["2026-01"].value}  # fmt: skip
    for name, observed in latest.items():
        first, year = float(np.median(r.indicators[name][:, 0])), float(np.median(r.indicators[name].mean(axis=1)))
        assert abs(first - observed) <= 0.1 * observed, (name, first, observed)
        assert abs(year - observed) <= 0.1 * observed, (name, year, observed)
