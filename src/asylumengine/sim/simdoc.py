"""docs/simulation.md, generated from the model, the scenarios and the backcast (a test keeps it in step).

    python -m asylumengine.sim.simdoc > docs/simulation.md
"""

from __future__ import annotations

from pathlib import Path

from asylumengine.sim import backcast, model
from asylumengine.sim.run import run
from asylumengine.sim.scenario import REGISTRY, load

ROOT = Path(__file__).parents[3]

INTRO = """# The asylum chain, simulated

`asylum simulate scenario.yaml --years 10 --replications 1000 [--seed N] [--format text|json] [--html FILE] [--png DIR]`
and `asylum compare a.yaml b.yaml ...` run the Dutch asylum chain as a stochastic monthly model:
flows through Dublin, the IND, the courts, COA reception, housing and return, under capacities,
with costs per instrument, for a baseline from January 2026 and for policy scenarios. Results are
medians with 90% intervals (5th-95th percentile over the replications). Replications run on Dask
(a local cluster by default; `--scheduler tcp://host:8786` uses an existing one; `--scheduler
synchronous` runs in-process); every replication has its own seed stream, so the result is the
same whatever the number of workers. Scenarios compared with the same seed share their random
numbers, so a difference between them is the policy's, not noise.

This page is generated (`python -m asylumengine.sim.simdoc > docs/simulation.md`); a test checks
that it matches the code, the scenario files and the backcast.
"""

CAVEATS = """## What the model does not do (yet)

- It is a fluid model: within a replication the flows are expected flows; the uncertainty comes
  from the parameters (drawn per replication) and from the monthly arrivals.
- The route engine (`asylumengine.routes`) gives each cohort its legal path on request: with
  `legal.paths_from_route_engine: true` (scenarios `legal-paths-from-routes.yaml`,
  `legal-paths-backcast-2023.yaml`) a synthetic cohort applying in the Netherlands is routed under
  the law in force at the start, and its border-procedure share per group and the share of Dublin
  claims the Netherlands cannot transfer (the dated transfer table) replace the calibrated values.
  The Dublin claim share and the recognition rates stay calibrated on published figures: the
  synthetic cohort's entry routes are assumptions, and give far more Dublin claims (about 65%)
  than the published 25%.
- Four nationality groups (Syria; high, middle and low recognition), not every nationality.
- Third-country cooperation on return by nationality, appeal durations, and the IND's real
  decision volumes for 2023-2025 are not in the shipped data: their parameters are assumptions.
- Every parameter marked *assumption* below is a plausible round number, not an estimate.
"""


def _table_params(sc) -> list[str]:
    lines = ["| Parameter | Value | sd | Meaning | Source |", "|---|---|---|---|---|"]
    for key, spec in REGISTRY.items():
        p = sc.params[key]
        if key.split(".")[0] in ("hub", "stc", "platform", "external_procedure", "route_screening"):
            continue  # listed with the externalisation scenarios
        value = p.value if not isinstance(p.value, dict) else (p.value or "-")
        lines.append(f"| `{key}` | {value} | {p.sd or ''} | {spec.description} | {p.source} |")
    return lines


def _table_scenarios(base) -> list[str]:
    lines = ["| Scenario | What it changes | Changed parameters (value; source) |", "|---|---|---|"]
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        sc = load(path)
        changed = [f"`{k}` = {p.value} ({p.source})" for k, p in sc.params.items() if p != base.params[k]]
        lines.append(f"| `{path.name}` | {sc.description} | {'<br>'.join(changed) or '(the baseline itself)'} |")
    return lines


def _speed() -> str:
    """The last benchmark run (benchmarks/results/sim.json), if any."""
    import json

    path = ROOT / "benchmarks" / "results" / "sim.json"
    if not path.exists():
        return ""
    b = json.loads(path.read_text(encoding="utf-8"))
    sweep = b.get("sweep", {})
    return (
        "## Speed\n\n"
        f"Last run of `python benchmarks/bench_sim.py` ({b['years']} years x {b['replications']} replications, 2-core machine): "
        f"{b['vectorised_synchronous_seconds']} s in-process, {b['vectorised_dask_local_cluster_seconds']} s on a local Dask "
        f"cluster of {b['workers']} workers including its start; an individual-based SimPy implementation of the same model "
        f"(benchmarks/simpy_reference.py) takes about {b['simpy_scaled_seconds']:,.0f} s for the same work "
        f"({b['speedup_vs_synchronous']:,.0f} times slower). A sweep of 4 variants takes {sweep.get('workers_1_seconds')} s on 1 "
        f"Dask worker and {sweep.get('workers_2_seconds')} s on 2. Agreement with the SimPy reference per indicator is in "
        "benchmarks/results/sim.json.\n"
    )


def markdown(replications: int = 500) -> str:
    base = load(ROOT / "scenarios" / "baseline.yaml")
    rows = backcast.compare(
        run(load(ROOT / "scenarios" / "backcast-2023-2025.yaml"), years=3, replications=replications, seed=1, scheduler="synchronous")
    )
    bc = ["| Published figure | Observed | Model median [90% interval] | Error | Within 10% |", "|---|---|---|---|---|"]
    for r in rows:
        bc.append(f"| {r['label']} | {r['observed']:,.0f} | {r['model_median']:,.0f} [{r['p05']:,.0f} - {r['p95']:,.0f}] | "
                  f"{r['error']:+.1%} | {'yes' if r['within_10_percent'] else '**no**'} |")  # fmt: skip
    parts = [
        INTRO,
        "## The model\n",
        "```text\n" + (model.__doc__ or "").strip() + "\n```\n",
        f"Indicators (monthly, per replication): {', '.join(f'`{i}`' for i in model.INDICATORS)}.",
        "Yearly figures: flows are summed over the year, stocks taken at the year's end, ratios averaged.\n",
        "## The baseline and the source of every parameter\n",
        f"`scenarios/baseline.yaml` (start {base.start:%Y-%m}). *sd* is the relative standard deviation of the "
        "parameter's draw per replication (lognormal, mean 1; shares clipped to [0, 1]).\n",
        *_table_params(base),
        "",
        "## Scenarios\n",
        "Each file overlays the baseline; the safeguards gate (non-refoulement, child rights, legal aid, education, health care, "
        "stability) stops an externalisation arrangement from counting when the partner country does not meet every safeguard "
        "(`return-hub-safeguards-unmet.yaml` shows it: the result equals the baseline and a warning says why).\n",
        *_table_scenarios(base),
        "",
        "## Backcast 2023-2025\n",
        "`scenarios/backcast-2023-2025.yaml` runs 2023-2025 with the published first applications and the COA stocks of end 2022, "
        f"and is compared with published figures it does not use ({replications} replications, seed 1; "
        "`python -m asylumengine.sim.backcast`):\n",
        *bc,
        "",
        "![Backcast](img/backcast.png)\n",
        "**What it misses and why.** COA occupancy in September 2023 and the 2023 Dublin transfers are reproduced within 10%. "
        "November 2024 is not: the model has far fewer status holders in COA (and fewer residents in total). In the model, "
        "grants (IND capacity of 2,100 decisions a month - the only monthly figure shipped, December 2024 - times the recognition "
        "rates) plus nareis stay below the housing outflow (the 2024 COA outflow of permit holders), so status holders leave COA "
        "faster than they come. In reality the status-holder stock grew from about 16,000 to 19,000: the IND granted more than "
        "the model's capacity allows and/or municipalities housed fewer people than the 2024 outflow suggests. The IND's decision "
        "and grant volumes for 2023-2025 are not in the shipped data (a gap in shared/data); with them, the IND capacity and the "
        "housing outflow can be calibrated per year instead of taken from single months.\n",
        _speed(),
        CAVEATS,
    ]
    return "\n".join(parts) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(markdown(), end="")
