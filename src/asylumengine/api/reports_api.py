"""Memo reports (HTML, PDF) of a route, a solidarity cycle or a simulation job.

The reports themselves are built in ``asylumengine.reports.memo`` (imported when first asked
for, so the API runs where that module is not installed yet: then 503 with a clear message).
"""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from asylumengine.api.errors import ApiError
from asylumengine.api.jobs_api import queue
from asylumengine.api.routes_api import CASE_BODY, Regime, ReturnRegime, route_from_request
from asylumengine.api.schemas import SolidarityRequest
from asylumengine.api.solidarity_api import compute, solidarity_manifest

router = APIRouter(prefix="/api/reports", tags=["reports"])
Lang = Literal["en", "nl"]
Format = Literal["html", "pdf"]


def memo():
    """The memo report module, imported on first use (it loads Jinja2 templates and plotly)."""
    return importlib.import_module("asylumengine.reports.memo")


def deliver(html: str, format: str, name: str) -> Response:
    if format == "pdf":
        pdf = memo().pdf_from_html(html)
        return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'})
    return Response(html, media_type="text/html; charset=utf-8", headers={"Content-Disposition": f'attachment; filename="{name}.html"'})


@router.post("/route", openapi_extra=CASE_BODY, summary="Memo report of one case's route")
async def route_report(request: Request, lang: Lang = "en", format: Format = "html", on: dt.date | None = None,
                       regime: Regime = "auto", return_regime: ReturnRegime | None = None) -> Response:  # fmt: skip
    result, man = await route_from_request(request, on, regime, return_regime, lang)
    html = await run_in_threadpool(memo().route_report, result, lang=lang, manifest=man)
    return await run_in_threadpool(deliver, html, format, f"route-{result.case_id}-{lang}")


@router.post("/solidarity", summary="Memo report of one solidarity cycle")
def solidarity_report(req: SolidarityRequest, lang: Lang = "en", format: Format = "html") -> Response:
    html = memo().solidarity_report(compute(req), lang=lang, manifest=solidarity_manifest(req))
    return deliver(html, format, f"solidarity-{req.year}-{lang}")


@router.get("/jobs/{job_id}", summary="Memo report of a finished simulation or comparison (first = baseline)")
def job_report(job_id: str, request: Request, lang: Lang = "en", format: Format = "html") -> Response:
    from asylumengine.api.auth import principal
    from asylumengine.api.jobs import Job

    job = queue(request).finished(job_id, principal(request))
    if not isinstance(job, Job):
        raise ApiError(409, f"job {job_id} is stored as summaries; its memo needs the full run again: asylum rerun {job_id}")
    html = memo().comparison_report(job.results, lang=lang, manifest=job.manifest())
    return deliver(html, format, f"scenarios-{job_id}-{lang}")
