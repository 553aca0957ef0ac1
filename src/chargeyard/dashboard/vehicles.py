"""Vehicles as `/api/v1/vehicles` has them: a fleet's vehicles, whose battery, state of charge,
usual departure, power and priority smart charging plans a session by when it starts with the
vehicle's ID tag, with its identity (VIN, make, model, plate) and group. Every role reads them; operators and admins of the whole organization add,
change and delete them (the REST API's `OrganizationOperator`: a fleet's vehicles charge at any
site, so a site-confined operator gets no form and 403, docs/access.md), through
`VehicleService` with the REST API's `VehicleIn`; a refused form comes back as sent with
each refusal beside its field."""

from typing import Any

from fastapi import APIRouter, Request, Response

from chargeyard.api.dependencies import Server
from chargeyard.dashboard.auth import ActingCaller, PageCaller, SignedIn
from chargeyard.dashboard.endpoints import PageNumber, base_context
from chargeyard.dashboard.field_form import FieldForm, refused
from chargeyard.dashboard.form_handling import (
    as_shown,
    may_edit_organization,
    organization_sender,
    page_slice,
    paging,
    see_other,
)
from chargeyard.dashboard.forms import validated
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.errors import Invalid, PreconditionFailed
from chargeyard.server_context import ServerContext
from chargeyard.vehicle_groups.repository import VehicleGroupRepository
from chargeyard.vehicles.models import VehicleRow
from chargeyard.vehicles.schemas import VehicleIn
from chargeyard.vehicles.service import VehicleService

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

LABELS = {
    "name": "Name",
    "vin": "VIN",
    "make": "Make",
    "model": "Model",
    "license_plate": "License plate",
    "group_id": "Group",
    "id_tag": "ID tag",
    "battery_kwh": "Battery (kWh)",
    "soc_percent": "Charge now (%)",
    "target_soc_percent": "Target charge (%)",
    "departure_time": "Usual departure (HH:MM, UTC)",
    "max_power_kw": "Max power (kW)",
    "priority": "Priority",
}
PRIORITIES = [("", "None (the session's)")] + [
    (str(n), f"{n}{' (highest: never curtailed)' if n == 0 else ' (lowest)' if n == 5 else ''}")
    for n in range(6)
]
REFUSED = (Invalid, PreconditionFailed)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _values(row: VehicleRow) -> dict[str, str]:
    return {name: _text(getattr(row, name)) for name in LABELS} | {"revision": str(row.revision)}


async def _context(caller: SignedIn, ctx: ServerContext) -> dict[str, Any]:
    """`may_edit`: the forms are offered to an operator of the whole organization only;
    `groups`: the organization's vehicle groups, by id (the form's choices and the names the
    pages show)."""
    context = base_context(caller, "circuits")
    async with ctx.db.reading() as uow:
        groups = VehicleGroupRepository(uow.session, caller.principal.organization_id)
        names = {g.id: g.name for g in await groups.all_by_name()}
    return context | {
        "may_edit": may_edit_organization(context, caller),
        "priorities": PRIORITIES,
        "groups": names,
        "group_choices": [("", "None"), *names.items()],
    }


def _body(fields: dict[str, str]) -> VehicleIn:
    """A form's vehicle, every field sent and checked as the REST API checks a new one: an
    emptied optional field is cleared, an emptied target charge is 100 %, an emptied name or
    battery refused."""
    return validated(VehicleIn, {name: fields.get(name, "").strip() for name in LABELS})


async def _list_page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    page: int = 1,
    form: FieldForm | None = None,
    status_code: int = 200,
) -> Response:
    async with ctx.db.reading() as uow:
        service = VehicleService(uow, caller.principal.organization_id, ctx.clock)
        found = await service.vehicles.search(page_slice(page), None)
    context = await _context(caller, ctx) | paging(found.total, page)
    context |= {
        "vehicles": found.items,
        "form": form or FieldForm({"target_soc_percent": "100"}, labels=LABELS),
    }
    return render(request, "vehicles.html", context, status_code)


@router.get("/vehicles")
async def vehicles(
    request: Request, caller: PageCaller, ctx: Server, page: PageNumber = 1
) -> Response:
    return await _list_page(request, caller, ctx, page)


@router.post("/vehicles")
async def create_vehicle(request: Request, acting: ActingCaller, ctx: Server) -> Response:
    """`POST /api/v1/vehicles` (an operator of the whole organization)."""
    sender = organization_sender(acting)
    try:
        body = _body(dict(sender.fields))
        async with sender.writing(ctx) as uow:
            service = VehicleService(uow, sender.organization_id, ctx.clock)
            row = await service.create(body.model_dump())
    except REFUSED as refusal:
        form = refused(sender.fields, LABELS, refusal)
        return await _list_page(request, acting[0], ctx, 1, form, refusal.status)
    return see_other(f"/vehicles/{row.id}")


async def _vehicle(ctx: ServerContext, organization_id: str, vehicle_id: str) -> VehicleRow:
    async with ctx.db.reading() as uow:
        return await VehicleService(uow, organization_id, ctx.clock).vehicles.get(vehicle_id)


async def _vehicle_page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    row: VehicleRow,
    form: FieldForm | None = None,
    status_code: int = 200,
) -> Response:
    context = await _context(caller, ctx) | {
        "vehicle": row,
        "form": form or FieldForm(_values(row), labels=LABELS),
    }
    return render(request, "vehicle.html", context, status_code)


@router.get("/vehicles/{vehicle_id}")
async def vehicle(request: Request, vehicle_id: str, caller: PageCaller, ctx: Server) -> Response:
    row = await _vehicle(ctx, caller.principal.organization_id, vehicle_id)
    return await _vehicle_page(request, caller, ctx, row)


@router.post("/vehicles/{vehicle_id}")
async def change_vehicle(
    request: Request, vehicle_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """`PATCH /api/v1/vehicles/{id}` with every field, guarded by the revision the page showed
    (412 when the vehicle changed meanwhile)."""
    sender = organization_sender(acting)
    try:
        body = _body(dict(sender.fields))
        async with sender.writing(ctx) as uow:
            service = VehicleService(uow, sender.organization_id, ctx.clock)
            row = await as_shown(service.vehicles, vehicle_id, sender.fields, "vehicle")
            await service.update(row, body.model_dump())
    except REFUSED as refusal:
        row = await _vehicle(ctx, sender.organization_id, vehicle_id)
        form = refused(sender.fields, LABELS, refusal, keep=("revision",))
        return await _vehicle_page(request, acting[0], ctx, row, form, refusal.status)
    return see_other(f"/vehicles/{vehicle_id}")


@router.post("/vehicles/{vehicle_id}/delete")
async def delete_vehicle(vehicle_id: str, acting: ActingCaller, ctx: Server) -> Response:
    """`DELETE /api/v1/vehicles/{id}` (an operator of the whole organization)."""
    sender = organization_sender(acting)
    async with sender.writing(ctx) as uow:
        service = VehicleService(uow, sender.organization_id, ctx.clock)
        await service.delete(await service.vehicles.get(vehicle_id))
    return see_other("/vehicles")
