"""Building the circuit tree from the dashboard: a new circuit (at the site connection or
below another), deleting one, hanging stations on it or taking them off, and its capacity
windows.

Each form goes through the service the REST API calls, with the REST API's body model, so a
form obeys the same rules as `POST /api/v1/circuits`, `DELETE /api/v1/circuits/{id}`,
`PATCH /api/v1/stations/{id}` (`circuit_id`) and `/api/v1/circuits/{id}/capacity-windows`:
operators and admins only, checked with the REST API's own checks (changing the circuits
themselves is the whole organization's: a site-scoped operator only hangs its own stations).
"""

from fastapi import APIRouter, Request, Response

from chargeyard.api.dependencies import Server, check_role
from chargeyard.capacity_windows.schemas import WindowIn
from chargeyard.capacity_windows.service import CapacityWindowService
from chargeyard.circuits.repository import CircuitRepository
from chargeyard.circuits.schemas import CircuitCreate
from chargeyard.circuits.service import CircuitService
from chargeyard.dashboard.auth import ActingCaller, SignedIn
from chargeyard.dashboard.circuits import NEW_CIRCUIT, circuit, circuits_page
from chargeyard.dashboard.field_form import refused
from chargeyard.dashboard.form_handling import refused_on_page, see_other
from chargeyard.dashboard.forms import utc_instant, validated
from chargeyard.dashboard.rendering import DashboardRoute
from chargeyard.errors import Conflict, Invalid, NotFound
from chargeyard.organizations.domain import Principal, Role
from chargeyard.site_scopes.service import check_whole_organization
from chargeyard.stations.schemas import StationPatch
from chargeyard.stations.service import StationService

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

CREATE_FIELDS = ("name", "parent_id", "max_power_kw", "max_current_a", "phases", "buffer_kw")
WINDOW_FIELDS = ("starts_at", "ends_at", "max_power_kw", "max_current_a")


def operator(acting: tuple[SignedIn, dict[str, str]]) -> tuple[Principal, dict[str, str]]:
    """The REST API's role check for changing a station (operator and up), and the form: a
    site-scoped operator hangs its own stations on the circuits it sees."""
    signed_in, fields = acting
    return check_role(signed_in.principal, Role.OPERATOR), fields


def circuit_operator(
    acting: tuple[SignedIn, dict[str, str]],
) -> tuple[Principal, dict[str, str]]:
    """The REST API's checks for changing circuits (operator and up, of the whole organization:
    a site-scoped operator is refused, as by `OrganizationOperator`), and the form."""
    caller, fields = operator(acting)
    return check_whole_organization(caller), fields


@router.post("/circuits")
async def create_circuit(request: Request, acting: ActingCaller, ctx: Server) -> Response:
    """The new circuit form of the circuits list; an empty parent is the site connection. A
    refused circuit comes back on the list as sent, each refusal beside its field (the
    service's, such as a limit of 0, above the form)."""
    caller, fields = circuit_operator(acting)
    try:
        body = validated(CircuitCreate, {k: v for k, v in fields.items() if k in CREATE_FIELDS})
        async with ctx.db.writing() as uow:
            service = CircuitService(uow, caller.organization_id, ctx.clock)
            row = await service.create(body.model_dump())
            await uow.commit()
    except (Invalid, NotFound) as refusal:
        about = "parent_id" if isinstance(refusal, NotFound) else ""
        form = refused(fields, NEW_CIRCUIT, refusal, about)
        return await circuits_page(request, acting[0], ctx, "", 1, form, refusal.status)
    return see_other(f"/circuits/{row.id}")


@router.post("/circuits/{circuit_id}/delete")
async def delete_circuit(
    request: Request, circuit_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """A circuit with sub-circuits or stations is refused (409), as in the REST API: the
    circuit's page says why above it."""
    caller, _ = circuit_operator(acting)
    try:
        async with ctx.db.writing() as uow:
            service = CircuitService(uow, caller.organization_id, ctx.clock)
            await service.delete(await service.circuits.get(circuit_id))
            await uow.commit()
    except Conflict as refusal:
        return await refused_on_page(
            request, refusal, lambda: circuit(request, circuit_id, acting[0], ctx)
        )
    return see_other("/circuits")


async def hang(caller: Principal, ctx: Server, station_id: str, circuit_id: str | None) -> None:
    """Put a station on a circuit (None: on none) as `PATCH /api/v1/stations/{id}` does."""
    body = validated(StationPatch, {"circuit_id": circuit_id})
    async with ctx.db.writing() as uow:
        service = StationService(uow, caller.organization_id, ctx.clock, caller.actor)
        await service.update(await service.get(station_id), body.model_dump(exclude_unset=True))
        await uow.commit()


@router.post("/circuits/{circuit_id}/stations")
async def add_station(circuit_id: str, acting: ActingCaller, ctx: Server) -> Response:
    caller, fields = operator(acting)
    station_id = fields.get("station_id", "").strip()
    if not station_id:
        raise Invalid("station_id: name the station to put on this circuit")
    async with ctx.db.reading() as uow:  # the circuit is the caller's (else 404)
        await CircuitRepository(uow.session, caller.organization_id).get(circuit_id)
    await hang(caller, ctx, station_id, circuit_id)
    return see_other(f"/circuits/{circuit_id}")


@router.post("/circuits/{circuit_id}/stations/{station_id}/remove")
async def remove_station(
    circuit_id: str, station_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """Take a station off this circuit (a station on another circuit is left alone: 422)."""
    caller, _ = operator(acting)
    async with ctx.db.reading() as uow:
        station = await StationService(uow, caller.organization_id, ctx.clock).get(station_id)
    if station.circuit_id != circuit_id:
        raise Invalid(f"station {station_id!r} is not on this circuit")
    await hang(caller, ctx, station_id, None)
    return see_other(f"/circuits/{circuit_id}")


@router.post("/circuits/{circuit_id}/windows")
async def add_window(circuit_id: str, acting: ActingCaller, ctx: Server) -> Response:
    caller, fields = circuit_operator(acting)
    sent = {k: v for k, v in fields.items() if k in WINDOW_FIELDS}
    sent |= {k: utc_instant(sent.get(k, "")) for k in ("starts_at", "ends_at")}
    body = validated(WindowIn, sent)
    async with ctx.db.writing() as uow:
        circuit = await CircuitRepository(uow.session, caller.organization_id).get(circuit_id)
        windows = CapacityWindowService(uow, caller.organization_id, ctx.clock)
        await windows.add(circuit, body.model_dump())
        await uow.commit()
    return see_other(f"/circuits/{circuit_id}")


@router.post("/circuits/{circuit_id}/windows/{window_id}/remove")
async def remove_window(
    circuit_id: str, window_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    caller, _ = circuit_operator(acting)
    async with ctx.db.writing() as uow:
        circuit = await CircuitRepository(uow.session, caller.organization_id).get(circuit_id)
        windows = CapacityWindowService(uow, caller.organization_id, ctx.clock)
        await windows.remove(circuit, window_id)
        await uow.commit()
    return see_other(f"/circuits/{circuit_id}")
