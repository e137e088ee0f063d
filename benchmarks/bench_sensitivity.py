"""Benchmark: Sobol sensitivity analysis over the vectorised model, and the fair speed ratio.

    .venv/bin/python benchmarks/bench_sensitivity.py [--parameters 24] [--samples 1024] [--years 10]

1. a Sobol analysis (SALib, Saltelli/Sobol sampling, first-order and total indices) of the
   baseline over --parameters uncertain parameters (the scenario's sd where given, 0.2 otherwise;
   the first ones in registry order) with --samples base samples over --years years: samples x
   (parameters + 2) runs of the fluid model, vectorised in chunks. Target (issue 8): >= 20
   parameters, 1 000 base samples, 10 years in <= 120 s on a 2-core machine;
2. the fair speed ratio: the same fluid model (``simulate``) for --ratio-replications
   replications at once vs one replication at a time (a Python loop over single-row calls);
   both give the same numbers (checked). The SimPy reference (benchmarks/bench_sim.py) is an
   individual-based implementation used to validate the fluid approximation, not a speed figure.

Writes benchmarks/results/sensitivity.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import source_state  # noqa: E402

from asylumengine.sim import load_scenario  # noqa: E402
from asylumengine.sim.model import simulate  # noqa: E402
from asylumengine.sim.sensitivity import analyse, uncertain  # noqa: E402


def sobol(sc, parameters: int, samples: int, years: int) -> dict:
    keys = list(uncertain(sc, all_numeric=True))[:parameters]
    from dataclasses import replace

    params = {k: (replace(p, sd=p.sd or 0.2) if k in keys else replace(p, sd=0.0)) for k, p in sc.params.items()}
    sc = replace(sc, params=params)
    t0 = time.perf_counter()
    result = analyse(sc, years=years, base_samples=samples)
    seconds = time.perf_counter() - t0
    top = {k: [r["parameter"] for r in v["ranking"][:3]] for k, v in result["outputs"].items()}
    return {"parameters": len(result["parameters"]), "base_samples": samples, "runs": result["runs"], "years": years,
            "seconds": round(seconds, 1), "target_seconds": 120, "top3_by_total_index": top}  # fmt: skip


def ratio(sc, replications: int, years: int) -> dict:
    months = years * 12
    t0 = time.perf_counter()
    vec = simulate(sc, np.arange(replications), months, seed=1)
    t_vec = time.perf_counter() - t0
    t0 = time.perf_counter()
    rows = [simulate(sc, np.array([r]), months, seed=1) for r in range(replications)]
    t_one = time.perf_counter() - t0
    for k in ("occupancy", "cost_total", "transfers"):
        np.testing.assert_allclose(np.concatenate([r[k] for r in rows]), vec[k], rtol=1e-12, atol=1e-9)
    return {"replications": replications, "years": years, "vectorised_seconds": round(t_vec, 2),
            "one_at_a_time_seconds": round(t_one, 2), "speed_ratio": round(t_one / t_vec, 1)}  # fmt: skip


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--parameters", type=int, default=24)
    ap.add_argument("--samples", type=int, default=1024)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--ratio-replications", type=int, default=200)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "sensitivity.json")
    args = ap.parse_args(argv)
    sc = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    out = {"machine_cores": __import__("os").cpu_count(), **source_state(),
           "sobol": sobol(sc, args.parameters, args.samples, args.years), "per_replication": ratio(sc, args.ratio_replications, args.years)}  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    tmp.replace(args.out)
    print(json.dumps(out, indent=2))
    return out


if __name__ == "__main__":
    main()
