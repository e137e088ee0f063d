"""The run store on a real PostgreSQL: Debian's server binaries, started by the test on a free
loopback port in a temporary folder, stopped after. Skipped (saying why) when the binaries or the
driver (`pip install 'psycopg[binary]'`) are not there - except in CI (`make test` installs both), where
a missing server or driver fails."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

IN_CI = bool(os.environ.get("CI"))
psycopg = __import__("psycopg") if IN_CI else pytest.importorskip("psycopg", reason="PostgreSQL driver not installed (pip install 'psycopg[binary]')")
BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
assert BIN or not IN_CI, "PostgreSQL server not installed: `make test` installs Debian's postgresql"
pytestmark = pytest.mark.skipif(not BIN, reason="PostgreSQL server not installed (apt-get install postgresql)")


def _as_server_user(cmd: list[str]) -> list[str]:
    # the server refuses to run as root: as root, run it as the postgres account
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="module")
def pg_url():
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: cannot start PostgreSQL")
    bindir = Path(BIN[-1]).parent
    tmp = Path(tempfile.mkdtemp(prefix="asylum-pg-"))
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = tmp / "data"
    subprocess.run(_as_server_user([str(bindir / "initdb"), "-D", str(data), "-U", "asylum", "--auth=trust", "-E", "UTF8"]),
                   check=True, capture_output=True)  # fmt: skip
    opts = f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(_as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(tmp / "log"), "-w", "-t", "60", "start"]),
                   check=True, capture_output=True)  # fmt: skip
    try:
        yield f"postgresql+psycopg://asylum@127.0.0.1:{port}/postgres"
    finally:
        from asylumengine.store import dispose

        dispose(f"postgresql+psycopg://asylum@127.0.0.1:{port}/postgres")
        subprocess.run(_as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]), capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)


def test_migrated_schema_equals_the_models(pg_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import text

    from asylumengine.store import engine_for
    from asylumengine.store.schema import metadata

    engine = engine_for(pg_url)
    with engine.connect() as conn:
        assert conn.dialect.name == "postgresql"
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_runs_rerun_and_tokens_on_postgres(pg_url):
    from asylumengine.sim import load_scenario, run
    from asylumengine.store import engine_for, get_result, get_run, list_runs, now, record, rerun, tokens

    engine = engine_for(pg_url)
    s = load_scenario("scenarios/baseline.yaml")
    res = [run(s, years=1, replications=6, seed=9, scheduler="synchronous")]
    ids = [record(engine, scenarios=[s], years=1, replications=6, seed=9, inputs={"n": i}, owner="cli:pg", started=now(), results=res)
           for i in range(2)]  # the same scenario twice: stored once  # fmt: skip
    row = get_run(engine, ids[0])
    assert row["status"] == "done" and row["seed"] == 9 and {r["id"] for r in list_runs(engine, owner="cli:pg")} == set(ids)
    _, fresh = rerun(engine, row)
    assert fresh["summary"] == get_result(engine, ids[0]) and get_result(engine, ids[0], "csv").startswith("scenario,")
    tid, secret = tokens.create(engine, "pg")
    assert tokens.verify(engine, secret) == tid
    tokens.revoke(engine, tid)
    with pytest.raises(tokens.TokenError, match="revoked"):
        tokens.verify(engine, secret)


def test_api_jobs_on_postgres_survive_a_new_app(pg_url):
    import time

    from fastapi.testclient import TestClient

    from asylumengine.api import create_app
    from asylumengine.store import engine_for, tokens

    _, secret = tokens.create(engine_for(pg_url), "api")
    h = {"Authorization": f"Bearer {secret}"}
    with TestClient(create_app(web=False, store=pg_url), headers=h) as c:
        jid = c.post("/api/jobs", json={"scenarios": [{"id": "baseline"}], "years": 1, "replications": 4}).json()["id"]
        for _ in range(600):
            if c.get(f"/api/jobs/{jid}").json()["status"] in ("done", "failed"):
                break
            time.sleep(0.05)
        before = c.get(f"/api/jobs/{jid}/result").json()
    with TestClient(create_app(web=False, store=pg_url), headers=h) as c:  # a new server: nothing in memory
        assert c.get(f"/api/jobs/{jid}/result").json() == before
