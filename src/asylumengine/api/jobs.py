"""Simulation jobs: a run or a comparison in a bounded pool of background threads.

A request never waits for a simulation: ``POST /api/jobs`` validates the scenarios, queues the
job and answers 202 with its id; ``GET /api/jobs/{id}`` reports status and progress (the share
of replications finished). At most ``MAX_RUNNING`` jobs run at once and ``MAX_QUEUED`` wait;
beyond that the API answers 429. Runs are in-process (``scheduler="synchronous"``): every
replication has its own seed stream, so the numbers equal the CLI's for the same seed.
"""

from __future__ import annotations

import math
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from asylumengine.api.errors import ApiError
from asylumengine.api.library import ROOT
from asylumengine.api.schemas import RunRequest
from asylumengine.api.scenarios_api import load_choice, scenario_path
from asylumengine.reports.manifest import manifest
from asylumengine.sim import Scenario, ScenarioError, SimulationResult, run

MAX_RUNNING = 2
MAX_QUEUED = 8
MAX_KEPT = 10  # finished jobs kept for their results, oldest dropped first


@dataclass
class Job:
    id: str
    request: RunRequest
    scenarios: list[Scenario]
    overlays: list[str | None]
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


class JobQueue:
    def __init__(self, running: int = MAX_RUNNING, queued: int = MAX_QUEUED):
        self.pool = ThreadPoolExecutor(max_workers=running, thread_name_prefix="asylum-job")
        self.capacity = running + queued
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()

    def submit(self, req: RunRequest) -> Job:
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
        job = Job(uuid.uuid4().hex[:12], req, scenarios, overlays)
        with self.lock:
            active = sum(j.status in ("queued", "running") for j in self.jobs.values())
            if active >= self.capacity:
                raise ApiError(429, f"{active} jobs are queued or running; try again when one has finished")
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
            job.status = "done"
        except Exception as exc:  # noqa: BLE001 - a failed run is reported on the job, not lost in a thread
            job.error, job.status = f"{exc.__class__.__name__}: {exc}", "failed"

    def get(self, job_id: str) -> Job:
        job = self.jobs.get(job_id)
        if job is None:
            raise ApiError(404, f"no job {job_id!r} (jobs are kept until {MAX_KEPT} newer ones have finished)", field="id")
        return job

    def finished(self, job_id: str) -> Job:
        job = self.get(job_id)
        if job.status != "done":
            raise ApiError(409, f"job {job_id} is {job.status}" + (f": {job.error}" if job.error else ""), job_status=job.status)
        return job

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
