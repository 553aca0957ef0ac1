"""Who is looking at a dashboard page, and whether a form they sent comes from their own page.

Pages accept a session cookie (see `sessions.py`) or, like the REST API, an `Authorization`
header (Bearer token or Basic e-mail and password), which scripts and checks find handy. Anything
that changes state accepts only the session cookie, from the dashboard's own origin, with the
session's CSRF token: a browser re-sends remembered Basic credentials by itself, so a header
alone proves nothing about which page sent a form.
"""

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request

from chargeyard.api.dependencies import Server, principal
from chargeyard.dashboard.forms import MAX_FORM_BYTES, form_fields
from chargeyard.dashboard.sessions import SESSION_COOKIE, SessionClaims, SessionKeys
from chargeyard.errors import Forbidden, Unauthenticated
from chargeyard.organizations.domain import Principal, Role, allows
from chargeyard.organizations.repository import UserRepository
from chargeyard.server_context import ServerContext
from chargeyard.site_scopes.service import confine


@dataclass(frozen=True)
class SignedIn:
    """The caller of a page: who they are and the token their forms must carry."""

    principal: Principal
    name: str
    csrf_token: str | None = None
    """None when a header authenticated the request: such a caller gets no forms."""

    def may(self, role: Role) -> bool:
        return allows(self.principal.role, role)


def session_keys(request: Request) -> SessionKeys:
    keys: SessionKeys = request.app.state.dashboard_keys
    return keys


async def from_cookie(request: Request, ctx: ServerContext) -> SignedIn | None:
    """The signed-in user of a genuine session cookie, read afresh from the database."""
    found = await _session(request, ctx)
    return None if found is None else found[0]


async def _session(request: Request, ctx: ServerContext) -> tuple[SignedIn, SessionClaims] | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    keys = session_keys(request)
    claims = keys.verify(cookie, ctx.clock())
    if claims is None:
        return None
    async with ctx.db.reading() as uow:
        user = await UserRepository(uow.session, claims.organization_id).find(claims.user_id)
        if user is None or not user.active:
            return None
        if keys.fingerprint(user.password_hash) != claims.password_fingerprint:
            return None
        caller = Principal(user.organization_id, Role(user.role), user_id=user.id)
        caller = await confine(uow.session, caller, user.location_ids)
    return SignedIn(caller, user.name or user.email, keys.csrf_token(claims)), claims


async def page_caller(request: Request, ctx: Server) -> SignedIn:
    """Who reads a page; `Unauthenticated` (rendered as the sign-in page) for nobody."""
    found = await from_cookie(request, ctx)
    if found is not None:
        return found
    if request.headers.get("authorization"):
        caller = await principal(request, ctx)
        return SignedIn(caller, caller.actor)
    raise Unauthenticated("sign in to see this page")


def check_origin(request: Request) -> None:
    """Refuse a form sent from another site (defence in depth beside the CSRF token and
    SameSite=Lax): browsers send Origin with every POST they make."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return
    if urlsplit(origin).netloc != request.headers.get("host", request.url.netloc):
        raise Forbidden("this form was sent from another site")


async def sending_session(request: Request, ctx: ServerContext) -> tuple[SignedIn, SessionClaims]:
    """The session of whoever sends a form, from the dashboard's origin; its form's CSRF token
    is checked next (`check_csrf`), once the body is read."""
    check_origin(request)
    found = await _session(request, ctx)
    if found is None:
        raise Unauthenticated("sign in first; your session may have ended")
    return found


def check_csrf(request: Request, claims: SessionClaims, token: str) -> None:
    if not session_keys(request).csrf_matches(claims, token):
        raise Forbidden("the form's CSRF token is missing or belongs to another session")


async def acting_caller(request: Request, ctx: Server) -> tuple[SignedIn, dict[str, str]]:
    """Who sends a form, and its fields: a session from the dashboard's origin whose CSRF
    token the form carries."""
    return await _acting(request, ctx, MAX_FORM_BYTES)


async def importing_caller(request: Request, ctx: Server) -> tuple[SignedIn, dict[str, str]]:
    """The same for a form that carries a file's worth of entries: bounded by the REST API's
    body limit (`api_max_body_bytes`) instead of a form's."""
    return await _acting(request, ctx, ctx.settings.api_max_body_bytes)


async def _acting(
    request: Request, ctx: ServerContext, limit: int
) -> tuple[SignedIn, dict[str, str]]:
    signed_in, claims = await sending_session(request, ctx)
    fields = await form_fields(request, limit)
    check_csrf(request, claims, fields.get("csrf_token", ""))
    return signed_in, fields


PageCaller = Annotated[SignedIn, Depends(page_caller)]
ActingCaller = Annotated[tuple[SignedIn, dict[str, str]], Depends(acting_caller)]
ImportingCaller = Annotated[tuple[SignedIn, dict[str, str]], Depends(importing_caller)]
