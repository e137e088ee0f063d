"""Benchmark: peak memory of `asylum routes` streaming a large Parquet file, against the whole-file path.

    .venv/bin/python benchmarks/bench_routes_stream.py [--sizes 1000000 3000000 10000000]
        [--chunks 100000 250000] [--baseline-up-to 3000000] [--seed 1] [--workdir DIR]

For each size N:
1. ``asylum population -n N`` writes the population file (its peak RSS and time are reported too:
   it is written block by block);
2. ``asylum routes FILE -o OUT --chunk C`` for each chunk size C;
3. up to ``--baseline-up-to`` cases, the whole-file path as it was before streaming (the file read
   at once, routed in slices of 250 000, the results joined and written), the baseline of the ratio.

Every run is a child process; its peak resident memory is its own ``ru_maxrss`` from ``os.wait4``
(not the parent's, not another child's). Flat memory means the streamed peak at 10M is close to
the peak at 1M; the ratio to the baseline shows what streaming saves. Writes
benchmarks/results/routes_stream.json with the commit measured.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import source_state  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "routes_stream.json"
ASYLUM = [sys.executable, "-m", "asylumengine.cli.main"]
WHOLE_FILE = """
import sys, polars as pl
from asylumengine.routes import evaluate_population
from asylumengine.routes.columns import read_population, write_parquet
table = read_population(sys.argv[1])
parts = [evaluate_population(table.slice(s, 250_000)) for s in range(0, table.height, 250_000)]
write_parquet(pl.concat(parts), sys.argv[2])
"""


def child(cmd: list[str]) -> dict:
    """Run ``cmd``; its wall time and its own peak RSS (``wait4`` rusage, KiB on Linux)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return {"seconds": round(seconds, 2), "peak_rss_bytes": rss, "peak_rss_mib": round(rss / 1024**2, 1)}


def rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows


def measure(n: int, chunks: list[int], baseline: bool, seed: int, work: Path) -> dict:
    pop, out = work / f"pop-{n}.parquet", work / f"routes-{n}.parquet"
    entry = {"n": n, "population": child([*ASYLUM, "population", "-n", str(n), "--seed", str(seed), "-o", str(pop)])}
    entry["population_file_mib"] = round(pop.stat().st_size / 1024**2, 1)
    print(f"{n:>12,} population written  {entry['population']['peak_rss_mib']:>8.0f} MiB  {entry['population']['seconds']:>7.1f} s", flush=True)
    entry["streamed"] = {}
    for chunk in chunks:
        run = child([*ASYLUM, "routes", str(pop), "-o", str(out), "--chunk", str(chunk)])
        assert rows(out) == n, "every case routed"
        entry["streamed"][str(chunk)] = run
        print(f"{n:>12,} routes --chunk {chunk:<9,} {run['peak_rss_mib']:>8.0f} MiB  {run['seconds']:>7.1f} s", flush=True)
    if baseline:
        run = child([sys.executable, "-c", WHOLE_FILE, str(pop), str(out)])
        assert rows(out) == n
        entry["whole_file"] = run
        print(f"{n:>12,} whole-file path       {run['peak_rss_mib']:>8.0f} MiB  {run['seconds']:>7.1f} s", flush=True)
    for path in (pop, out):
        path.unlink(missing_ok=True)
    return entry


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 3_000_000, 10_000_000])
    ap.add_argument("--chunks", type=int, nargs="+", default=[100_000, 250_000])
    ap.add_argument("--baseline-up-to", type=int, default=3_000_000, help="largest N also run through the whole-file path")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", type=Path, default=None, help="where the population files go (default: a temporary folder)")
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-routes-stream-", dir=args.workdir) as tmp:
        runs = [measure(n, args.chunks, n <= args.baseline_up_to, args.seed, Path(tmp)) for n in sorted(args.sizes)]
    smallest, largest = runs[0], runs[-1]
    flat = {c: round(largest["streamed"][c]["peak_rss_bytes"] / smallest["streamed"][c]["peak_rss_bytes"], 3) for c in smallest["streamed"]}
    saved = {str(r["n"]): {c: round(r["streamed"][c]["peak_rss_bytes"] / r["whole_file"]["peak_rss_bytes"], 3) for c in r["streamed"]}
             for r in runs if "whole_file" in r}  # fmt: skip
    summary = {
        "runs": runs,
        "peak_ratio_largest_to_smallest": {"sizes": [smallest["n"], largest["n"]], "by_chunk": flat},
        "peak_ratio_streamed_to_whole_file": saved,
        "environment": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
                        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 1)},  # fmt: skip
        "source": source_state(),
        "command": " ".join([Path(sys.executable).name, "benchmarks/bench_routes_stream.py", *(argv if argv is not None else sys.argv[1:])]),
    }
    print(f"\npeak RSS at {largest['n']:,} / at {smallest['n']:,} cases, by chunk: {flat}")
    print(f"peak RSS streamed / whole-file path: {saved}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(f"written: {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return summary


if __name__ == "__main__":
    main()
