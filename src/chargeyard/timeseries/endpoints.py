"""/api/v1/timeseries: meter values resampled to energy, power and SoC per session, station
(EVSE, connector) and location, a circuit's load against its limits, and availability per
station (docs/timeseries.md)."""

from typing import Annotated

from fastapi import APIRouter, Query

from chargeyard.api.dependencies import Reading, Server, Viewer
from chargeyard.api.limits import EvseIdQuery, Id, IntQuery, Moment, StationIdPath
from chargeyard.kpis import repository as kpis
from chargeyard.timeseries.domain import Resolution
from chargeyard.timeseries.repository import Scope
from chargeyard.timeseries.schemas import (
    AvailabilityPointOut,
    AvailabilitySeriesOut,
    CircuitSeriesOut,
    MeterSeriesOut,
)
from chargeyard.timeseries.service import availability_series, circuit_series, meter_series

router = APIRouter(prefix="/timeseries", tags=["timeseries"])

TimezoneQuery = Annotated[
    str | None,
    Query(
        max_length=64,
        description="The IANA zone whose days `1d` buckets are; by default the location's (of "
        "the location, the station or the session's station), else UTC.",
    ),
]


@router.get("/sessions/{transaction_id}", response_model=MeterSeriesOut)
async def session_series(
    transaction_id: Id,
    caller: Viewer,
    uow: Reading,
    ctx: Server,
    resolution: Resolution = Resolution.MINUTE,
    start: Moment | None = None,
    end: Moment | None = None,
    timezone: TimezoneQuery = None,
) -> MeterSeriesOut:
    """A session's energy, power and SoC; the period defaults to the session's."""
    scope = Scope(caller.organization_id, transaction_id=transaction_id)
    series = await meter_series(uow.session, scope, resolution, start, end, ctx.clock, timezone)
    return MeterSeriesOut.of(series)


@router.get("/stations/{station_id}", response_model=MeterSeriesOut)
async def station_series(
    station_id: StationIdPath,
    caller: Viewer,
    uow: Reading,
    ctx: Server,
    evse_id: EvseIdQuery = None,
    connector_id: IntQuery = None,
    resolution: Resolution = Resolution.FIFTEEN_MINUTES,
    start: Moment | None = None,
    end: Moment | None = None,
    timezone: TimezoneQuery = None,
) -> MeterSeriesOut:
    """A station's (or one EVSE's, or connector's) energy and power summed over its
    connectors; SoC only when it has a single connector (or one is asked for). The period defaults to the day
    before now."""
    scope = Scope(
        caller.organization_id, station_id=station_id, evse_id=evse_id, connector_id=connector_id
    )
    series = await meter_series(uow.session, scope, resolution, start, end, ctx.clock, timezone)
    return MeterSeriesOut.of(series)


@router.get("/locations/{location_id}", response_model=MeterSeriesOut)
async def location_series(
    location_id: str,
    caller: Viewer,
    uow: Reading,
    ctx: Server,
    resolution: Resolution = Resolution.HOUR,
    start: Moment | None = None,
    end: Moment | None = None,
    timezone: TimezoneQuery = None,
) -> MeterSeriesOut:
    """Energy and power of every station at a location, summed."""
    scope = Scope(caller.organization_id, location_id=location_id)
    series = await meter_series(uow.session, scope, resolution, start, end, ctx.clock, timezone)
    return MeterSeriesOut.of(series)


@router.get("/circuits/{circuit_id}", response_model=CircuitSeriesOut)
async def circuit_load_series(
    circuit_id: str,
    caller: Viewer,
    uow: Reading,
    ctx: Server,
    resolution: Resolution = Resolution.FIFTEEN_MINUTES,
    start: Moment | None = None,
    end: Moment | None = None,
) -> CircuitSeriesOut:
    """A circuit's measured load (its stations and those of the circuits under it) and the sum
    of the limits in force, per bucket, against its limit; the period defaults to the day
    before now."""
    series = await circuit_series(
        uow.session, caller.organization_id, circuit_id, resolution, start, end, ctx.clock
    )
    return CircuitSeriesOut.of(series)


@router.get("/stations/{station_id}/availability", response_model=AvailabilitySeriesOut)
async def station_availability(
    station_id: StationIdPath,
    caller: Viewer,
    uow: Reading,
    ctx: Server,
    resolution: Resolution = Resolution.HOUR,
    start: Moment | None = None,
    end: Moment | None = None,
    timezone: TimezoneQuery = None,
) -> AvailabilitySeriesOut:
    """Uptime and connectivity per bucket, as `/kpis/uptime` and `/kpis/connectivity` measure
    them over a period; the period defaults to the day before now."""
    scope = kpis.Scope(caller.organization_id, station_id=station_id)
    found, zone, points = await availability_series(
        uow.session, scope, resolution, start, end, ctx.clock, timezone
    )
    return AvailabilitySeriesOut(
        resolution=found.value,
        timezone=zone,
        points=[AvailabilityPointOut.of(p, zone) for p in points],
    )
