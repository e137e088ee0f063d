"""The application: API routers, error handlers, the job queue and the web pages on one server."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI

from asylumengine import __version__
from asylumengine.api import errors, explain_api, jobs_api, reports_api, routes_api, scenarios_api, solidarity_api
from asylumengine.api.jobs import JobQueue
from asylumengine.reports.manifest import manifest


def create_app(web: bool = True) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        app.state.jobs.shutdown()

    app = FastAPI(title="AsylumEngine API", version=__version__, lifespan=lifespan,
                  description="The EU/Dutch asylum system as software: routes of cases, the AMMR solidarity cycle, "
                              "the asylum chain simulated. Every result carries a manifest (code version, law and "
                              "data hashes, seed, inputs).")  # fmt: skip
    app.state.jobs = JobQueue()
    errors.install(app)
    for module in (routes_api, solidarity_api, scenarios_api, jobs_api, explain_api, reports_api):
        app.include_router(module.router)

    @app.get("/api/health", tags=["meta"], summary="Version and the hashes results are pinned to")
    def health() -> dict:
        return {"status": "ok", "manifest": manifest()}

    if web:
        from asylumengine.web import mount

        mount(app)
    return app
