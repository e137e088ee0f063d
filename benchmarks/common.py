"""Helpers shared by the benchmark scripts: timing, peak memory, and the source they measured."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def source_state() -> dict:
    """The commit the engine was read from, and whether its source tree had uncommitted changes."""

    def git(*cmd: str) -> str:
        try:
            return subprocess.run(["git", *cmd], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            return ""

    # porcelain lines are 'XY path': the status columns may start with a space, so no strip() before slicing
    changed = [line[3:] for line in git("status", "--porcelain", "--", "src").splitlines() if line.strip()]
    return {"git_commit": git("rev-parse", "HEAD").strip(), "uncommitted_src_files": changed}


def maxrss(who: int = resource.RUSAGE_SELF) -> int:
    """Peak resident memory in bytes (ru_maxrss)."""
    rss = resource.getrusage(who).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024  # Linux reports KiB


def timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0
