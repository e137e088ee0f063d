"""Runs in the store: written whole in one transaction when finished, read back, rerun.

What a run keeps: its inputs, seed, the code version and the law and data hashes it was made
with, the text of every scenario file it read (so a rerun needs none of them), status, timings
and who started it; and its result as the summaries the CLI and API show (JSON, chart bands,
CSV; zlib-compressed blobs in the same row set) plus the sha256 of every replication's monthly
indicators. The full arrays are not stored: they are tens of MB per run and are given again,
bit for bit, by ``asylum rerun`` (which checks that digest).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tempfile
import uuid
import zlib
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from asylumengine.reports.manifest import manifest
from asylumengine.sim import Scenario, SimulationResult, load_scenario, run
from asylumengine.store.schema import results as results_t
from asylumengine.store.schema import runs as runs_t
from asylumengine.store.schema import scenarios as scenarios_t

RUN_ID = re.compile(r"^[0-9a-f]{12}$")
PINS = ("code_version", "law_hash", "data_hash")


def new_id() -> str:
    return uuid.uuid4().hex[:12]


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def scenario_bundle(s: Scenario, last_text: str | None = None) -> dict:
    """The scenario's chain of files as text, base first, and its id (the hash of that chain).
    ``last_text``: the text of the last file when it is gone (an overlay read from a temporary file)."""
    chain = [{"path": p, "text": Path(p).read_text(encoding="utf-8-sig")} for p in s.chain[: -1 if last_text else None]]
    if last_text:
        chain.append({"path": s.chain[-1], "text": last_text})
    return {"id": _sha(json.dumps(chain, sort_keys=True).encode()), "name": s.name, "chain": chain}


def digest(results: list[SimulationResult]) -> str:
    """sha256 over every scenario's indicators (name, dtype, shape, bytes): equal digests, equal bits."""
    h = hashlib.sha256()
    for r in results:
        h.update(r.scenario.name.encode() + b"\0")
        for name in sorted(r.indicators):
            a = r.indicators[name]
            h.update(f"{name}|{a.dtype.str}|{a.shape}".encode())
            h.update(a.tobytes(order="C"))
    return "sha256:" + h.hexdigest()


def _pack(obj: Any) -> bytes:
    text = obj if isinstance(obj, str) else json.dumps(obj, separators=(",", ":"), allow_nan=False)
    return zlib.compress(text.encode("utf-8"), 6)


def _unpack(blob: bytes, as_json: bool = True) -> Any:
    text = zlib.decompress(blob).decode("utf-8")
    return json.loads(text) if as_json else text


def summaries(results: list[SimulationResult], man: dict) -> dict:
    """The three stored forms of a result: summary JSON, chart bands, CSV (as the API serves them)."""
    from asylumengine.api.simdata import chart_data, result_csv, result_json  # here: the API imports the store

    return {"digest": digest(results), "summary": result_json(results, man), "chart": {"manifest": man, **chart_data(results)},
            "csv": result_csv(results)}  # fmt: skip


def _insert_ignore(engine: Engine, table, row: dict):
    dialect = {"sqlite": sqlite, "postgresql": postgresql}.get(engine.dialect.name)
    if dialect is None:
        return None
    return dialect.insert(table).values(**row).on_conflict_do_nothing()


def record(engine: Engine, *, scenarios: list[Scenario], years: int, replications: int, seed: int, inputs: dict, owner: str,
           started: dt.datetime, results: list[SimulationResult] | None = None, error: str | None = None,
           private: bool = True, run_id: str | None = None, bundles: list[dict] | None = None) -> str:  # fmt: skip
    """Write a finished run (and its result) in one transaction: all of it is visible, or none."""
    run_id = run_id or new_id()
    man = manifest(inputs=inputs, seed=seed)
    finished = now()
    bundles = bundles or [scenario_bundle(s) for s in scenarios]
    row = {"id": run_id, "kind": "simulate" if len(scenarios) == 1 else "compare", "status": "failed" if error else "done",
           "owner": owner, "private": private, "scenario_ids": [b["id"] for b in bundles], "years": years,
           "replications": replications, "seed": seed, "inputs": inputs, "error": error, "started_at": started,
           "finished_at": finished, "seconds": (finished - started).total_seconds(), **{k: man[k] for k in PINS}}  # fmt: skip
    packed = None
    if results is not None and error is None:
        s = summaries(results, man)
        packed = {"run_id": run_id, "digest": s["digest"], "summary": _pack(s["summary"]), "chart": _pack(s["chart"]), "csv": _pack(s["csv"])}
    with engine.begin() as conn:
        for b in bundles:
            conn.execute(_insert_ignore(engine, scenarios_t, {**b, "created_at": finished}))
        conn.execute(insert(runs_t).values(**row))
        if packed:
            conn.execute(insert(results_t).values(**packed))
    return run_id


def get_run(engine: Engine, run_id: str) -> dict | None:
    if not RUN_ID.match(run_id or ""):
        return None
    with engine.connect() as conn:
        row = conn.execute(select(runs_t).where(runs_t.c.id == run_id)).mappings().first()
    return dict(row) if row else None


def get_result(engine: Engine, run_id: str, part: str = "summary") -> Any:
    """One stored form of a run's result: 'summary' or 'chart' (dicts), 'csv' (text)."""
    with engine.connect() as conn:
        blob = conn.execute(select(results_t.c[part]).where(results_t.c.run_id == run_id)).scalar()
    return None if blob is None else _unpack(blob, as_json=part != "csv")


def list_runs(engine: Engine, owner: str | None = None, limit: int = 50) -> list[dict]:
    q = select(runs_t).order_by(runs_t.c.finished_at.desc()).limit(limit)
    if owner is not None:
        q = q.where(runs_t.c.owner == owner)
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(q).mappings()]


def pins_changed(row: dict) -> list[str]:
    """'law_hash: run sha256:ab… , now sha256:cd…' for each pin that differs from this installation."""
    current = manifest()
    return [f"{k}: the run has {row[k]}, this installation {current[k]}" for k in PINS if row[k] != current[k]]


def _scenario_files(engine: Engine, ids: list[str], folder: Path) -> list[tuple[Path, str]]:
    """Write each stored scenario chain into ``folder`` (each overlay extends the file before it):
    (the last file, the scenario's name as run)."""
    with engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(select(scenarios_t).where(scenarios_t.c.id.in_(ids)))}
    found = {k: r.chain for k, r in rows.items()}
    paths = []
    for n, sid in enumerate(ids):
        for i, f in enumerate(found[sid]):
            text = f["text"]
            if i:
                text, k = re.subn(r"(?m)^extends:.*$", f"extends: s{n}-{i - 1}.yaml", text, count=1)
                assert k == 1, "a stored overlay names the file it extends"
            (folder / f"s{n}-{i}.yaml").write_text(text, encoding="utf-8")
        paths.append((folder / f"s{n}-{len(found[sid]) - 1}.yaml", rows[sid].name))
    return paths


def rerun(engine: Engine, row: dict) -> tuple[list[SimulationResult], dict]:
    """Run a stored run again from its stored scenario texts, inputs and seed: (results, summaries)."""
    with tempfile.TemporaryDirectory() as tmp:
        scenarios = []
        for path, name in _scenario_files(engine, row["scenario_ids"], Path(tmp)):
            s = load_scenario(path)
            s.name = name  # a file without 'name' is named after its file, which the rerun renamed
            scenarios.append(s)
        results = [run(s, years=row["years"], replications=row["replications"], seed=row["seed"], scheduler="synchronous")
                   for s in scenarios]  # fmt: skip
    return results, summaries(results, manifest(inputs=row["inputs"], seed=row["seed"]))
