"""/api/v1/stations/{id}/device-model: the components and variables a station reported."""

from fastapi import APIRouter

from chargeyard.api.dependencies import Paging, Reading, Viewer
from chargeyard.api.limits import EvseIdQuery, StationIdPath
from chargeyard.api.schemas import ListOf, listing
from chargeyard.device_model.repository import DeviceModelRepository, VariableFilter
from chargeyard.device_model.schemas import DeviceMonitorOut, DeviceVariableOut
from chargeyard.stations.repository import StationRepository

router = APIRouter(prefix="/stations/{station_id}/device-model", tags=["device model"])


@router.get("", response_model=ListOf[DeviceVariableOut])
async def device_model(
    station_id: StationIdPath,
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    component: str | None = None,
    component_instance: str | None = None,
    variable: str | None = None,
    evse_id: EvseIdQuery = None,
    attribute_type: str | None = None,
) -> ListOf[DeviceVariableOut]:
    """One item per variable attribute, with the variable's characteristics."""
    await StationRepository(uow.session, caller.organization_id).get(station_id)
    where = VariableFilter(component, component_instance, variable, evse_id, attribute_type)
    result = await DeviceModelRepository(uow.session, caller.organization_id).variables(
        station_id, where, paging
    )
    return listing(result, paging, DeviceVariableOut)


@router.get("/monitors", response_model=ListOf[DeviceMonitorOut])
async def device_monitors(
    station_id: StationIdPath, caller: Viewer, uow: Reading, paging: Paging
) -> ListOf[DeviceMonitorOut]:
    await StationRepository(uow.session, caller.organization_id).get(station_id)
    result = await DeviceModelRepository(uow.session, caller.organization_id).monitors(
        station_id, paging
    )
    return listing(result, paging, DeviceMonitorOut)
