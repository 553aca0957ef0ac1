"""The network's KPIs as `/api/v1/kpis` measures them, on one page: uptime, connectivity and
utilisation (occupied, charging) of the organization, a location with everything below it, or a
station, over a period, and the sessions per day, week or month. Read only, every role; a
site-confined caller measures its sites, as in the REST API (the scope's organization id
carries the sites)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from chargeyard.api.dependencies import Server
from chargeyard.api.limits import Moment
from chargeyard.dashboard.auth import PageCaller
from chargeyard.dashboard.endpoints import LOCATION_CHOICES, base_context
from chargeyard.dashboard.forms import utc_instant, validated
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.kpis.repository import Scope
from chargeyard.kpis.service import KpiService, period
from chargeyard.kpis.sessions import Interval
from chargeyard.locations.repository import LocationRepository
from chargeyard.storage.repository import Page

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

INTERVALS = [i.value for i in Interval]


class KpiQuery(BaseModel):
    """The page's filter as the REST query reads it (an empty field: unset)."""

    start: Moment | None = None
    end: Moment | None = None
    interval: Interval = Interval.DAY


@router.get("/kpis")
async def kpis(
    request: Request,
    caller: PageCaller,
    ctx: Server,
    location: Annotated[str, Query(max_length=32)] = "",
    station: Annotated[str, Query(max_length=64)] = "",
    start: Annotated[str, Query(max_length=40)] = "",
    end: Annotated[str, Query(max_length=40)] = "",
    interval: Annotated[str, Query(max_length=8)] = "",
) -> Response:
    """By default the organization over the week before now, per day. A location and a
    station together, a period that ends before it starts or more than 1,000 intervals is
    422, as in the REST API; an unknown station or location measures nothing."""
    times = {"start": utc_instant(start.strip()), "end": utc_instant(end.strip())}
    given = validated(KpiQuery, times | {"interval": interval})
    organization_id = caller.principal.organization_id
    scope = Scope(organization_id, station.strip() or None, location or None)
    first, last = period(given.start, given.end, ctx.clock())
    async with ctx.db.reading() as uow:
        service = KpiService(uow.session, scope, ctx.clock)
        uptime = await service.uptime(first, last, charging=True)
        connectivity = await service.connectivity(first, last)
        report = await service.sessions(first, last, given.interval)
        locations = await LocationRepository(uow.session, organization_id).search(
            Page(0, LOCATION_CHOICES)
        )
    context = base_context(caller, "kpis") | {
        "uptime": uptime,
        "connectivity": connectivity,
        "report": report,
        "locations": locations.items,
        "location": location,
        "station": station.strip(),
        "interval": given.interval.value,
        "intervals": INTERVALS,
    }
    return render(request, "kpis.html", context)
