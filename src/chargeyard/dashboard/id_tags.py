"""Administration of ID tags: the list for every role; adding a tag and changing its status for
operators and admins, through the same service, body models and role check as
`/api/v1/id-tags`."""

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import RedirectResponse

from chargeyard.api.dependencies import Server, check_role
from chargeyard.dashboard.auth import ActingCaller, PageCaller
from chargeyard.dashboard.endpoints import PAGE_SIZE, PageNumber, base_context
from chargeyard.dashboard.forms import validated
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.id_tags.repository import IdTagRepository
from chargeyard.id_tags.schemas import IdTagCreate, IdTagPatch
from chargeyard.id_tags.service import IdTagDraft, IdTagService
from chargeyard.organizations.domain import Role
from chargeyard.storage.repository import Page

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

STATUSES = ("Accepted", "Blocked", "Expired", "Invalid")
StatusFilter = Literal["", "Accepted", "Blocked", "Expired", "Invalid"]


@router.get("/id-tags")
async def id_tags(
    request: Request,
    caller: PageCaller,
    ctx: Server,
    value: Annotated[str | None, Query(max_length=36)] = None,
    tag_status: Annotated[StatusFilter, Query(alias="status")] = "",
    page: PageNumber = 1,
) -> Response:
    async with ctx.db.reading() as uow:
        found = await IdTagRepository(uow.session, caller.principal.organization_id).search(
            Page((page - 1) * PAGE_SIZE, PAGE_SIZE), status=tag_status or None, value=value or None
        )
    context = base_context(caller, "id-tags") | {
        "tags": found.items,
        "total": found.total,
        "page": page,
        "pages": max(1, -(-found.total // PAGE_SIZE)),
        "value": value or "",
        "status": tag_status,
        "statuses": STATUSES,
    }
    return render(request, "id_tags.html", context)


@router.post("/id-tags")
async def add_id_tag(acting: ActingCaller, ctx: Server) -> Response:
    signed_in, fields = acting
    caller = check_role(signed_in.principal, Role.OPERATOR)
    body = validated(IdTagCreate, fields)
    async with ctx.db.writing() as uow:
        await IdTagService(uow, caller.organization_id, ctx.clock).create(
            IdTagDraft(**body.model_dump())
        )
        await uow.commit()
    return RedirectResponse(f"/id-tags?value={quote(body.value)}", status.HTTP_303_SEE_OTHER)


@router.post("/id-tags/{tag_id}/status")
async def change_status(tag_id: str, acting: ActingCaller, ctx: Server) -> Response:
    signed_in, fields = acting
    caller = check_role(signed_in.principal, Role.OPERATOR)
    body = validated(IdTagPatch, {"status": fields.get("status", "")})
    async with ctx.db.writing() as uow:
        service = IdTagService(uow, caller.organization_id, ctx.clock)
        tag = await service.tags.get(tag_id)
        await service.update(tag, body.model_dump(exclude_unset=True))
        await uow.commit()
    return RedirectResponse(f"/id-tags?value={quote(tag.value)}", status.HTTP_303_SEE_OTHER)
