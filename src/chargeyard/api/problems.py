"""Every error leaves the API as an RFC 9457 problem document (`application/problem+json`)."""

import logging
import math
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from chargeyard.api.query import is_strict
from chargeyard.errors import ChargeyardError, TooManyAttempts, Unauthenticated

logger = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    headers = {"WWW-Authenticate": 'Bearer, Basic realm="chargeyard"'} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


async def _domain_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ChargeyardError)
    if error.status >= 500 and not isinstance(error, Unauthenticated):
        logger.error("request failed: %s", error.detail)
    answer = problem(error.status, error.title, error.detail)
    if isinstance(error, TooManyAttempts):
        answer.headers["Retry-After"] = str(max(1, math.ceil(error.retry_after_s)))
    return answer


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    errors = [
        {"location": "/".join(str(p) for p in e["loc"]), "message": e["msg"]}
        for e in error.errors()
    ]
    detail = "; ".join(f"{e['location']}: {e['message']}" for e in errors)
    in_query = all(e["loc"][:1] == ("query",) for e in error.errors())
    if in_query and is_strict(request.scope.get("route")):
        return problem(400, "Bad request", detail, errors=errors)
    return problem(422, "Invalid input", detail, errors=errors)


async def _http_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    try:
        title = HTTPStatus(error.status_code).phrase
    except ValueError:
        title = str(error.detail)
    return problem(error.status_code, title, str(error.detail))


async def _unexpected(_request: Request, error: Exception) -> JSONResponse:
    logger.exception("unhandled error", exc_info=error)
    return problem(500, "Internal error", "an unexpected error occurred; it has been logged")


def install(app: FastAPI) -> None:
    app.add_exception_handler(ChargeyardError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
