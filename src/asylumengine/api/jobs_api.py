"""Job endpoints: start a run or comparison, follow its progress, fetch its results."""

from __future__ import annotations

import json
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from asylumengine.api.schemas import JobStatus, RunRequest
from asylumengine.api.simdata import chart_data, result_csv, result_json

router = APIRouter(prefix="/api/jobs", tags=["simulation"])


def queue(request: Request):
    return request.app.state.jobs


@router.post("", status_code=202, response_model=JobStatus, summary="Start a simulation (one scenario) or comparison (several)")
def start(req: RunRequest, request: Request) -> JSONResponse:
    job = queue(request).submit(req)
    return JSONResponse(job.status_body(), status_code=202, headers={"Location": f"/api/jobs/{job.id}"})


@router.get("/{job_id}", response_model=JobStatus, summary="A job's status and progress")
def status(job_id: str, request: Request) -> dict:
    return queue(request).get(job_id).status_body()


@router.get("/{job_id}/result", summary="A finished job's results: the CLI's JSON plus differences, or CSV")
def result(job_id: str, request: Request, format: Literal["json", "csv"] = "json") -> Response:
    job = queue(request).finished(job_id)
    if format == "csv":
        return Response(result_csv(job.results), media_type="text/csv",
                        headers={"X-Manifest": json.dumps(job.manifest(), separators=(",", ":"))})  # fmt: skip
    return JSONResponse(result_json(job.results, job.manifest()))


@router.get("/{job_id}/chart", summary="Chart data: monthly bands per scenario and differences against the baseline")
def chart(job_id: str, request: Request) -> dict:
    job = queue(request).finished(job_id)
    return {"manifest": job.manifest(), **chart_data(job.results)}
