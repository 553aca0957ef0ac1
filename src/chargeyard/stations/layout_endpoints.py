"""/api/v1/stations/{id}/evses: plan, read, change and remove a station's EVSEs and connectors.

The layout is part of the station's configuration, so the station's ETag guards it: a read
answers with it, a change may name it in `If-Match` (412 if someone changed the station since)
and answers with the new one."""

from fastapi import APIRouter, Request, Response, status

from chargeyard.api.dependencies import (
    Operator,
    Reading,
    Server,
    Viewer,
    Writing,
    set_etag,
    to_change,
)
from chargeyard.api.limits import ConnectorId, EvseId
from chargeyard.api.query import StrictQuery
from chargeyard.api.schemas import ListOf
from chargeyard.stations.layout import ConnectorDraft, LayoutService, connector_of, evse_of
from chargeyard.stations.models import Station
from chargeyard.stations.repository import StationRepository
from chargeyard.stations.schemas import (
    ConnectorIn,
    ConnectorOut,
    ConnectorPatch,
    EvseIn,
    EvseOut,
    EvsePatch,
    StationOut,
)

router = APIRouter(prefix="/stations/{station_id}/evses", tags=["stations"])


def _evse_out(station: Station, evse_id: int) -> EvseOut:
    """The EVSE as the station shows it (with its OCPI status)."""
    shown = StationOut.model_validate(station)
    return next(e for e in shown.evses if e.evse_id == evse_id)


async def _read(
    station_id: str, caller_organization: str, uow: Reading, response: Response
) -> Station:
    station = await StationRepository(uow.session, caller_organization).get(station_id)
    set_etag(response, station.id, station.revision)
    return station


async def _reloaded(layout: LayoutService, station_id: str) -> Station:
    layout.uow.session.expire_all()
    return await layout.stations.get(station_id)


@router.get("", response_model=ListOf[EvseOut], dependencies=[StrictQuery])
async def list_evses(
    station_id: str, caller: Viewer, uow: Reading, response: Response
) -> ListOf[EvseOut]:
    station = await _read(station_id, caller.organization_id, uow, response)
    evses = StationOut.model_validate(station).evses
    return ListOf[EvseOut](items=evses, total=len(evses), offset=0, limit=max(len(evses), 1))


@router.post("", status_code=status.HTTP_201_CREATED, response_model=EvseOut)
async def plan_evse(
    station_id: str,
    body: EvseIn,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> EvseOut:
    layout = LayoutService(uow, caller.organization_id, ctx.clock)
    station = await to_change(layout.stations, station_id, request)
    drafts = [ConnectorDraft(**c.model_dump()) for c in body.connectors]
    await layout.add_evse(station, body.evse_id, drafts, body.physical_reference)
    await uow.commit()
    station = await _reloaded(layout, station_id)
    set_etag(response, station.id, station.revision)
    response.headers["Location"] = f"/api/v1/stations/{station_id}/evses/{body.evse_id}"
    return _evse_out(station, body.evse_id)


@router.get("/{evse_id}", response_model=EvseOut)
async def get_evse(
    station_id: str, evse_id: EvseId, caller: Viewer, uow: Reading, response: Response
) -> EvseOut:
    station = await _read(station_id, caller.organization_id, uow, response)
    evse_of(station, evse_id)
    return _evse_out(station, evse_id)


@router.patch("/{evse_id}", response_model=EvseOut)
async def update_evse(
    station_id: str,
    evse_id: EvseId,
    body: EvsePatch,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> EvseOut:
    layout = LayoutService(uow, caller.organization_id, ctx.clock)
    station = await to_change(layout.stations, station_id, request)
    await layout.update_evse(
        station, evse_of(station, evse_id), body.model_dump(exclude_unset=True)
    )
    await uow.commit()
    station = await _reloaded(layout, station_id)
    set_etag(response, station.id, station.revision)
    return _evse_out(station, evse_id)


@router.delete("/{evse_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_evse(
    station_id: str, evse_id: EvseId, caller: Operator, uow: Writing, ctx: Server, request: Request
) -> None:
    layout = LayoutService(uow, caller.organization_id, ctx.clock)
    station = await to_change(layout.stations, station_id, request)
    await layout.remove_evse(station, evse_of(station, evse_id))
    await uow.commit()


@router.get(
    "/{evse_id}/connectors", response_model=ListOf[ConnectorOut], dependencies=[StrictQuery]
)
async def list_connectors(
    station_id: str, evse_id: EvseId, caller: Viewer, uow: Reading, response: Response
) -> ListOf[ConnectorOut]:
    station = await _read(station_id, caller.organization_id, uow, response)
    connectors = _evse_out(station, evse_of(station, evse_id).evse_id).connectors
    return ListOf[ConnectorOut](
        items=connectors, total=len(connectors), offset=0, limit=max(len(connectors), 1)
    )


@router.post(
    "/{evse_id}/connectors", status_code=status.HTTP_201_CREATED, response_model=ConnectorOut
)
async def plan_connector(
    station_id: str,
    evse_id: EvseId,
    body: ConnectorIn,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> ConnectorOut:
    layout = LayoutService(uow, caller.organization_id, ctx.clock)
    station = await to_change(layout.stations, station_id, request)
    layout.add_connector(station, evse_of(station, evse_id), ConnectorDraft(**body.model_dump()))
    await uow.commit()
    station = await _reloaded(layout, station_id)
    set_etag(response, station.id, station.revision)
    response.headers["Location"] = (
        f"/api/v1/stations/{station_id}/evses/{evse_id}/connectors/{body.connector_id}"
    )
    return ConnectorOut.model_validate(connector_of(evse_of(station, evse_id), body.connector_id))


@router.get("/{evse_id}/connectors/{connector_id}", response_model=ConnectorOut)
async def get_connector(
    station_id: str,
    evse_id: EvseId,
    connector_id: ConnectorId,
    caller: Viewer,
    uow: Reading,
    response: Response,
) -> ConnectorOut:
    station = await _read(station_id, caller.organization_id, uow, response)
    return ConnectorOut.model_validate(connector_of(evse_of(station, evse_id), connector_id))


@router.patch("/{evse_id}/connectors/{connector_id}", response_model=ConnectorOut)
async def update_connector(
    station_id: str,
    evse_id: EvseId,
    connector_id: ConnectorId,
    body: ConnectorPatch,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> ConnectorOut:
    layout = LayoutService(uow, caller.organization_id, ctx.clock)
    station = await to_change(layout.stations, station_id, request)
    evse = evse_of(station, evse_id)
    layout.update_connector(
        station, evse, connector_of(evse, connector_id), body.model_dump(exclude_unset=True)
    )
    await uow.commit()
    station = await _reloaded(layout, station_id)
    set_etag(response, station.id, station.revision)
    return ConnectorOut.model_validate(connector_of(evse_of(station, evse_id), connector_id))


@router.delete("/{evse_id}/connectors/{connector_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_connector(
    station_id: str,
    evse_id: EvseId,
    connector_id: ConnectorId,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
) -> None:
    layout = LayoutService(uow, caller.organization_id, ctx.clock)
    station = await to_change(layout.stations, station_id, request)
    evse = evse_of(station, evse_id)
    await layout.remove_connector(station, evse, connector_of(evse, connector_id))
    await uow.commit()
