"""/api/v1 routes of smart charging: circuits (with capacity windows, measurements, results,
what-if), EVSE wiring, vehicles, session needs, energy prices and demand-response events."""

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, Request, Response, status

from chargeyard.api.dependencies import (
    OrganizationOperator,
    Paging,
    Reading,
    Server,
    UpdatedSince,
    Viewer,
    Writing,
    conditional_update,
    set_etag,
    to_change,
)
from chargeyard.api.limits import (
    INT_MAX,
    LIST_MAX_ITEMS,
    EvseId,
    Id,
    IdQuery,
    Moment,
    StationIdPath,
    StationIdQuery,
)
from chargeyard.api.query import StrictQuery
from chargeyard.api.schemas import ListOf, listing
from chargeyard.events.payloads import DEMAND_RESPONSE_REMOVED, ENERGY_PRICE_REMOVED
from chargeyard.load_management import schemas as s
from chargeyard.load_management.controller import SmartChargingController
from chargeyard.load_management.domain import SeriesFilter
from chargeyard.load_management.models import (
    AllocationRow,
    CircuitRow,
    DemandResponseRow,
    PriceRow,
    ProfileDeliveryRow,
    VehicleRow,
)
from chargeyard.load_management.plans import plan_out, what_if
from chargeyard.load_management.schedule_check import DEFAULT_TOLERANCE_KW
from chargeyard.load_management.service import SmartChargingService
from chargeyard.smart_charging.snapshot import Objective
from chargeyard.stations.repository import StationRepository

router = APIRouter(tags=["smart charging"])


def controller(request: Request) -> SmartChargingController:
    found: SmartChargingController = request.app.state.smart_charging
    return found


Controller = Annotated[SmartChargingController, Depends(controller)]


def _circuit(row: CircuitRow, response: Response) -> s.CircuitOut:
    set_etag(response, row.id, row.revision)
    return s.CircuitOut.model_validate(row)


# -- circuits ------------------------------------------------------------------------------


@router.get("/circuits", response_model=ListOf[s.CircuitOut], dependencies=[StrictQuery])
async def list_circuits(
    caller: Viewer, uow: Reading, ctx: Server, paging: Paging, parent_id: str | None = None
) -> ListOf[s.CircuitOut]:
    service = SmartChargingService(uow, caller.organization_id, ctx.clock)
    return listing(await service.circuits.search(paging, parent_id), paging, s.CircuitOut)


@router.post("/circuits", status_code=status.HTTP_201_CREATED, response_model=s.CircuitOut)
async def create_circuit(
    body: s.CircuitCreate,
    caller: OrganizationOperator,
    uow: Writing,
    ctx: Server,
    response: Response,
) -> s.CircuitOut:
    service = SmartChargingService(uow, caller.organization_id, ctx.clock)
    row = await service.create_circuit(body.model_dump())
    await uow.commit()
    response.headers["Location"] = f"/api/v1/circuits/{row.id}"
    return _circuit(row, response)


@router.get("/circuits/{circuit_id}", response_model=s.CircuitOut)
async def get_circuit(
    circuit_id: str, caller: Viewer, uow: Reading, ctx: Server, response: Response
) -> s.CircuitOut:
    service = SmartChargingService(uow, caller.organization_id, ctx.clock)
    return _circuit(await service.circuits.get(circuit_id), response)


@router.patch("/circuits/{circuit_id}", response_model=s.CircuitOut)
async def update_circuit(
    circuit_id: str,
    body: s.CircuitPatch,
    caller: OrganizationOperator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> s.CircuitOut:
    service = SmartChargingService(uow, caller.organization_id, ctx.clock)
    row = await conditional_update(
        service.circuits,
        circuit_id,
        body,
        service.update_circuit,
        uow,
        request,
        response,
        replace=False,
    )
    return s.CircuitOut.model_validate(row)


@router.delete("/circuits/{circuit_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_circuit(
    circuit_id: str, caller: OrganizationOperator, uow: Writing, ctx: Server, request: Request
) -> None:
    service = SmartChargingService(uow, caller.organization_id, ctx.clock)
    await service.delete_circuit(await to_change(service.circuits, circuit_id, request))
    await uow.commit()


@router.get("/circuits/{circuit_id}/capacity-windows", response_model=list[s.WindowOut])
async def list_windows(
    circuit_id: str, caller: Viewer, uow: Reading, ctx: Server
) -> list[s.WindowOut]:
    service = SmartChargingService(uow, caller.organization_id, ctx.clock)
    row = await service.circuits.get(circuit_id)
    return [s.WindowOut.model_validate(w) for w in await service.circuits.windows([row.id])]


@router.post(
    "/circuits/{circuit_id}/capacity-windows",
    status_code=status.HTTP_201_CREATED,
    response_model=s.WindowOut,
)
async def add_window(
    circuit_id: str, body: s.WindowIn, caller: OrganizationOperator, uow: Writing, ctx: Server
) -> s.WindowOut:
    service = SmartChargingService(uow, caller.organization_id, ctx.clock)
    window = await service.add_window(await service.circuits.get(circuit_id), body.model_dump())
    await uow.commit()
    return s.WindowOut.model_validate(window)


@router.delete(
    "/circuits/{circuit_id}/capacity-windows/{window_id}",
    status_code=status.HTTP_204_NO_CONTENT,
)
async def remove_window(
    circuit_id: str, window_id: str, caller: OrganizationOperator, uow: Writing, ctx: Server
) -> None:
    service = SmartChargingService(uow, caller.organization_id, ctx.clock)
    await service.remove_window(await service.circuits.get(circuit_id), window_id)
    await uow.commit()


@router.post(
    "/circuits/{circuit_id}/measurements",
    status_code=status.HTTP_201_CREATED,
    response_model=list[s.MeasurementOut],
)
async def add_measurements(
    circuit_id: str,
    body: Annotated[list[s.MeasurementIn], Body(max_length=LIST_MAX_ITEMS)],
    caller: OrganizationOperator,
    uow: Writing,
    ctx: Server,
) -> list[s.MeasurementOut]:
    """Building baseload and solar production, measured or forecast (bulk)."""
    service = SmartChargingService(uow, caller.organization_id, ctx.clock)
    circuit = await service.circuits.get(circuit_id)
    rows = await service.add_measurements(circuit, [m.model_dump() for m in body])
    await uow.commit()
    return [s.MeasurementOut.model_validate(r) for r in rows]


@router.post("/circuits/{circuit_id}/what-if", response_model=s.PlanOut)
async def circuit_what_if(
    circuit_id: str, body: s.WhatIfIn, caller: Viewer, ctx: Server, control: Controller
) -> s.PlanOut:
    """The schedule the circuit's site would get now, computed but not sent."""
    objective = None if body.objective is None else Objective(body.objective)
    made = await what_if(
        ctx.db, control, caller.organization_id, circuit_id, objective, ctx.clock()
    )
    return plan_out(made)


@router.post("/circuits/{circuit_id}/optimize", response_model=s.PlanOut)
async def optimize_now(
    circuit_id: str, caller: OrganizationOperator, ctx: Server, control: Controller
) -> s.PlanOut:
    """Run a control step for the organization now and return this circuit's site's plan."""
    made = await what_if(ctx.db, control, caller.organization_id, circuit_id, None, ctx.clock())
    result = await control.step(caller.organization_id)
    chosen = next((p for p in result.plans if p.site.root_id == made.site.root_id), made)
    return plan_out(chosen)


# -- results -----------------------------------------------------------------------------


def series_filter(
    circuit_id: str | None = None,
    station_id: StationIdQuery = None,
    transaction_id: IdQuery = None,
    since: Moment | None = None,
) -> SeriesFilter:
    """The query parameters of a time-series listing, bounded at the edge."""
    return SeriesFilter(circuit_id, station_id, transaction_id, since)


Series = Annotated[SeriesFilter, Depends(series_filter)]


@router.get("/smart-charging/allocations", response_model=ListOf[s.AllocationOut])
async def list_allocations(
    caller: Viewer,
    uow: Reading,
    ctx: Server,
    paging: Paging,
    where: Series,
) -> ListOf[s.AllocationOut]:
    """Optimization results as a time series (one row per session when a result changed)."""
    service = SmartChargingService(uow, caller.organization_id, ctx.clock)
    result = await service.records.series(AllocationRow, paging, where)
    return listing(result, paging, s.AllocationOut)


@router.get("/smart-charging/profiles", response_model=ListOf[s.ProfileSentOut])
async def list_profiles(
    caller: Viewer,
    uow: Reading,
    ctx: Server,
    paging: Paging,
    where: Series,
) -> ListOf[s.ProfileSentOut]:
    """Every charging profile smart charging sent, with the station's answer."""
    service = SmartChargingService(uow, caller.organization_id, ctx.clock)
    result = await service.records.series(ProfileDeliveryRow, paging, where)
    return listing(result, paging, s.ProfileSentOut)


@router.get(
    "/stations/{station_id}/evses/{evse_id}/schedule-check", response_model=s.ScheduleCheckOut
)
async def check_schedule(
    station_id: StationIdPath,
    evse_id: EvseId,
    caller: Viewer,
    ctx: Server,
    control: Controller,
    minutes: Annotated[int, Query(ge=1, le=1440, description="How far ahead to compare")] = 15,
    tolerance_kw: Annotated[float, Query(ge=0, le=1000)] = DEFAULT_TOLERANCE_KW,
) -> s.ScheduleCheckOut:
    """Asks the station for the EVSE's composite schedule (GetCompositeSchedule) and compares
    it with what smart charging requested there: both series in kW and where they differ."""
    async with ctx.db.reading() as uow:  # not held while the station is awaited
        await StationRepository(uow.session, caller.organization_id).get(station_id)
    check = await control.checker.check(
        caller.organization_id, station_id, evse_id, minutes, tolerance_kw
    )
    return s.ScheduleCheckOut.model_validate(check)


# -- wiring, vehicles, session needs ----------------------------------------------------------


@router.put("/stations/{station_id}/wiring", response_model=s.WiringOut)
async def set_wiring(
    station_id: StationIdPath,
    body: s.WiringIn,
    caller: OrganizationOperator,
    uow: Writing,
    ctx: Server,
    evse_id: Annotated[
        int, Query(ge=0, le=INT_MAX, description="0: every EVSE of the station")
    ] = 0,
) -> s.WiringOut:
    service = SmartChargingService(uow, caller.organization_id, ctx.clock)
    row = await service.set_wiring(station_id, evse_id, body.model_dump())
    await uow.commit()
    return s.WiringOut.model_validate(row)


def _vehicle(row: VehicleRow, response: Response) -> s.VehicleOut:
    set_etag(response, row.id, row.revision)
    return s.VehicleOut.model_validate(row)


@router.get("/vehicles", response_model=ListOf[s.VehicleOut])
async def list_vehicles(
    caller: Viewer,
    uow: Reading,
    ctx: Server,
    paging: Paging,
    updated_since: UpdatedSince = None,
    group_id: str | None = None,
) -> ListOf[s.VehicleOut]:
    """`group_id`: only the vehicles of that group."""
    service = SmartChargingService(uow, caller.organization_id, ctx.clock)
    found = await service.vehicles.search(paging, updated_since, group_id)
    return listing(found, paging, s.VehicleOut)


@router.post("/vehicles", status_code=status.HTTP_201_CREATED, response_model=s.VehicleOut)
async def create_vehicle(
    body: s.VehicleIn, caller: OrganizationOperator, uow: Writing, ctx: Server, response: Response
) -> s.VehicleOut:
    service = SmartChargingService(uow, caller.organization_id, ctx.clock)
    row = await service.create_vehicle(body.model_dump())
    await uow.commit()
    response.headers["Location"] = f"/api/v1/vehicles/{row.id}"
    return _vehicle(row, response)


@router.get("/vehicles/{vehicle_id}", response_model=s.VehicleOut)
async def get_vehicle(
    vehicle_id: str, caller: Viewer, uow: Reading, ctx: Server, response: Response
) -> s.VehicleOut:
    service = SmartChargingService(uow, caller.organization_id, ctx.clock)
    return _vehicle(await service.vehicles.get(vehicle_id), response)


@router.put("/vehicles/{vehicle_id}", response_model=s.VehicleOut)
async def replace_vehicle(
    vehicle_id: str,
    body: s.VehicleIn,
    caller: OrganizationOperator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> s.VehicleOut:
    """Every field; If-Match with the ETag of the version replaced is required."""
    service = SmartChargingService(uow, caller.organization_id, ctx.clock)
    row = await conditional_update(
        service.vehicles,
        vehicle_id,
        body,
        service.update_vehicle,
        uow,
        request,
        response,
        replace=True,
    )
    return s.VehicleOut.model_validate(row)


@router.patch("/vehicles/{vehicle_id}", response_model=s.VehicleOut)
async def update_vehicle(
    vehicle_id: str,
    body: s.VehiclePatch,
    caller: OrganizationOperator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> s.VehicleOut:
    service = SmartChargingService(uow, caller.organization_id, ctx.clock)
    row = await conditional_update(
        service.vehicles,
        vehicle_id,
        body,
        service.update_vehicle,
        uow,
        request,
        response,
        replace=False,
    )
    return s.VehicleOut.model_validate(row)


@router.delete("/vehicles/{vehicle_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_vehicle(
    vehicle_id: str, caller: OrganizationOperator, uow: Writing, ctx: Server, request: Request
) -> None:
    service = SmartChargingService(uow, caller.organization_id, ctx.clock)
    await service.delete_vehicle(await to_change(service.vehicles, vehicle_id, request))
    await uow.commit()


@router.patch("/transactions/{transaction_id}/charging-needs", response_model=s.SessionNeedsOut)
async def set_session_needs(
    transaction_id: Id,
    body: s.SessionNeedsIn,
    caller: OrganizationOperator,
    uow: Writing,
    ctx: Server,
) -> s.SessionNeedsOut:
    """What the vehicle on this session needs: overrides its vehicle's data and the EV's own."""
    service = SmartChargingService(uow, caller.organization_id, ctx.clock)
    row = await service.set_session_needs(transaction_id, body.model_dump(exclude_unset=True))
    await uow.commit()
    return s.SessionNeedsOut.model_validate(row)


@router.get("/transactions/{transaction_id}/charging-needs", response_model=s.SessionNeedsOut)
async def get_session_needs(
    transaction_id: Id, caller: Viewer, uow: Reading, ctx: Server
) -> s.SessionNeedsOut:
    service = SmartChargingService(uow, caller.organization_id, ctx.clock)
    return s.SessionNeedsOut.model_validate(await service.session_needs(transaction_id))


# -- prices and demand response -------------------------------------------------------------


@router.get("/energy-prices", response_model=ListOf[s.PriceOut])
async def list_prices(
    caller: Viewer, uow: Reading, ctx: Server, paging: Paging
) -> ListOf[s.PriceOut]:
    service = SmartChargingService(uow, caller.organization_id, ctx.clock)
    return listing(
        await service.records.listed(PriceRow, paging, PriceRow.starts_at), paging, s.PriceOut
    )


@router.post("/energy-prices", status_code=status.HTTP_201_CREATED, response_model=list[s.PriceOut])
async def add_prices(
    body: Annotated[list[s.PriceIn], Body(max_length=LIST_MAX_ITEMS)],
    caller: OrganizationOperator,
    uow: Writing,
    ctx: Server,
) -> list[s.PriceOut]:
    """Time-of-use prices (bulk); a circuit's own prices win over the organization's."""
    service = SmartChargingService(uow, caller.organization_id, ctx.clock)
    rows = await service.add_prices([p.model_dump() for p in body])
    await uow.commit()
    return [s.PriceOut.model_validate(r) for r in rows]


@router.delete("/energy-prices/{price_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_price(
    price_id: str, caller: OrganizationOperator, uow: Writing, ctx: Server
) -> None:
    service = SmartChargingService(uow, caller.organization_id, ctx.clock)
    await service.remove(PriceRow, price_id, "Energy price", ENERGY_PRICE_REMOVED)
    await uow.commit()


@router.get("/demand-response-events", response_model=ListOf[s.DemandResponseOut])
async def list_demand_response(
    caller: Viewer, uow: Reading, ctx: Server, paging: Paging
) -> ListOf[s.DemandResponseOut]:
    service = SmartChargingService(uow, caller.organization_id, ctx.clock)
    result = await service.records.listed(DemandResponseRow, paging, DemandResponseRow.starts_at)
    return listing(result, paging, s.DemandResponseOut)


@router.post(
    "/demand-response-events",
    status_code=status.HTTP_201_CREATED,
    response_model=s.DemandResponseOut,
)
async def add_demand_response(
    body: s.DemandResponseIn, caller: OrganizationOperator, uow: Writing, ctx: Server
) -> s.DemandResponseOut:
    """A curtailment caps the circuit for its window; a V2G window lets bidirectional EVSEs
    discharge (fleet objective)."""
    service = SmartChargingService(uow, caller.organization_id, ctx.clock)
    row = await service.add_demand_response(body.model_dump())
    await uow.commit()
    return s.DemandResponseOut.model_validate(row)


@router.delete("/demand-response-events/{event_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_demand_response(
    event_id: str, caller: OrganizationOperator, uow: Writing, ctx: Server
) -> None:
    service = SmartChargingService(uow, caller.organization_id, ctx.clock)
    await service.remove(
        DemandResponseRow, event_id, "Demand-response event", DEMAND_RESPONSE_REMOVED
    )
    await uow.commit()
