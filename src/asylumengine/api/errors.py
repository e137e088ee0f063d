"""One error shape for every endpoint: ``{"error": one line, "detail": [{"field", "message"}]}``.

Invalid input is 422 naming the field; an unknown id 404; an engine's user error (a pledge for a
state that does not exist, a scenario key out of range) 422 with the engine's own message. A bug
is a 500 with a plain message and no traceback; the API tests check bad input never reaches it.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from asylumengine.data.figures import DataError
from asylumengine.data.member_states import UnknownMemberState
from asylumengine.law import ParameterError
from asylumengine.routes import CaseError, RouteError
from asylumengine.sim import ScenarioError
from asylumengine.solidarity import InputFileError, PoolError, SolidarityError

log = logging.getLogger("asylumengine.api")
USER_ERRORS = (CaseError, RouteError, SolidarityError, PoolError, InputFileError, ParameterError, DataError,
               UnknownMemberState, ScenarioError)  # fmt: skip
_WHERE = {"body", "query", "path", "header", "cookie"}  # the first element of a location, not a field


class ApiError(Exception):
    """An error the API answers with ``status``; ``extra`` joins the body (e.g. closest articles)."""

    def __init__(self, status: int, message: str, field: str | None = None, **extra):
        super().__init__(message)
        self.status, self.message, self.field, self.extra = status, message, field, extra


def field_of(err: dict) -> str:
    """'applicant.date_of_birth', 'pledges[0].relocations'; model-level checks name their field
    first in the message ('registered_on: ...'), which is joined to the location."""
    loc = list(err.get("loc", ()))
    if loc and loc[0] in _WHERE:
        loc = loc[1:]
    path = ""
    for p in loc:
        path += f"[{p}]" if isinstance(p, int) else (f".{p}" if path else str(p))
    msg = str(err.get("msg", "")).removeprefix("Value error, ")
    head = msg.split(":", 1)[0]
    if ":" in msg and " " not in head and not head.startswith("'"):
        path = f"{path}.{head}" if path else head
    return path or "body"


def message_of(err: dict) -> str:
    msg = str(err.get("msg", "")).removeprefix("Value error, ")
    head, _, rest = msg.partition(":")
    if rest and " " not in head:
        msg = rest.strip()
    if str(err.get("type", "")).startswith(("date_", "datetime_")):
        msg = "must be a date written YYYY-MM-DD"
    return msg


def validation_body(errors: list[dict]) -> dict:
    detail = [{"field": field_of(e), "message": message_of(e)} for e in errors]
    return {"error": "; ".join(f"{d['field']}: {d['message']}" for d in detail), "detail": detail}


def _validation(request: Request, exc: RequestValidationError | ValidationError) -> JSONResponse:
    return JSONResponse(validation_body(list(exc.errors())), status_code=422)


def _api_error(request: Request, exc: ApiError) -> JSONResponse:
    body = {"error": exc.message, "detail": [{"field": exc.field, "message": exc.message}] if exc.field else []}
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return JSONResponse({**body, **exc.extra}, status_code=exc.status, headers=headers)


def _user_error(request: Request, exc: ValueError) -> JSONResponse:
    field = getattr(exc, "key", None) or getattr(exc, "field", None)
    detail = [{"field": field, "message": getattr(exc, "problem", str(exc))}] if field else []
    return JSONResponse({"error": str(exc), "detail": detail}, status_code=422)


def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    return JSONResponse({"error": str(exc.detail), "detail": []}, status_code=exc.status_code, headers=exc.headers)


def _bug(request: Request, exc: Exception) -> JSONResponse:
    log.exception("internal error on %s %s", request.method, request.url.path)
    return JSONResponse({"error": "internal error: the request was valid but the server failed; please report it",
                         "detail": []}, status_code=500)  # fmt: skip


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(ValidationError, _validation)
    app.add_exception_handler(ApiError, _api_error)
    for exc in USER_ERRORS:
        app.add_exception_handler(exc, _user_error)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _bug)
