"""/api/v1/locations: the organization's sites, nested into a tree by `parent_id`."""

from fastapi import APIRouter, Request, Response, status

from chargeyard.api.dependencies import (
    Operator,
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
from chargeyard.api.query import StrictQuery
from chargeyard.api.schemas import ListOf, listing
from chargeyard.locations.models import Location
from chargeyard.locations.repository import LocationRepository
from chargeyard.locations.schemas import (
    LocationCreate,
    LocationOut,
    LocationPatch,
    LocationReplace,
    SiteNodeOut,
)
from chargeyard.locations.service import LocationDraft, LocationService

router = APIRouter(prefix="/locations", tags=["locations"])


def _answer(location: Location, response: Response) -> LocationOut:
    set_etag(response, location.id, location.revision)
    return LocationOut.model_validate(location)


@router.get("", response_model=ListOf[LocationOut], dependencies=[StrictQuery])
async def list_locations(
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    updated_since: UpdatedSince = None,
    parent_id: str | None = None,
) -> ListOf[LocationOut]:
    result = await LocationRepository(uow.session, caller.organization_id).search(
        paging, parent_id=parent_id, updated_since=updated_since
    )
    return listing(result, paging, LocationOut)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=LocationOut)
async def create_location(
    body: LocationCreate, caller: Operator, uow: Writing, ctx: Server, response: Response
) -> LocationOut:
    service = LocationService(uow, caller.organization_id, ctx.clock)
    location = await service.create(LocationDraft(**body.model_dump()))
    await uow.commit()
    response.headers["Location"] = f"/api/v1/locations/{location.id}"
    return _answer(location, response)


@router.get("/{location_id}", response_model=LocationOut)
async def get_location(
    location_id: str, caller: Viewer, uow: Reading, response: Response
) -> LocationOut:
    location = await LocationRepository(uow.session, caller.organization_id).get(location_id)
    return _answer(location, response)


@router.get("/{location_id}/tree", response_model=SiteNodeOut)
async def location_tree(location_id: str, caller: Viewer, uow: Reading, ctx: Server) -> SiteNodeOut:
    """The location, every location below it, and the ids of the stations at each."""
    tree = await LocationService(uow, caller.organization_id, ctx.clock).tree(location_id)
    return SiteNodeOut.model_validate(tree)


@router.put("/{location_id}", response_model=LocationOut)
async def replace_location(
    location_id: str,
    body: LocationReplace,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> LocationOut:
    service = LocationService(uow, caller.organization_id, ctx.clock)
    location = await conditional_update(
        service.locations, location_id, body, service.update, uow, request, response, replace=True
    )
    return LocationOut.model_validate(location)


@router.patch("/{location_id}", response_model=LocationOut)
async def update_location(
    location_id: str,
    body: LocationPatch,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> LocationOut:
    service = LocationService(uow, caller.organization_id, ctx.clock)
    location = await conditional_update(
        service.locations, location_id, body, service.update, uow, request, response, replace=False
    )
    return LocationOut.model_validate(location)


@router.delete("/{location_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_location(
    location_id: str, caller: Operator, uow: Writing, ctx: Server, request: Request
) -> None:
    """Refused (409) while stations or child locations still reference the location."""
    service = LocationService(uow, caller.organization_id, ctx.clock)
    await service.delete(await to_change(service.locations, location_id, request))
    await uow.commit()
