"""What drives the answer: a global sensitivity analysis (SALib, Sobol indices) over the uncertain parameters.

Each uncertain parameter is a multiplicative factor, sampled on the log scale over its 90% range
(``exp(+-1.645 sd)`` for the scenario's ``sd``; parameters without an sd get ``default_sd`` when
asked for with ``all_numeric``). Samples are Saltelli/Sobol sequences (``SALib.sample.sobol``);
each sample is one row of the vectorised fluid model with the central inflow (no arrival noise),
run in chunks so memory stays bounded. Outputs: first-order (S1) and total (ST) Sobol indices per
parameter for the main indicators, ranked by ST.
"""

from __future__ import annotations

import numpy as np

from asylumengine.sim.model import Draws, simulate_draws
from asylumengine.sim.run import FLOWS
from asylumengine.sim.scenario import DRAWABLE, Scenario

Z90 = 1.645
OUTPUTS = {
    "occupancy": "COA occupancy, end of the last year",
    "occupancy_status_holders": "status holders in COA, end of the last year",
    "backlog": "IND backlog, end of the last year",
    "transfers": "Dublin transfers over the run",
    "departures": "departures over the run",
    "cost_total": "total cost over the run",
}


def uncertain(scenario: Scenario, all_numeric: bool = False, default_sd: float = 0.2) -> dict[str, float]:
    """key -> sd of the parameters to vary: the scenario's uncertain ones (or every non-zero numeric one)."""
    out = {}
    for k in DRAWABLE:
        sd, value = scenario.params[k].sd, float(scenario.value(k))
        if sd > 0:
            out[k] = sd
        elif all_numeric and value != 0:
            out[k] = default_sd
    return out


def problem(params: dict[str, float]) -> dict:
    return {"num_vars": len(params), "names": list(params), "bounds": [[-Z90 * sd, Z90 * sd] for sd in params.values()]}


def _outputs(scenario: Scenario, log_factors: np.ndarray, names: list[str], months: int) -> np.ndarray:
    """(rows, outputs) for a chunk of samples."""
    rows = len(log_factors)
    factors = {k: np.exp(log_factors[:, i]) for i, k in enumerate(names)}
    ind = simulate_draws(scenario, Draws(factors, np.zeros((rows, months)), np.zeros((rows, months // 12 + 1))), months)
    out = np.empty((rows, len(OUTPUTS)))
    for j, name in enumerate(OUTPUTS):
        out[:, j] = ind[name].sum(axis=1) if name in FLOWS else ind[name][:, -1]
    return out


def analyse(scenario: Scenario, years: int = 10, base_samples: int = 1024, all_numeric: bool = False, chunk: int = 2048,
            seed: int = 1) -> dict:  # fmt: skip
    """Sobol indices (S1, ST with 95% confidence) per parameter and output; parameters ranked by ST."""
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    params = uncertain(scenario, all_numeric)
    if len(params) < 2:
        raise ValueError(f"{scenario.name}: fewer than two uncertain parameters (give 'sd' to some, or use --all-numeric)")
    prob = problem(params)
    x = sobol_sample.sample(prob, base_samples, calc_second_order=False, seed=seed)
    months = years * 12
    y = np.concatenate([_outputs(scenario, x[a : a + chunk], prob["names"], months) for a in range(0, len(x), chunk)])
    result = {"scenario": scenario.name, "years": years, "base_samples": base_samples, "runs": len(x), "parameters": params, "outputs": {}}
    for j, (name, label) in enumerate(OUTPUTS.items()):
        si = sobol_analyze.analyze(prob, y[:, j], calc_second_order=False, seed=seed)
        ranked = sorted(range(len(params)), key=lambda i: -si["ST"][i])
        result["outputs"][name] = {
            "label": label, "mean": float(y[:, j].mean()),
            "ranking": [{"parameter": prob["names"][i], "S1": float(si["S1"][i]), "S1_conf": float(si["S1_conf"][i]),
                         "ST": float(si["ST"][i]), "ST_conf": float(si["ST_conf"][i])} for i in ranked],
        }  # fmt: skip
    return result
