"""The page a refused form was sent from, drawn again with the refusal above it: what every
dashboard form and row button answers when the service refuses it and the route has no page of
its own to show (a form that keeps its input, `field_form.refused`, answers before this).

The page is the one the browser says it sent the form from (`Referer`, which the dashboard's
`Referrer-Policy: same-origin` keeps for its own forms), else the nearest page above the form's
path (`/circuits/{id}/delete` is sent from `/circuits/{id}`, else `/circuits`). It is read by
its own GET route, as the caller, so it shows only what the caller may see; a page that is
itself refused (the row gone, or another organization's) gives way to the next one above it,
and with none left the refusal is the error page.

Not here: a refused role or a form from another site (403) stays the error page, since the page
offers that caller no such form; the sign-in page for a caller not signed in (`rendering`).
"""

from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Match
from starlette.types import Scope

from chargeyard.errors import ChargeyardError, Forbidden, Unauthenticated


def answers_on_page(refusal: ChargeyardError) -> bool:
    """Whether `refusal` comes back on its page: a rule (422), a conflict (409), a change
    (412), or something the form names gone (404); not a refused caller (401, 403)."""
    return not isinstance(refusal, Forbidden | Unauthenticated)


def paths_above(path: str) -> Iterator[str]:
    """`path` and the paths above it, nearest first, short of the overview (`/`)."""
    parts = path.rstrip("/").split("/")
    while len(parts) > 1:
        yield "/".join(parts)
        parts.pop()


def _pages(request: Request) -> Iterator[tuple[str, str]]:
    """Where the form may have been sent from, most likely first: (path, query)."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.path and referer.netloc == request.headers.get("host", request.url.netloc):
        yield referer.path, referer.query
    yield from ((path, "") for path in paths_above(request.url.path))


def page_route(
    routes: Iterable[BaseRoute], scope: Scope, kind: type[APIRoute]
) -> tuple[APIRoute, Scope] | None:
    """The route of class `kind` (the dashboard's) that answers `scope` as a GET, with what
    its match adds to the scope (the path's parameters)."""
    scope = dict(scope, method="GET")
    for route in routes:
        if isinstance(route, kind):
            match, child = route.matches(scope)
            if match is Match.FULL:
                return route, child
    return None


async def page_refused(
    request: Request, refusal: ChargeyardError, kind: type[APIRoute]
) -> Response | None:
    """The page (served by a route of class `kind`) the form `request` was sent from, with
    `refusal` above it and its status: the first of `_pages` that is a page the caller may
    see (a row's page gone with the row gives way to the list above it); None when none is."""
    for path, query in _pages(request):
        scope = dict(request.scope, method="GET", path=path, query_string=query.encode())
        found = page_route(request.app.state.dashboard_routes, scope, kind)
        if found is None:
            continue
        route, child = found
        page = Request({**scope, **child}, request.receive)
        page.state.shown = {"refusal": refusal.detail}
        answer = await route.get_route_handler()(page)
        if answer.status_code == 200 and answer.headers.get("content-type", "").startswith(
            "text/html"
        ):
            answer.status_code = refusal.status
            return answer
    return None
