"""Results survive a restart: the real server (`asylum serve --store`) runs a job, is stopped,
started again on the same store, and serves the same result to the same token only."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import httpx

from asylumengine.api import local
from asylumengine.api.local import stop

CLI = [sys.executable, "-m", "asylumengine.cli.main"]


def start(store) -> tuple[subprocess.Popen, str]:
    return local.start("--store", str(store), env={"ASYLUM_WEB_SESSIONS": "off"}, timeout=60)


def new_token(store, name: str) -> dict:
    out = subprocess.run([*CLI, "token", "create", name, "--store", str(store)], capture_output=True, text=True, check=True)
    return {"Authorization": f"Bearer {out.stdout.strip()}"}


def test_a_result_survives_a_server_restart(tmp_path):
    store = tmp_path / "runs.sqlite"
    mine, other = new_token(store, "ana"), new_token(store, "bo")
    proc, base = start(store)
    try:
        r = httpx.post(f"{base}/api/jobs", json={"scenarios": [{"id": "baseline"}], "years": 1, "replications": 6, "seed": 11}, headers=mine)
        assert r.status_code == 202
        jid = r.json()["id"]
        for _ in range(600):
            if httpx.get(f"{base}/api/jobs/{jid}", headers=mine).json()["status"] in ("done", "failed"):
                break
            time.sleep(0.1)
        before = httpx.get(f"{base}/api/jobs/{jid}/result", headers=mine).json()
        assert before["manifest"]["seed"] == 11
    finally:
        stop(proc)
    proc, base = start(store)
    try:
        after = httpx.get(f"{base}/api/jobs/{jid}/result", headers=mine)
        assert after.status_code == 200 and after.json() == before
        assert httpx.get(f"{base}/api/jobs/{jid}", headers=mine).json()["status"] == "done"
        assert httpx.get(f"{base}/api/jobs/{jid}/chart", headers=mine).json()["months"]
        assert httpx.get(f"{base}/api/jobs/{jid}/result", headers=other).status_code == 404
    finally:
        stop(proc)
    listed = subprocess.run([*CLI, "runs", "--store", str(store), "--json"], capture_output=True, text=True, check=True).stdout
    row = json.loads(listed.splitlines()[0])
    assert row["id"] == jid and row["owner"].startswith("token:")
    rerun = subprocess.run([*CLI, "rerun", jid, "--store", str(store)], capture_output=True, text=True)
    assert rerun.returncode == 0 and "identical" in rerun.stderr  # an API run reruns bit for bit from the CLI
