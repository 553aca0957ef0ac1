"""Tariff groups as `/api/v1/tariff-groups` has them: another tariff for some ID tags and
drivers at chosen places (stations, locations with everything below them, or the whole
organization). The list is searched by name and filtered by tariff on the server; a group's page
shows its members and places by name. Operators and admins create, change and delete groups
through `TariffGroupService` with the REST API's body models (`TariffGroupCreate`,
`TariffGroupPatch`), so a form obeys the same rules as a JSON body: a taken name is 409, an
unknown tariff, tag, driver, station or location 422. A refused form comes back as sent with
each refusal beside its field (`field_form.refused`); a refused delete (a subscription plan
prices by the group) comes back as the group's page with the refusal above it."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from chargeyard.api.dependencies import Server
from chargeyard.dashboard.auth import ActingCaller, PageCaller, SignedIn
from chargeyard.dashboard.endpoints import PageNumber, base_context
from chargeyard.dashboard.field_form import FieldForm, refused
from chargeyard.dashboard.form_handling import as_shown, form_sender, page_slice, paging, see_other
from chargeyard.dashboard.forms import form_values, listed, validated
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.dashboard.repository import DashboardRepository
from chargeyard.drivers.models import Driver
from chargeyard.errors import ChargeyardError, Conflict, Invalid, PreconditionFailed
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
LABELS = {
    "name": "Group name",
    "tariff_id": "Tariff",
    "description": "Description",
    "id_tags": "ID tags (values)",
    "driver_ids": "Driver ids",
    "station_ids": "At stations (ids)",
    "places": "Where the group applies",
}
PLACES = ("everywhere", "location_ids")
"""The place boxes, kept as sent (the ticked locations' ids separated by spaces)."""
REFUSED = (Invalid, Conflict, PreconditionFailed)
"""What a group form answers on itself: a broken field or an unknown member, tariff or place
(422), a taken name (409), a group changed since the page was loaded (412)."""


def group_form(view: GroupView | None) -> FieldForm:
    """The group form as a page first shows it: blank, or the group's own values."""
    if view is None:
        return FieldForm(labels=LABELS)
    places = view.places
    values = {
        "name": view.group.name,
        "tariff_id": view.group.tariff_id,
        "description": view.group.description or "",
        "id_tags": " ".join(view.id_tags),
        "driver_ids": " ".join(view.driver_ids),
        "station_ids": " ".join(p.id or "" for p in places if p.kind is PlaceKind.STATION),
        "everywhere": "1" if any(p.kind is PlaceKind.ORGANIZATION for p in places) else "",
        "location_ids": " ".join(p.id or "" for p in places if p.kind is PlaceKind.LOCATION),
    }
    return FieldForm(values, labels=LABELS)


async def _refused_form(
    request: Request, fields: Mapping[str, str], refusal: ChargeyardError
) -> FieldForm:
    """The group form as sent, each refusal beside its field (a taken name beside the name)."""
    sent = dict(fields) | {"location_ids": " ".join(await form_values(request, "location_ids"))}
    about = "name" if isinstance(refusal, Conflict) else ""
    return refused(sent, LABELS, refusal, about, keep=(*PLACES, "revision"))


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


async def _list_page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    search: tuple[str, str] = ("", ""),
    page: int = 1,
    form: FieldForm | None = None,
    status_code: int = 200,
) -> Response:
    q, tariff = search
    async with ctx.db.reading() as uow:
        organization_id = caller.principal.organization_id
        found = await DashboardRepository(uow.session, organization_id).search_tariff_groups(
            page_slice(page), q or None, tariff or None
        )
        views = await TariffGroupService(uow, organization_id, ctx.clock).views(found.items)
    acting = caller.may(Role.OPERATOR) and caller.csrf_token is not None
    context = (
        await _page_context(ctx, caller, views, acting)
        | paging(found.total, page)
        | {"views": views, "q": q, "tariff": tariff, "form": form or group_form(None)}
    )
    return render(request, "tariff_groups.html", context, status_code)


async def _group_page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    group_id: str,
    sent: FieldForm | str | None = None,
    status_code: int = 200,
) -> Response:
    """A group's page; `sent` is a refused edit form (as sent) or a refused delete's words."""
    async with ctx.db.reading() as uow:
        service = TariffGroupService(uow, caller.principal.organization_id, ctx.clock)
        (view,) = await service.views([await service.groups.get(group_id)])
    acting = caller.may(Role.OPERATOR) and caller.csrf_token is not None
    form = sent if isinstance(sent, FieldForm) else group_form(view)
    context = await _page_context(ctx, caller, [view], acting) | {
        "view": view,
        "form": form,
        "revision": form.value("revision") or view.group.revision,
        "refusal": sent if isinstance(sent, str) else None,
    }
    return render(request, "tariff_group.html", context, status_code)


@router.get("/tariff-groups")
async def tariff_groups(
    request: Request,
    caller: PageCaller,
    ctx: Server,
    q: Annotated[str | None, Query(max_length=100)] = None,
    tariff: Annotated[str | None, Query(max_length=36)] = None,
    page: PageNumber = 1,
) -> Response:
    return await _list_page(request, caller, ctx, (q or "", tariff or ""), page)


@router.get("/tariff-groups/{group_id}")
async def tariff_group(
    request: Request, group_id: str, caller: PageCaller, ctx: Server
) -> Response:
    return await _group_page(request, caller, ctx, group_id)


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
    try:
        body = validated(TariffGroupCreate, await _sent(request, sender.fields))
        async with sender.writing(ctx) as uow:
            group = await TariffGroupService(uow, sender.organization_id, ctx.clock).create(
                body.draft()
            )
    except REFUSED as refusal:
        form = await _refused_form(request, sender.fields, refusal)
        return await _list_page(request, acting[0], ctx, form=form, status_code=refusal.status)
    return see_other(f"/tariff-groups/{group.id}")


@router.post("/tariff-groups/{group_id}")
async def change_tariff_group(
    request: Request, group_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """The edit form (operator and up): `PATCH /api/v1/tariff-groups/{id}` with every field,
    so the lists replace the group's and an emptied description removes it; guarded by the
    revision the page showed (412 when the group changed meanwhile: the form comes back as
    sent, still at the revision it was sent from, so only a reload saves it)."""
    sender = form_sender(acting)
    try:
        sent = await _sent(request, sender.fields)
        sent["description"] = sent["description"] or None
        body = validated(TariffGroupPatch, sent)
        async with sender.writing(ctx) as uow:
            service = TariffGroupService(uow, sender.organization_id, ctx.clock)
            group = await as_shown(service.groups, group_id, sender.fields, "group")
            await service.update(group, body.changes())
    except REFUSED as refusal:
        form = await _refused_form(request, sender.fields, refusal)
        return await _group_page(request, acting[0], ctx, group_id, form, refusal.status)
    return see_other(f"/tariff-groups/{group_id}")


@router.post("/tariff-groups/{group_id}/delete")
async def delete_tariff_group(
    request: Request, group_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """`DELETE /api/v1/tariff-groups/{id}` (operator and up); a refusal (a subscription plan
    prices by the group, 409) comes back above the group's page."""
    sender = form_sender(acting)
    try:
        async with sender.writing(ctx) as uow:
            service = TariffGroupService(uow, sender.organization_id, ctx.clock)
            await service.delete(await service.groups.get(group_id))
    except Conflict as refusal:
        return await _group_page(request, acting[0], ctx, group_id, refusal.detail, refusal.status)
    return see_other("/tariff-groups")
