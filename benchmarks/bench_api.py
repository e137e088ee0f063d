"""Single-case routes per second through the real server: N concurrent clients on loopback.

    .venv/bin/python benchmarks/bench_api.py --clients 50 --duration 10 --workers 2 --rates 500,750,1000 --repeat 3 [--baseline]

Starts ``asylum serve`` on a free loopback port, warms up, then lets ``--clients`` asyncio clients
(one keep-alive connection each) post the example cases in turn (each request a distinct case id,
so nothing can be answered from a cache) for ``--duration`` seconds. Reports routes/s, p50, p95
and max latency and errors. The clients share the two cores with the server, so the figures are
a floor. Results: benchmarks/results/api.json.

Two loads:
- closed loop: each client sends its next request when the answer is in - the most the server
  does, at whatever latency that costs. Throughput and latency are tied by Little's law: 50
  requests always in flight at p95 = 20 ms would need about 2,500 routes/s.
- open loop at ``--rates`` R: the 50 clients together offer R requests/s on a fixed schedule,
  latency counted from each request's scheduled time (no coordinated omission).
The target (500 routes/s with p95 <= 20 ms and 0 errors) is judged on the open-loop run at 500/s,
the one load at which 50 clients can see both; ``--repeat`` runs it that many times (each
reported; the median decides). ``--baseline`` also measures the closed loop without
micro-batching (``ASYLUM_ROUTE_BATCH=1``) and gives the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from common import ROOT, source_state  # noqa: E402

from asylumengine.api import local  # noqa: E402

TARGET = {"routes_per_s": 500, "p95_ms": 20, "errors": 0}


def cases() -> list[dict]:
    out = []
    for path in sorted((ROOT / "examples" / "cases").glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        raw.pop("expect", None)
        out.append(json.loads(json.dumps(raw, default=str)))
    return out


def start_server(workers: int, batch: int) -> tuple[subprocess.Popen, int]:
    proc, base = local.start("--workers", str(workers), env={"ASYLUM_ROUTE_BATCH": str(batch)})
    return proc, int(base.rsplit(":", 1)[1])


async def client(port: int, bodies: list[dict], k: int, until: float, lat: list, errors: list, start: float,
                 interval: float | None = None) -> None:
    """One keep-alive HTTP/1.1 connection posting cases in turn. A bare asyncio client: httpx's pool
    costs more CPU than the server at this rate and would measure itself (tried: ~60 req/s)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    n = k
    due = start - 1.0 + (interval or 0) * k / 50  # open loop: this client's first send, spread over the clients
    try:
        while time.perf_counter() < until:
            if interval:  # wait for the request's scheduled time; latency counts from it (no coordinated omission)
                due += interval
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
            case_id = f"bench-{k}-{n}"
            body = json.dumps(dict(bodies[n % len(bodies)], id=case_id)).encode()
            head = f"POST /api/route HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
            t0 = due if interval else time.perf_counter()
            writer.write(head.encode() + body)
            await writer.drain()
            status, answer = await read_response(reader)
            t1 = time.perf_counter()
            ok = status == 200 and f'"case_id":"{case_id}"'.encode() in answer
            if t0 >= start:  # after the warm-up
                (lat.append(t1 - t0) if ok else errors.append(f"{status}: {answer[:200]!r}"))
            n += len(bodies)
    finally:
        writer.close()


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    length = next(int(v.split(b":", 1)[1]) for v in lines if v.lower().startswith(b"content-length:"))
    return int(lines[0].split()[1]), await reader.readexactly(length)


async def load(port: int, clients: int, duration: float, warmup: float, rate: float | None = None) -> dict:
    bodies = cases()
    lat: list[float] = []
    errors: list[str] = []
    start = time.perf_counter() + warmup
    until = start + duration
    interval = clients / rate if rate else None
    await asyncio.gather(*(client(port, bodies, k, until, lat, errors, start, interval) for k in range(clients)))
    lat.sort()
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [float("nan")] * 99
    return {"routes_per_s": round(len(lat) / duration, 1), "requests": len(lat), "errors": len(errors), "error_samples": errors[:3],
            "p50_ms": round(q[49] * 1000, 2), "p95_ms": round(q[94] * 1000, 2), "max_ms": round(lat[-1] * 1000, 2) if lat else None}  # fmt: skip


def measure(clients: int, duration: float, warmup: float, workers: int, batch: int, rates: list[float] = (), repeat: int = 1) -> dict:
    proc, port = start_server(workers, batch)
    try:
        out = {"closed_loop": asyncio.run(load(port, clients, duration, warmup))}
        for rate in rates:
            runs = [asyncio.run(load(port, clients, duration, warmup, rate)) for _ in range(repeat if rate == TARGET["routes_per_s"] else 1)]
            out[f"open_loop_{int(rate)}_per_s"] = runs[0] if len(runs) == 1 else {"runs": runs, **median_run(runs)}
        return out
    finally:
        local.stop(proc)


def median_run(runs: list[dict]) -> dict:
    """The run whose p95 is the median of the runs' (its figures, not a mix of runs)."""
    return dict(sorted(runs, key=lambda r: r["p95_ms"])[len(runs) // 2])


def meets(run: dict) -> bool:
    return run["routes_per_s"] >= TARGET["routes_per_s"] and run["p95_ms"] <= TARGET["p95_ms"] and run["errors"] == 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--duration", type=float, default=10.0)
    ap.add_argument("--warmup", type=float, default=2.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rates", default="500", help="open-loop loads to offer, requests/s in total, comma-separated (500 is judged)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of the open loop at 500/s (the median decides)")
    ap.add_argument("--baseline", action="store_true", help="also measure without micro-batching, for the ratio")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "api.json")
    a = ap.parse_args()
    rates = sorted({float(r) for r in a.rates.split(",") if r.strip()} | {float(TARGET["routes_per_s"])})
    result = {"command": " ".join(["benchmarks/bench_api.py", *sys.argv[1:]]), "clients": a.clients, "duration_s": a.duration,
              "workers": a.workers, "cpu_count": os.cpu_count(), "load_average_before": os.getloadavg(), "target": TARGET,
              "batched": measure(a.clients, a.duration, a.warmup, a.workers, 128, rates, a.repeat), **source_state()}  # fmt: skip
    if a.baseline:
        result["unbatched"] = measure(a.clients, a.duration, a.warmup, a.workers, 1)
        result["speedup_vs_unbatched"] = round(result["batched"]["closed_loop"]["routes_per_s"]
                                               / max(result["unbatched"]["closed_loop"]["routes_per_s"], 1e-9), 2)  # fmt: skip
    judged = result["batched"][f"open_loop_{TARGET['routes_per_s']}_per_s"]
    result["meets_target"] = meets(judged) and result["batched"]["closed_loop"]["errors"] == 0
    result["judged_on"] = f"open loop at {TARGET['routes_per_s']} requests/s offered by {a.clients} clients (median of {a.repeat})"
    tmp = a.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(result, indent=2) + "\n")
    tmp.replace(a.out)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
