"""Scenario over baseline: paired differences with common random numbers.

Scenarios run with the same seed and replications share their random draws replication by
replication, so ``scenario - baseline`` per replication is the policy's effect without the noise
(the PolicyEngine pattern). Per indicator and year: the median difference and its 90% band (5th-95th
percentile of the paired differences); over the whole run: flows and costs summed, stocks at the end.
A scenario whose every indicator equals the baseline's bit for bit is reported as identical.
"""

from __future__ import annotations

import numpy as np

from asylumengine.sim.model import COST_ITEMS, INDICATORS
from asylumengine.sim.run import FLOWS, SimulationResult

HEADLINE = ("occupancy", "occupancy_status_holders", "emergency_occupancy", "backlog", "decisions", "transfers", "departures",
            "housed", "cost_total")  # fmt: skip


def _band(x: np.ndarray) -> dict:
    """x: (replications, ...) -> median and 5th / 95th percentile along replications."""
    return {"median": np.median(x, axis=0).tolist(), "p05": np.percentile(x, 5, axis=0).tolist(), "p95": np.percentile(x, 95, axis=0).tolist()}


def cumulative(result: SimulationResult, name: str) -> np.ndarray:
    """(replications,) over the run: flows summed, stocks and ratios at / over the last year."""
    y = result.yearly(name)
    return y.sum(axis=1) if name in FLOWS else y[:, -1]


def identical(a: SimulationResult, b: SimulationResult) -> bool:
    return all(np.array_equal(a.indicators[k], b.indicators[k]) for k in INDICATORS)


def paired(base: SimulationResult, other: SimulationResult) -> dict:
    """``other - base`` per replication, per year and over the run, for every indicator."""
    if (base.seed, base.replications, base.years) != (other.seed, other.replications, other.years):
        raise ValueError("paired differences need the same seed, replications and years for both scenarios")
    same = identical(base, other)
    per_year = {k: _band(other.yearly(k) - base.yearly(k)) for k in INDICATORS}
    run_total = {k: {q: float(v) for q, v in _band(cumulative(other, k) - cumulative(base, k)).items()} for k in INDICATORS}
    net_cost = {c: run_total[f"cost_{c}"] for c in COST_ITEMS}
    return {"scenario": other.scenario.name, "baseline": base.scenario.name, "identical_to_baseline": same,
            "declared_identical": other.scenario.identical_to_baseline, "per_year": per_year, "over_run": run_total,
            "net_cost_per_instrument": net_cost}  # fmt: skip


def against_first(results: list[SimulationResult]) -> list[dict]:
    """Paired differences of every scenario against the first one."""
    return [paired(results[0], r) for r in results[1:]]
