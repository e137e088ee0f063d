"""Schemathesis against the API's own OpenAPI spec, on a real server on loopback (outside CI):
every operation with generated (valid and invalid) requests, with and without a token; the
check is `not_a_server_error` (0 answers of 5xx).

Schemathesis is not a project dependency; install it beside, not into, the environment:

    pip install --target /tmp/schem 'schemathesis>=4,<5'
    PYTHONPATH=src python benchmarks/schemathesis_api.py --schemathesis /tmp/schem [--max-examples 30]

Exit code: schemathesis's (0 when no check failed). A summary of both runs (test cases generated,
passed, failed; exit codes) with the commit: benchmarks/results/schemathesis_api.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).parent))
from common import ROOT, source_state  # noqa: E402
from test_store_server import new_token, start, stop  # noqa: E402 - the same server start as the tests


def summary(output: str, code: int) -> dict:
    """schemathesis's own count line, e.g. '4900 generated, 4900 passed' (and failures, if any)."""
    line = next((ln.strip() for ln in reversed(output.splitlines()) if " generated" in ln), "")
    numbers = {k: int(v) for v, k in re.findall(r"(\d+) (generated|passed|failed|errored|skipped)", line)}
    return {"exit_code": code, "test_cases": line, **numbers}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--schemathesis", required=True, help="Folder schemathesis was installed into (pip --target).")
    ap.add_argument("--max-examples", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "runs.sqlite"
        auth = new_token(store, "schemathesis")["Authorization"]
        proc, base = start(store)
        code, runs = 0, {}
        try:
            env = {**os.environ, "PYTHONPATH": args.schemathesis}
            for headers in ([], ["-H", f"Authorization: {auth}"]):
                cmd = [sys.executable, "-c", "from schemathesis.cli import schemathesis; schemathesis()", "run", f"{base}/openapi.json",
                       "--checks", "not_a_server_error", "--max-examples", str(args.max_examples), "--seed", str(args.seed),
                       "--request-timeout", "120", "--workers", "1", *headers]  # fmt: skip
                print("$", " ".join(c if not c.startswith("Authorization") else "Authorization: Bearer ***" for c in cmd[3:]), flush=True)
                p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                print(p.stdout, flush=True)
                runs["with_token" if headers else "without_token"] = summary(p.stdout, p.returncode)
                code |= p.returncode
        finally:
            stop(proc)
    out = {"command": " ".join(["benchmarks/schemathesis_api.py", *sys.argv[1:]]), "checks": "not_a_server_error", "runs": runs,
           **source_state()}  # fmt: skip
    path = ROOT / "benchmarks" / "results" / "schemathesis_api.json"
    path.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(runs))
    return code


if __name__ == "__main__":
    sys.exit(main())
