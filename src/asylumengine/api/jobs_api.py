"""Job endpoints: start a run or comparison, follow its progress, fetch its results; list your runs.

Starting a job needs a token (or the web pages' session); reading a private job needs the same
one. Finished jobs are read from the run store when no longer in memory (e.g. after a restart).
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse, Response

from asylumengine.api.auth import principal, require
from asylumengine.api.errors import ApiError
from asylumengine.api.jobs import Job
from asylumengine.api.schemas import JobStatus, RunRequest
from asylumengine.api.simdata import chart_data, result_csv, result_json
from asylumengine.store import get_result, list_runs

router = APIRouter(prefix="/api/jobs", tags=["simulation"])
JobId = Annotated[str, Path(max_length=40, description="The job id (12 hex digits) from POST /api/jobs.")]
AUTH = {"security": [{"bearer": []}]}


def queue(request: Request):
    return request.app.state.jobs


@router.post("", status_code=202, response_model=JobStatus, openapi_extra=AUTH,
             summary="Start a simulation (one scenario) or comparison (several); needs a token")  # fmt: skip
def start(req: RunRequest, request: Request) -> JSONResponse:
    job = queue(request).submit(req, owner=require(request))
    return JSONResponse(job.status_body(), status_code=202, headers={"Location": f"/api/jobs/{job.id}"})


@router.get("", openapi_extra=AUTH, summary="Your finished runs (the token's or the page session's), newest first")
def mine(request: Request) -> list[dict]:
    who = require(request)
    rows = list_runs(request.app.state.store, owner=who, limit=100)
    return [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()} for r in rows]


@router.get("/{job_id}", response_model=JobStatus, summary="A job's status and progress")
def status(job_id: JobId, request: Request) -> dict:
    return queue(request).get(job_id, principal(request)).status_body()


def stored(request: Request, job_id: str, part: str):
    job = queue(request).finished(job_id, principal(request))
    if isinstance(job, Job):
        return job, None
    found = get_result(request.app.state.store, job_id, part)
    if found is None:
        raise ApiError(409, f"job {job_id} has no stored result", job_status=job.status)
    return job, found


@router.get("/{job_id}/result", summary="A finished job's results: the CLI's JSON plus differences, or CSV")
def result(job_id: JobId, request: Request, format: Literal["json", "csv"] = "json") -> Response:
    job, found = stored(request, job_id, "csv" if format == "csv" else "summary")
    if format == "csv":
        man = job.manifest() if found is None else job.status_body()["manifest"]
        return Response(found if found is not None else result_csv(job.results), media_type="text/csv",
                        headers={"X-Manifest": json.dumps(man, separators=(",", ":"))})  # fmt: skip
    return JSONResponse(found if found is not None else result_json(job.results, job.manifest()))


@router.get("/{job_id}/chart", summary="Chart data: monthly bands per scenario and differences against the baseline")
def chart(job_id: JobId, request: Request) -> dict:
    job, found = stored(request, job_id, "chart")
    return found if found is not None else {"manifest": job.manifest(), **chart_data(job.results)}
