"""Crash safety of the CLI's outputs (outside CI; a few minutes): kill -9 a real `asylum routes
POP -o OUT.parquet` (and `asylum simulate --html --png`) part-way, several times, and check

- no output, or the previous one byte for byte, is visible after the kill: never a half-written file;
- no stray file is visible in the folder (a killed write leaves at most a hidden ``.NAME.*.part``,
  counted here), and the next complete run leaves none behind;
- a run that was not killed wrote a complete, readable output with every row.

    PYTHONPATH=src python tests/stress/crash_routes.py [--rounds 6] [--cases 600000] [--seed 1]

The kill moments are spread over the time one complete run takes on this machine (measured first);
a third of them fall in its last 15%, where the output is written.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "asylumengine.cli.main"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def tree(folder: Path) -> dict[str, str | None]:
    """Every entry in the folder (files and folders, recursively) with its hash."""
    return {str(p.relative_to(folder)): (digest(p) if p.is_file() else None) for p in sorted(folder.rglob("*"))}


def run_to_end(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    return time.perf_counter() - t0


def kill_at(cmd: list[str], after: float) -> bool:
    """Start ``cmd``, SIGKILL it ``after`` seconds in; True when it was still running at the kill."""
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        proc.wait(after)
        return False  # finished before the kill
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
        return True


def judge(folder: Path, before: dict, outputs: list[str], killed: bool, expect_rows: int | None) -> list[str]:
    """What is wrong in ``folder`` after one round (nothing: an empty list)."""
    after = tree(folder)
    problems = []
    visible_new = [p for p in after if p not in before and not any(p == o or p.startswith(o + "/") for o in outputs)
                   and not any(part.startswith(".") for part in Path(p).parts)]  # fmt: skip
    if visible_new:
        problems.append(f"stray files visible: {visible_new[:5]}")
    for out in outputs:
        entries = {p: h for p, h in after.items() if p == out or p.startswith(out + "/")}
        old = {p: h for p, h in before.items() if p == out or p.startswith(out + "/")}
        if killed and entries != old and not complete(folder / out, expect_rows):
            problems.append(f"{out}: changed by a killed run and not complete")
        if not killed and not complete(folder / out, expect_rows):
            problems.append(f"{out}: the run ended but the output is not complete")
    return problems


def complete(path: Path, rows: int | None) -> bool:
    if path.suffix == ".parquet":
        try:
            return path.is_file() and pl.read_parquet(path).height == rows
        except Exception:  # noqa: BLE001 - unreadable is exactly what we look for
            return False
    if path.suffix == ".html":
        return path.is_file() and path.read_text(encoding="utf-8", errors="replace").rstrip().endswith("</html>")
    return path.is_dir() and any(path.glob("*.png"))


def remove(folder: Path, outputs: list[str]) -> None:
    for out in outputs:
        p = folder / out
        if p.is_dir():
            for f in p.iterdir():
                f.unlink()
            p.rmdir()
        else:
            p.unlink(missing_ok=True)


def hidden_parts(folder: Path) -> int:
    return sum(1 for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".part"))


def rounds(name: str, folder: Path, cmd: list[str], outputs: list[str], rows: int | None, n: int, rng: random.Random) -> bool:
    """``n`` kills of ``cmd`` at moments spread over one complete run; half with a previous output in place."""
    for out in outputs:  # a first round with nothing there yet: measure one complete run
        assert not (folder / out).exists()
    full = run_to_end(cmd)
    print(f"{name}: one complete run {full:.1f} s", flush=True)
    ok = True
    for k in range(n):
        if k % 2 == 0:  # half the rounds with no previous output, half with a complete one in place
            remove(folder, outputs)
        elif not all(complete(folder / o, rows) for o in outputs):
            run_to_end(cmd)
        before = tree(folder)
        after_s = rng.uniform(0.15, 0.85) * full if k % 3 else rng.uniform(0.85, 1.02) * full  # a third near the end: the write
        killed = kill_at(cmd, after_s)
        problems = judge(folder, before, outputs, killed, rows)
        state = "previous output" if any(o in before for o in outputs) else "no previous output"
        print(f"  round {k + 1}: {state}, kill at {after_s:.1f} s, {'killed mid-run' if killed else 'finished first'}, "
              f"hidden .part files {hidden_parts(folder)}: {'OK' if not problems else problems}", flush=True)  # fmt: skip
        ok &= not problems
    run_to_end(cmd)
    left = hidden_parts(folder)
    print(f"  after one more complete run: {left} hidden .part files left, outputs complete: "
          f"{all(complete(folder / o, rows) for o in outputs)}", flush=True)  # fmt: skip
    return ok and left == 0 and all(complete(folder / o, rows) for o in outputs)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--cases", type=int, default=600_000, help="population size for `asylum routes` (a few seconds' work)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-simulate", action="store_true")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pop = folder / "pop.parquet"
        subprocess.run([*CLI, "population", "-o", str(pop), "-n", str(a.cases), "--seed", "1"], env=ENV, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        ok = rounds("routes", folder, [*CLI, "routes", str(pop), "-o", str(folder / "out.parquet")], ["out.parquet"], a.cases, a.rounds, rng)
        if not a.no_simulate:
            sim = [*CLI, "simulate", str(ROOT / "scenarios" / "baseline.yaml"), "--years", "3", "--replications", "200",
                   "--scheduler", "synchronous", "--html", str(folder / "sim.html"), "--png", str(folder / "charts")]  # fmt: skip
            ok &= rounds("simulate --html --png", folder, sim, ["sim.html", "charts"], None, a.rounds, rng)
    print("OK: no partial output visible after any kill" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
