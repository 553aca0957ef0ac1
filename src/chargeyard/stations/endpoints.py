"""/api/v1/stations: register, inspect, change and remove stations; their status history."""

import secrets
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status

from chargeyard.api.dependencies import (
    Operator,
    Paging,
    Reading,
    Server,
    UpdatedSince,
    Viewer,
    Writing,
    name_probe_brake,
    set_etag,
    to_change,
)
from chargeyard.api.limits import EvseIdQuery, Moment, StationIdPath
from chargeyard.api.query import StrictQuery
from chargeyard.api.schemas import ListOf, listing
from chargeyard.error_codes.schemas import TranslationOut
from chargeyard.error_codes.service import station_translations
from chargeyard.errors import BadRequest
from chargeyard.organizations.domain import Principal
from chargeyard.server_context import ServerContext
from chargeyard.site_scopes.service import check_placement
from chargeyard.stations.domain import ConnectorStatus, DeployState
from chargeyard.stations.repository import SORTABLE, StationQuery, StationRepository
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
from chargeyard.storage.unit_of_work import UnitOfWork

router = APIRouter(prefix="/stations", tags=["stations"])


def _sort(sort: str | None) -> tuple[tuple[str, bool], ...]:
    """`name,-last_seen_at`: fields in order, `-` for descending."""
    if sort is None:
        return ()
    keys = tuple(
        (key.strip().removeprefix("-"), key.strip().startswith("-")) for key in sort.split(",")
    )
    unknown = [name for name, _ in keys if name not in SORTABLE]
    if unknown:
        raise BadRequest(f"sort: cannot sort by {', '.join(unknown)}; use {', '.join(SORTABLE)}")
    return keys


def drop_station(request: Request) -> Callable[[str], Awaitable[None]]:
    """Closes a station's live connection wherever the cluster holds it (`api/app.py` wires
    it to the cluster presence)."""
    drop: Callable[[str], Awaitable[None]] = request.app.state.drop_station
    return drop


DropStation = Annotated[Callable[[str], Awaitable[None]], Depends(drop_station)]


@router.get("", response_model=ListOf[StationOut], dependencies=[StrictQuery])
async def list_stations(
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    updated_since: UpdatedSince = None,
    status_changed_since: Annotated[
        Moment | None, Query(description="Only stations whose live status changed after this.")
    ] = None,
    location_id: Annotated[
        str | None, Query(description="Stations at this location or any location below it.")
    ] = None,
    include_descendants: bool = True,
    connected: bool | None = None,
    status: ConnectorStatus | None = None,
    vendor: str | None = None,
    model: str | None = None,
    firmware_version: str | None = None,
    deploy_state: DeployState | None = None,
    circuit_id: str | None = None,
    search: Annotated[
        str | None, Query(min_length=1, description="Part of the id, name or a serial number.")
    ] = None,
    sort: Annotated[
        str | None, Query(description="Comma-separated fields; `-` before one for descending.")
    ] = None,
) -> ListOf[StationOut]:
    query = StationQuery(
        connected=connected,
        status=None if status is None else status.value,
        vendor=vendor,
        model=model,
        firmware_version=firmware_version,
        deploy_state=None if deploy_state is None else deploy_state.value,
        location_id=location_id,
        include_descendants=include_descendants,
        circuit_id=circuit_id,
        search=search,
        updated_since=updated_since,
        status_changed_since=status_changed_since,
        sort=_sort(sort),
    )
    result = await StationRepository(uow.session, caller.organization_id).search(paging, query)
    return listing(result, paging, StationOut)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=StationOut)
async def register_station(
    body: StationCreate, caller: Operator, uow: Writing, ctx: Server, response: Response
) -> StationOut:
    check_placement(caller.organization_id, body.location_id)
    service = StationService(uow, caller.organization_id, ctx.clock)
    async with name_probe_brake(ctx, caller.organization_id):
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
    drop: DropStation,
) -> StationOut:
    """A new security profile closes the station's live connection."""
    return await _update(station_id, body, caller, uow, ctx, request, response, drop, True)


@router.patch("/{station_id}", response_model=StationOut)
async def update_station(
    station_id: StationIdPath,
    body: StationPatch,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
    drop: DropStation,
) -> StationOut:
    """A new password or security profile closes the station's live connection."""
    return await _update(station_id, body, caller, uow, ctx, request, response, drop, False)


async def _update(
    station_id: str,
    body: StationReplace | StationPatch,
    caller: Principal,
    uow: UnitOfWork,
    ctx: ServerContext,
    request: Request,
    response: Response,
    drop: Callable[[str], Awaitable[None]],
    replace: bool,
) -> StationOut:
    service = StationService(uow, caller.organization_id, ctx.clock, caller.actor)
    station = await to_change(service.stations, station_id, request, required=replace)
    if "location_id" in body.model_fields_set or replace:
        check_placement(caller.organization_id, body.location_id)
    profile = station.security_profile
    await service.update(station, body.model_dump(exclude_unset=not replace))
    await uow.commit()
    set_etag(response, station.id, station.revision)
    new_password = isinstance(body, StationPatch) and body.password is not None
    if new_password or station.security_profile != profile:
        await drop(station_id)
    return StationOut.model_validate(station)


@router.delete("/{station_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_station(
    station_id: StationIdPath, caller: Operator, uow: Writing, ctx: Server, request: Request
) -> None:
    service = StationService(uow, caller.organization_id, ctx.clock)
    await service.delete(await to_change(service.stations, station_id, request))
    await uow.commit()


@router.post("/{station_id}/password", response_model=PasswordOut)
async def rotate_password(
    station_id: StationIdPath,
    body: PasswordChange,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    drop: DropStation,
) -> PasswordOut:
    """Set the station's Basic-auth password; without one, a random one is made and shown once.
    The live connection, if any, is closed: the station must come back with the new password."""
    password = body.password or secrets.token_urlsafe(24)
    service = StationService(uow, caller.organization_id, ctx.clock)
    await service.set_password(await service.stations.locked(station_id), password)
    await uow.commit()
    await drop(station_id)
    return PasswordOut(password=password)


@router.get("/{station_id}/status-history", response_model=ListOf[StatusChangeOut])
async def status_history(
    station_id: StationIdPath,
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    evse_id: EvseIdQuery = None,
    since: Annotated[Moment | None, Query()] = None,
    until: Annotated[Moment | None, Query()] = None,
) -> ListOf[StatusChangeOut]:
    """Newest first; each vendor error code translated as the status-history report and the
    vendor-error alert translate it."""
    stations = StationRepository(uow.session, caller.organization_id)
    await stations.get(station_id)
    result = await stations.status_history(
        paging, station_id=station_id, evse_id=evse_id, since=since, until=until
    )
    return await _translated(uow, caller.organization_id, listing(result, paging, StatusChangeOut))


async def _translated(
    uow: UnitOfWork, organization_id: str, answer: ListOf[StatusChangeOut]
) -> ListOf[StatusChangeOut]:
    """The page with each row's `vendor_error` filled in (two reads for the page)."""
    found = await station_translations(
        uow.session,
        organization_id,
        ((change.station_id, change.vendor_error_code) for change in answer.items),
    )
    for change in answer.items:
        match = found.get((change.station_id, change.vendor_error_code or ""))
        change.vendor_error = None if match is None else TranslationOut.of(match)
    return answer
