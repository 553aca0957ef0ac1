"""/api/v1/stations/{id}/wiring: how a station's EVSEs are fed."""

from typing import Annotated

from fastapi import APIRouter, Query

from chargeyard.api.dependencies import OrganizationOperator, Server, Writing
from chargeyard.api.limits import INT_MAX, StationIdPath
from chargeyard.evse_wiring.schemas import WiringIn, WiringOut
from chargeyard.evse_wiring.service import WiringService

router = APIRouter(tags=["smart charging"])


@router.put("/stations/{station_id}/wiring", response_model=WiringOut)
async def set_wiring(
    station_id: StationIdPath,
    body: WiringIn,
    caller: OrganizationOperator,
    uow: Writing,
    ctx: Server,
    evse_id: Annotated[
        int, Query(ge=0, le=INT_MAX, description="0: every EVSE of the station")
    ] = 0,
) -> WiringOut:
    service = WiringService(uow, caller.organization_id, ctx.clock)
    row = await service.set(station_id, evse_id, body.model_dump())
    await uow.commit()
    return WiringOut.model_validate(row)
