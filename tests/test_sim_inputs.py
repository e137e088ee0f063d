"""Time-varying inputs from the shipped data, one body of facts with the route engine and the law, the Pact in the chain."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from asylumengine.data import chain
from asylumengine.law import law_parameters
from asylumengine.sim import REGISTRY, load_scenario
from asylumengine.sim.model import build_inputs, draw, simulate

SCENARIOS = Path(__file__).parents[1] / "scenarios"


@pytest.fixture(scope="module")
def backcast():
    return load_scenario(SCENARIOS / "backcast-2022-2025.yaml")


def _set(sc, key, value):
    return replace(sc, params={**sc.params, key: replace(sc.params[key], value=value)})


def _central(sc, months=48):
    return simulate(sc, np.arange(1), months, seed=1, central=True)


def _month(year, month):  # index from January 2022
    return (year - 2022) * 12 + month - 1


@pytest.mark.parametrize("key, change, indicator, at, direction", [
    ("ind.decisions_per_month_by_period", {2024: 2500.0}, "backlog", (2024, 12), -1),
    ("reception.housing_task_by_period", {"2024-H1": 25000.0}, "occupancy_status_holders", (2024, 6), -1),
    ("reception.regular_places_by_period", {2024: 40000.0}, "emergency_occupancy", (2024, 12), -1),
    ("reception.emergency_places_by_period", {2024: 10000.0}, "outside_coa_occupancy", (2024, 12), +1),
    ("ind.recognition_syria_by_period", {2024: 0.2}, "occupancy_status_holders", (2024, 12), -1),
])  # fmt: skip
def test_each_time_varying_input_moves_the_output_in_its_direction_in_its_period_only(backcast, key, change, indicator, at, direction):
    base = _central(backcast)
    changed = _central(_set(backcast, key, {**backcast.value(key), **change}))
    t = _month(*at)
    assert direction * (changed[indicator][0, t] - base[indicator][0, t]) > 0, (key, indicator)
    first = min(_month(int(str(p)[:4]), 7 if str(p).endswith("H2") else 1) for p in change)
    np.testing.assert_array_equal(changed[indicator][0, :first], base[indicator][0, :first])  # nothing before the period


def test_period_inputs_are_the_published_figures(backcast):
    assert backcast.value("ind.decisions_per_month_by_period")[2024] == chain.ind_first_decisions_per_month()[2024].value
    assert backcast.value("reception.housing_task_by_period")["2023-H2"] == 17600
    assert backcast.value("reception.regular_places_by_period")[2025] == 34675
    assert backcast.value("inflow.nareis_by_year")[2023] == 10125
    assert "nl_ind_decisions.csv" in backcast.params["ind.decisions_per_month_by_period"].source


def test_the_baseline_takes_the_latest_published_values():
    sc = load_scenario(SCENARIOS / "baseline.yaml")
    assert sc.value("ind.decisions_per_month") == round(chain.ind_first_decisions_per_month()[2025].value, 2)
    assert sc.value("reception.housing_task_per_half_year") == chain.housing_task()["2025-H2"].value
    assert sc.value("reception.regular_places") == chain.coa_places()[2025][0].value
    assert sc.value("ind.initial_backlog") == chain.ind_backlog()["2026-01"].value
    assert sc.value("reception.initial_status_holders") == chain.coa_status_holders()["2025-02"].value


def test_shipped_data_are_copies_of_the_shared_files():
    # ../shared beside the checkout (CI), or beside the folder of a git worktree
    shared = next((p / "shared" / "data" for p in Path(__file__).parents[2:4] if (p / "shared" / "data").is_dir()), None)
    if shared is None:
        pytest.skip("shared/data not beside this checkout")
    files = Path(__file__).parents[1] / "src" / "asylumengine" / "data" / "files"
    for name in ("nl_ind_decisions.csv", "nl_ind_backlog.csv", "nl_coa_occupancy.csv", "nl_housing.csv", "dublin.csv", "returns.csv",
                 "nl_costs.csv", "nl_reception.csv", "nl_asylum.csv", "recognition_rates.csv"):  # fmt: skip
        assert (files / name).read_bytes() == (shared / name).read_bytes(), name


# --- one body of facts -------------------------------------------------------------------------------
def test_route_engine_and_simulation_read_one_recognition_table():
    from asylumengine.data.recognition import dated_rates, union_rates
    from asylumengine.sim.inputs import GROUP_NATIONALITIES, union_group_rate
    from asylumengine.sim.legal import GROUP_NATIONALITIES as ROUTE_GROUPS

    assert GROUP_NATIONALITIES == ROUTE_GROUPS  # the same nationality groups on both sides
    route = union_rates()["SY"]  # what the route engine applies (APR Art 42(1)(j): latest yearly figure)
    latest_yearly = max((r for r in dated_rates("SY") if r.ref_date.isdigit()), key=lambda r: r.year)
    assert (route.percent, route.year) == (latest_yearly.percent, latest_yearly.year)
    assert union_group_rate("syria", route.year)[0] == pytest.approx(route.percent / 100)  # the same figure in the same year
    # the simulation's later years take the later (half-year) figure of the same table: 17% in 2025-H1
    assert union_group_rate("syria", 2025)[0] == pytest.approx(next(r.percent for r in dated_rates("SY") if r.ref_date == "2025-H1") / 100)


def test_durations_come_from_law_params_not_from_scenarios():
    from asylumengine.sim.legal_facts import months, transfer_limit_months

    assert not [k for k in REGISTRY if "border_months" in k or "appeal_period" in k]  # nothing to retype in a scenario
    law = law_parameters()
    sc = load_scenario(SCENARIOS / "baseline.yaml")
    inp = build_inputs(sc, draw(sc, np.arange(1), 12, 1), 1, 12)
    before, after = inp.sched["border_months"][4], inp.sched["border_months"][6]  # May and July 2026
    assert before == pytest.approx(months(law.value("procedure.apd_examination", dt.date(2026, 5, 15))["border_total"]))
    assert after == pytest.approx(months(law.value("procedure.apr_examination", dt.date(2026, 7, 15))["border_total"]))
    assert after == pytest.approx(12 * 7 / (365.25 / 12))  # APR Art 51(2): 12 weeks
    assert sc.value("dublin.months_to_transfer") <= transfer_limit_months(dt.date(2026, 7, 1))  # the mean within the AMMR Art 46(1) limit


# --- the Pact in the chain ------------------------------------------------------------------------------
def test_the_law_switches_on_12_june_2026_within_a_run():
    sc = load_scenario(SCENARIOS / "baseline.yaml")
    r = simulate(sc, np.arange(1), 12, seed=1, trace=True, central=True)
    border_stock = r["_stock_B"][0].sum(axis=1)
    # the border procedure lasts 4 weeks before and 12 weeks after: the stock in it roughly triples
    assert border_stock[8] > 2 * border_stock[3]


def test_legal_paths_follow_the_regime_of_each_month():
    sc = load_scenario(SCENARIOS / "legal-paths-from-routes.yaml")
    inp = build_inputs(sc, draw(sc, np.arange(1), 12, 1), 1, 12)
    blocked = inp.sched["blocked"][:, 0]
    # a cohort routed under Dublin III (Greece blocked) until June, under the AMMR and the Pact's transfer table after
    assert (blocked[:5] == blocked[0]).all() and (blocked[5:] == blocked[11]).all()
    assert blocked[11] < blocked[0]


def test_border_capacity_overflows_to_the_regular_procedure():
    sc = load_scenario(SCENARIOS / "baseline.yaml")
    capped = _set(sc, "ind.border_capacity", 100)
    r, free = simulate(capped, np.arange(1), 24, seed=1, trace=True, central=True), _central(sc, 24)
    assert r["_stock_B"][0].sum(axis=1).max() <= 100 + 1e-6
    assert r["border_overflow"][0].sum() > 0 == free["border_overflow"][0].sum()


def test_offsets_come_from_the_solidarity_engine_and_keep_applicants_here():
    from asylumengine.solidarity import compute_cycle

    sc = load_scenario(SCENARIOS / "baseline.yaml")
    nl = compute_cycle(2026).state("NL")
    assert sc.value("dublin.offsets_per_year") == round(nl.offsets_counted)
    assert sc.value("costs.solidarity_per_year") == round(nl.obligation_eur)
    offsets = load_scenario(SCENARIOS / "solidarity-offsets.yaml")
    assert offsets.value("dublin.offsets_per_year") == round(nl.mandatory_offsets_up_to)
    a, b = _central(sc, 24), _central(offsets, 24)
    np.testing.assert_array_equal(a["transfers"][0, :5], b["transfers"][0, :5])  # no offsets before 12 June 2026
    assert b["transfers"][0, 12:].sum() < a["transfers"][0, 12:].sum() and b["backlog"][0, -1] > a["backlog"][0, -1]


def test_the_stored_calibration_is_what_the_fit_finds():
    """sim/calibration.yaml is reproducible: refitting on 2022-2023 gives the stored values."""
    from asylumengine.sim.backcast import fit
    from asylumengine.sim.inputs import calibration

    stored, again = calibration(), fit()
    assert again["fit_window"] == stored["fit_window"] == "2022-2023" and again["command"] == stored["command"]
    for key, value in stored["parameters"].items():
        assert again["parameters"][key] == pytest.approx(value, rel=1e-3, abs=1e-3), key


def test_backcast_json_reports_every_series_for_both_windows():
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "asylumengine.sim.backcast", "--format", "json", "--replications", "20"],
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    from asylumengine.sim.backcast import SERIES

    assert [r["series"] for r in report["scores"]] == list(SERIES)
    for r in report["scores"]:
        assert r["fit"]["points"] + r["validation"]["points"] > 0
    for p in report["points"]:
        assert p["error"] == pytest.approx((p["model_median"] - p["observed"]) / p["observed"])
        assert ".csv" in p["source"]
