"""/api/v1/kpis: connectivity and uptime of a station, an EVSE, a location or the organization
over any period (docs/kpis.md)."""

from datetime import datetime

from fastapi import APIRouter

from chargeyard.api.dependencies import Reading, Server, Viewer
from chargeyard.api.limits import EvseIdQuery
from chargeyard.kpis.repository import Scope
from chargeyard.kpis.schemas import KpiOut, SessionReportOut, SessionStatsOut
from chargeyard.kpis.service import KpiService, period
from chargeyard.kpis.sessions import Interval

router = APIRouter(prefix="/kpis", tags=["kpis"])


@router.get("/uptime", response_model=KpiOut)
async def uptime(
    caller: Viewer,
    uow: Reading,
    ctx: Server,
    station_id: str | None = None,
    evse_id: EvseIdQuery = None,
    location_id: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> KpiOut:
    """Without `station_id` or `location_id`, the organization's; `evse_id` narrows a
    station's to one EVSE. The period defaults to the week before now."""
    first, last = period(start, end, ctx.clock())
    scope = Scope(caller.organization_id, station_id, location_id, evse_id)
    measured = await KpiService(uow.session, scope, ctx.clock).uptime(first, last)
    return KpiOut.of("uptime", measured, station_id, location_id, evse_id)


@router.get("/utilisation", response_model=KpiOut)
async def utilisation(
    caller: Viewer,
    uow: Reading,
    ctx: Server,
    station_id: str | None = None,
    evse_id: EvseIdQuery = None,
    location_id: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> KpiOut:
    """The share of the time in service (up or down, not planned) a vehicle occupied the
    connectors: from the same timelines as uptime."""
    first, last = period(start, end, ctx.clock())
    scope = Scope(caller.organization_id, station_id, location_id, evse_id)
    measured = await KpiService(uow.session, scope, ctx.clock).uptime(first, last)
    return KpiOut.of("utilisation", measured, station_id, location_id, evse_id)


@router.get("/connectivity", response_model=KpiOut)
async def connectivity(
    caller: Viewer,
    uow: Reading,
    ctx: Server,
    station_id: str | None = None,
    location_id: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> KpiOut:
    """The share of the period the stations held a connection (from registration on)."""
    first, last = period(start, end, ctx.clock())
    scope = Scope(caller.organization_id, station_id, location_id)
    measured = await KpiService(uow.session, scope, ctx.clock).connectivity(first, last)
    return KpiOut.of("connectivity", measured, station_id, location_id, None)


@router.get("/sessions", response_model=SessionReportOut)
async def sessions(
    caller: Viewer,
    uow: Reading,
    ctx: Server,
    station_id: str | None = None,
    evse_id: EvseIdQuery = None,
    location_id: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    interval: Interval = Interval.DAY,
) -> SessionReportOut:
    """Sessions, energy, average duration and energy, failed sessions per day, week or month
    (UTC calendar), counted in the interval each session started in."""
    first, last = period(start, end, ctx.clock())
    scope = Scope(caller.organization_id, station_id, location_id, evse_id)
    stats, whole = await KpiService(uow.session, scope, ctx.clock).sessions(first, last, interval)
    return SessionReportOut(
        interval=interval,
        station_id=station_id,
        location_id=location_id,
        evse_id=evse_id,
        items=[SessionStatsOut.of(part) for part in stats],
        total=SessionStatsOut.of(whole),
    )
