"""Benchmark: the engine on a case or a few - what the REST API evaluates in its micro-batches.

    .venv/bin/python benchmarks/bench_small_routes.py [--repeat 30]
    PYTHONPATH=<clone of an older commit>/src .venv/bin/python benchmarks/bench_small_routes.py   # the same on older code

``evaluate`` of each example case alone (examples/cases/*.yaml, without ``expect`` and
``return_regime``) and of the first 8 together: wall time, the minimum of ``--repeat`` runs (other
processes on the machine only ever add time), the mean over the cases. Run the two commits one
after the other, in turns, for a before/after; the engine read is printed (``engine_from``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from common import ROOT, source_state  # noqa: E402

import asylumengine  # noqa: E402
from asylumengine.routes import Case  # noqa: E402
from asylumengine.routes.columns import population_from_cases  # noqa: E402
from asylumengine.routes.engine import evaluate  # noqa: E402


def example_cases() -> list[Case]:
    out = []
    for path in sorted((ROOT / "examples" / "cases").glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        raw.pop("expect", None)
        raw.pop("return_regime", None)
        out.append(Case.model_validate(json.loads(json.dumps(raw, default=str))))
    return out


def fastest(pop, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        evaluate(pop)
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=30)
    a = ap.parse_args()
    cases = example_cases()
    singles, eight = [population_from_cases([c]) for c in cases], population_from_cases(cases[:8])
    for pop in (*singles, eight):  # warm: parameters read, calendars and tables built
        evaluate(pop)
    one = statistics.fmean(fastest(p, a.repeat) for p in singles)
    result = {"command": " ".join(["benchmarks/bench_small_routes.py", *sys.argv[1:]]), "engine_from": str(Path(asylumengine.__file__).parent),
              "cases": len(cases), "evaluate_one_case_ms": round(one * 1e3, 3), "evaluate_eight_cases_ms": round(fastest(eight, a.repeat) * 1e3, 3),
              **source_state()}  # fmt: skip
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
