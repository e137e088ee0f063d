"""Crash safety of the run store (outside CI; about a minute): kill -9 the real server while
jobs are running and being written, restart it on the same store, and check

- every run the client saw finished is there, with the very result it read before the kill;
- no partial run: every stored run has its result (done) or its error (failed), and jobs that
  were still running at the kill are not visible (404);
- SQLite's `PRAGMA integrity_check` says ok.

    PYTHONPATH=src python tests/stress/crash_store.py [--rounds 5] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).parents[1]))
from test_store_server import new_token, start  # noqa: E402 - the same server start as the restart test

from asylumengine.store import dispose, engine_for, integrity_check  # noqa: E402


def one_round(store: Path, auth: dict, rng: random.Random, seen: dict[str, dict]) -> tuple[int, list[str]]:
    """Start jobs, read the finished ones, kill -9 at a random moment; (jobs started, ids unfinished)."""
    proc, base = start(store)
    started, pending = 0, []
    deadline = time.monotonic() + rng.uniform(3, 12)
    try:
        while time.monotonic() < deadline:
            body = {"scenarios": [{"id": "baseline"}], "years": rng.choice([1, 2]), "replications": rng.choice([2, 20, 400]), "seed": rng.randrange(1000)}
            r = httpx.post(f"{base}/api/jobs", json=body, headers=auth, timeout=10)
            if r.status_code == 202:
                started += 1
                pending.append(r.json()["id"])
            for jid in list(pending):
                s = httpx.get(f"{base}/api/jobs/{jid}", headers=auth, timeout=10).json()
                if s["status"] == "done":
                    seen[jid] = httpx.get(f"{base}/api/jobs/{jid}/result", headers=auth, timeout=10).json()
                    pending.remove(jid)
            time.sleep(rng.uniform(0, 0.05))
    finally:
        proc.kill()  # SIGKILL: no shutdown, no flush
        proc.wait(10)
    return started, pending


def check(store: Path, auth: dict, seen: dict[str, dict], unfinished: list[str]) -> dict:
    proc, base = start(store)
    try:
        lost = [j for j, res in seen.items() if httpx.get(f"{base}/api/jobs/{j}/result", headers=auth, timeout=30).json() != res]
        statuses = {j: httpx.get(f"{base}/api/jobs/{j}", headers=auth, timeout=10) for j in unfinished}
    finally:
        proc.terminate()
        proc.wait(15)
    engine = engine_for(store)
    with engine.connect() as conn:
        runs = conn.execute(text("SELECT count(*) FROM runs")).scalar()
        partial = conn.execute(text("SELECT count(*) FROM runs r LEFT JOIN results x ON x.run_id = r.id "
                                    "WHERE (r.status = 'done' AND x.run_id IS NULL) OR (r.status = 'failed' AND r.error IS NULL)")).scalar()  # fmt: skip
    ok = integrity_check(engine)
    dispose(store)
    # a job unfinished when polled may have finished (and been written whole) before the kill
    running_visible = [j for j, r in statuses.items() if r.status_code == 200 and r.json()["status"] != "done"]
    return {"stored": runs, "seen_done": len(seen), "lost_or_changed": len(lost), "partial": partial,
            "unfinished_at_kill": len(unfinished), "of_them_stored_whole": sum(r.status_code == 200 for r in statuses.values()),
            "running_visible_after_restart": len(running_visible), "integrity": ok}  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.environ["ASYLUM_JOBS_PER_TOKEN"] = "6"
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "runs.sqlite"
        auth = new_token(store, "crash")
        seen: dict[str, dict] = {}
        bad = False
        for n in range(args.rounds):
            started, unfinished = one_round(store, auth, rng, seen)
            figures = check(store, auth, seen, unfinished)
            print(f"round {n + 1}: started {started}, {figures}")
            bad |= bool(figures["lost_or_changed"] or figures["partial"] or figures["running_visible_after_restart"]
                        or figures["integrity"] != "ok")  # fmt: skip
    print("FAIL" if bad else "OK: every finished run intact, no partial run, integrity ok")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
