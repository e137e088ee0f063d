"""`asylum serve --workers N`: connections are spread evenly over the processes, a worker that dies
is started again, and stopping the server stops every process (the real server, real sockets)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest
import yaml

from asylumengine.api import local

ROOT = Path(__file__).resolve().parents[1]
CASE = {k: v for k, v in yaml.load((ROOT / "examples/cases/visa-issued-by-france.yaml").read_text(), yaml.BaseLoader).items() if k != "expect"}


def children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def workers_of(pid: int) -> list[int]:
    """The server processes: children running uvicorn (not multiprocessing's resource tracker)."""
    cmdlines = {c: Path(f"/proc/{c}/cmdline").read_bytes() for c in children(pid)}
    return [c for c, cmd in cmdlines.items() if b"spawn_main" in cmd and b"resource_tracker" not in cmd]


def established(port: int) -> set[int]:
    """Socket inodes of established TCP connections whose local port is ``port`` (from /proc/net/tcp)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        f = line.split()
        if int(f[1].split(":")[1], 16) == port and f[3] == "01":
            inodes.add(int(f[9]))
    return inodes


def sockets_held(pid: int, inodes: set[int]) -> int:
    n = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:[") and int(target[8:-1]) in inodes:
            n += 1
    return n


def post_route(conn: socket.socket, case_id: str) -> bytes:
    body = httpx.Request("POST", "http://x/api/route", json={**CASE, "id": case_id}).read()
    conn.sendall(b"POST /api/route HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(65536)
    head, rest = data.split(b"\r\n\r\n", 1)
    length = int(next(v.split(b":")[1] for v in head.split(b"\r\n") if v.lower().startswith(b"content-length")))
    while len(rest) < length:
        rest += conn.recv(65536)
    return head.split(b"\r\n")[0] + b" " + rest


@pytest.fixture(scope="module")
def server():
    proc, base = local.start("--workers", "2", timeout=120)
    yield proc, base
    local.stop(proc)


def test_keep_alive_connections_are_spread_evenly_over_the_workers(server):
    proc, base = server
    port = int(base.rsplit(":", 1)[1])
    conns = [socket.create_connection(("127.0.0.1", port)) for _ in range(20)]  # a burst, as 20 clients at once
    try:
        for k, c in enumerate(conns):
            assert post_route(c, f"c{k}").startswith(b"HTTP/1.1 200 ")
        inodes = established(port)
        held = sorted(sockets_held(w, inodes) for w in workers_of(proc.pid))
        assert held == [10, 10]  # round-robin: each process serves half (uvicorn's shared accept gave 40 of 50 to one)
    finally:
        for c in conns:
            c.close()


def test_a_worker_that_dies_is_started_again(server):
    proc, base = server
    before = workers_of(proc.pid)
    os.kill(before[0], signal.SIGKILL)
    end = time.monotonic() + 60
    while time.monotonic() < end:
        now = workers_of(proc.pid)
        if len(now) == 2 and before[0] not in now:
            break
        time.sleep(0.2)
    assert len(now) == 2 and before[0] not in now
    answers = {httpx.post(f"{base}/api/route", json={**CASE, "id": f"after{k}"}, timeout=60).status_code for k in range(6)}
    assert answers == {200}  # new connections go to both, the new worker included


def test_stopping_the_server_stops_every_process():
    proc, base = local.start("--workers", "2", timeout=120)
    pids = workers_of(proc.pid)
    assert len(pids) == 2
    proc.send_signal(signal.SIGTERM)
    proc.wait(30)
    end = time.monotonic() + 15
    while time.monotonic() < end and any(Path(f"/proc/{p}").exists() and "Z" not in Path(f"/proc/{p}/stat").read_text().split()[2] for p in pids):
        time.sleep(0.1)
    assert not [p for p in pids if Path(f"/proc/{p}").exists() and Path(f"/proc/{p}/stat").read_text().split()[2] != "Z"]


def test_a_port_in_use_is_one_clear_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        out = subprocess.run([*local.CLI, "serve", "--port", str(port), "--workers", "2"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in out.stderr and "Traceback" not in out.stderr
