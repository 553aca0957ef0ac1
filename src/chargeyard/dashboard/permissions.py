"""Permissions as `/api/v1/permissions` has them: which ID tag or tag group may charge at which
station or location subtree, when. The list is filtered on the server by tag, tag group, station
and location; operators and admins grant and withdraw through `PermissionService` with the REST
API's body model (`PermissionCreate`), so a form obeys the same rules as a JSON body: a
permission names exactly one tag or group and exactly one station or location, a daily window
needs both ends, and an unknown tag, group, station or location is 422."""

from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from chargeyard.api.dependencies import Server
from chargeyard.dashboard.auth import ActingCaller, PageCaller, SignedIn
from chargeyard.dashboard.endpoints import LOCATION_CHOICES, PageNumber, base_context
from chargeyard.dashboard.field_form import FieldForm, refused
from chargeyard.dashboard.form_handling import form_sender, page_slice, paging, see_other
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.dashboard.repository import DashboardRepository
from chargeyard.errors import Invalid
from chargeyard.locations.models import Location
from chargeyard.permissions.schemas import PermissionCreate
from chargeyard.permissions.service import PermissionDraft, PermissionService
from chargeyard.server_context import ServerContext
from chargeyard.storage.repository import Page
from chargeyard.tag_groups.models import TagGroup

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

Filter = Annotated[str | None, Query(max_length=64)]


LABELS = {
    "id_tag": "For ID tag",
    "tag_group_id": "or tag group",
    "station_id": "At station (id)",
    "location_id": "or location and below",
    "valid_from": "Valid from",
    "valid_until": "Valid until",
    "daily_from": "Daily from",
    "daily_until": "Daily until",
    "description": "Description",
}
TIMES = ("valid_from", "valid_until")


@router.get("/permissions")
async def permissions(
    request: Request,
    caller: PageCaller,
    ctx: Server,
    id_tag: Filter = None,
    tag_group: Filter = None,
    station: Filter = None,
    location: Filter = None,
    page: PageNumber = 1,
) -> Response:
    """Filters as the REST list's: a tag by value (an unknown one matches nothing)."""
    where = {"id_tag": id_tag, "tag_group": tag_group, "station": station, "location": location}
    return await _list_page(request, caller, ctx, where, page)


async def _list_page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    where: Mapping[str, str | None],
    page: int = 1,
    form: FieldForm | None = None,
    status_code: int = 200,
) -> Response:
    organization_id = caller.principal.organization_id
    tag_value = (where.get("id_tag") or "").strip()
    tag_group, location = where.get("tag_group") or "", where.get("location") or ""
    station = (where.get("station") or "").strip()
    async with ctx.db.reading() as uow:
        service = PermissionService(uow, organization_id, ctx.clock)
        tag = await service.tags.by_reference(tag_value) if tag_value else None
        found = await service.permissions.search(
            page_slice(page),
            id_tag_id=(tag.id if tag else "-") if tag_value else None,
            tag_group_id=tag_group or None,
            location_id=location or None,
            station_id=station or None,
        )
        rows = [(p, await service.tag_value(p)) for p in found.items]
        repository = DashboardRepository(uow.session, organization_id)
        location_names = await repository.names(Location, (p.location_id for p in found.items))
        group_names = await repository.names(TagGroup, (p.tag_group_id for p in found.items))
        groups = await service.groups.search(Page(0, LOCATION_CHOICES))
        locations = await service.locations.search(Page(0, LOCATION_CHOICES))
    context = (
        base_context(caller, "id-tags")
        | paging(found.total, page)
        | {
            "rows": rows,
            "location_names": location_names,
            "group_names": group_names,
            "groups": groups.items,
            "locations": locations.items,
            "group_choices": [("", "(no group)")] + [(g.id, g.name) for g in groups.items],
            "location_choices": [("", "(no location)")]
            + [(loc.id, loc.name) for loc in locations.items],
            "id_tag": tag_value,
            "tag_group": tag_group,
            "station": station,
            "location": location,
            "form": form or FieldForm(labels=LABELS),
        }
    )
    return render(request, "permissions.html", context, status_code)


@router.post("/permissions")
async def create_permission(request: Request, acting: ActingCaller, ctx: Server) -> Response:
    """The grant form (operator and up): `POST /api/v1/permissions`. The validity is the
    browser's local time sent as UTC instants (a bare value is read as UTC); the daily window
    is the station's local time, as in the REST API. A refused grant comes back as sent, each
    refusal beside its field (the service's above the form)."""
    sender = form_sender(acting)
    try:
        body = sender.body(PermissionCreate, **sender.local_times(*TIMES))
        async with sender.writing(ctx) as uow:
            await PermissionService(uow, sender.organization_id, ctx.clock).create(
                PermissionDraft(**body.model_dump())
            )
    except Invalid as refusal:
        form = refused(sender.fields, LABELS, refusal, times=TIMES)
        return await _list_page(request, acting[0], ctx, {}, 1, form, refusal.status)
    return see_other("/permissions")


@router.post("/permissions/{permission_id}/delete")
async def delete_permission(permission_id: str, acting: ActingCaller, ctx: Server) -> Response:
    """`DELETE /api/v1/permissions/{id}` (operator and up)."""
    sender = form_sender(acting)
    async with sender.writing(ctx) as uow:
        service = PermissionService(uow, sender.organization_id, ctx.clock)
        await service.delete(await service.permissions.get(permission_id))
    return see_other("/permissions")
