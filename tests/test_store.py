"""The run store: SQLite in WAL mode, migrated by Alembic; a run is written whole or not at all;
`asylum runs` / `asylum rerun` give the same bits and say when a pinned version changed."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, select, text, update
from typer.testing import CliRunner

from asylumengine.cli.main import app as cli
from asylumengine.sim import load_scenario, run
from asylumengine.store import dispose, engine_for, get_result, get_run, integrity_check, list_runs, now, record, tokens
from asylumengine.store import runs as store_runs
from asylumengine.store.schema import metadata, results, runs

SIM = ["--years", "1", "--replications", "12", "--seed", "7", "--scheduler", "synchronous"]


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "runs.sqlite"
    yield path
    dispose(path)


def test_sqlite_in_wal_mode_and_migrated_to_the_models(store):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = engine_for(store)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []  # migration == schema.py
    assert integrity_check(engine) == "ok"


def _one_run(engine, **kw):
    s = load_scenario("scenarios/baseline.yaml")
    res = [run(s, years=1, replications=8, seed=5, scheduler="synchronous")]
    return record(engine, scenarios=[s], years=1, replications=8, seed=5, inputs={"t": 1}, owner="cli:test", started=now(),
                  results=res, **kw)  # fmt: skip


def test_a_run_is_written_whole_or_not_at_all(store, monkeypatch):
    engine = engine_for(store)
    real_insert = store_runs.insert

    def failing(table):
        if table is results:
            raise OSError("disk full (simulated, after the run row was written)")
        return real_insert(table)

    monkeypatch.setattr(store_runs, "insert", failing)
    with pytest.raises(OSError):
        _one_run(engine)
    assert list_runs(engine) == []  # the run row was rolled back with its result
    monkeypatch.setattr(store_runs, "insert", real_insert)
    rid = _one_run(engine)
    assert get_run(engine, rid)["status"] == "done" and get_result(engine, rid)["manifest"]["seed"] == 5


def test_simulate_store_runs_and_rerun_bit_identical(store):
    out = invoke("simulate", "scenarios/baseline.yaml", *SIM, "--store", str(store), "-f", "json")
    assert out.exit_code == 0
    listed = invoke("runs", "--store", str(store), "--json")
    row = json.loads(listed.stdout.splitlines()[0])
    assert row["kind"] == "simulate" and row["seed"] == 7 and row["owner"].startswith("cli:") and row["status"] == "done"
    again = invoke("rerun", row["id"], "--store", str(store), "--json")
    assert again.exit_code == 0 and "identical" in again.stderr
    engine = engine_for(store)
    assert json.loads(again.stdout) == get_result(engine, row["id"])  # the rerun's JSON equals the stored one
    # the CLI's own output and the stored summary agree on every figure
    assert json.loads(out.stdout)["scenarios"] == get_result(engine, row["id"])["scenarios"]


def test_compare_rerun_and_a_changed_result_is_reported(store):
    assert invoke("compare", "scenarios/baseline.yaml", "scenarios/dublin-resumed.yaml", *SIM, "--store", str(store)).exit_code == 0
    rid = json.loads(invoke("runs", "--store", str(store), "--json").stdout.splitlines()[0])["id"]
    assert invoke("rerun", rid, "--store", str(store)).exit_code == 0
    engine = engine_for(store)
    with engine.begin() as conn:  # as if the stored result had been made by other code
        conn.execute(update(results).where(results.c.run_id == rid).values(digest="sha256:" + "0" * 64))
    changed = invoke("rerun", rid, "--store", str(store))
    assert changed.exit_code == 1 and "DIFFERENT" in changed.stderr


@pytest.mark.parametrize("pin", ["law_hash", "code_version", "data_hash"])
def test_a_run_pinned_to_another_version_says_so(store, pin):
    engine = engine_for(store)
    rid = _one_run(engine)
    with engine.begin() as conn:
        conn.execute(update(runs).where(runs.c.id == rid).values(**{pin: "sha256:older" if pin != "code_version" else "0.0.1"}))
    out = invoke("rerun", rid, "--store", str(store))
    assert "Pinned version changed" in out.stderr and pin in out.stderr
    assert out.exit_code == 0  # the same numbers nonetheless: the run's own inputs did not change
    assert "changed" in invoke("runs", "--store", str(store)).stdout


def test_rerun_unknown_and_bad_store(store, tmp_path):
    out = invoke("rerun", "0123456789ab", "--store", str(store))
    assert out.exit_code == 2 and "no run '0123456789ab'" in out.stderr
    assert invoke("rerun", "../../etc/passwd", "--store", str(store)).exit_code == 2
    bad = invoke("runs", "--store", str(tmp_path))  # a folder, not a file
    assert bad.exit_code == 2 and "is a folder" in bad.stderr and "Traceback" not in bad.stderr


def test_tokens_created_hashed_and_revoked(store):
    out = invoke("token", "create", "analyst ana", "--store", str(store))
    secret = out.stdout.strip()
    engine = engine_for(store)
    tid = tokens.verify(engine, secret)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT secret_hash FROM tokens")).scalar()
    assert secret.split("_", 2)[2] not in stored and stored.startswith("sha256:")
    assert invoke("token", "revoke", tid, "--store", str(store)).exit_code == 0
    with pytest.raises(tokens.TokenError, match="revoked"):
        tokens.verify(engine, secret)
    again = invoke("token", "revoke", tid, "--store", str(store))
    assert again.exit_code == 2 and "already revoked" in again.stderr
    assert tid in invoke("token", "list", "--store", str(store)).stdout
    assert invoke("token", "create", "[/x]", "--store", str(store)).exit_code == 2


def test_store_is_a_plain_sqlite_file_other_tools_read(store):
    engine = engine_for(store)
    rid = _one_run(engine)
    other = create_engine(f"sqlite:///{store}")
    with other.connect() as conn:
        assert conn.execute(select(runs.c.status).where(runs.c.id == rid)).scalar() == "done"
    other.dispose()


def test_a_bad_store_fails_before_the_run(tmp_path):
    out = invoke("simulate", "scenarios/baseline.yaml", *SIM, "--store", str(tmp_path))
    assert out.exit_code == 2 and "is a folder" in out.stderr and "COA" not in out.stdout


def test_record_uses_the_default_store(monkeypatch, tmp_path):
    monkeypatch.setenv("ASYLUM_STORE", str(tmp_path / "default.sqlite"))
    assert invoke("simulate", "scenarios/baseline.yaml", *SIM, "--record").exit_code == 0
    assert len(list_runs(engine_for(tmp_path / "default.sqlite"))) == 1
    dispose(tmp_path / "default.sqlite")


KILLED_MID_WRITE = """
import os, signal, sys
from asylumengine.store import engine_for, now, record
from asylumengine.store import runs as store_runs
from asylumengine.store.schema import results
from asylumengine.sim import load_scenario, run

engine = engine_for(sys.argv[1])
s = load_scenario("scenarios/baseline.yaml")
res = [run(s, years=1, replications=4, seed=1, scheduler="synchronous")]
real = store_runs.insert
def insert(table):
    if table is results:  # the run row is written, its result not yet, the transaction open
        os.kill(os.getpid(), signal.SIGKILL)
    return real(table)
store_runs.insert = insert
record(engine, scenarios=[s], years=1, replications=4, seed=1, inputs={}, owner="cli:kill", started=now(), results=res)
"""


def test_a_process_killed_mid_write_leaves_no_run(store):
    import signal
    import subprocess
    import sys

    engine = engine_for(store)
    kept = _one_run(engine)
    proc = subprocess.run([sys.executable, "-c", KILLED_MID_WRITE, str(store)], capture_output=True)
    assert proc.returncode == -signal.SIGKILL
    dispose(store)
    engine = engine_for(store)
    assert [r["id"] for r in list_runs(engine)] == [kept]  # the killed write left nothing
    assert integrity_check(engine) == "ok"
