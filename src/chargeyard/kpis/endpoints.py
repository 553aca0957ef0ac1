"""/api/v1/kpis: connectivity and uptime of a station, an EVSE, a location or the organization
over any period (docs/kpis.md)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends

from chargeyard.api.dependencies import Reading, Server, Viewer
from chargeyard.api.limits import EvseIdQuery
from chargeyard.kpis.repository import Scope
from chargeyard.kpis.schemas import KpiOut, SessionReportOut, SessionStatsOut
from chargeyard.kpis.service import KpiService, period
from chargeyard.kpis.sessions import Interval

router = APIRouter(prefix="/kpis", tags=["kpis"])


@dataclass(frozen=True)
class Asked:
    """What a KPI request names: the stations (see `Scope`) and the period, with its defaults
    resolved."""

    scope: Scope
    start: datetime
    end: datetime


def asked(
    caller: Viewer,
    ctx: Server,
    station_id: str | None = None,
    evse_id: EvseIdQuery = None,
    location_id: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> Asked:
    first, last = period(start, end, ctx.clock())
    return Asked(Scope(caller.organization_id, station_id, location_id, evse_id), first, last)


Asking = Annotated[Asked, Depends(asked)]


@router.get("/uptime", response_model=KpiOut)
async def uptime(uow: Reading, ctx: Server, asking: Asking) -> KpiOut:
    """Without `station_id` or `location_id`, the organization's; `evse_id` narrows a
    station's to one EVSE. The period defaults to the week before now."""
    measured = await KpiService(uow.session, asking.scope, ctx.clock).uptime(
        asking.start, asking.end
    )
    return KpiOut.of("uptime", measured, *_named(asking.scope))


@router.get("/utilisation", response_model=KpiOut)
async def utilisation(uow: Reading, ctx: Server, asking: Asking) -> KpiOut:
    """The share of the time in service (up or down, not planned) a vehicle occupied the
    connectors: from the same timelines as uptime."""
    measured = await KpiService(uow.session, asking.scope, ctx.clock).uptime(
        asking.start, asking.end
    )
    return KpiOut.of("utilisation", measured, *_named(asking.scope))


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
    uow: Reading, ctx: Server, asking: Asking, interval: Interval = Interval.DAY
) -> SessionReportOut:
    """Sessions, energy, average duration and energy, failed sessions per day, week or month
    (UTC calendar), counted in the interval each session started in."""
    service = KpiService(uow.session, asking.scope, ctx.clock)
    stats, whole = await service.sessions(asking.start, asking.end, interval)
    station_id, location_id, evse_id = _named(asking.scope)
    return SessionReportOut(
        interval=interval,
        station_id=station_id,
        location_id=location_id,
        evse_id=evse_id,
        items=[SessionStatsOut.of(part) for part in stats],
        total=SessionStatsOut.of(whole),
    )


def _named(scope: Scope) -> tuple[str | None, str | None, int | None]:
    """The station, location and EVSE the answer names, as they were asked."""
    return scope.station_id, scope.location_id, scope.evse_id
