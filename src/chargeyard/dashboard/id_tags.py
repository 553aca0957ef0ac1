"""Administration of ID tags: the list for every role; adding a tag and changing its status for
operators and admins, through the same service, body models and role check as
`/api/v1/id-tags`."""

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import RedirectResponse

from chargeyard.api.dependencies import Server, check_role
from chargeyard.dashboard.auth import ActingCaller, PageCaller, SignedIn
from chargeyard.dashboard.endpoints import PageNumber, base_context
from chargeyard.dashboard.field_form import FieldForm, refused
from chargeyard.dashboard.form_handling import form_sender, page_slice, paging, see_other
from chargeyard.dashboard.forms import validated
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.errors import Conflict, Invalid
from chargeyard.id_tags.repository import IdTagRepository
from chargeyard.id_tags.schemas import IdTagCreate, IdTagPatch
from chargeyard.id_tags.service import IdTagDraft, IdTagService
from chargeyard.organizations.domain import Role
from chargeyard.server_context import ServerContext

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

STATUSES = ("Accepted", "Blocked", "Expired", "Invalid")
StatusFilter = Literal["", "Accepted", "Blocked", "Expired", "Invalid"]


LABELS = {"value": "Value", "description": "Description", "status": "Status"}
REFUSED = (Invalid, Conflict)
"""What the new-tag form answers on itself: a broken field (422), a value already taken (409)."""


async def _list_page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    where: tuple[str, str] = ("", ""),
    page: int = 1,
    form: FieldForm | None = None,
    status_code: int = 200,
) -> Response:
    value, tag_status = where
    async with ctx.db.reading() as uow:
        found = await IdTagRepository(uow.session, caller.principal.organization_id).search(
            page_slice(page), status=tag_status or None, value=value or None
        )
    context = base_context(caller, "id-tags") | paging(found.total, page)
    context |= {
        "tags": found.items,
        "value": value,
        "status": tag_status,
        "statuses": STATUSES,
        "status_choices": [(s, s) for s in STATUSES],
        "form": form or FieldForm({"status": "Accepted"}, labels=LABELS),
    }
    return render(request, "id_tags.html", context, status_code)


@router.get("/id-tags")
async def id_tags(
    request: Request,
    caller: PageCaller,
    ctx: Server,
    value: Annotated[str | None, Query(max_length=36)] = None,
    tag_status: Annotated[StatusFilter, Query(alias="status")] = "",
    page: PageNumber = 1,
) -> Response:
    return await _list_page(request, caller, ctx, (value or "", tag_status), page)


@router.post("/id-tags")
async def add_id_tag(request: Request, acting: ActingCaller, ctx: Server) -> Response:
    """`POST /api/v1/id-tags` (operator and up); a refused tag comes back as sent, the
    refusal beside its field (a taken value beside the value)."""
    sender = form_sender(acting)
    try:
        body = validated(IdTagCreate, {name: sender.fields.get(name, "") for name in LABELS})
        async with sender.writing(ctx) as uow:
            await IdTagService(uow, sender.organization_id, ctx.clock).create(
                IdTagDraft(**body.model_dump())
            )
    except REFUSED as refusal:
        form = refused(sender.fields, LABELS, refusal, "value")
        return await _list_page(
            request, acting[0], ctx, page=1, form=form, status_code=refusal.status
        )
    return see_other(f"/id-tags?value={quote(body.value)}")


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
