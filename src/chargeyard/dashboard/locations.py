"""Locations as `/api/v1/locations` has them: the sites, by name, with where each hangs in the
tree and how many stations are there; a location with its sub-locations and stations. Operators
and admins add, change and delete locations through `LocationService` with the REST API's body
models (`LocationCreate`, `LocationPatch`), so a form obeys the same rules as a JSON body: an
unknown parent, a loop, an unknown time zone or a tariff of another organization is 422, and
deleting a location that still holds stations or sub-locations 409. A site-confined caller sees
and places locations only inside its sites."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import RedirectResponse
from pydantic import BaseModel

from chargeyard.api.dependencies import Server, check_role
from chargeyard.api.limits import Moment
from chargeyard.clock import as_utc
from chargeyard.dashboard.auth import ActingCaller, PageCaller, SignedIn
from chargeyard.dashboard.endpoints import PAGE_SIZE, PageNumber, base_context
from chargeyard.dashboard.field_form import FieldForm, refused
from chargeyard.dashboard.form_handling import as_shown, page_slice, paging, refused_on_page
from chargeyard.dashboard.forms import validated
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.dashboard.repository import DashboardRepository
from chargeyard.energy_costs.endpoints import DEFAULT_PERIOD
from chargeyard.energy_costs.service import EnergyCostService
from chargeyard.errors import Conflict, Invalid, PreconditionFailed
from chargeyard.locations.models import Location
from chargeyard.locations.schemas import LocationCreate, LocationPatch
from chargeyard.locations.service import LocationDraft, LocationService
from chargeyard.organizations.domain import Role
from chargeyard.server_context import ServerContext
from chargeyard.stations.repository import StationQuery
from chargeyard.storage.repository import Page
from chargeyard.tariffs.models import Tariff

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

CHOICES = 500
"""The parents and tariffs the location forms offer, by name; the REST API takes any."""
FIELDS = (
    "name",
    "parent_id",
    "address",
    "city",
    "postal_code",
    "country",
    "latitude",
    "longitude",
    "timezone",
    "tariff_id",
)


LABELS = {
    "name": "Location name",
    "parent_id": "Inside",
    "address": "Address",
    "city": "City",
    "postal_code": "Postal code",
    "country": "Country",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "timezone": "Time zone",
    "tariff_id": "Tariff here",
}
REFUSED = (Invalid, Conflict)
"""What the new-location form answers on itself: a broken field, an unknown parent or time
zone (422), a conflict of the service (409)."""


async def _choices(
    ctx: ServerContext, caller: SignedIn, loc: Location | None = None
) -> dict[str, Any]:
    """The parents (all but `loc` itself, which the service refuses too) and tariffs a form
    offers, as (id, name) with the "none" choice first and `loc`'s own when past the offered;
    none for a caller who gets no forms."""
    if not (caller.may(Role.OPERATOR) and caller.csrf_token):
        return {"parent_choices": [], "tariff_choices": []}
    async with ctx.db.reading() as uow:
        repository = DashboardRepository(uow.session, caller.principal.organization_id)
        parents = await repository.locations.search(Page(0, CHOICES))
        tariffs = await repository.search_tariffs(Page(0, CHOICES), None, None)
    parent_choices = [("", "(top level)")]
    parent_choices += [(p.id, p.name) for p in parents.items if loc is None or p.id != loc.id]
    tariff_choices = [("", "(the organization's default)")]
    tariff_choices += [(t.id, f"{t.name} ({t.currency})") for t in tariffs.items]
    for choices, held in (
        (parent_choices, loc and loc.parent_id),
        (tariff_choices, loc and loc.tariff_id),
    ):
        if held and held not in {key for key, _ in choices}:
            choices.append((held, held))
    return {"parent_choices": parent_choices, "tariff_choices": tariff_choices}


def _values(loc: Location) -> dict[str, str]:
    """A location's fields as its edit form's controls show them."""
    return {name: "" if getattr(loc, name) is None else str(getattr(loc, name)) for name in FIELDS}


@router.get("/locations")
async def locations(
    request: Request, caller: PageCaller, ctx: Server, page: PageNumber = 1
) -> Response:
    return await _list_page(request, caller, ctx, page)


async def _list_page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    page: int = 1,
    form: FieldForm | None = None,
    status_code: int = 200,
) -> Response:
    async with ctx.db.reading() as uow:
        repository = DashboardRepository(uow.session, caller.principal.organization_id)
        found = await repository.locations.search(page_slice(page))
        parents = await repository.names(Location, (loc.parent_id for loc in found.items))
        counts = await repository.station_counts(loc.id for loc in found.items)
    context = base_context(caller, "locations") | await _choices(ctx, caller)
    context |= paging(found.total, page) | {
        "locations": found.items,
        "parent_names": parents,
        "counts": counts,
        "form": form or FieldForm({"timezone": "UTC"}, labels=LABELS),
    }
    return render(request, "locations.html", context, status_code)


class Period(BaseModel):
    """The margin's period as the REST query reads `from` and `to` (an empty field: unset)."""

    margin_from: Moment | None = None
    margin_to: Moment | None = None


@router.get("/locations/{location_id}")
async def location(
    request: Request,
    location_id: str,
    caller: PageCaller,
    ctx: Server,
    margin_from: Annotated[str, Query(max_length=40)] = "",
    margin_to: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """A location with its margin: what the sessions that stopped at it or below it in the
    period earned and what their electricity cost, per currency, as `GET /api/v1/locations/
    {id}/margin` sums them (the period ends now and starts 30 days earlier unless given; one
    that ends before it starts is 422)."""
    return await _location_page(request, caller, ctx, location_id, (margin_from, margin_to))


async def _location_page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    location_id: str,
    period: tuple[str, str] = ("", ""),
    edit_form: FieldForm | None = None,
    status_code: int = 200,
) -> Response:
    """The location's page; `edit_form` is a refused edit form, as sent."""
    margin_from, margin_to = period
    given = validated(Period, {"margin_from": margin_from.strip(), "margin_to": margin_to.strip()})
    end = ctx.clock() if given.margin_to is None else as_utc(given.margin_to)
    start = end - DEFAULT_PERIOD if given.margin_from is None else as_utc(given.margin_from)
    async with ctx.db.reading() as uow:
        repository = DashboardRepository(uow.session, caller.principal.organization_id)
        found = await repository.locations.get(location_id)
        margins = await EnergyCostService(uow, caller.principal.organization_id).site(
            found.id, start, end
        )
        children = await repository.locations.search(Page(0, PAGE_SIZE), parent_id=found.id)
        stations = await repository.stations.search(
            Page(0, PAGE_SIZE), StationQuery(location_id=found.id, include_descendants=False)
        )
        names = await repository.names(Location, [found.parent_id])
        tariffs = await repository.names(Tariff, [found.tariff_id])
    context = base_context(caller, "locations") | await _choices(ctx, caller, found)
    context |= {
        "edit_form": edit_form or FieldForm(_values(found), labels=LABELS),
        "location": found,
        "parent_name": names.get(found.parent_id or ""),
        "tariff_name": tariffs.get(found.tariff_id or ""),
        "children": children,
        "stations": stations,
        "margins": margins,
        "margin_from": start,
        "margin_to": end,
    }
    return render(request, "location.html", context, status_code)


def _sent(fields: dict[str, str]) -> dict[str, object]:
    """The form's location fields; an emptied one is `null` (the model refuses a null name or
    time zone, and clears anything else)."""
    return {k: fields[k].strip() or None for k in FIELDS if k in fields}


@router.post("/locations")
async def create_location(request: Request, acting: ActingCaller, ctx: Server) -> Response:
    """The new location form (operator and up): `POST /api/v1/locations`. A refused location
    comes back as sent, each refusal beside its field (an unknown parent beside the parent)."""
    signed_in, fields = acting
    caller = check_role(signed_in.principal, Role.OPERATOR)
    sent = {k: v for k, v in _sent(fields).items() if v is not None and k != "tariff_id"}
    try:
        body = validated(LocationCreate, sent)
        async with ctx.db.writing() as uow:
            made = await LocationService(uow, caller.organization_id, ctx.clock).create(
                LocationDraft(**body.model_dump())
            )
            await uow.commit()
    except REFUSED as refusal:
        form = refused(fields, LABELS, refusal)
        return await _list_page(request, signed_in, ctx, 1, form, refusal.status)
    return RedirectResponse(f"/locations/{made.id}", status.HTTP_303_SEE_OTHER)


@router.post("/locations/{location_id}")
async def change_location(
    request: Request, location_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """The edit form (operator and up): `PATCH /api/v1/locations/{id}` with every field, so an
    emptied field is cleared; guarded by the revision the page showed (412 when stale). A
    refusal comes back as the location's page with the form as sent (at the revision it was
    sent from), each refusal beside its field."""
    signed_in, fields = acting
    caller = check_role(signed_in.principal, Role.OPERATOR)
    try:
        body = validated(LocationPatch, _sent(fields))
        async with ctx.db.writing() as uow:
            service = LocationService(uow, caller.organization_id, ctx.clock)
            found = await as_shown(service.locations, location_id, fields, "location")
            await service.update(found, body.model_dump(exclude_unset=True))
            await uow.commit()
    except (*REFUSED, PreconditionFailed) as refusal:
        form = refused(fields, LABELS, refusal, keep=("revision",))
        return await _location_page(
            request, signed_in, ctx, location_id, edit_form=form, status_code=refusal.status
        )
    return RedirectResponse(f"/locations/{location_id}", status.HTTP_303_SEE_OTHER)


@router.post("/locations/{location_id}/delete")
async def delete_location(
    request: Request, location_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """`DELETE /api/v1/locations/{id}` (operator and up): 409 while it holds stations or
    sub-locations, said above the location's page."""
    signed_in, _ = acting
    caller = check_role(signed_in.principal, Role.OPERATOR)
    try:
        async with ctx.db.writing() as uow:
            service = LocationService(uow, caller.organization_id, ctx.clock)
            await service.delete(await service.locations.get(location_id))
            await uow.commit()
    except Conflict as refusal:
        return await refused_on_page(
            request, refusal, lambda: location(request, location_id, signed_in, ctx)
        )
    return RedirectResponse("/locations", status.HTTP_303_SEE_OTHER)
