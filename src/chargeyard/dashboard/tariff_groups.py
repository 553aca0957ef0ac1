"""Tariff groups as `/api/v1/tariff-groups` has them: another tariff for some ID tags and
drivers at chosen places (stations, locations with everything below them, or the whole
organization). The list is searched by name and filtered by tariff on the server; a group's page
shows its members and places by name. Operators and admins create, change and delete groups
through `TariffGroupService` with the REST API's body models (`TariffGroupCreate`,
`TariffGroupPatch`), so a form obeys the same rules as a JSON body: a taken name is 409, an
unknown tariff, tag, driver, station or location 422."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from chargeyard.api.dependencies import Server
from chargeyard.dashboard.auth import ActingCaller, PageCaller, SignedIn
from chargeyard.dashboard.endpoints import PageNumber, base_context
from chargeyard.dashboard.form_handling import as_shown, form_sender, page_slice, paging, see_other
from chargeyard.dashboard.forms import form_values, listed, validated
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.dashboard.repository import DashboardRepository
from chargeyard.drivers.models import Driver
from chargeyard.locations.models import Location
from chargeyard.organizations.domain import Role
from chargeyard.server_context import ServerContext
from chargeyard.storage.repository import Page
from chargeyard.tariff_groups.domain import PlaceKind
from chargeyard.tariff_groups.schemas import TariffGroupCreate, TariffGroupPatch
from chargeyard.tariff_groups.service import GroupView, TariffGroupService
from chargeyard.tariffs.models import Tariff

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

CHOICES = 500
"""The tariffs and locations the group form offers, by name; the REST API takes any."""


@dataclass(frozen=True)
class Names:
    """Tariffs, drivers and locations by id, for a page that names them."""

    tariffs: dict[str, str]
    drivers: dict[str, str]
    locations: dict[str, str]


async def _page_context(
    ctx: ServerContext, caller: SignedIn, views: list[GroupView], choices: bool
) -> dict[str, Any]:
    """The names the groups in `views` mention and, for a page with a form (`choices`), the
    tariffs and locations it offers."""
    organization_id = caller.principal.organization_id
    async with ctx.db.reading() as uow:
        repository = DashboardRepository(uow.session, organization_id)
        names = Names(
            await repository.names(Tariff, (v.group.tariff_id for v in views)),
            await repository.names(Driver, (d for v in views for d in v.driver_ids)),
            await repository.names(
                Location,
                (p.id for v in views for p in v.places if p.kind is PlaceKind.LOCATION),
            ),
        )
        tariffs = await repository.search_tariffs(Page(0, CHOICES), None, None)
        locations = await repository.locations.search(Page(0, CHOICES)) if choices else None
    return base_context(caller, "tariffs") | {
        "names": names,
        "tariffs": tariffs.items,
        "locations": [] if locations is None else locations.items,
        "more_locations": locations is not None and locations.total > len(locations.items),
    }


@router.get("/tariff-groups")
async def tariff_groups(
    request: Request,
    caller: PageCaller,
    ctx: Server,
    q: Annotated[str | None, Query(max_length=100)] = None,
    tariff: Annotated[str | None, Query(max_length=36)] = None,
    page: PageNumber = 1,
) -> Response:
    async with ctx.db.reading() as uow:
        organization_id = caller.principal.organization_id
        found = await DashboardRepository(uow.session, organization_id).search_tariff_groups(
            page_slice(page), q, tariff or None
        )
        views = await TariffGroupService(uow, organization_id, ctx.clock).views(found.items)
    acting = caller.may(Role.OPERATOR) and caller.csrf_token is not None
    context = (
        await _page_context(ctx, caller, views, acting)
        | paging(found.total, page)
        | {
            "views": views,
            "q": q or "",
            "tariff": tariff or "",
        }
    )
    return render(request, "tariff_groups.html", context)


@router.get("/tariff-groups/{group_id}")
async def tariff_group(
    request: Request, group_id: str, caller: PageCaller, ctx: Server
) -> Response:
    async with ctx.db.reading() as uow:
        service = TariffGroupService(uow, caller.principal.organization_id, ctx.clock)
        (view,) = await service.views([await service.groups.get(group_id)])
    acting = caller.may(Role.OPERATOR) and caller.csrf_token is not None
    context = await _page_context(ctx, caller, [view], acting) | {"view": view}
    return render(request, "tariff_group.html", context)


async def _sent(request: Request, fields: Mapping[str, str]) -> dict[str, object]:
    """The REST body a group form stands for: ID tags, drivers and stations as lists typed
    into a field, locations as ticked boxes, the whole organization as one box."""
    places: list[dict[str, str]] = [{"kind": "organization"}] if fields.get("everywhere") else []
    places += [{"kind": "station", "id": s} for s in listed(fields.get("station_ids", ""))]
    places += [{"kind": "location", "id": i} for i in await form_values(request, "location_ids")]
    return {
        "name": fields.get("name", "").strip(),
        "description": fields.get("description", "").strip(),
        "tariff_id": fields.get("tariff_id", ""),
        "id_tags": listed(fields.get("id_tags", "")),
        "driver_ids": listed(fields.get("driver_ids", "")),
        "places": places,
    }


@router.post("/tariff-groups")
async def create_tariff_group(request: Request, acting: ActingCaller, ctx: Server) -> Response:
    """The new group form (operator and up): `POST /api/v1/tariff-groups`."""
    sender = form_sender(acting)
    body = validated(TariffGroupCreate, await _sent(request, sender.fields))
    async with sender.writing(ctx) as uow:
        group = await TariffGroupService(uow, sender.organization_id, ctx.clock).create(
            body.draft()
        )
    return see_other(f"/tariff-groups/{group.id}")


@router.post("/tariff-groups/{group_id}")
async def change_tariff_group(
    request: Request, group_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """The edit form (operator and up): `PATCH /api/v1/tariff-groups/{id}` with every field,
    so the lists replace the group's and an emptied description removes it; guarded by the
    revision the page showed (412 when the group changed meanwhile)."""
    sender = form_sender(acting)
    sent = await _sent(request, sender.fields)
    sent["description"] = sent["description"] or None
    body = validated(TariffGroupPatch, sent)
    async with sender.writing(ctx) as uow:
        service = TariffGroupService(uow, sender.organization_id, ctx.clock)
        group = await as_shown(service.groups, group_id, sender.fields, "group")
        await service.update(group, body.changes())
    return see_other(f"/tariff-groups/{group_id}")


@router.post("/tariff-groups/{group_id}/delete")
async def delete_tariff_group(group_id: str, acting: ActingCaller, ctx: Server) -> Response:
    """`DELETE /api/v1/tariff-groups/{id}` (operator and up)."""
    sender = form_sender(acting)
    async with sender.writing(ctx) as uow:
        service = TariffGroupService(uow, sender.organization_id, ctx.clock)
        await service.delete(await service.groups.get(group_id))
    return see_other("/tariff-groups")
