"""/api/v1/kpis: connectivity, uptime and utilisation of a station, an EVSE, a location or the
organization over any period (uptime and utilisation also per local day, week or month), and
session statistics per local day, week or month (docs/alerts.md, "KPIs")."""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from chargeyard.api.dependencies import Reading, Server, Viewer
from chargeyard.api.limits import EvseIdQuery, IdQuery, Moment
from chargeyard.kpis.repository import Scope
from chargeyard.kpis.schemas import KpiOut, SessionReportOut, SessionStatsOut
from chargeyard.kpis.service import KpiService, calendar_zone, period
from chargeyard.kpis.sessions import Interval
from chargeyard.server_context import ServerContext
from chargeyard.storage.unit_of_work import UnitOfWork

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
    connector_id: IdQuery = None,
    location_id: str | None = None,
    start: Moment | None = None,
    end: Moment | None = None,
) -> Asked:
    scope = Scope(caller.organization_id, station_id, location_id, evse_id, connector_id)
    first, last = period(start, end, ctx.clock())
    return Asked(scope, first, last)


Asking = Annotated[Asked, Depends(asked)]


Timezone = Annotated[
    str | None,
    Query(
        max_length=64,
        description="The IANA zone whose calendar cuts the intervals; by default the "
        "location's (of the location, or of the station, asked for), else UTC.",
    ),
]
Per = Annotated[
    Interval | None,
    Query(
        description="Also answer the KPI per day, week (ISO, from Monday) or month of the "
        "calendar of `timezone`, in `items`."
    ),
]


@router.get("/uptime", response_model=KpiOut)
async def uptime(
    uow: Reading, ctx: Server, asking: Asking, interval: Per = None, timezone: Timezone = None
) -> KpiOut:
    """Without `station_id` or `location_id`, the organization's; `evse_id` narrows a
    station's to one EVSE, and `connector_id` that EVSE's to one connector. The period defaults
    to the week before now."""
    return await _timelines("uptime", uow, ctx, asking, interval, timezone)


@router.get("/utilisation", response_model=KpiOut)
async def utilisation(
    uow: Reading, ctx: Server, asking: Asking, interval: Per = None, timezone: Timezone = None
) -> KpiOut:
    """The share of the time in service (up or down, not planned) a vehicle occupied the
    connectors, and the share they delivered energy (charging): from the same timelines as
    uptime."""
    return await _timelines("utilisation", uow, ctx, asking, interval, timezone)


async def _timelines(
    kpi: Literal["uptime", "utilisation"],
    uow: UnitOfWork,
    ctx: ServerContext,
    asking: Asked,
    interval: Interval | None,
    timezone: str | None,
) -> KpiOut:
    """Uptime or utilisation over the period, and per interval when one is asked for."""
    service = KpiService(uow.session, asking.scope, ctx.clock)
    charging = kpi == "utilisation"
    if interval is None:
        if timezone is not None:
            calendar_zone(timezone, asked=timezone)  # an unknown zone is refused all the same
        measured = await service.uptime(asking.start, asking.end, charging=charging)
        return KpiOut.of(kpi, measured, asking.scope)
    found = await service.uptime_intervals(
        asking.start, asking.end, interval, timezone, charging=charging
    )
    return KpiOut.of(kpi, found.total, asking.scope).per(interval, found)


@router.get("/connectivity", response_model=KpiOut)
async def connectivity(
    caller: Viewer,
    uow: Reading,
    ctx: Server,
    station_id: str | None = None,
    location_id: str | None = None,
    start: Moment | None = None,
    end: Moment | None = None,
) -> KpiOut:
    """The share of the period the stations held a connection (from registration on)."""
    first, last = period(start, end, ctx.clock())
    scope = Scope(caller.organization_id, station_id, location_id)
    measured = await KpiService(uow.session, scope, ctx.clock).connectivity(first, last)
    return KpiOut.of("connectivity", measured, scope)


@router.get("/sessions", response_model=SessionReportOut)
async def sessions(
    uow: Reading,
    ctx: Server,
    asking: Asking,
    interval: Interval = Interval.DAY,
    timezone: Timezone = None,
) -> SessionReportOut:
    """Sessions, energy, average duration and energy, failed sessions per day, week or month
    of a local calendar, counted in the interval each session started in."""
    service = KpiService(uow.session, asking.scope, ctx.clock)
    report = await service.sessions(asking.start, asking.end, interval, timezone)
    scope = asking.scope
    return SessionReportOut(
        interval=interval,
        timezone=report.timezone,
        station_id=scope.station_id,
        location_id=scope.location_id,
        evse_id=scope.evse_id,
        connector_id=scope.connector_id,
        items=[SessionStatsOut.of(part, report.timezone) for part in report.items],
        total=SessionStatsOut.of(report.total, report.timezone),
    )
