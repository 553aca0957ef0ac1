"""What EVs asked for at a station, as `/api/v1/stations/{id}/charging-needs` and
`/ev-charging-schedules` have it: each NotifyEVChargingNeeds an OCPP 2.x station relayed
(ISO 15118: the energy transfer requested, departure, energy, state of charge and the EV's
limits), and the schedules EVs chose, newest first, optionally for one EVSE. Read-only for every
role, through `ChargingNeedRepository`, which a site-confined user reads narrowed to its
stations (another's station is 404)."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from chargeyard.api.dependencies import Server
from chargeyard.api.limits import INT_MAX
from chargeyard.charging_needs.repository import ChargingNeedRepository
from chargeyard.dashboard.auth import PageCaller
from chargeyard.dashboard.endpoints import PageNumber, base_context
from chargeyard.dashboard.form_handling import page_slice, paging
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.errors import Invalid
from chargeyard.stations.repository import StationRepository
from chargeyard.storage.repository import Page

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

SCHEDULES_SHOWN = 10
"""The newest schedules the page shows (the REST list pages through them all)."""


def evse_filter(text: str) -> int | None:
    """The EVSE the filter form names ("" for every EVSE), as the REST API's `evse_id`."""
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or int(text) > INT_MAX:
        raise Invalid("evse_id: a whole number from 0 (the station itself)")
    return int(text)


@router.get("/stations/{station_id}/charging-needs")
async def charging_needs(
    request: Request,
    station_id: str,
    caller: PageCaller,
    ctx: Server,
    evse_id: Annotated[str, Query(max_length=10)] = "",
    page: PageNumber = 1,
) -> Response:
    evse = evse_filter(evse_id)
    organization_id = caller.principal.organization_id
    async with ctx.db.reading() as uow:
        station = await StationRepository(uow.session, organization_id).get(station_id)
        reported = ChargingNeedRepository(uow.session, organization_id)
        needs = await reported.needs(station_id, evse, page_slice(page))
        schedules = await reported.schedules(station_id, evse, Page(0, SCHEDULES_SHOWN))
    context: dict[str, Any] = base_context(caller, "stations") | paging(needs.total, page)
    context |= {
        "station": station,
        "evse_id": "" if evse is None else str(evse),
        "needs": needs.items,
        "schedules": schedules.items,
        "schedules_total": schedules.total,
    }
    return render(request, "charging_needs.html", context)
