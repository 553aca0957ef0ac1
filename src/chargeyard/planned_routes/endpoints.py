"""/api/v1/vehicles/{id}/routes: a vehicle's planned trips; the next one sets the departure and
the target of its running session's plan."""

from fastapi import APIRouter, Response, status

from chargeyard.api.dependencies import (
    OrganizationOperator,
    Paging,
    Reading,
    Server,
    Viewer,
    Writing,
)
from chargeyard.api.limits import Moment
from chargeyard.api.query import StrictQuery
from chargeyard.api.schemas import ListOf, listing
from chargeyard.planned_routes.schemas import RouteIn, RouteOut
from chargeyard.planned_routes.service import PlannedRouteService

router = APIRouter(tags=["planned routes"])


@router.post(
    "/vehicles/{vehicle_id}/routes", status_code=status.HTTP_201_CREATED, response_model=RouteOut
)
async def plan_route(
    vehicle_id: str,
    body: RouteIn,
    caller: OrganizationOperator,
    uow: Writing,
    ctx: Server,
    response: Response,
) -> RouteOut:
    """`energy_kwh` (what the trip takes) or `target_soc_percent`; departs in the future."""
    service = PlannedRouteService(uow, caller.organization_id, ctx.clock)
    row = await service.plan(vehicle_id, body.model_dump())
    await uow.commit()
    response.headers["Location"] = f"/api/v1/vehicles/{vehicle_id}/routes/{row.id}"
    return RouteOut.model_validate(row)


@router.get(
    "/vehicles/{vehicle_id}/routes", response_model=ListOf[RouteOut], dependencies=[StrictQuery]
)
async def list_routes(
    vehicle_id: str,
    caller: Viewer,
    uow: Reading,
    ctx: Server,
    paging: Paging,
    since: Moment | None = None,
    until: Moment | None = None,
) -> ListOf[RouteOut]:
    """By departure; `since` inclusive, `until` exclusive (on `departs_at`)."""
    service = PlannedRouteService(uow, caller.organization_id, ctx.clock)
    return listing(await service.listed(vehicle_id, paging, since, until), paging, RouteOut)


@router.delete("/vehicles/{vehicle_id}/routes/{route_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_route(
    vehicle_id: str, route_id: str, caller: OrganizationOperator, uow: Writing, ctx: Server
) -> None:
    service = PlannedRouteService(uow, caller.organization_id, ctx.clock)
    await service.remove(vehicle_id, route_id)
    await uow.commit()
