"""Signing in with an e-mail and password (the same check as REST Basic authentication) and
signing out."""

import math
from datetime import datetime

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import RedirectResponse

from chargeyard.api.dependencies import Server, basic
from chargeyard.dashboard.auth import ActingCaller, check_origin, session_keys
from chargeyard.dashboard.forms import form_fields
from chargeyard.dashboard.rendering import DashboardRoute, sign_in_page
from chargeyard.dashboard.sessions import SESSION_COOKIE, SESSION_LIFETIME
from chargeyard.errors import TooManyAttempts, Unauthenticated
from chargeyard.organizations.models import User
from chargeyard.organizations.repository import UserRepository

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)


def local_target(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (never `//elsewhere`)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/sign-in")
async def sign_in_form(request: Request) -> Response:
    return sign_in_page(request)


@router.post("/sign-in")
async def sign_in(request: Request, ctx: Server) -> Response:
    check_origin(request)
    fields = await form_fields(request)
    keys = session_keys(request)
    if not keys.sign_in_token_valid(fields.get("csrf_token", ""), ctx.clock()):
        return sign_in_page(request, error="The form expired; please try again.", status_code=403)
    address = request.client.host if request.client is not None else None
    try:
        # REST Basic's own check, behind the same brute-force brake (per e-mail and address).
        caller = await basic(ctx, fields.get("email", ""), fields.get("password", ""), address)
        async with ctx.db.reading() as uow:
            user = await UserRepository(uow.session, caller.organization_id).get(caller.user_id)
    except TooManyAttempts as locked:
        wait = math.ceil(locked.retry_after_s)
        error = f"Too many failed sign-ins; try again in {wait} s."
        return sign_in_page(request, error=error, status_code=429)
    except Unauthenticated:
        return sign_in_page(request, error="Wrong e-mail or password.", status_code=401)
    response = RedirectResponse(local_target(fields.get("next")), status.HTTP_303_SEE_OTHER)
    start_session(request, response, user, ctx.clock())
    return response


def over_tls(request: Request) -> bool:
    """Whether the browser reached us over TLS: the server's own, or a trusted proxy's (uvicorn's
    proxy-headers middleware sets the scope's scheme from X-Forwarded-Proto)."""
    return request.scope.get("scheme") == "https"


def start_session(request: Request, response: Response, user: User, now: datetime) -> None:
    """The session cookie: HttpOnly (no script reads it), SameSite=Lax (no other site's form
    sends it), Secure when the dashboard is served over TLS."""
    cookie, _claims = session_keys(request).issue(
        user.id, user.organization_id, user.password_hash, now
    )
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=over_tls(request),
    )


@router.post("/sign-out")
async def sign_out(request: Request, _acting: ActingCaller) -> Response:
    response = RedirectResponse("/", status.HTTP_303_SEE_OTHER)
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=over_tls(request),
    )
    return response
