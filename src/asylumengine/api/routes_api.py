"""Routes: one case (JSON or YAML body), example cases, the case schema, a population file."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Annotated, Literal

import polars as pl
from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import Response

from asylumengine.api import library
from asylumengine.api.errors import ApiError
from asylumengine.api.schemas import RouteResponse
from asylumengine.io import YamlInputError, load_json, load_yaml
from asylumengine.reports.manifest import manifest
from asylumengine.routes import Case, Route, case_schema, evaluate_population, route

router = APIRouter(prefix="/api", tags=["routes"])
MAX_CASE_BYTES = 256 * 1024
MAX_POPULATION_BYTES = 64 * 1024 * 1024  # about a million cases in Parquet
MAX_POPULATION_ROWS = 1_000_000  # per request; larger populations: `asylum routes`
JSON_TYPES = {"application/json", ""}  # any other content type is read as YAML (curl --data-binary @case.yaml works)
Regime = Literal["auto", "dublin-iii", "pact"]
ReturnRegime = Literal["return-directive", "return-regulation-council-2025"]
Lang = Literal["en", "nl"]

CASE_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"$ref": "#/components/schemas/Case"}},
    "application/yaml": {"schema": {"type": "string", "description": "The same case written in YAML"}}}}}  # fmt: skip


def parse_case_body(body: bytes, content_type: str) -> tuple[Case, dict]:
    """The case and its raw mapping; an example file's ``return_regime`` is returned with it."""
    if len(body) > MAX_CASE_BYTES:
        raise ApiError(413, f"case body larger than {MAX_CASE_BYTES // 1024} KiB", field="body")
    kind = content_type.split(";")[0].strip().lower()
    as_json = kind in JSON_TYPES or kind.endswith("+json")
    try:  # limits on size, depth and aliases; a key given twice is an error (asylumengine.io)
        data = load_json(body, "body") if as_json else load_yaml(body, "body", dates_as_text=True)
    except YamlInputError as exc:
        raise ApiError(422, str(exc), field="body") from None
    if not isinstance(data, dict):
        raise ApiError(422, "body: expected a case (a mapping with applicant, application, ...)", field="body")
    data.pop("expect", None)  # an example file's expected answer is not an input
    options = {"return_regime": data.pop("return_regime")} if "return_regime" in data else {}
    return Case.model_validate(data), options


def route_inputs(case: Case, on, regime, return_regime) -> dict:
    return {"case": case.model_dump(mode="json", exclude_defaults=True), "on": on.isoformat() if on else None,
            "regime": regime, "return_regime": return_regime}  # fmt: skip


def checked_return_regime(rr: str) -> str:
    if rr not in ReturnRegime.__args__:
        raise ApiError(422, f"return_regime: must be one of {', '.join(ReturnRegime.__args__)}, got {rr!r}", field="return_regime")
    return rr


async def route_from_request(request: Request, on, regime, return_regime, lang: str = "en") -> tuple[Route, dict]:
    case, options = parse_case_body(await request.body(), request.headers.get("content-type", "application/json"))
    rr = checked_return_regime(return_regime or options.get("return_regime", "return-directive"))
    return route(case, on=on, regime=regime, return_regime=rr, lang=lang), manifest(inputs=route_inputs(case, on, regime, rr))


@router.post("/route", response_model=RouteResponse, openapi_extra=CASE_BODY,
             summary="The route of one case: steps, deadlines, articles")  # fmt: skip
async def route_case(
    request: Request,
    on: Annotated[dt.date | None, Query(description="Date the route is computed on (default: the case's).")] = None,
    regime: Regime = "auto",
    return_regime: ReturnRegime | None = None,
    lang: Annotated[Lang, Query(description="Language of outcomes, branches, open points and notes.")] = "en",
) -> Response:
    case, options = parse_case_body(await request.body(), request.headers.get("content-type", "application/json"))
    rr = checked_return_regime(return_regime or options.get("return_regime", "return-directive"))
    route_json = await request.app.state.batcher.route_json(case, (on, regime, rr, lang))
    man = json.dumps(manifest(inputs=route_inputs(case, on, regime, rr)), separators=(",", ":")).encode()
    return Response(b'{"manifest":' + man + b',"route":' + route_json + b"}", media_type="application/json")


@router.post("/cases/parse", openapi_extra=CASE_BODY, summary="Read a case (YAML or JSON) and give it back validated, as JSON")
async def parse_case(request: Request) -> dict:
    case, options = parse_case_body(await request.body(), request.headers.get("content-type", "application/json"))
    return {"case": case.model_dump(mode="json", exclude_defaults=True), **options}


@router.get("/cases/schema", summary="The case JSON Schema")
def schema() -> dict:
    return case_schema()


@router.get("/cases/examples", summary="The example cases, one per branch")
def examples() -> list[dict]:
    return [library.example_summary(name, path) for name, path in library.example_files().items()]


@router.get("/cases/examples/{name}", summary="One example case (as JSON)")
def example(name: str) -> dict:
    path = library.example_files().get(name)
    if path is None:
        raise ApiError(404, f"no example case {name!r}", field="name", known=sorted(library.example_files()))
    data = load_yaml(path.read_text(encoding="utf-8"), path.name, dates_as_text=True)
    return {"id": name, "case": {k: v for k, v in data.items() if k not in ("expect", "return_regime")},
            "return_regime": data.get("return_regime", "return-directive"), "expect": data.get("expect") or {}}  # fmt: skip


@router.post("/routes/population", summary="Routes for a population table (Parquet upload)")
def population(
    file: Annotated[UploadFile, File(description="Population table (Parquet), e.g. from `asylum population`.")],
    on: dt.date | None = None,
    regime: Regime = "auto",
    return_regime: ReturnRegime = "return-directive",
    format: Literal["json", "csv", "parquet"] = "json",
) -> Response:
    raw = file.file.read(MAX_POPULATION_BYTES + 1)
    if len(raw) > MAX_POPULATION_BYTES:
        raise ApiError(413, f"file: larger than {MAX_POPULATION_BYTES // 2**20} MiB", field="file")
    try:
        table = pl.read_parquet(io.BytesIO(raw))
    except (OSError, pl.exceptions.PolarsError, ValueError) as exc:
        raise ApiError(422, f"file: cannot read Parquet ({exc.__class__.__name__})", field="file") from None
    if table.height > MAX_POPULATION_ROWS:
        raise ApiError(413, f"file: {table.height:,} cases; at most {MAX_POPULATION_ROWS:,} per request (use `asylum routes`)", field="file")
    try:
        result = evaluate_population(table, on=on, regime=regime, return_regime=return_regime)
    except (ValueError, pl.exceptions.PolarsError) as exc:
        raise ApiError(422, f"file: {exc}", field="file") from None
    man = manifest(inputs={"file": file.filename, "rows": table.height, "on": on.isoformat() if on else None,
                           "regime": regime, "return_regime": return_regime})  # fmt: skip
    return population_response(result, man, format)


def population_response(result: pl.DataFrame, man: dict, format: str) -> Response:
    headers = {"X-Manifest": json.dumps(man, separators=(",", ":"))}
    if format == "csv":
        return Response(result.write_csv(), media_type="text/csv", headers=headers)
    if format == "parquet":
        buf = io.BytesIO()
        result.write_parquet(buf)
        return Response(buf.getvalue(), media_type="application/vnd.apache.parquet", headers=headers)
    body = b'{"manifest":' + json.dumps(man).encode() + b',"rows":' + result.write_json().encode() + b"}"
    return Response(body, media_type="application/json")
