"""The application: API routers, error handlers, the job queue and the web pages on one server."""

from __future__ import annotations

import os
from contextlib import asynccontextmanager

from fastapi import FastAPI

from asylumengine import __version__
from asylumengine.api import errors, explain_api, jobs_api, reports_api, routes_api, scenarios_api, solidarity_api
from asylumengine.api.batching import RouteBatcher
from asylumengine.api.jobs import JobQueue
from asylumengine.api.security import Guard, docs_csp
from asylumengine.reports.manifest import manifest
from asylumengine.store import engine_for


def create_app(web: bool = True, store: str | None = None) -> FastAPI:
    """The server; ``store`` (a SQLite path or database URL; default ``ASYLUM_STORE`` or the user
    data folder) keeps finished jobs and the API tokens."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        app.state.jobs.shutdown()
        app.state.batcher.shutdown()

    app = FastAPI(title="AsylumEngine API", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="The EU/Dutch asylum system as software: routes of cases, the AMMR solidarity cycle, "
                              "the asylum chain simulated. Every result carries a manifest (code version, law and "
                              "data hashes, seed, inputs).")  # fmt: skip
    app.state.store = engine_for(store)
    app.state.jobs = JobQueue(store=app.state.store)
    app.state.batcher = RouteBatcher(max_batch=int(os.environ.get("ASYLUM_ROUTE_BATCH", "128")))  # 1: no batching
    errors.install(app)
    app.add_middleware(Guard)
    for module in (routes_api, solidarity_api, scenarios_api, jobs_api, explain_api, reports_api):
        app.include_router(module.router)

    offline_docs(app)
    with_case_schema(app)

    @app.get("/api/health", tags=["meta"], summary="Version and the hashes results are pinned to")
    def health() -> dict:
        return {"status": "ok", "manifest": manifest()}

    if web:
        from asylumengine.web import mount

        mount(app)
    return app


def offline_docs(app: FastAPI) -> None:
    """Swagger UI at /docs from the files the swagger-ui-bundle package ships (works offline)."""
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.staticfiles import StaticFiles
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/docs-static", StaticFiles(directory=str(swagger_ui_path)), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def docs():
        page = get_swagger_ui_html(openapi_url=app.openapi_url, title="AsylumEngine API", swagger_js_url="/docs-static/swagger-ui-bundle.js",
                                   swagger_css_url="/docs-static/swagger-ui.css", swagger_favicon_url="/docs-static/favicon-32x32.png")  # fmt: skip
        page.headers["content-security-policy"] = docs_csp(page.body.decode())
        return page


def with_case_schema(app: FastAPI) -> None:
    """The case body is read raw (JSON or YAML), so its model is added to the OpenAPI components."""
    from fastapi.openapi.utils import get_openapi

    from asylumengine.routes import Case

    def openapi() -> dict:
        if app.openapi_schema is None:
            spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            case = Case.model_json_schema(ref_template="#/components/schemas/{model}")
            components = spec.setdefault("components", {}).setdefault("schemas", {})
            components.update(case.pop("$defs", {}))
            components["Case"] = case
            spec["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer",
                                                                "description": "A token from `asylum token create NAME`."}}  # fmt: skip
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi
