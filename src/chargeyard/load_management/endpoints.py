"""/api/v1 routes of smart charging's control loop: a circuit's plan (what-if, optimize now),
the allocations and profiles it made, and schedule checks. Its inputs' routes are their own
packages' (`circuits/`, `capacity_windows/`, `vehicles/`, `session_needs/`, `evse_wiring/`,
`energy_prices/`, `demand_response/`, `measurements/`)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from chargeyard.api.dependencies import (
    OrganizationOperator,
    Paging,
    Reading,
    Server,
    Viewer,
)
from chargeyard.api.limits import (
    EvseId,
    IdQuery,
    Moment,
    StationIdPath,
    StationIdQuery,
)
from chargeyard.api.schemas import ListOf, listing
from chargeyard.load_management import schemas as s
from chargeyard.load_management.controller import SmartChargingController
from chargeyard.load_management.domain import SeriesFilter
from chargeyard.load_management.models import AllocationRow, ProfileDeliveryRow
from chargeyard.load_management.plans import plan_out, what_if
from chargeyard.load_management.repository import RecordRepository
from chargeyard.load_management.schedule_check import DEFAULT_TOLERANCE_KW
from chargeyard.smart_charging.snapshot import Objective
from chargeyard.stations.repository import StationRepository

router = APIRouter(tags=["smart charging"])


def controller(request: Request) -> SmartChargingController:
    found: SmartChargingController = request.app.state.smart_charging
    return found


Controller = Annotated[SmartChargingController, Depends(controller)]


# -- plans ---------------------------------------------------------------------------------


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
    records = RecordRepository(uow.session, caller.organization_id)
    result = await records.series(AllocationRow, paging, where)
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
    records = RecordRepository(uow.session, caller.organization_id)
    result = await records.series(ProfileDeliveryRow, paging, where)
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
