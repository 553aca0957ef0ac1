"""What endpoints receive: the caller, a unit of work, paging; ETag checks and conditional updates."""

import asyncio
import base64
import binascii
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any, Protocol, TypeVar
from urllib.parse import quote

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel

from chargeyard.api.limits import INT_MAX
from chargeyard.clock import Clock
from chargeyard.errors import Forbidden, PreconditionFailed, PreconditionRequired, Unauthenticated
from chargeyard.organizations.domain import (
    TOKEN_USE_RESOLUTION,
    Principal,
    Role,
    allows,
    token_use_due,
)
from chargeyard.organizations.repository import mark_token_used
from chargeyard.organizations.service import authenticate_token, authenticate_user
from chargeyard.server_context import ServerContext
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
    async with ctx.db.reading() as uow:
        if scheme.lower() == "basic" and value:
            try:
                email, _, password = base64.b64decode(value).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                raise Unauthenticated("malformed Basic credentials") from None
            return await authenticate_user(uow.session, email, password)
    raise Unauthenticated("send an API token (Bearer) or email and password (Basic)")


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


def require(role: Role) -> Callable[[Principal], Awaitable[Principal]]:
    async def check(caller: Annotated[Principal, Depends(principal)]) -> Principal:
        if not allows(caller.role, role):
            raise Forbidden(f"this needs the {role.value} role; the caller has {caller.role.value}")
        return caller

    return check


Viewer = Annotated[Principal, Depends(require(Role.VIEWER))]
Operator = Annotated[Principal, Depends(require(Role.OPERATOR))]
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]


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
    datetime | None, Query(description="Only objects changed after this instant.")
]


# Every printable ASCII character but the space, '"', '%' and '\\': an ETag is a quoted string in
# an HTTP header, so a key with anything else in it (a legacy id) is percent-encoded.
_ETAG_SAFE = "!#$&'()*+,/:;<=>?@[]^`{|}"


def etag(key: object, revision: int) -> str:
    return f'"{quote(str(key), safe=_ETAG_SAFE)}.{revision}"'


def set_etag(response: Response, key: object, revision: int) -> None:
    response.headers["ETag"] = etag(key, revision)


def check_if_match(request: Request, key: object, revision: int, *, required: bool) -> None:
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


async def conditional_update(
    row: R,
    body: BaseModel,
    update: Callable[[R, dict[str, Any]], Awaitable[object]],
    uow: UnitOfWork,
    request: Request,
    response: Response,
    *,
    replace: bool,
) -> None:
    """Apply a PUT (`replace`) or PATCH body to `row` through the service's `update`, commit,
    and answer with the new ETag. A PUT must name the revision it replaces (If-Match) and
    sends every field; a PATCH may name it, and changes only the fields it sends."""
    check_if_match(request, row.id, row.revision, required=replace)
    await update(row, body.model_dump(exclude_unset=not replace))
    await uow.commit()
    set_etag(response, row.id, row.revision)
