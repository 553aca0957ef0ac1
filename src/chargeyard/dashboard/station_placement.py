"""Where a station stands: placing it at a location (or at none) from its page, as `PATCH
/api/v1/stations/{id}` with `location_id` does it: the REST API's body model and placement check
(a site-scoped operator places only inside its sites) and `StationService.update`, guarded by
the revision the page showed (412 when the station changed meanwhile)."""

from functools import partial

from fastapi import APIRouter, Request, Response

from chargeyard.api.dependencies import Server
from chargeyard.dashboard import endpoints
from chargeyard.dashboard.auth import ActingCaller
from chargeyard.dashboard.endpoints import PLACE_LABELS
from chargeyard.dashboard.field_form import refused
from chargeyard.dashboard.form_handling import (
    ROW_REFUSALS,
    as_shown,
    form_sender,
    refused_on_page,
    see_other,
)
from chargeyard.dashboard.rendering import DashboardRoute
from chargeyard.site_scopes.service import check_placement
from chargeyard.stations.schemas import StationPatch
from chargeyard.stations.service import StationService

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)


@router.post("/stations/{station_id}/location")
async def place_station(
    request: Request, station_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """The placement form (operator and up); "No location" is `location_id: null`. An unknown
    location, or one of another organization, is 422 as in the REST API. A refusal (that, a
    location outside the caller's sites, a stale revision) comes back as the station's page
    with the choice as sent and the refusal beside it."""
    sender = form_sender(acting)
    try:
        body = sender.body(
            StationPatch, location_id=sender.fields.get("location_id", "").strip() or None
        )
        async with sender.writing(ctx) as uow:
            service = StationService(uow, sender.organization_id, ctx.clock, sender.caller.actor)
            check_placement(sender.organization_id, body.location_id)
            station = await as_shown(service.stations, station_id, sender.fields, "station")
            await service.update(station, body.model_dump(exclude_unset=True))
    except ROW_REFUSALS as refusal:
        form = refused(sender.fields, PLACE_LABELS, refusal, "location_id", keep=("revision",))
        page = partial(endpoints.station, request, station_id, acting[0], ctx)
        return await refused_on_page(request, refusal, page, place_form=form)
    return see_other(f"/stations/{station_id}")
