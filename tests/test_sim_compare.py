"""Scenario over baseline, honest uncertainty and the safeguards gate."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from asylumengine.sim import load_scenario, run
from asylumengine.sim.compare import against_first, paired
from asylumengine.sim.model import INDICATORS, build_inputs, draw
from asylumengine.sim.scenario import DRAWABLE, ScenarioError

SCENARIOS = Path(__file__).parents[1] / "scenarios"
SHIPPED = sorted(p for p in SCENARIOS.glob("*.yaml") if p.stem != "baseline")


def _run(path, years=2, reps=20):
    return run(load_scenario(path), years=years, replications=reps, seed=7, scheduler="synchronous")


def test_a_scenario_compared_with_itself_gives_exactly_zero():
    a, b = _run(SCENARIOS / "return-hub.yaml"), _run(SCENARIOS / "return-hub.yaml")
    d = paired(a, b)
    assert d["identical_to_baseline"]
    for k in INDICATORS:
        assert d["per_year"][k]["median"] == [0.0, 0.0] and d["per_year"][k]["p05"] == [0.0, 0.0] and d["per_year"][k]["p95"] == [0.0, 0.0]
        assert d["over_run"][k] == {"median": 0.0, "p05": 0.0, "p95": 0.0}


def test_paired_differences_are_per_replication_and_cumulate_flows():
    base, hub = _run(SCENARIOS / "baseline.yaml"), _run(SCENARIOS / "return-hub.yaml")
    (d,) = against_first([base, hub])
    diff = hub.yearly("cost_total") - base.yearly("cost_total")
    assert d["per_year"]["cost_total"]["median"] == np.median(diff, axis=0).tolist()
    assert d["over_run"]["cost_total"]["median"] == pytest.approx(float(np.median(diff.sum(axis=1))))
    assert d["net_cost_per_instrument"]["hub"]["p05"] > 0  # the hub costs money in every replication
    assert not d["identical_to_baseline"]


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_scenario_differs_from_the_baseline_or_says_it_is_identical(path):
    sc = load_scenario(path)
    if sc.start != load_scenario(SCENARIOS / "baseline.yaml").start:
        assert sc.identical_to_baseline is None  # another period: a different run by construction
        return
    d = paired(_run(SCENARIOS / "baseline.yaml"), _run(path))
    assert d["identical_to_baseline"] == (sc.identical_to_baseline is not None), (path.stem, sc.identical_to_baseline)


def test_sd_on_a_parameter_that_is_never_drawn_is_refused(tmp_path):
    for key in ("inflow.seasonality_q1", "dublin.months_to_transfer", "return.cooperation_low", "inflow.trend_per_year"):
        path = tmp_path / "bad.yaml"
        path.write_text(f"name: bad\nextends: baseline\nparameters:\n  {key}: {{value: {load_scenario('builtin:baseline').value(key)}, "
                        "sd: 0.2, source: 'assumption'}\n", encoding="utf-8")  # fmt: skip
        with pytest.raises(ScenarioError, match="never drawn") as info:
            load_scenario(path)
        assert info.value.key == key and "bad.yaml" in str(info.value)


def test_every_drawable_parameter_is_actually_drawn():
    sc = load_scenario(SCENARIOS / "baseline.yaml")
    for key in DRAWABLE:
        if key == "inflow.first_applications_per_year":
            continue  # drawn as the yearly level noise
        noisy = replace(sc, params={**sc.params, key: replace(sc.params[key], sd=0.3)})
        inp = build_inputs(noisy, draw(noisy, np.arange(8), 12, seed=1), 8, 12)
        values = inp.v[key] if key in inp.v else None
        assert values is not None and np.unique(np.round(values, 9)).size > 1 or float(sc.value(key)) == 0, key


def test_partial_compliance_counts_part_of_the_effect():
    met, partly, unmet = (_run(SCENARIOS / f"{n}.yaml", years=3) for n in ("return-hub", "return-hub-safeguards-partly", "return-hub-safeguards-unmet"))
    hub = [float(np.median(r.indicators["end_hub"])) for r in (met, partly, unmet)]
    assert hub[0] > hub[1] > hub[2] == 0
    assert any("partly met" in w for w in partly.warnings)
    assert partly.scenario.safeguard_status("hub")["legal_aid"] == "partly"


def test_safeguard_status_must_be_met_partly_or_not_met(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: bad\nextends: baseline\nparameters:\n  hub.safeguards.legal_aid: {value: maybe, source: 'assumption'}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="'met', 'partly' or 'not met'"):
        load_scenario(path)


def test_compare_command_reports_identical_scenarios_and_paired_bands():
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "asylumengine.cli.main", "compare", "scenarios/baseline.yaml", "scenarios/two-status.yaml",
                          "scenarios/dublin-resumed.yaml", "--years", "2", "--replications", "10", "--scheduler", "synchronous", "--format", "json"],
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert out.returncode == 0, out.stderr
    diffs = json.loads(out.stdout)["differences"]
    assert [d["scenario"] for d in diffs] == ["two-status", "dublin-resumed"]
    assert diffs[0]["identical_to_baseline"] and not diffs[1]["identical_to_baseline"]
    assert diffs[1]["over_run"]["transfers"]["p05"] > 0  # resuming transfers raises them in every paired replication


def test_sensitivity_ranks_the_parameter_that_drives_an_indicator_first():
    """Two uncertain parameters: the inflow level drives Dublin transfers, the cost of an appeal does not."""
    from asylumengine.sim.sensitivity import analyse

    sc = load_scenario(SCENARIOS / "baseline.yaml")
    keep = {"inflow.first_applications_per_year": 0.2, "costs.court_per_appeal": 0.2}
    sc = replace(sc, params={k: replace(p, sd=keep.get(k, 0.0)) for k, p in sc.params.items()})
    result = analyse(sc, years=2, base_samples=64)
    transfers = result["outputs"]["transfers"]["ranking"]
    assert transfers[0]["parameter"] == "inflow.first_applications_per_year" and transfers[0]["ST"] > 0.8
    assert abs(transfers[1]["ST"]) < 0.05
    cost = {r["parameter"]: r["ST"] for r in result["outputs"]["cost_total"]["ranking"]}
    assert cost["costs.court_per_appeal"] > 0  # it does move the total cost


def test_sensitivity_and_backcast_commands():
    import json
    import subprocess
    import sys

    def asylum(*args):
        return subprocess.run([sys.executable, "-m", "asylumengine.cli.main", *args], capture_output=True, text=True, timeout=300)

    out = asylum("sensitivity", "scenarios/baseline.yaml", "--years", "1", "--samples", "8", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["runs"] == 8 * (len(data["parameters"]) + 2) and set(data["outputs"]) >= {"occupancy", "cost_total"}
    out = asylum("sensitivity", "scenarios/nowhere.yaml")
    assert out.returncode == 2 and "nowhere.yaml" in out.stderr and "Traceback" not in out.stderr
    out = asylum("backcast", "--replications", "10", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert {r["series"] for r in json.loads(out.stdout)["scores"]} >= {"coa_total", "ind_backlog", "dublin_transfers"}
