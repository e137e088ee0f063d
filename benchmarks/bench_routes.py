"""Benchmark: procedural routes for a synthetic population, vectorised vs one case at a time.

    .venv/bin/python benchmarks/bench_routes.py [--n 1000000] [--sample 2000] [--seed 1] [--profile 200000]

1. generates N synthetic cases (``asylumengine.routes.synth``; timed on its own);
2. times the full vectorised evaluation over the N cases: ``evaluate`` + ``results_table``;
3. times the one-case path, ``route(case)`` in a Python loop, over a sample of the same cases
   (rebuilt as pydantic cases first, not timed), and scales it to N;
4. measures peak memory: the process's ``ru_maxrss`` and the tracemalloc peak of one
   evaluation (a separate, traced run: tracing slows allocation, so it is not the timed run).

One-time costs (parameter files, holiday calendars) are paid by a warm-up on 1 000 cases
before anything is timed, and reported. Prints a summary table and writes it as JSON to
benchmarks/results/routes.json. Targets (issue): N = 1 000 000 in <= 2 s, >= 100x faster
than the loop, peak memory < 2 GiB. ``--profile ROWS`` adds a cProfile of ``evaluate`` on
ROWS cases (top functions by own time).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

sys.path.insert(0, str(ROOT / "benchmarks"))

from common import maxrss, source_state, timed  # noqa: E402

from asylumengine.io.memory import few_malloc_arenas  # noqa: E402

few_malloc_arenas()  # as the `asylum` command does, before numpy starts its threads (io/memory.py)

from asylumengine.routes import route  # noqa: E402
from asylumengine.routes.engine import evaluate, results_table  # noqa: E402
from asylumengine.routes.synth import cases_from_population, synthetic_population  # noqa: E402

TARGET_SECONDS_PER_MILLION = 2.0
TARGET_SPEEDUP = 100.0
TARGET_PEAK_BYTES = 2 * 1024**3
RESULTS = ROOT / "benchmarks" / "results" / "routes.json"








def profile_evaluate(rows: int, seed: int, top: int = 20) -> str:
    pop = synthetic_population(rows, seed=seed)
    prof = cProfile.Profile()
    prof.enable()
    evaluate(pop)
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("tottime").print_stats(top)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="cases in the population (default 1 000 000)")
    ap.add_argument("--sample", type=int, default=2000, help="cases routed one at a time (default 2 000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--profile", type=int, default=0, metavar="ROWS", help="also cProfile evaluate on ROWS cases")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of the vectorised path; the median is reported")
    args = ap.parse_args(argv)
    n, sample = args.n, min(args.sample, args.n)

    # warm-up: parameters, holiday calendars, lazy imports
    _, warmup = timed(lambda: results_table(p := synthetic_population(1000, seed=args.seed + 1), evaluate(p)))
    route(cases_from_population(synthetic_population(10, seed=args.seed + 1), [0])[0])

    pop, t_gen = timed(synthetic_population, n, seed=args.seed)
    gc.collect()

    runs = []
    for _ in range(max(1, args.repeat)):  # machines are noisy: several runs, median reported
        results, t_eval = timed(evaluate, pop)
        table, t_table = timed(results_table, pop, results)
        assert table.height == n
        runs.append((t_eval + t_table, t_eval, t_table))
        del table, results
        gc.collect()
    runs.sort()
    t_vector, t_eval, t_table = runs[len(runs) // 2]
    t_vector_min = runs[0][0]
    run_list = ", ".join(f"{r[0]:.2f}" for r in runs)

    rows = np.sort(np.random.default_rng(args.seed).choice(n, size=sample, replace=False))
    cases, t_rebuild = timed(cases_from_population, pop, rows)
    t0 = time.perf_counter()
    for case in cases:
        route(case)
    t_loop = time.perf_counter() - t0
    per_case = t_loop / sample
    t_loop_scaled = per_case * n

    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    traced = evaluate(pop)
    results_table(pop, traced)
    _, trace_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del traced

    rss = maxrss()
    speedup = t_loop_scaled / t_vector
    vector_per_million = t_vector / n * 1e6
    summary = {
        "n": n,
        "sample": sample,
        "seed": args.seed,
        "generate_seconds": round(t_gen, 3),
        "warmup_seconds": round(warmup, 3),
        "evaluate_seconds": round(t_eval, 3),
        "results_table_seconds": round(t_table, 3),
        "vectorised_seconds": round(t_vector, 3),
        "vectorised_seconds_all_runs": [round(r[0], 3) for r in runs],
        "vectorised_seconds_min": round(t_vector_min, 3),
        "vectorised_seconds_per_million": round(vector_per_million, 3),
        "rebuild_sample_seconds": round(t_rebuild, 3),
        "loop_sample_seconds": round(t_loop, 3),
        "loop_ms_per_case": round(per_case * 1e3, 3),
        "loop_scaled_seconds": round(t_loop_scaled, 1),
        "speedup": round(speedup, 1),
        "peak_rss_bytes": rss,
        "peak_rss_mib": round(rss / 1024**2, 1),
        "tracemalloc_peak_evaluation_bytes": trace_peak,
        "tracemalloc_peak_evaluation_mib": round(trace_peak / 1024**2, 1),
        "targets": {
            "seconds_per_million": TARGET_SECONDS_PER_MILLION,
            "speedup": TARGET_SPEEDUP,
            "peak_bytes": TARGET_PEAK_BYTES,
        },
        "meets": {
            "time": vector_per_million <= TARGET_SECONDS_PER_MILLION,
            "speedup": speedup >= TARGET_SPEEDUP,
            "memory": rss < TARGET_PEAK_BYTES,
        },
        "environment": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(),
        },
        "source": source_state(),
        "command": " ".join([Path(sys.executable).name, "benchmarks/bench_routes.py", *(argv if argv is not None else sys.argv[1:])]),
    }

    ok = {True: "yes", False: "NO"}
    lines = [
        f"Routes benchmark: {n:,} synthetic cases (seed {args.seed}), one-case loop over {sample:,}",
        "",
        f"{'measure':<42}{'value':>16}  target",
        f"{'-' * 42}{'-' * 16}  ------",
        f"{'generate population':<42}{t_gen:>14.2f} s",
        f"{'evaluate':<42}{t_eval:>14.2f} s",
        f"{'results_table':<42}{t_table:>14.2f} s",
        f"{'vectorised total, median of runs':<42}{t_vector:>14.2f} s  (runs: {run_list})  <= {TARGET_SECONDS_PER_MILLION:.0f} s per million: "
        f"{ok[summary['meets']['time']]} ({vector_per_million:.2f} s per million)",
        f"{'one-case loop, per case':<42}{per_case * 1e3:>13.2f} ms",
        f"{'one-case loop, scaled to N':<42}{t_loop_scaled:>14.1f} s",
        f"{'speed-up (loop / vectorised)':<42}{speedup:>14.1f} x  >= {TARGET_SPEEDUP:.0f}x: {ok[summary['meets']['speedup']]}",
        f"{'peak RSS (ru_maxrss, whole run)':<42}{rss / 1024**2:>12.0f} MiB  < 2048 MiB: {ok[summary['meets']['memory']]}",
        f"{'tracemalloc peak (evaluate + table)':<42}{trace_peak / 1024**2:>12.0f} MiB",
        f"{'warm-up (1 000 cases, not counted)':<42}{warmup:>14.2f} s",
    ]
    print("\n".join(lines))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten: {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")

    if args.profile:
        print(f"\ncProfile of evaluate on {args.profile:,} cases (top by own time):")
        print(profile_evaluate(args.profile, args.seed))
    return summary


if __name__ == "__main__":
    main()
