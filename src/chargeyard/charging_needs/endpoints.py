"""/api/v1/stations/{id}/charging-needs and /ev-charging-schedules: what EVs asked for."""

from fastapi import APIRouter

from chargeyard.api.dependencies import Paging, Reading, Viewer
from chargeyard.api.limits import EvseIdQuery, StationIdPath
from chargeyard.api.schemas import ListOf, listing
from chargeyard.charging_needs.repository import ChargingNeedRepository
from chargeyard.charging_needs.schemas import ChargingNeedOut, EvChargingScheduleOut
from chargeyard.stations.repository import StationRepository

router = APIRouter(prefix="/stations/{station_id}", tags=["smart charging"])


@router.get("/charging-needs", response_model=ListOf[ChargingNeedOut])
async def charging_needs(
    station_id: StationIdPath,
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    evse_id: EvseIdQuery = None,
) -> ListOf[ChargingNeedOut]:
    """Newest first."""
    await StationRepository(uow.session, caller.organization_id).get(station_id)
    repository = ChargingNeedRepository(uow.session, caller.organization_id)
    return listing(await repository.needs(station_id, evse_id, paging), paging, ChargingNeedOut)


@router.get("/ev-charging-schedules", response_model=ListOf[EvChargingScheduleOut])
async def ev_charging_schedules(
    station_id: StationIdPath,
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    evse_id: EvseIdQuery = None,
) -> ListOf[EvChargingScheduleOut]:
    """Newest first."""
    await StationRepository(uow.session, caller.organization_id).get(station_id)
    repository = ChargingNeedRepository(uow.session, caller.organization_id)
    result = await repository.schedules(station_id, evse_id, paging)
    return listing(result, paging, EvChargingScheduleOut)
