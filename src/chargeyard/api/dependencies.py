"""What endpoints receive: the caller, a unit of work, paging; ETag checks and conditional updates."""

import asyncio
import base64
import binascii
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Annotated, Any, Protocol, TypeVar
from urllib.parse import quote

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel

from chargeyard.api.limits import INT_MAX, Moment
from chargeyard.clock import Clock
from chargeyard.errors import (
    Forbidden,
    NameTaken,
    PreconditionFailed,
    PreconditionRequired,
    TooManyAttempts,
    Unauthenticated,
)
from chargeyard.observability.metrics import observe_sign_in_failure
from chargeyard.organizations.domain import (
    TOKEN_USE_RESOLUTION,
    Principal,
    Role,
    allows,
    token_use_due,
)
from chargeyard.organizations.repository import mark_token_used
from chargeyard.organizations.service import authenticate_token, authenticate_user
from chargeyard.security.sign_in_guard import email_key
from chargeyard.server_context import ServerContext
from chargeyard.site_scopes.service import check_whole_organization
from chargeyard.storage.repository import Page
from chargeyard.storage.unit_of_work import UnitOfWork

logger = logging.getLogger(__name__)

# How long a request waits to stamp its token's `last_used_at` before going on without it.
TOKEN_USE_WAIT_S = 1.0


def server(request: Request) -> ServerContext:
    ctx: ServerContext = request.app.state.ctx
    return ctx


Server = Annotated[ServerContext, Depends(server)]


def clock(ctx: Server) -> Clock:
    return ctx.clock


async def principal(request: Request, ctx: Server) -> Principal:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value:
        return await bearer(ctx, value.strip())
    if scheme.lower() == "basic" and value:
        try:
            email, _, password = base64.b64decode(value).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise Unauthenticated("malformed Basic credentials") from None
        address = request.client.host if request.client is not None else None
        return await basic(ctx, email, password, address)
    raise Unauthenticated("send an API token (Bearer) or email and password (Basic)")


async def basic(ctx: ServerContext, email: str, password: str, address: str | None) -> Principal:
    """A Basic sign-in, behind the brute-force brake: while the e-mail or the address is locked
    after repeated failures, 429 with Retry-After, without checking the password (whether it is
    right or wrong, and whether the e-mail exists, the answer is the same)."""
    key = email_key(email)
    wait = ctx.sign_in.retry_after(key, address)
    if wait is not None:
        observe_sign_in_failure("basic", "locked")
        raise TooManyAttempts("too many failed sign-ins; try again later", wait)
    try:
        async with ctx.db.reading() as uow:
            caller = await authenticate_user(uow.session, email, password)
    except Unauthenticated:
        started = ctx.sign_in.failed(key, address)
        observe_sign_in_failure("basic", "refused", lockout_started=started is not None)
        if started is not None:
            logger.warning(
                "REST Basic sign-in as %r from %s locked for %.0f s after repeated failures",
                email,
                address,
                started,
            )
        raise
    ctx.sign_in.succeeded(key)
    return caller


async def bearer(ctx: ServerContext, secret: str) -> Principal:
    async with ctx.db.reading() as uow:
        signed_in = await authenticate_token(uow.session, secret)
    now = ctx.clock()
    if token_use_due(signed_in.last_used_at, now) and signed_in.principal.token_id is not None:
        await note_token_use(ctx, signed_in.principal.token_id, now)
    return signed_in.principal


async def note_token_use(ctx: ServerContext, token_id: str, now: datetime) -> None:
    """Stamp the token's `last_used_at` in a unit of work of its own, bounded in time: a busy or
    failing database costs the stamp (the next request tries again), never the request."""
    try:
        async with asyncio.timeout(TOKEN_USE_WAIT_S), ctx.db.writing() as uow:
            await mark_token_used(uow.session, token_id, now, TOKEN_USE_RESOLUTION)
            await uow.commit()
    except Exception:  # best effort by design; see the docstring
        logger.warning("could not record the use of API token %s", token_id, exc_info=True)


def check_role(caller: Principal, role: Role) -> Principal:
    """The one role check of every edge (REST and the dashboard): 403 below `role`."""
    if not allows(caller.role, role):
        raise Forbidden(f"this needs the {role.value} role; the caller has {caller.role.value}")
    return caller


@asynccontextmanager
async def name_probe_brake(ctx: ServerContext, organization_id: str) -> AsyncIterator[None]:
    """Around a create whose name is unique across organizations (station id, e-mail): a 409
    says the name exists somewhere, so each one counts against the organization, and past
    `create_conflicts_per_window` its creates answer 429 for a while. Names cannot be
    enumerated faster than that, while an organization meeting the odd taken name never
    notices."""
    key = f"organization:{organization_id}"
    wait = ctx.sign_in.conflicts.retry_after(key)
    if wait is not None:
        raise TooManyAttempts("too many creates refused as taken; try again later", wait)
    try:
        yield
    except NameTaken:
        if ctx.sign_in.conflicts.failed(key) is not None:
            logger.warning("organization %s: creates paused after many taken names", key)
        raise


def require(role: Role) -> Callable[[Principal], Awaitable[Principal]]:
    async def check(caller: Annotated[Principal, Depends(principal)]) -> Principal:
        return check_role(caller, role)

    return check


Viewer = Annotated[Principal, Depends(require(Role.VIEWER))]
Operator = Annotated[Principal, Depends(require(Role.OPERATOR))]
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]


def require_whole_organization(role: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """`role`, and a caller that sees the whole organization (not a site-scoped user)."""

    async def check(caller: Annotated[Principal, Depends(require(role))]) -> Principal:
        return check_whole_organization(caller)

    return check


OrganizationViewer = Annotated[Principal, Depends(require_whole_organization(Role.VIEWER))]
OrganizationOperator = Annotated[Principal, Depends(require_whole_organization(Role.OPERATOR))]


async def reading(ctx: Server) -> AsyncIterator[UnitOfWork]:
    async with ctx.db.reading() as uow:
        yield uow


async def writing(ctx: Server) -> AsyncIterator[UnitOfWork]:
    """The endpoint commits; an exception (or no commit) rolls back."""
    async with ctx.db.writing() as uow:
        yield uow


Reading = Annotated[UnitOfWork, Depends(reading)]
Writing = Annotated[UnitOfWork, Depends(writing)]


def page(
    offset: Annotated[int, Query(ge=0, le=INT_MAX)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> Page:
    return Page(offset=offset, limit=limit)


Paging = Annotated[Page, Depends(page)]
UpdatedSince = Annotated[
    Moment | None, Query(description="Only objects changed after this instant.")
]


# Every printable ASCII character but the space, '"', '%' and '\\': an ETag is a quoted string in
# an HTTP header, so a key with anything else in it (a legacy id) is percent-encoded.
_ETAG_SAFE = "!#$&'()*+,/:;<=>?@[]^`{|}"


def etag(key: object, revision: int) -> str:
    return f'"{quote(str(key), safe=_ETAG_SAFE)}.{revision}"'


def set_etag(response: Response, key: object, revision: int) -> None:
    response.headers["ETag"] = etag(key, revision)


def _check_if_match(request: Request, key: object, revision: int, *, required: bool) -> None:
    """PUT must name the version it replaces; PATCH may. A stale version answers 412."""
    expected = request.headers.get("if-match")
    if expected is None:
        if required:
            raise PreconditionRequired("send If-Match with the ETag of the version you replace")
        return
    current = etag(key, revision)
    candidates = {tag.strip().removeprefix("W/") for tag in expected.split(",")}
    if "*" not in candidates and current not in candidates:
        raise PreconditionFailed(f"the object changed; its current ETag is {current}")


class Revisioned(Protocol):
    """A row that carries an ETag: its key and a revision that every change raises."""

    @property
    def id(self) -> Any: ...

    @property
    def revision(self) -> int: ...


R = TypeVar("R", bound=Revisioned)
R_co = TypeVar("R_co", bound=Revisioned, covariant=True)


class Lockable(Protocol[R_co]):
    """Where a conditional change reads its row: a repository (`ScopedRepository.locked`)."""

    async def locked(self, key: Any) -> R_co: ...


async def to_change(rows: Lockable[R], key: Any, request: Request, *, required: bool = False) -> R:
    """The row a conditional request changes (or deletes, or acts on), held against its
    If-Match (`required`: a PUT must send one). The row is locked and read afresh first, so the
    check and the change are one step: of two requests naming the same ETag, the second waits
    for the first and gets its 412 (on PostgreSQL they would otherwise both pass the check).
    Every write that honours If-Match comes through here; the check is not public."""
    row = await rows.locked(key)
    _check_if_match(request, row.id, row.revision, required=required)
    return row


async def conditional_update(
    rows: Lockable[R],
    key: Any,
    body: BaseModel,
    update: Callable[[R, dict[str, Any]], Awaitable[object]],
    uow: UnitOfWork,
    request: Request,
    response: Response,
    *,
    replace: bool,
) -> R:
    """Apply a PUT (`replace`) or PATCH body to the row `key` of `rows` through the service's
    `update`, commit, and answer with the new ETag. A PUT must name the revision it replaces
    (If-Match) and sends every field; a PATCH may name it, and changes only the fields it sends.
    The row comes from `to_change` (locked, then checked); it is returned as changed."""
    row = await to_change(rows, key, request, required=replace)
    await update(row, body.model_dump(exclude_unset=not replace))
    await uow.commit()
    set_etag(response, row.id, row.revision)
    return row
