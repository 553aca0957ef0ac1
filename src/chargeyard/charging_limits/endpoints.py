"""/api/v1/stations/{id}/charging-limits: external limits the station reported."""

from fastapi import APIRouter

from chargeyard.api.dependencies import Paging, Reading, Viewer
from chargeyard.api.limits import StationIdPath
from chargeyard.api.schemas import ListOf, listing
from chargeyard.charging_limits.repository import ChargingLimitRepository
from chargeyard.charging_limits.schemas import ChargingLimitOut
from chargeyard.stations.repository import StationRepository

router = APIRouter(tags=["smart charging"])


@router.get("/stations/{station_id}/charging-limits", response_model=ListOf[ChargingLimitOut])
async def charging_limits(
    station_id: StationIdPath,
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    active: bool | None = None,
) -> ListOf[ChargingLimitOut]:
    """Newest first; `active=true` keeps the limits not cleared yet."""
    await StationRepository(uow.session, caller.organization_id).get(station_id)
    result = await ChargingLimitRepository(uow.session, caller.organization_id).search(
        station_id, active, paging
    )
    return listing(result, paging, ChargingLimitOut)
