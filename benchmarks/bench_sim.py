"""Benchmark: the vectorised chain model on Dask vs an individual-based SimPy reference.

    .venv/bin/python benchmarks/bench_sim.py [--years 10] [--replications 1000] [--simpy-replications 5]

1. times ``asylumengine.sim.run`` on the baseline, YEARS x REPLICATIONS: synchronous (one
   process; median of --repeat runs) and on the default local Dask cluster with --workers
   processes (cluster start and stop included), plus the same on a cluster started beforehand
   (compute and transfer only); the Dask results must equal the synchronous ones;
2. times the SimPy reference (benchmarks/simpy_reference.py: every person a process) for
   --simpy-replications replications of the full YEARS, scales the mean to REPLICATIONS and
   reports the speed-up;
3. compares them, per indicator and year: the SimPy mean over its replications vs the
   vectorised mean over REPLICATIONS, in units of the combined standard error
   sqrt(s_simpy^2/n_simpy + s_vec^2/n_vec) ("unpaired"); and, because SimPy replication r draws
   the same parameters and inflow noise as vectorised replication r, the mean paired difference
   over the SimPy replications in units of its own standard error ("paired" - only the
   individual-level randomness and any real difference are left in it, so it is far sharper);
4. if the paired comparison finds a difference (> 3 SE), reruns the SimPy reference with
   model.py's conventions switched on one at a time (queues served in random order, as the fluid
   model's proportional draw-down; and nareis one month later, as model.py scheduled them before
   the off-by-one this comparison found was fixed)
   to attribute it (--diagnose auto|on|off);
5. reports the scaling of a sweep on Dask with 1 and 2 workers (4 variants of the baseline x
   --sweep-replications each, one ``run(..., workers=k)`` per variant; and all of it as one run
   of 4 x --sweep-replications), and peak memory (ru_maxrss of this process and of the Dask
   worker processes; tracemalloc peak of one synchronous run).

Prints a summary table and writes benchmarks/results/sim.json. Targets (issue): 10 years x 1 000
replications in <= 60 s; >= 50x faster than the SimPy reference.

With 5 SimPy replications the paired test has 4 degrees of freedom: about 4% of the cells exceed
3 SE by chance. For a sharper diagnosis (benchmarks/results/sim_diagnosis.json):

    .venv/bin/python benchmarks/bench_sim.py --diagnose on --diagnose-replications 20 --jobs 2 \
        --out benchmarks/results/sim_diagnosis.json
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import math
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import simpy_reference as ref  # noqa: E402
from common import maxrss, source_state, timed  # noqa: E402

from asylumengine.sim import run  # noqa: E402
from asylumengine.sim.model import draw  # noqa: E402
from asylumengine.sim.scenario import load, packaged  # noqa: E402

TARGET_SECONDS = 60.0
TARGET_SPEEDUP = 50.0
RESULTS = ROOT / "benchmarks" / "results" / "sim.json"
MAIN = ("occupancy", "decisions", "grants", "transfers", "housed", "backlog", "returns_forced", "returns_voluntary")
EXTRA = ("arrivals", "inflow_total", "rejections", "appeals_decided", "dublin_claims", "departures_unknown",
         "occupancy_status_holders", "occupancy_rejected")  # fmt: skip
Z_LIMIT = 3.0








def variant(scenario, name: str, **changes):
    params = dict(scenario.params)
    for key, value in changes.items():
        params[key] = dataclasses.replace(params[key], value=value)
    return dataclasses.replace(scenario, name=name, params=params)


def sweep_variants(sc) -> list:
    v = sc.value
    return [
        sc,
        variant(sc, "ind-capacity+20%", **{"ind.decisions_per_month": v("ind.decisions_per_month") * 1.2}),
        variant(sc, "housing+20%", **{"reception.housing_realisation": v("reception.housing_realisation") * 1.2}),
        variant(sc, "dublin-unblocked", **{"dublin.blocked_share_of_claims": 0.0}),
    ]


def draws_match(sc, n: int, months: int, seed: int) -> bool:
    """Does SimPy replication r draw exactly the parameters and noise of vectorised replication r?"""
    d = draw(sc, np.arange(n), months, seed)
    for r in range(n):
        values, level, arrival = ref.draw_parameters(sc, r, months, seed)
        if not (np.allclose(level, d.level_noise[r]) and np.allclose(arrival, d.arrival_noise[r])):
            return False
        for k, f in d.factors.items():
            v = float(sc.value(k)) * f[r]
            if ref.REGISTRY[k].kind in ("share", "rate"):
                v = min(max(v, 0.0), 1.0)
            if not math.isclose(values[k], v, rel_tol=1e-12, abs_tol=1e-12):
                return False
    return True


def compare(simpy_yearly: dict, vec_yearly: dict, names, paired: bool) -> dict:
    """Per indicator: per year the difference of means and z = difference / standard error."""
    out = {}
    for name in names:
        s, v = simpy_yearly[name], vec_yearly[name]
        n = s.shape[0]
        diff = s.mean(axis=0) - v.mean(axis=0)
        se = np.sqrt(s.var(axis=0, ddof=1) / n + v.var(axis=0, ddof=1) / v.shape[0])
        z = np.divide(diff, se, out=np.where(diff == 0, 0.0, np.inf), where=se > 0)
        row = {"simpy_mean": s.mean(axis=0).round(1).tolist(), "vec_mean": v.mean(axis=0).round(1).tolist(),
               "vec_mean_same_replications": v[:n].mean(axis=0).round(1).tolist(),
               "diff": diff.round(1).tolist(), "se": se.round(1).tolist(), "z": z.round(2).tolist()}  # fmt: skip
        if paired:
            d = s - v[:n]
            pdiff = d.mean(axis=0)
            pse = d.std(axis=0, ddof=1) / math.sqrt(n)
            pz = np.divide(pdiff, pse, out=np.where(pdiff == 0, 0.0, np.inf), where=pse > 0)
            row.update({"paired_diff": pdiff.round(1).tolist(), "paired_se": pse.round(1).tolist(), "paired_z": pz.round(2).tolist()})
        for key in ("z", "paired_z"):
            if key in row:
                a = np.abs(np.asarray(row[key]))
                row[f"max_abs_{key}"] = float(a.max())
                row[f"year_of_max_{key}"] = int(a.argmax()) + 1
                row[f"years_beyond_{key}"] = [int(y) + 1 for y in np.flatnonzero(a > Z_LIMIT)]
        out[name] = row
    return out


def _timed_replication(sc, r: int, months: int, seed: int, kw: dict):
    return timed(ref.simulate_replication, sc, r, months, seed, **kw)


def simpy_runs(sc, n: int, months: int, seed: int, jobs: int = 1, **kw) -> tuple[dict, list[float], float]:
    """n SimPy replications, one after the other (jobs=1: the timed runs) or on ``jobs`` processes."""
    parts, times = [], []
    if jobs > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            done = list(pool.map(_timed_replication, [sc] * n, range(n), [months] * n, [seed] * n, [kw] * n))
        parts, times = [d[0] for d in done], [d[1] for d in done]
        print(f"  {n} SimPy replications on {jobs} processes: {sum(times):.0f} s of CPU", flush=True)
    for r in range(n if jobs <= 1 else 0):
        res, t = timed(ref.simulate_replication, sc, r, months, seed, **kw)
        parts.append(res)
        times.append(t)
        print(f"  SimPy replication {r}: {t:.1f} s", flush=True)
    ind = {k: np.stack([p[k] for p in parts]) for k in parts[0]}
    ledger = float(np.abs(ind["ledger"]).max())
    return ind, times, ledger


def reference_variant(sc):
    params = dict(sc.params)
    pipeline = sc.value("inflow.nareis_pipeline_per_month") * sc.value("inflow.nareis_delay_months")  # the reference's first-delay pipeline
    for key, value in (("dublin.warm_start", False), ("inflow.nareis_pending", pipeline)):
        params[key] = dataclasses.replace(params[key], value=value, source="benchmark: as the SimPy reference")
    return dataclasses.replace(sc, name="baseline-for-simpy", params=params)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--replications", type=int, default=1000)
    ap.add_argument("--simpy-replications", type=int, default=5)
    ap.add_argument("--simpy-scale", type=float, default=1.0, help="fraction of the persons the SimPy reference simulates")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--sweep-replications", type=int, default=1000, help="replications per sweep variant")
    ap.add_argument("--repeat", type=int, default=3, help="timed synchronous runs (median reported)")
    ap.add_argument("--diagnose", choices=("auto", "on", "off"), default="auto")
    ap.add_argument("--diagnose-replications", type=int, default=None, help="SimPy replications per diagnosis (default: --simpy-replications)")
    ap.add_argument("--jobs", type=int, default=1, help="processes for the diagnosis runs (the timed SimPy runs are always sequential)")
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    years, reps, seed, months = args.years, args.replications, args.seed, args.years * 12
    n_simpy = args.simpy_replications
    if n_simpy < 2:
        ap.error("--simpy-replications: at least 2 (a standard error needs two)")
    # the SimPy reference models neither the warm start of the Dublin pipeline nor a nareis backlog,
    # time-varying periods or a border capacity: it is compared on the baseline without them
    sc = reference_variant(load(packaged("baseline")))
    summary: dict = {"years": years, "replications": reps, "seed": seed, "simpy_replications": n_simpy,
                     "simpy_scale": args.simpy_scale, "workers": args.workers, "scenario": "baseline"}  # fmt: skip

    # --- 1. vectorised ---------------------------------------------------------------------
    print(f"vectorised: {years} years x {reps} replications", flush=True)
    _, warm = timed(run, sc, years=1, replications=10, seed=seed, scheduler="synchronous")
    sync_times, vec = [], None
    for _ in range(max(1, args.repeat)):
        vec, t = timed(run, sc, years=years, replications=reps, seed=seed, scheduler="synchronous")
        sync_times.append(t)
    t_sync = statistics.median(sync_times)
    rss_after_vec = maxrss()
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    traced = run(sc, years=years, replications=reps, seed=seed, scheduler="synchronous")
    _, trace_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del traced
    gc.collect()

    print(f"  synchronous: {t_sync:.2f} s (runs: {', '.join(f'{t:.2f}' for t in sync_times)})", flush=True)
    dask_res, t_dask = timed(run, sc, years=years, replications=reps, seed=seed, workers=args.workers)
    same = all(np.array_equal(dask_res.indicators[k], vec.indicators[k]) for k in vec.indicators)
    del dask_res
    print(f"  local Dask cluster, {args.workers} workers (start + run + stop): {t_dask:.2f} s; identical to synchronous: {same}", flush=True)

    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40) as cluster:
        run(sc, years=1, replications=2 * args.workers, seed=seed, scheduler=cluster.scheduler_address, chunk=1)  # warm the workers
        warm_times = []
        for _ in range(max(1, args.repeat)):
            _, t = timed(run, sc, years=years, replications=reps, seed=seed, scheduler=cluster.scheduler_address)
            warm_times.append(t)
    t_dask_warm = statistics.median(warm_times)
    print(f"  Dask cluster started beforehand, {args.workers} workers (run only): {t_dask_warm:.2f} s", flush=True)

    # --- 5. sweep scaling -----------------------------------------------------------------
    variants = sweep_variants(sc)
    n_sweep = args.sweep_replications
    sweep = {"variants": [v.name for v in variants], "replications_per_variant": n_sweep, "years": years}
    t0 = time.perf_counter()
    for v in variants:
        run(v, years=years, replications=n_sweep, seed=seed, scheduler="synchronous")
    sweep["synchronous_seconds"] = round(time.perf_counter() - t0, 3)
    for k in sorted({1, args.workers}):
        t0 = time.perf_counter()
        for v in variants:
            run(v, years=years, replications=n_sweep, seed=seed, workers=k)
        sweep[f"workers_{k}_seconds"] = round(time.perf_counter() - t0, 3)
        _, t = timed(run, sc, years=years, replications=len(variants) * n_sweep, seed=seed, workers=k)
        sweep[f"one_run_{len(variants) * n_sweep}_replications_workers_{k}_seconds"] = round(t, 3)
        print(f"  sweep, {k} worker(s): 4 runs {sweep[f'workers_{k}_seconds']:.2f} s; one run of {len(variants) * n_sweep}: {t:.2f} s", flush=True)
    if args.workers != 1:
        w = args.workers
        sweep["speedup_sweep"] = round(sweep["workers_1_seconds"] / sweep[f"workers_{w}_seconds"], 2)
        n4 = len(variants) * n_sweep
        sweep["speedup_one_run"] = round(
            sweep[f"one_run_{n4}_replications_workers_1_seconds"] / sweep[f"one_run_{n4}_replications_workers_{w}_seconds"], 2)  # fmt: skip
    rss_children = maxrss(resource.RUSAGE_CHILDREN)

    # --- 2. SimPy reference ---------------------------------------------------------------
    print(f"SimPy reference: {n_simpy} replications x {years} years" + (f" (scale {args.simpy_scale})" if args.simpy_scale != 1 else ""), flush=True)
    sim, simpy_times, ledger = simpy_runs(sc, n_simpy, months, seed, scale=args.simpy_scale)
    rss_after_simpy = maxrss()
    per_rep = statistics.mean(simpy_times) / args.simpy_scale  # a scaled-down run: its time scaled up (time ~ persons)
    t_simpy_scaled = per_rep * reps
    speedup = t_simpy_scaled / t_sync
    speedup_dask = t_simpy_scaled / t_dask

    # --- 3. agreement ---------------------------------------------------------------------
    names = MAIN + EXTRA
    vec_y = {k: vec.yearly(k) for k in names}
    sim_y = {k: ref.yearly(sim, k) for k in names}
    paired = draws_match(sc, n_simpy, months, seed)
    agreement = compare(sim_y, vec_y, names, paired)

    def verdict(table: dict, key: str) -> dict:
        return {k: ("agrees" if not row[f"years_beyond_{key}"] else f"differs in year(s) {row[f'years_beyond_{key}']}") for k, row in table.items()}

    diagnostics = {}
    flagged = [k for k, row in agreement.items() if paired and row["years_beyond_paired_z"]]
    n_diag = args.diagnose_replications or n_simpy
    if n_diag > n_simpy:  # a larger paired sample for the diagnosis: the default conventions too
        print(f"SimPy diagnosis: the reference as specified, {n_diag} replications", flush=True)
        s0, _, led0 = simpy_runs(sc, n_diag, months, seed, jobs=args.jobs, scale=args.simpy_scale)
        table = compare({k: ref.yearly(s0, k) for k in names}, vec_y, names, paired)
        diagnostics["as specified (FIFO, nareis after the delay)"] = {"options": {}, "replications": n_diag, "ledger_max_abs": led0,
                                                                       "agreement": table, "verdict_paired": verdict(table, "paired_z")}  # fmt: skip
    if args.diagnose == "on" or (args.diagnose == "auto" and flagged):
        for label, kw in (("with queues in random order (as model.py)", {"queue": "random"}),
                          ("with nareis one month later (model.py before its off-by-one fix)", {"nareis_lag": 1})):  # fmt: skip
            print(f"SimPy diagnosis: {label}", flush=True)
            s2, _, led2 = simpy_runs(sc, n_diag, months, seed, jobs=args.jobs, scale=args.simpy_scale, **kw)
            table = compare({k: ref.yearly(s2, k) for k in names}, vec_y, names, paired)
            diagnostics[label] = {"options": kw, "replications": n_diag, "ledger_max_abs": led2, "agreement": table,
                                  "verdict_paired": verdict(table, "paired_z")}  # fmt: skip

    summary.update({
        "vectorised_synchronous_seconds": round(t_sync, 3),
        "vectorised_synchronous_seconds_all_runs": [round(t, 3) for t in sync_times],
        "vectorised_dask_local_cluster_seconds": round(t_dask, 3),
        "vectorised_dask_prestarted_cluster_seconds": round(t_dask_warm, 3),
        "vectorised_dask_prestarted_cluster_seconds_all_runs": [round(t, 3) for t in warm_times],
        "dask_identical_to_synchronous": same,
        "warmup_seconds": round(warm, 3),
        "simpy_seconds_per_replication": [round(t, 2) for t in simpy_times],
        "simpy_scaled_seconds": round(t_simpy_scaled, 1),
        "speedup_vs_synchronous": round(speedup, 1),
        "speedup_vs_dask_local_cluster": round(speedup_dask, 1),
        "simpy_ledger_max_abs": ledger,
        "sweep": sweep,
        "memory": {
            "peak_rss_mib_after_vectorised": round(rss_after_vec / 1024**2, 1),
            "peak_rss_mib_after_simpy": round(rss_after_simpy / 1024**2, 1),
            "peak_rss_mib_dask_worker_processes": round(rss_children / 1024**2, 1),
            "tracemalloc_peak_mib_one_synchronous_run": round(trace_peak / 1024**2, 1),
        },
        "agreement_paired_available": paired,
        "agreement": agreement,
        "verdict_unpaired": verdict(agreement, "z"),
        "verdict_paired": verdict(agreement, "paired_z") if paired else None,
        "diagnostics": diagnostics,
        "targets": {"seconds": TARGET_SECONDS, "speedup": TARGET_SPEEDUP, "z_limit": Z_LIMIT},
        "meets": {"time_synchronous": t_sync <= TARGET_SECONDS, "time_dask": t_dask <= TARGET_SECONDS, "speedup": speedup >= TARGET_SPEEDUP},
        "environment": {"python": platform.python_version(), "numpy": np.__version__, "simpy": ref.simpy.__version__,
                        "dask": __import__("dask").__version__, "platform": platform.platform(),
                        "processor": platform.processor() or platform.machine(), "cpus": os.cpu_count()},  # fmt: skip
        "source": source_state(),
        "command": " ".join([".venv/bin/python", "benchmarks/bench_sim.py", *(argv if argv is not None else sys.argv[1:])]),
    })  # fmt: skip

    ok = {True: "yes", False: "NO"}
    n4 = len(variants) * n_sweep
    lines = [
        f"Simulation benchmark: baseline, {years} years x {reps:,} replications (seed {seed}); SimPy reference: {n_simpy} replications",
        "",
        f"{'measure':<58}{'value':>12}  target",
        f"{'-' * 58}{'-' * 12}  ------",
        f"{'vectorised, synchronous (median of runs)':<58}{t_sync:>10.2f} s  <= {TARGET_SECONDS:.0f} s: {ok[t_sync <= TARGET_SECONDS]}",
        f"{f'vectorised, local Dask cluster, {args.workers} workers (incl. start/stop)':<58}{t_dask:>10.2f} s  <= {TARGET_SECONDS:.0f} s: {ok[t_dask <= TARGET_SECONDS]}",
        f"{f'vectorised, Dask cluster started beforehand, {args.workers} workers':<58}{t_dask_warm:>10.2f} s",
        f"{'Dask results identical to synchronous':<58}{ok[same]:>12}",
        f"{'SimPy reference, per replication (mean)':<58}{statistics.mean(simpy_times):>10.1f} s",
        f"{f'SimPy reference, scaled to {reps:,} replications':<58}{t_simpy_scaled:>10.0f} s",
        f"{'speed-up vs synchronous':<58}{speedup:>10.0f} x  >= {TARGET_SPEEDUP:.0f}x: {ok[speedup >= TARGET_SPEEDUP]}",
        f"{f'speed-up vs local Dask cluster ({args.workers} workers, incl. start)':<58}{speedup_dask:>10.0f} x",
        f"{'SimPy conservation (max |ledger|, persons)':<58}{ledger:>12.0f}",
        f"{f'sweep 4 variants x {n_sweep}: synchronous':<58}{sweep['synchronous_seconds']:>10.2f} s",
    ]
    for k in sorted({1, args.workers}):
        lines.append(f"{f'sweep 4 variants x {n_sweep}: {k} worker(s) (4 run() calls)':<58}{sweep[f'workers_{k}_seconds']:>10.2f} s")
        lines.append(f"{f'one run of {n4:,} replications: {k} worker(s)':<58}{sweep[f'one_run_{n4}_replications_workers_{k}_seconds']:>10.2f} s")
    if "speedup_sweep" in sweep:
        lines.append(f"{f'Dask scaling 1 -> {args.workers} workers: sweep / one run':<58}{sweep['speedup_sweep']:>9.2f}x / {sweep['speedup_one_run']:.2f}x")
    mem = summary["memory"]
    lines += [
        f"{'peak RSS, this process, after the vectorised runs':<58}{mem['peak_rss_mib_after_vectorised']:>8.0f} MiB",
        f"{'peak RSS, this process, after the SimPy runs':<58}{mem['peak_rss_mib_after_simpy']:>8.0f} MiB",
        f"{'peak RSS, largest Dask worker process':<58}{mem['peak_rss_mib_dask_worker_processes']:>8.0f} MiB",
        f"{'tracemalloc peak, one synchronous run':<58}{mem['tracemalloc_peak_mib_one_synchronous_run']:>8.0f} MiB",
        "",
        f"Agreement per indicator (yearly; max over the {years} years of |difference| / standard error; limit {Z_LIMIT:.0f}):",
        f"(y{years}: year {years}; 'vec, same reps': the vectorised mean over the SimPy replications' parameter draws)",
        f"{'indicator':<26}{'SimPy y' + str(years):>10}{'vec y' + str(years):>10}{'vec, same reps':>16}{'unpaired max|z|':>17}{'paired max|z|':>15}"
        f"  unpaired / paired: years beyond {Z_LIMIT:.0f} SE",
    ]
    for k, row in agreement.items():
        pz = f"{row['max_abs_paired_z']:>11.1f} (y{row['year_of_max_paired_z']})" if paired else f"{'n/a':>15}"
        lines.append(f"{k:<26}{row['simpy_mean'][-1]:>10,.0f}{row['vec_mean'][-1]:>10,.0f}{row['vec_mean_same_replications'][-1]:>16,.0f}"
                     f"{row['max_abs_z']:>11.1f} (y{row['year_of_max_z']}){pz}  "
                     f"{row['years_beyond_z'] or '-'} / {row.get('years_beyond_paired_z', '') or '-'}")  # fmt: skip
    for label, dg in diagnostics.items():
        lines.append(f"\nDiagnosis - SimPy {label}, {dg['replications']} replications: paired difference (SimPy - vectorised) / SE, max over years")
        for k, row in dg["agreement"].items():
            y = row["year_of_max_paired_z"]
            lines.append(f"  {k:<26}{row['max_abs_paired_z']:>6.1f} (y{y}: {row['paired_diff'][y - 1]:+,.0f} +- {row['paired_se'][y - 1]:,.0f})"
                         f"  years beyond {Z_LIMIT:.0f} SE: {row['years_beyond_paired_z'] or '-'}")
    if not paired:
        lines.append("\n(paired comparison not available: the reference's draws differ from model.draw's)")
    print("\n".join(lines))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten: {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return summary


if __name__ == "__main__":
    main()
