"""/api/v1/stations: register, inspect, change and remove stations; their status history."""

import secrets
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

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
)
from chargeyard.api.limits import EvseIdQuery, StationIdPath
from chargeyard.api.schemas import ListOf, listing
from chargeyard.stations.repository import StationRepository
from chargeyard.stations.schemas import (
    PasswordChange,
    PasswordOut,
    StationCreate,
    StationOut,
    StationPatch,
    StationReplace,
    StatusChangeOut,
)
from chargeyard.stations.service import StationDraft, StationService

router = APIRouter(prefix="/stations", tags=["stations"])


@router.get("", response_model=ListOf[StationOut])
async def list_stations(
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    updated_since: UpdatedSince = None,
    location_id: str | None = None,
    connected: bool | None = None,
) -> ListOf[StationOut]:
    result = await StationRepository(uow.session, caller.organization_id).search(
        paging, location_id=location_id, connected=connected, updated_since=updated_since
    )
    return listing(result, paging, StationOut)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=StationOut)
async def register_station(
    body: StationCreate, caller: Operator, uow: Writing, ctx: Server, response: Response
) -> StationOut:
    service = StationService(uow, caller.organization_id, ctx.clock)
    await service.register(StationDraft(**body.model_dump()))
    await uow.commit()
    station = await service.get(body.id)
    set_etag(response, station.id, station.revision)
    response.headers["Location"] = f"/api/v1/stations/{station.id}"
    return StationOut.model_validate(station)


@router.get("/{station_id}", response_model=StationOut)
async def get_station(
    station_id: StationIdPath, caller: Viewer, uow: Reading, response: Response
) -> StationOut:
    station = await StationRepository(uow.session, caller.organization_id).get(station_id)
    set_etag(response, station.id, station.revision)
    return StationOut.model_validate(station)


@router.put("/{station_id}", response_model=StationOut)
async def replace_station(
    station_id: StationIdPath,
    body: StationReplace,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> StationOut:
    service = StationService(uow, caller.organization_id, ctx.clock)
    station = await service.get(station_id)
    await conditional_update(station, body, service.update, uow, request, response, replace=True)
    return StationOut.model_validate(station)


@router.patch("/{station_id}", response_model=StationOut)
async def update_station(
    station_id: StationIdPath,
    body: StationPatch,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> StationOut:
    service = StationService(uow, caller.organization_id, ctx.clock)
    station = await service.get(station_id)
    await conditional_update(station, body, service.update, uow, request, response, replace=False)
    return StationOut.model_validate(station)


@router.delete("/{station_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_station(
    station_id: StationIdPath, caller: Operator, uow: Writing, ctx: Server
) -> None:
    service = StationService(uow, caller.organization_id, ctx.clock)
    await service.delete(await service.get(station_id))
    await uow.commit()


@router.post("/{station_id}/password", response_model=PasswordOut)
async def rotate_password(
    station_id: StationIdPath, body: PasswordChange, caller: Operator, uow: Writing, ctx: Server
) -> PasswordOut:
    """Set the station's Basic-auth password; without one, a random one is made and shown once."""
    password = body.password or secrets.token_urlsafe(24)
    service = StationService(uow, caller.organization_id, ctx.clock)
    await service.set_password(await service.get(station_id), password)
    await uow.commit()
    return PasswordOut(password=password)


@router.get("/{station_id}/status-history", response_model=ListOf[StatusChangeOut])
async def status_history(
    station_id: StationIdPath,
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    evse_id: EvseIdQuery = None,
    since: Annotated[datetime | None, Query()] = None,
    until: Annotated[datetime | None, Query()] = None,
) -> ListOf[StatusChangeOut]:
    stations = StationRepository(uow.session, caller.organization_id)
    await stations.get(station_id)
    result = await stations.status_history(
        paging, station_id=station_id, evse_id=evse_id, since=since, until=until
    )
    return listing(result, paging, StatusChangeOut)
