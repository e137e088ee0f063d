"""Simulation jobs: a run or a comparison in a bounded pool of background threads.

A request never waits for a simulation: ``POST /api/jobs`` validates the scenarios, queues the
job and answers 202 with its id; ``GET /api/jobs/{id}`` reports status and progress (the share
of replications finished). At most ``MAX_RUNNING`` jobs run at once and ``MAX_QUEUED`` wait;
beyond that the API answers 429. Runs are in-process (``scheduler="synchronous"``): every
replication has its own seed stream, so the numbers equal the CLI's for the same seed.

Every finished job is written to the run store in one transaction (run and result together), so
results survive a restart and a job killed mid-run leaves nothing behind. A job belongs to the
token (or page session) that started it; a private one is shown to that owner only. At most
``ASYLUM_JOBS_PER_TOKEN`` (default 2) of one owner's jobs are queued or running at once.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from asylumengine.api.errors import ApiError
from asylumengine.api.library import ROOT
from asylumengine.api.schemas import RunRequest
from asylumengine.api.scenarios_api import load_choice, scenario_path
from asylumengine.reports.manifest import manifest
from asylumengine.sim import Scenario, ScenarioError, SimulationResult, run
from asylumengine.store import RUN_ID, get_run, new_id, now, record
from asylumengine.store.runs import scenario_bundle

MAX_RUNNING = 2
MAX_QUEUED = 8
MAX_KEPT = 10  # finished jobs kept for their results, oldest dropped first


@dataclass
class Job:
    id: str
    request: RunRequest
    scenarios: list[Scenario]
    overlays: list[str | None]
    owner: str = "anonymous"
    bundles: list[dict] = field(default_factory=list)  # the scenario texts as run (for the store)
    started: dt.datetime = field(default_factory=now)
    status: str = "queued"
    done: int = 0
    error: str | None = None
    results: list[SimulationResult] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def kind(self) -> str:
        return "simulate" if len(self.scenarios) == 1 else "compare"

    @property
    def total(self) -> int:
        return self.request.replications * len(self.scenarios)

    def advance(self, n: int) -> None:
        with self.lock:
            self.done += n

    def manifest(self) -> dict:
        return manifest(inputs=self.request.model_dump(mode="json"), seed=self.request.seed)

    def status_body(self) -> dict:
        return {"id": self.id, "kind": self.kind, "status": self.status, "progress": round(self.done / self.total, 4),
                "done": self.done, "total": self.total, "error": self.error, "manifest": self.manifest(),
                "reproduce": reproduce(self)}  # fmt: skip


def _shown(sid: str, edited: bool) -> str:
    path = scenario_path(sid).absolute()
    if edited:
        return f"{sid}-edited.yaml"
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def reproduce(job: Job) -> dict[str, str]:
    r = job.request
    files = [_shown(c.id, bool(o)) for c, o in zip(r.scenarios, job.overlays, strict=True)]
    opts = f"--years {r.years} --replications {r.replications} --seed {r.seed}"
    calls = ", ".join(f'run(load_scenario("{f}"), years={r.years}, replications={r.replications}, seed={r.seed})' for f in files)
    out = {"cli": f"asylum {job.kind} {' '.join(files)} {opts}",
           "python": f"from asylumengine.sim import load_scenario, run\nresults = [{calls}]"}  # fmt: skip
    for f, o in zip(files, job.overlays, strict=True):
        if o:
            out[f] = o  # the edited scenario, to save under this name
    return out


def _chunk(replications: int) -> int:
    return max(1, math.ceil(replications / 20))  # about 20 progress steps; the result does not depend on it


@dataclass
class StoredJob:
    """A finished job read back from the store (after a restart, or once dropped from memory)."""

    row: dict

    @property
    def id(self) -> str:
        return self.row["id"]

    @property
    def status(self) -> str:
        return self.row["status"]

    @property
    def owner(self) -> str:
        return self.row["owner"]

    @property
    def private(self) -> bool:
        return self.row["private"]

    @property
    def error(self) -> str | None:
        return self.row["error"]

    def status_body(self) -> dict:
        r = self.row
        total = r["replications"] * len(r["scenario_ids"])
        return {"id": r["id"], "kind": r["kind"], "status": r["status"], "progress": 1.0, "done": total, "total": total,
                "error": r["error"], "manifest": {k: r[k] for k in ("code_version", "law_hash", "data_hash", "seed", "inputs")},
                "reproduce": {"cli": f"asylum rerun {r['id']}"}}  # fmt: skip


def per_owner() -> int:
    return int(os.environ.get("ASYLUM_JOBS_PER_TOKEN", "2"))


class JobQueue:
    def __init__(self, running: int = MAX_RUNNING, queued: int = MAX_QUEUED, store=None):
        self.pool = ThreadPoolExecutor(max_workers=running, thread_name_prefix="asylum-job")
        self.capacity = running + queued
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()
        self.store = store  # an Engine; None: jobs are kept in memory only

    def submit(self, req: RunRequest, owner: str = "anonymous") -> Job:
        scenarios, overlays = [], []
        for i, choice in enumerate(req.scenarios):
            try:
                s, o = load_choice(choice.id, choice.overrides)
            except ScenarioError as exc:
                where = f"scenarios[{i}].overrides.{exc.key}" if exc.key and choice.overrides else f"scenarios[{i}]"
                raise ApiError(422, f"{where}: {exc.problem}", field=where) from None
            except ApiError as exc:
                raise ApiError(exc.status, exc.message, field=f"scenarios[{i}].id", **exc.extra) from None
            scenarios.append(s)
            overlays.append(o)
        bundles = [scenario_bundle(s, o) for s, o in zip(scenarios, overlays, strict=True)]
        job = Job(new_id(), req, scenarios, overlays, owner=owner, bundles=bundles)
        with self.lock:
            active = [j for j in self.jobs.values() if j.status in ("queued", "running")]
            if len(active) >= self.capacity:
                raise ApiError(429, f"{len(active)} jobs are queued or running; try again when one has finished")
            mine = sum(j.owner == owner for j in active)
            if mine >= per_owner():
                raise ApiError(429, f"you have {mine} jobs queued or running (at most {per_owner()} per token); try again when one has finished")
            self._forget_old()
            self.jobs[job.id] = job
        self.pool.submit(self._run, job)
        return job

    def _forget_old(self) -> None:
        finished = [j for j in self.jobs.values() if j.status in ("done", "failed")]
        for j in finished[: max(0, len(self.jobs) - MAX_KEPT + 1)]:
            del self.jobs[j.id]

    def _run(self, job: Job) -> None:
        job.status = "running"
        r = job.request
        try:
            for s in job.scenarios:
                job.results.append(run(s, years=r.years, replications=r.replications, seed=r.seed, scheduler="synchronous",
                                       chunk=_chunk(r.replications), progress=job.advance))  # fmt: skip
            status = "done"
        except Exception as exc:  # noqa: BLE001 - a failed run is reported on the job, not lost in a thread
            job.error, status = f"{exc.__class__.__name__}: {exc}", "failed"
        try:
            self._record(job)
        except Exception as exc:  # noqa: BLE001 - a store that fails must not look like a finished run
            job.error, status = f"the run could not be stored ({exc.__class__.__name__}: {exc})", "failed"
        job.status = status  # only now visible as finished: the stored run and result exist

    def _record(self, job: Job) -> None:
        if self.store is None:
            return
        r = job.request
        record(self.store, scenarios=job.scenarios, years=r.years, replications=r.replications, seed=r.seed,
               inputs=r.model_dump(mode="json"), owner=job.owner, started=job.started, private=r.private, run_id=job.id, bundles=job.bundles,
               results=job.results if job.error is None else None, error=job.error)  # fmt: skip

    def get(self, job_id: str, who: str | None = None) -> Job | StoredJob:
        """The job, if ``who`` may see it (its owner, or anyone for a public one); else 404 as if none."""
        job = self.jobs.get(job_id)
        if job is None and self.store is not None and RUN_ID.match(job_id):
            row = get_run(self.store, job_id)
            job = StoredJob(row) if row else None
        private = job is not None and (job.private if isinstance(job, StoredJob) else job.request.private)
        if job is None or (private and job.owner != who):
            raise ApiError(404, f"no job {job_id!r} visible to you (a private run is shown to the token that started it)", field="id")
        return job

    def finished(self, job_id: str, who: str | None = None) -> Job | StoredJob:
        job = self.get(job_id, who)
        if job.status != "done":
            raise ApiError(409, f"job {job_id} is {job.status}" + (f": {job.error}" if job.error else ""), job_status=job.status)
        return job

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
