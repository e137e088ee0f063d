"""A steady load on the real server for a bounded time, with its memory sampled (outside CI).

    .venv/bin/python benchmarks/load_api.py --duration 600 --route-rate 100 --solidarity-rate 4 --explain-rate 4

Starts ``asylum serve`` on a free loopback port (``--workers`` uvicorn processes), then offers a
fixed rate of requests (open loop: each request has a scheduled time and its latency counts from
it, so a server falling behind shows): single-case routes (each a distinct case id), solidarity
cycles and article explanations. Every ``--sample`` seconds it reads the resident memory (RSS) of
the server's processes (psutil; /proc when psutil is missing). Reports per kind: requests, errors,
achieved rate (answers within the run), p50/p95/max latency; memory: start (after the warm-up), end, max and the slope
(least squares, MiB per minute, over the whole run and its second half). Stops the server at the end.
Results: benchmarks/results/load_api.json (with the commit).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from asylumengine.api import local  # noqa: E402
from bench_api import cases, read_response, start_server  # noqa: E402
from common import ROOT, source_state  # noqa: E402

MiB = 2**20


def rss_of_tree(pid: int) -> int:
    """Resident bytes of a process and all its descendants."""
    try:
        import psutil
    except ImportError:
        return _rss_proc(pid)
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def _rss_proc(pid: int) -> int:
    children: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(d.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        try:
            pages = int(Path(f"/proc/{p}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        total += pages * os.sysconf("SC_PAGE_SIZE")
    return total


def requests_of(kind: str, k: int, n: int, bodies: list[dict]) -> tuple[bytes, bytes | None]:
    """The raw request and the bytes its answer must contain."""
    if kind == "route":
        case_id = f"load-{k}-{n}"
        body = json.dumps(dict(bodies[n % len(bodies)], id=case_id)).encode()
        head = f"POST /api/route HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        return head.encode() + body, f'"case_id":"{case_id}"'.encode()
    if kind == "solidarity":
        state = ("NL", "DE", "IT", "GR", "FR", "PL")[n % 6]
        body = json.dumps({"state": state}).encode()
        head = f"POST /api/solidarity HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        return head.encode() + body, b'"focus"'
    article = ("APR%20Art%2042", "AMMR%20Art%2039", "AMMR%20Art%2063", "APR%20Art%2051")[n % 4]
    return f"GET /api/explain?article={article} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode(), b'"rules"'


async def client(port: int, kind: str, k: int, interval: float, start: float, until: float, out: dict, bodies: list[dict]) -> None:
    """One keep-alive connection sending ``kind`` requests every ``interval`` seconds (open loop)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    due, n = start + interval * (k % 97) / 97, k
    try:
        while due < until:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            raw, expect = requests_of(kind, k, n, bodies)
            try:
                writer.write(raw)
                await writer.drain()
                status, answer = await asyncio.wait_for(read_response(reader), 60)
            except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError) as exc:
                out["errors"].append(f"{kind}: {exc!r}")
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                status, answer = 0, b""
            if status == 200 and expect in answer:
                done = time.perf_counter()
                out["lat"].append(done - due)
                out["in_window"] += done <= until
            elif status:
                out["errors"].append(f"{kind} {status}: {answer[:200]!r}")
            due += interval
            n += 1000
    finally:
        writer.close()


async def sampler(pid: int, every: float, start: float, until: float, samples: list) -> None:
    while time.perf_counter() < until:
        samples.append((round(time.perf_counter() - start, 1), rss_of_tree(pid)))
        await asyncio.sleep(every)
    samples.append((round(time.perf_counter() - start, 1), rss_of_tree(pid)))


def summary(out: dict, duration: float) -> dict:
    lat = sorted(out["lat"])
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [float("nan")] * 99
    return {"requests_ok": len(lat), "errors": len(out["errors"]), "error_samples": out["errors"][:5],
            "per_s": round(out["in_window"] / duration, 1), "answered_after_the_end": len(lat) - out["in_window"], "p50_ms": round(q[49] * 1000, 1), "p95_ms": round(q[94] * 1000, 1),
            "max_ms": round(lat[-1] * 1000, 1) if lat else None}  # fmt: skip


def memory(samples: list) -> dict:
    t = np.array([s[0] for s in samples], dtype=float)
    m = np.array([s[1] for s in samples], dtype=float) / MiB
    half = t >= t[-1] / 2

    def slope(mask):
        return round(float(np.polyfit(t[mask] / 60, m[mask], 1)[0]), 3) if mask.sum() > 2 else None

    return {"start_mib": round(m[0], 1), "end_mib": round(m[-1], 1), "max_mib": round(m.max(), 1), "min_mib": round(m.min(), 1),
            "slope_mib_per_min": slope(np.ones_like(t, bool)), "slope_second_half_mib_per_min": slope(half),
            "samples": [[float(a), round(float(b), 1)] for a, b in zip(t, m)]}  # fmt: skip


async def run(port: int, pid: int, a) -> dict:
    bodies = cases()
    rates = {"route": a.route_rate, "solidarity": a.solidarity_rate, "explain": a.explain_rate}
    start = time.perf_counter() + a.warmup
    until = start + a.duration
    outs = {kind: {"lat": [], "errors": [], "in_window": 0} for kind in rates}
    samples: list = []
    tasks = [sampler(pid, a.sample, start, until, samples)]
    for kind, rate in rates.items():
        conns = max(1, int(np.ceil(rate / a.per_connection)))  # enough connections that none waits for its own answer
        tasks += [client(port, kind, k, conns / rate, start, until, outs[kind], bodies) for k in range(conns) if rate > 0]
    warm = [client(port, "route", 10_000 + k, 0.05, time.perf_counter(), start, {"lat": [], "errors": [], "in_window": 0}, bodies) for k in range(2)]
    await asyncio.gather(*warm, *tasks)
    return {"per_kind": {k: summary(v, a.duration) for k, v in outs.items() if rates[k] > 0},
            "errors": sum(len(v["errors"]) for v in outs.values()), "memory": memory([s for s in samples if s[0] >= 0])}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration", type=float, default=600.0, help="seconds of steady load (after the warm-up)")
    ap.add_argument("--warmup", type=float, default=10.0)
    ap.add_argument("--route-rate", type=float, default=100.0, help="single-case routes per second")
    ap.add_argument("--solidarity-rate", type=float, default=4.0, help="solidarity cycles per second")
    ap.add_argument("--explain-rate", type=float, default=4.0, help="article explanations per second")
    ap.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    ap.add_argument("--per-connection", type=float, default=2.0, help="requests per second on one keep-alive connection")
    ap.add_argument("--sample", type=float, default=5.0, help="seconds between memory samples")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "load_api.json")
    a = ap.parse_args()
    proc, port = start_server(a.workers, 128)
    load_before = os.getloadavg()
    try:
        result = asyncio.run(run(port, proc.pid, a))
    finally:
        local.stop(proc)
    result = {"command": " ".join(["benchmarks/load_api.py", *sys.argv[1:]]), "duration_s": a.duration, "workers": a.workers,
              "offered_per_s": {"route": a.route_rate, "solidarity": a.solidarity_rate, "explain": a.explain_rate},
              "cpu_count": os.cpu_count(), "load_average_before": load_before, "load_average_after": os.getloadavg(),
              **result, **source_state()}  # fmt: skip
    tmp = a.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(result, indent=2) + "\n")
    tmp.replace(a.out)
    short = {k: v for k, v in result.items() if k != "memory"} | {"memory": {k: v for k, v in result["memory"].items() if k != "samples"}}
    print(json.dumps(short, indent=2))


if __name__ == "__main__":
    main()
