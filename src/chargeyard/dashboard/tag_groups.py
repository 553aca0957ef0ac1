"""Tag groups as `/api/v1/tag-groups` has them: named sets of ID tags that permissions grant
access to, searched by name on the server. Operators and admins create a group, rename it or
change its description, add and remove members and delete it, through `TagGroupService` with
the REST API's body models (`TagGroupCreate`, `TagGroupPatch`, `MemberIn`), so a form obeys the
same rules as a JSON body: a taken name is 409, an unknown tag 422."""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from chargeyard.api.dependencies import Server
from chargeyard.dashboard.auth import ActingCaller, PageCaller, SignedIn
from chargeyard.dashboard.endpoints import PageNumber, base_context
from chargeyard.dashboard.field_form import FieldForm, refused
from chargeyard.dashboard.form_handling import (
    ROW_REFUSALS,
    as_shown,
    form_sender,
    page_slice,
    paging,
    refused_on_page,
    see_other,
)
from chargeyard.dashboard.forms import listed
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.errors import Conflict, Invalid, PreconditionFailed
from chargeyard.server_context import ServerContext
from chargeyard.tag_groups.models import TagGroup
from chargeyard.tag_groups.repository import TagGroupRepository
from chargeyard.tag_groups.schemas import MemberIn, TagGroupCreate, TagGroupPatch
from chargeyard.tag_groups.service import TagGroupService

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)


LABELS = {"name": "Group name", "description": "Description", "id_tags": "ID tags"}
EDIT_LABELS = {"name": "Group name", "description": "Description"}
REFUSED = (Invalid, Conflict)
"""What the new-group form answers on itself: a broken field or an unknown tag (422), a taken
name (409)."""


@router.get("/tag-groups")
async def tag_groups(
    request: Request,
    caller: PageCaller,
    ctx: Server,
    q: Annotated[str | None, Query(max_length=100)] = None,
    page: PageNumber = 1,
) -> Response:
    return await _list_page(request, caller, ctx, q or "", page)


async def _list_page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    q: str = "",
    page: int = 1,
    form: FieldForm | None = None,
    status_code: int = 200,
) -> Response:
    async with ctx.db.reading() as uow:
        groups = TagGroupRepository(uow.session, caller.principal.organization_id)
        found = await groups.search(page_slice(page), name=q.strip() or None)
        members = await groups.member_values([g.id for g in found.items])
    context = (
        base_context(caller, "id-tags")
        | paging(found.total, page)
        | {
            "groups": [(g, members[g.id]) for g in found.items],
            "q": q,
            "form": form or FieldForm(labels=LABELS),
        }
    )
    return render(request, "tag_groups.html", context, status_code)


@router.get("/tag-groups/{group_id}")
async def tag_group(request: Request, group_id: str, caller: PageCaller, ctx: Server) -> Response:
    return await _group_page(request, caller, ctx, group_id)


async def _group_page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    group_id: str,
    edit_form: FieldForm | None = None,
    status_code: int = 200,
) -> Response:
    """A group's page; `edit_form` is a refused edit form, as sent."""
    async with ctx.db.reading() as uow:
        service = TagGroupService(uow, caller.principal.organization_id, ctx.clock)
        group = await service.groups.get(group_id)
        members = await service.members(group)
    shown = {"name": group.name, "description": group.description or ""}
    context = base_context(caller, "id-tags") | {
        "group": group,
        "members": members,
        "edit_form": edit_form or FieldForm(shown, labels=EDIT_LABELS),
    }
    return render(request, "tag_group.html", context, status_code)


@router.post("/tag-groups")
async def create_tag_group(request: Request, acting: ActingCaller, ctx: Server) -> Response:
    """The new group form (operator and up): `POST /api/v1/tag-groups`, members typed as a
    list of tag values. A refused group comes back as sent, each refusal beside its field (a
    taken name beside the name, an unknown tag beside the tags)."""
    sender = form_sender(acting)
    try:
        body = sender.body(TagGroupCreate, id_tags=listed(sender.fields.get("id_tags", "")))
        async with sender.writing(ctx) as uow:
            group = await TagGroupService(uow, sender.organization_id, ctx.clock).create(
                body.name, body.description, body.id_tags
            )
    except REFUSED as refusal:
        about = "name" if isinstance(refusal, Conflict) else "id_tags"
        form = refused(sender.fields, LABELS, refusal, about)
        return await _list_page(request, acting[0], ctx, "", 1, form, refusal.status)
    return see_other(f"/tag-groups/{group.id}")


@router.post("/tag-groups/{group_id}")
async def change_tag_group(
    request: Request, group_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """The rename form (operator and up): `PATCH /api/v1/tag-groups/{id}` with its name and
    description (an emptied description is removed), guarded by the revision the page showed
    (412 when the group changed meanwhile). A refusal comes back as the group's page with the
    form as sent, each refusal beside its field (a taken name, 409, beside the name)."""
    sender = form_sender(acting)
    try:
        body = sender.body(
            TagGroupPatch, description=sender.fields.get("description", "").strip() or None
        )
        async with sender.writing(ctx) as uow:
            service = TagGroupService(uow, sender.organization_id, ctx.clock)
            group = await as_shown(service.groups, group_id, sender.fields, "group")
            await service.update(group, body.model_dump(exclude_unset=True))
    except (*REFUSED, PreconditionFailed) as refusal:
        form = refused(sender.fields, EDIT_LABELS, refusal, "name", keep=("revision",))
        return await _group_page(request, acting[0], ctx, group_id, form, refusal.status)
    return see_other(f"/tag-groups/{group_id}")


@router.post("/tag-groups/{group_id}/members")
async def add_member(
    request: Request, group_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """`POST /api/v1/tag-groups/{id}/members` (operator and up): a tag by value; adding a
    member twice changes nothing."""
    return await _change_members(request, group_id, acting, ctx, TagGroupService.add_member)


@router.post("/tag-groups/{group_id}/members/remove")
async def remove_member(
    request: Request, group_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """`DELETE /api/v1/tag-groups/{id}/members/{id_tag}` (operator and up): a tag that is no
    member is 404."""
    return await _change_members(request, group_id, acting, ctx, TagGroupService.remove_member)


async def _change_members(
    request: Request,
    group_id: str,
    acting: tuple[SignedIn, dict[str, str]],
    ctx: ServerContext,
    change: Callable[[TagGroupService, TagGroup, str], Awaitable[None]],
) -> Response:
    """One member form: the tag the form names (`MemberIn`), added or removed by `change`; a
    refusal (an unknown tag or no tag, 422; a tag that is no member, 404) is said above the
    group's page."""
    sender = form_sender(acting)
    try:
        body = sender.body(MemberIn)
        async with sender.writing(ctx) as uow:
            service = TagGroupService(uow, sender.organization_id, ctx.clock)
            await change(service, await service.groups.get(group_id), body.id_tag)
    except ROW_REFUSALS as refusal:
        return await refused_on_page(
            request, refusal, lambda: _group_page(request, acting[0], ctx, group_id)
        )
    return see_other(f"/tag-groups/{group_id}")


@router.post("/tag-groups/{group_id}/delete")
async def delete_tag_group(group_id: str, acting: ActingCaller, ctx: Server) -> Response:
    """`DELETE /api/v1/tag-groups/{id}` (operator and up)."""
    sender = form_sender(acting)
    async with sender.writing(ctx) as uow:
        service = TagGroupService(uow, sender.organization_id, ctx.clock)
        await service.delete(await service.groups.get(group_id))
    return see_other("/tag-groups")
