"""The OpenAPI document told true, in one place rather than on every endpoint: how a caller
authenticates (Bearer API token or Basic e-mail and password, so Swagger UI shows "Authorize"),
and every problem an operation can answer, as the `application/problem+json` document
`api/problems.py` sends. FastAPI alone documents only 422, as `application/json` with a schema
the API never sends, and none of the statuses its dependencies and the edge answer."""

from collections.abc import Callable, Collection
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from chargeyard.api.problems import PROBLEM_JSON

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "An RFC 9457 problem document: every error the API answers.",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "description": "Always about:blank."},
        "title": {"type": "string", "description": "The kind of problem."},
        "status": {"type": "integer", "description": "The HTTP status, repeated."},
        "detail": {"type": "string", "description": "What went wrong, for a person."},
        "errors": {
            "type": "array",
            "description": "422 only: each invalid input and why.",
            "items": {
                "type": "object",
                "required": ["location", "message"],
                "properties": {
                    "location": {"type": "string", "examples": ["body/evse_id"]},
                    "message": {"type": "string"},
                },
            },
        },
    },
    "additionalProperties": True,
    "examples": [
        {
            "type": "about:blank",
            "title": "Not found",
            "status": 404,
            "detail": "station CP-0001 not found",
        }
    ],
}

SECURITY_SCHEMES = {
    "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token (`chargeyard tokens create` or POST /api/v1/tokens).",
    },
    "basicAuth": {
        "type": "http",
        "scheme": "basic",
        "description": "A user's e-mail and password.",
    },
}

# Why each status can answer, and which operations it is documented on.
REASONS = {
    400: "The request is malformed (a NUL in the path or query, a body that cannot be read).",
    401: "No credentials, or they are not valid.",
    403: "The caller's role may not do this.",
    404: "The object does not exist in the caller's organization.",
    409: "The object exists already, or its state (or the station's) forbids the change.",
    412: "If-Match does not name the current version (ETag).",
    413: "The request body is larger than the server accepts.",
    422: "The input breaks a rule: a value out of range, a field unknown or missing.",
    428: "A PUT must send If-Match with the ETag of the version it replaces.",
    429: "Too many failed sign-ins (or creates refused as taken): wait for Retry-After.",
    502: "The station answered the command with an error (CALLERROR).",
    504: "The station did not answer in time.",
}
EDGE_STATUSES = (400, 413, 422)  # answered before any endpoint runs, to any operation
SECURED_PREFIX = "/api/v1/"
STATION_FILES_PREFIX = "/files/"  # the URLs stations use: the token in the path is the credential
"""Every operation under it authenticates the caller (tests/api/test_auth.py holds to it)."""


def _guarded(path: str, method: str, methods: Collection[str]) -> bool:
    """POSTs and DELETEs that take an optional If-Match too: the removal of an object that is
    changed with PUT or PATCH (api/dependencies.py: to_change), a station's layout (guarded by
    the station's ETag) and a hardware template's re-apply."""
    if method == "delete" and {"put", "patch"} & set(methods):
        return True
    return "/evses" in path or path.startswith(f"{SECURED_PREFIX}hardware-templates/")


def _statuses(path: str, method: str, secured: bool, methods: Collection[str]) -> list[int]:
    statuses = list(EDGE_STATUSES)
    if secured:
        statuses += [401, 403, 404, 409, 429]
    if path.startswith(STATION_FILES_PREFIX):
        statuses.append(404)  # a token unknown, used up or expired
    if method in ("put", "patch") or (
        method in ("post", "delete") and _guarded(path, method, methods)
    ):
        statuses.append(412)
    if method == "put":
        statuses.append(428)
    if "/commands/" in path or path.endswith("/power-limit"):
        statuses += [502, 504]
    return sorted(set(statuses))


def document(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """The function to install as `app.openapi`: FastAPI's document, then the corrections."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        components = spec.setdefault("components", {})
        schemas = components.setdefault("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError"):
            schemas.pop(unused, None)
        schemas["Problem"] = PROBLEM_SCHEMA
        components["securitySchemes"] = SECURITY_SCHEMES
        problem_content = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for path, operations in spec["paths"].items():
            secured = path.startswith(SECURED_PREFIX)
            for method, operation in operations.items():
                if secured:
                    operation["security"] = [{"bearerAuth": []}, {"basicAuth": []}]
                responses = operation.setdefault("responses", {})
                for status in _statuses(path, method, secured, operations.keys()):
                    responses[str(status)] = {
                        "description": REASONS[status],
                        "content": problem_content,
                    }
        app.openapi_schema = spec
        return spec

    return openapi
