"""/api/v1/vehicles/{id}/telematics: a vehicle's readings, posted one or many at a time and
read back as a time series."""

from typing import Annotated

from fastapi import APIRouter, Body, status
from pydantic import Field

from chargeyard.api.dependencies import (
    OrganizationOperator,
    Paging,
    Reading,
    Server,
    Viewer,
    Writing,
)
from chargeyard.api.limits import LIST_MAX_ITEMS, Moment
from chargeyard.api.query import StrictQuery
from chargeyard.api.schemas import ListOf, listing
from chargeyard.telematics.schemas import ReadingIn, ReadingOut
from chargeyard.telematics.service import TelematicsService

router = APIRouter(tags=["telematics"])

Readings = Annotated[list[ReadingIn], Field(min_length=1, max_length=LIST_MAX_ITEMS)]


@router.post(
    "/vehicles/{vehicle_id}/telematics",
    status_code=status.HTTP_201_CREATED,
    response_model=list[ReadingOut],
)
async def post_telematics(
    vehicle_id: str,
    body: Annotated[ReadingIn | Readings, Body()],
    caller: OrganizationOperator,
    uow: Writing,
    ctx: Server,
) -> list[ReadingOut]:
    """One reading or a batch; a reading for an instant already held replaces it. A state of
    charge counts in the plan of the vehicle's running session from the next control step."""
    readings = body if isinstance(body, list) else [body]
    service = TelematicsService(uow, caller.organization_id, ctx.clock)
    rows = await service.record(vehicle_id, [r.model_dump() for r in readings])
    await uow.commit()
    return [ReadingOut.model_validate(r) for r in rows]


@router.get(
    "/vehicles/{vehicle_id}/telematics",
    response_model=ListOf[ReadingOut],
    dependencies=[StrictQuery],
)
async def get_telematics(
    vehicle_id: str,
    caller: Viewer,
    uow: Reading,
    ctx: Server,
    paging: Paging,
    since: Moment | None = None,
    until: Moment | None = None,
) -> ListOf[ReadingOut]:
    """Oldest first; `since` inclusive, `until` exclusive (on `measured_at`)."""
    service = TelematicsService(uow, caller.organization_id, ctx.clock)
    found = await service.series(vehicle_id, paging, since, until)
    return listing(found, paging, ReadingOut)
