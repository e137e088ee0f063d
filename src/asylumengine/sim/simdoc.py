"""docs/simulation.md, generated from the model, the scenarios and the backcast (a test keeps it in step).

    python -m asylumengine.sim.simdoc > docs/simulation.md
"""

from __future__ import annotations

from pathlib import Path

from asylumengine.sim import backcast, model
from asylumengine.sim.scenario import REGISTRY, load

ROOT = Path(__file__).parents[3]

INTRO = """# The asylum chain, simulated

`asylum simulate scenario.yaml --years 10 --replications 1000 [--seed N] [--format text|json] [--html FILE] [--png DIR]`
runs the Dutch asylum chain as a stochastic monthly model: flows through Dublin, the IND, the
courts, COA reception, housing and return, under capacities, with costs per instrument, for a
baseline from January 2026 and for policy scenarios. Results are medians with 90% intervals (5th-95th
percentile over the replications). `asylum compare base.yaml a.yaml b.yaml` runs them with the same
seed and reports, besides the side-by-side table, each scenario's **paired difference** from the
first (scenario minus baseline per replication: same random numbers, so the difference is the
policy's) per year and over the run, with 90% bands and the net cost per instrument; a scenario
identical to the baseline is reported as such. `asylum backcast` compares the calibrated model with
published figures (fit 2022-2023, validation 2024-2025); `asylum sensitivity scenario.yaml` ranks
the uncertain parameters by their Sobol indices (SALib) for the main indicators.

Runs of up to 20 000 replication-years stay in-process; larger ones run on Dask (a local cluster,
or `--scheduler tcp://host:8786`); every replication has its own seed stream, so the result is the
same whatever the number of workers.

This page is generated (`python -m asylumengine.sim.simdoc > docs/simulation.md`); a test checks
that it matches the code, the scenario files, the data and the backcast.
"""

CAVEATS = """## What the model does not do (yet)

- It is a fluid model: within a replication the flows are expected flows; the uncertainty comes
  from the parameters (drawn per replication) and from the monthly arrivals.
- The route engine (`asylumengine.routes`) gives each cohort its legal path on request: with
  `legal.paths_from_route_engine: true` (scenarios `legal-paths-from-routes.yaml`,
  `legal-paths-backcast.yaml`) a synthetic cohort applying in the Netherlands is routed under
  the law in force at the start, and its border-procedure share per group and the share of Dublin
  claims the Netherlands cannot transfer (the dated transfer table) replace the calibrated values.
  A run that starts before 12 June 2026 routes one cohort under the old law for the months before
  and one under the Pact for the months after. The Dublin claim share and the recognition rates
  stay calibrated on published figures: the synthetic cohort's entry routes are assumptions, and
  give far more Dublin claims (about 65%) than the published 25%.
- Four nationality groups (Syria; high, middle and low recognition), not every nationality.
- Third-country cooperation on return by nationality and the courts' volumes are not in the shipped
  data: their parameters are assumptions or fitted.
- The Netherlands' adequate capacity for the border procedure (APR Art 47, Commission Implementing
  Decision (EU) 2024/2150) was not found in a readable source: `ind.border_capacity` is 0 (no limit)
  in the baseline and a scenario input.
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
        same = f"identical to the baseline: {sc.identical_to_baseline}" if sc.identical_to_baseline else "(the baseline itself)"
        lines.append(f"| `{path.name}` | {sc.description} | {'<br>'.join(changed) or same} |")
    return lines


def _speed() -> str:
    """The last run of benchmarks/bench_sim.py (benchmarks/results/sim.json), if any."""
    import json

    path = ROOT / "benchmarks" / "results" / "sim.json"
    if not path.exists():
        return ""
    b = json.loads(path.read_text(encoding="utf-8"))
    sweep = b.get("sweep", {})
    commit = (b.get("git_commit") or "")[:8] or "not recorded"
    return (
        "## Speed, and the SimPy reference as a check of the fluid approximation\n\n"
        f"Last run of `python benchmarks/bench_sim.py` (commit {commit}; {b['years']} years x {b['replications']} replications, 2-core "
        f"machine): {b['vectorised_synchronous_seconds']} s in-process, {b['vectorised_dask_local_cluster_seconds']} s on a local Dask "
        f"cluster of {b['workers']} workers including its start. A sweep of 4 variants takes {sweep.get('workers_1_seconds')} s on 1 "
        f"Dask worker and {sweep.get('workers_2_seconds')} s on 2. The individual-based SimPy implementation "
        "(benchmarks/simpy_reference.py: every person a process) is a check that the fluid model's expected flows match what "
        "individuals do, indicator by indicator (benchmarks/results/sim.json), not a speed baseline: the fair speed ratio is the "
        "vectorised model against the same fluid model one replication at a time (above). The SimPy reference covers the model "
        "without the warm-start pipeline, the nareis backlog, periods and the border capacity, and is compared on such a variant "
        "of the baseline.\n"
    )


SAFEGUARD_QUESTIONS = {  # seed 002 (Eerste Kamer, Volt and PvdD): "Wie beoordeelt ... of daadwerkelijk wordt voldaan aan:"
    "non_refoulement": "het non-refoulementbeginsel",
    "child_rights": "kinderrechten",
    "legal_aid": "toegang tot rechtsbijstand",
    "education": "toegang tot onderwijs",
    "health_care": "toegang tot gezondheidszorg",
    "stability": "stability and governance of the partner country (seed 000: Clingendael; not among seed 002's five)",
}
# why a series can miss its validation target; shown only for the series that miss it
LIMITS = {
    "coa_status_holders": "The status-holder stock is the small difference of two large flows (grants plus nareis in, about 25 000-30 000 "
    "a year; housing out, about as many). One share of the housing task realised is fitted on 2022, when municipalities housed "
    "more than the task (11 886 + 17 000 against 9 979 + 13 500), while the counts of 2023-2025 imply far less; the realised "
    "housing of 2023-2025 is not published (shared/data gap 12), so it cannot be an input, and a 10% error in either flow moves "
    "the stock by more than 10% within a year.",
    "ind_backlog": "Applications also leave the IND backlog without a first-instance decision counted by Eurostat (withdrawals, "
    "Dublin and inadmissibility decisions, repeat applications); those exits are not published per year (gap 11), so the model's "
    "backlog grows where the published one stays flat.",
    "dublin_transfers": "Transfers per accepted claim rose from 22% in 2023 to 37% in 2024 (dublin.csv): a change in practice that "
    "a rate fitted on 2023 cannot foresee. The baseline (2026) takes the 2024 rate.",
    "coa_total": "The COA total follows from its parts: the status-holder shortfall above.",
    "coa_asylum_seekers": "Asylum seekers in COA follow the IND backlog (above).",
    "departures": "DT&V departures include persons referred by the police, KMar and others (an input by year); 2025 is not published.",
    "housed": "2024 is the COA outflow of permit holders, not municipal housing realised (not published for 2023-2025).",
    "decisions": "Decisions are an input where the IND's capacity binds (2023-2025); the error only shows whether it binds.",
}


def _table_safeguards() -> list[str]:
    lines = ["| Safeguard (seed 002) | Status in a scenario | Who monitors | Monitoring cost |", "|---|---|---|---|"]
    for g, q in SAFEGUARD_QUESTIONS.items():
        lines.append(f"| `{g}`: {q} | met / partly / not met (scenario input, with its source) | not designated in any source "
                     "found (seed 002 asks who) | not found; `costs.monitoring_per_year` is a scenario input |")
    return lines


def _table_programmes() -> list[str]:
    import csv
    from importlib import resources

    path = resources.files("asylumengine.data") / "files" / "externalisation_programmes.csv"
    lines = ["| Programme | Figure | Value | Unit | Date | Source |", "|---|---|---|---|---|---|"]
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            value = f"{float(r['value']):,.0f}" if r["value"] else "not published"
            lines.append(f"| {r['programme']} | {r['indicator'].replace('_', ' ')} | {value} | {r['unit']} | {r['ref_date']} | {r['source']} |")
    return lines


def _calibration() -> list[str]:
    from asylumengine.sim.inputs import calibration

    cal = calibration()
    lines = [f"Fitted on {cal['fit_window']} ({cal['observations']} published points; {cal['method']}; root-mean-square log error "
             f"{cal['rms_log_error']}), stored in `src/asylumengine/sim/calibration.yaml` by `{cal['command']}`:\n",
             "| Parameter | Fitted value | Bounds |", "|---|---|---|"]  # fmt: skip
    for k, v in cal["parameters"].items():
        lo, hi = backcast.FIT[k]
        lines.append(f"| `{k}` | {v:,} | {lo:g} - {hi:g} |")
    return lines


def _sensitivity() -> str:
    import json

    path = ROOT / "benchmarks" / "results" / "sensitivity.json"
    if not path.exists():
        return ""
    b = json.loads(path.read_text(encoding="utf-8"))
    s, p = b["sobol"], b["per_replication"]
    tops = "; ".join(f"{k}: {', '.join(f'`{x}`' for x in v)}" for k, v in s["top3_by_total_index"].items())
    return (
        "## What drives the answer (sensitivity)\n\n"
        f"Last run of `python benchmarks/bench_sensitivity.py` (commit {b['git_commit'][:8]}, {b['machine_cores']} cores): a Sobol analysis "
        f"of the baseline over {s['parameters']} parameters with {s['base_samples']:,} base samples ({s['runs']:,} runs of {s['years']} "
        f"years) took {s['seconds']} s (target {s['target_seconds']} s). The three parameters with the largest total index per "
        f"indicator: {tops}. The same fluid model run one replication at a time is {p['speed_ratio']} times slower than vectorised "
        f"({p['replications']} replications of {p['years']} years: {p['one_at_a_time_seconds']} s against {p['vectorised_seconds']} s).\n"
    )


def _backcast_section(replications: int) -> list[str]:
    report = backcast.compare(backcast.backcast_run(replications, seed=1))
    misses = [r for r in report["scores"] if r["validation"]["points"] and not r["validation"]["within_10_percent"]]
    limits = [f"- **{r['label']}** ({_pct(r['validation']['mean_abs_error'])}): {LIMITS[r['series']]}" for r in misses]
    return [
        "## Backcast 2022-2025: calibration and validation\n",
        "`scenarios/backcast-2022-2025.yaml` runs 2022-2025 from the stocks of end 2021 with the published inputs of each year. "
        f"The parameters below are fitted on 2022-2023; 2024-2025 is predicted without refitting ({replications} replications, seed 1; "
        "`asylum backcast [--format json] [--png docs/img/backcast.png]`, or `python -m asylumengine.sim.backcast --format json`). "
        "Error per series and window: the mean absolute relative error of the model median at the published points.\n",
        *_calibration(),
        "",
        *backcast.score_table(report),
        "",
        "![Backcast](img/backcast.png)\n",
        "**Where the data cannot get there, and why.**\n",
        *(limits or ["- Every series is within 10% on the validation window."]),
        "",
        "<details><summary>Every published point</summary>\n",
        *backcast.point_table(report),
        "\n</details>\n",
    ]


def markdown(replications: int = 200) -> str:
    base = load(ROOT / "scenarios" / "baseline.yaml")
    parts = [
        INTRO,
        "## The model\n",
        "```text\n" + (model.__doc__ or "").strip() + "\n```\n",
        f"Indicators (monthly, per replication): {', '.join(f'`{i}`' for i in model.INDICATORS)}.",
        "Yearly figures: flows are summed over the year, stocks taken at the year's end, ratios averaged.\n",
        "## Inputs from the data, the law and the solidarity engine\n",
        "A parameter may say `value: data` (published figures in `src/asylumengine/data/files`, picked for the scenario's start by "
        "`asylumengine.data.chain`: a series by year or half year, or the latest value before the start), `value: calibrated` "
        "(the stored calibration below) or `value: solidarity` (the solidarity engine's answer for the Netherlands). Periods "
        "(`*_by_period`) replace the base value in the years or half years they give. Durations are not scenario parameters: "
        "the border procedure's length and the transfer time limit are read from `law/params` per month (`sim/legal_facts.py`), "
        "the same dated values the route engine reads; the recognition rates by year and group come from the one dated table "
        "(`data/recognition.py`) the route engine also reads, shifted per year to the Dutch first-instance rate. A parameter "
        "with `sd` is drawn per replication; an `sd` on a parameter that is never drawn is refused.\n",
        "## The baseline and the source of every parameter\n",
        f"`scenarios/baseline.yaml` (start {base.start:%Y-%m}), with the values filled in. *sd* is the relative standard deviation of the "
        "parameter's draw per replication (lognormal, mean 1; shares clipped to [0, 1]).\n",
        *_table_params(base),
        "",
        "## Scenarios\n",
        "Each file overlays the baseline. The safeguards gate: an arrangement counts only if no safeguard is *not met*; with some "
        "only *partly* met it counts at `partly_met_effect` (a scenario input); a signed arrangement pays its fixed and monitoring "
        "costs even when the gate stops it (`return-hub-safeguards-unmet.yaml`, `return-hub-safeguards-partly.yaml`). A file that "
        "is the baseline under another name says so (`identical_to_baseline`), and `asylum compare` reports it as identical.\n",
        *_table_scenarios(base),
        "",
        "### Safeguards (seed 002)\n",
        *_table_safeguards(),
        "",
        "### Figures from real externalisation programmes\n",
        "`src/asylumengine/data/files/externalisation_programmes.csv`; the scenarios' cost ranges cite them (amounts in GBP and AUD "
        "are not converted: no sourced exchange rate is shipped).\n",
        *_table_programmes(),
        "",
        *_backcast_section(replications),
        _sensitivity(),
        _speed(),
        CAVEATS,
    ]
    return "\n".join(parts) + "\n"


def _pct(x):
    return backcast._pct(x)


if __name__ == "__main__":  # pragma: no cover
    print(markdown(), end="")
