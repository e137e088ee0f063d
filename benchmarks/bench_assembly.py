"""Benchmark: the per-case cost around the engine on the single-case path (the REST API's ``POST /api/route``).

    .venv/bin/python benchmarks/bench_assembly.py [--repeat 200] [--profile]

For each of the example cases (examples/cases/*.yaml, without their ``expect`` and
``return_regime`` keys) it times, in CPU time (``time.process_time``, the minimum over
``--repeat`` runs, so that other processes on the machine disturb it less):

- ``population_from_cases([case])``: one case as columns, before the evaluation;
- ``case_route(case, pop, results, 0, lang).model_dump_json()``: the route of an evaluated row
  as JSON, after the evaluation (``en``; ``nl`` is reported as well).

and prints the minimum and the median over the cases, in milliseconds per case. Targets: route
assembly with its JSON <= 0.15 ms, population of one case <= 0.08 ms (median). The figures are
those of the code checked out (the commit is printed); there is no before/after in one run.
``--profile`` adds a cProfile of the assembly over all cases (top functions by own time).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import source_state  # noqa: E402

from asylumengine.routes import Case, case_route  # noqa: E402
from asylumengine.routes.columns import population_from_cases  # noqa: E402
from asylumengine.routes.engine import evaluate  # noqa: E402

EXAMPLE_KEYS = ("expect", "return_regime")


def example_cases() -> list[tuple[str, Case]]:
    out = []
    for path in sorted((ROOT / "examples" / "cases").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in EXAMPLE_KEYS:
            data.pop(key, None)
        out.append((path.stem, Case.model_validate(data)))
    return out


def cpu_min(fn, repeat: int, inner: int = 10) -> float:
    """The least CPU time of one call, in ms: the minimum over ``repeat`` runs of ``inner`` calls."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        for _ in range(inner):
            fn()
        best = min(best, (time.process_time() - t0) / inner)
    return best * 1e3


def measure(cases: list[tuple[str, Case]], repeat: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"population_from_cases": [], "case_route_json_en": [], "case_route_json_nl": []}
    for _, case in cases:
        pop = population_from_cases([case])
        results = evaluate(pop)
        out["population_from_cases"].append(cpu_min(lambda: population_from_cases([case]), repeat))
        for lang in ("en", "nl"):
            out[f"case_route_json_{lang}"].append(cpu_min(lambda: case_route(case, pop, results, 0, lang).model_dump_json(), repeat))
    return out


def profile(cases: list[tuple[str, Case]], rounds: int = 20) -> str:
    evaluated = [(case, population_from_cases([case])) for _, case in cases]
    evaluated = [(case, pop, evaluate(pop)) for case, pop in evaluated]
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(rounds):
        for case, pop, results in evaluated:
            case_route(case, pop, results, 0, "en").model_dump_json()
            population_from_cases([case])
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(20)
    return buf.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=200, help="runs per case (the minimum is kept)")
    ap.add_argument("--profile", action="store_true", help="add a cProfile of the assembly")
    args = ap.parse_args()
    cases = example_cases()
    for _, case in cases:  # warm-up: catalogues, holiday calendars, parameter files
        case_route(case, pop := population_from_cases([case]), evaluate(pop), 0, "nl").model_dump_json()
    figures = measure(cases, args.repeat)
    state = source_state()
    print(f"commit {state['git_commit'][:12]}" + (" (uncommitted changes in src)" if state["uncommitted_src_files"] else ""))
    print(f"{len(cases)} example cases, CPU time per case in ms (minimum of {args.repeat} runs of 10 calls)")
    print(f"{'':32} {'min':>8} {'median':>8} {'max':>8}")
    for name, values in figures.items():
        print(f"{name:32} {min(values):8.3f} {statistics.median(values):8.3f} {max(values):8.3f}")
    if args.profile:
        print(profile(cases))


if __name__ == "__main__":
    main()
