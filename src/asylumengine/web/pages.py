"""Page routes: overview, case route explorer, solidarity, scenarios, article texts."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from asylumengine import __version__
from asylumengine.api.auth import issue_session
from asylumengine.web.catalog import LANGS, catalogue, pick_lang

HERE = Path(str(resources.files("asylumengine.web")))
templates = Jinja2Templates(directory=str(HERE / "templates"))
PAGES = ("home", "route", "solidarity", "scenarios", "explain")
JS_PREFIXES = ("common.", "route.", "sol.", "sc.", "ind.", "field.", "value.", "regime.", "request.", "term.", "status.",
               "explain.", "repro.")  # fmt: skip


def plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def render(request: Request, page: str, **context) -> HTMLResponse:
    lang = pick_lang(request.query_params.get("lang"), request.cookies.get("lang"), request.headers.get("accept-language"))
    t = catalogue(lang)
    js = {k: v for k, v in t.items() if k.startswith(JS_PREFIXES)}
    response = templates.TemplateResponse(request, f"{page}.html", {"t": t, "lang": lang, "langs": LANGS, "page": page,
                                          "js_strings": js, "version": __version__, **context})  # fmt: skip
    issue_session(request, response)  # the job form starts work: see api/auth.py for who gets a session
    if request.query_params.get("lang") in LANGS:
        response.set_cookie("lang", lang, max_age=365 * 86400, samesite="lax")
    return response


def mount(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.get("/static-vendor/plotly.min.js", include_in_schema=False)
    def plotly_file() -> FileResponse:
        return FileResponse(plotly_js(), media_type="text/javascript", headers={"Cache-Control": "max-age=86400"})

    @app.get("/", include_in_schema=False, response_class=HTMLResponse)
    def home(request: Request):
        return render(request, "home")

    for page in ("route", "solidarity", "scenarios", "explain"):
        app.add_api_route(f"/{page}", _page(page), include_in_schema=False, response_class=HTMLResponse)


def _page(page: str):
    def view(request: Request):
        return render(request, page)

    view.__name__ = f"page_{page}"
    return view
