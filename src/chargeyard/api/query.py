"""Strict query strings: a list endpoint that declares `dependencies=[StrictQuery]` answers an
unknown or malformed query parameter with 400 instead of silently ignoring it (a misspelt
filter that returns the whole list looks like an answer and is not one).

The parameters an endpoint knows are read from the route FastAPI matched, so nothing is listed
twice; `problems.py` turns validation errors of such a route's query into 400 too.
"""

from collections.abc import Iterator

from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant
from starlette.routing import BaseRoute

from chargeyard.errors import BadRequest


def _query_names(dependant: Dependant) -> Iterator[str]:
    for param in dependant.query_params:
        yield param.alias
    for sub in dependant.dependencies:
        yield from _query_names(sub)


def _uses_strict(dependant: Dependant) -> bool:
    return any(
        sub.call is refuse_unknown_query or _uses_strict(sub) for sub in dependant.dependencies
    )


def is_strict(route: BaseRoute | None) -> bool:
    """Whether the route refuses unknown query parameters (and so answers 400 for bad ones)."""
    dependant = getattr(route, "dependant", None)
    return dependant is not None and _uses_strict(dependant)


async def refuse_unknown_query(request: Request) -> None:
    dependant: Dependant | None = getattr(request.scope.get("route"), "dependant", None)
    if dependant is None:
        return
    unknown = sorted(set(request.query_params) - set(_query_names(dependant)))
    if unknown:
        known = ", ".join(sorted(set(_query_names(dependant))))
        raise BadRequest(f"unknown query parameters: {', '.join(unknown)} (known: {known})")


StrictQuery = Depends(refuse_unknown_query)
