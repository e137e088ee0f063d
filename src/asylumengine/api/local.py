"""`asylum serve` as a child process on a free loopback port, started and stopped for tests,
benchmarks and fuzzers (one place, so they all start the real server the same way)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

CLI = (sys.executable, "-m", "asylumengine.cli.main")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(*args: str, env: dict | None = None, output=subprocess.DEVNULL, timeout: float = 90) -> tuple[subprocess.Popen, str]:
    """``asylum serve --port <free> *args``; returns (process, base URL) once /api/health answers."""
    port = free_port()
    proc = subprocess.Popen([*CLI, "serve", "--port", str(port), *args], env={**os.environ, **(env or {})},
                            stdout=output, stderr=subprocess.STDOUT)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    end = time.monotonic() + timeout
    while time.monotonic() < end and proc.poll() is None:
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    stop(proc)
    raise RuntimeError(f"asylum serve {' '.join(args)} did not start within {timeout:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@contextmanager
def running(*args: str, **kwargs) -> Iterator[str]:
    """The base URL of a server that runs for the ``with`` block."""
    proc, base = start(*args, **kwargs)
    try:
        yield base
    finally:
        stop(proc)
