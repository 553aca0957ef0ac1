"""/api/v1/stations/{id}/event-streams: the periodic event streams a station opened (2.1), and
the values each carried."""

from fastapi import APIRouter

from chargeyard.api.dependencies import Paging, Reading, Viewer
from chargeyard.api.limits import Id, Moment, StationIdPath
from chargeyard.api.schemas import ListOf, listing
from chargeyard.event_streams.domain import StreamState
from chargeyard.event_streams.repository import EventStreamRepository
from chargeyard.event_streams.schemas import EventStreamOut, EventStreamValueOut
from chargeyard.stations.repository import StationRepository

router = APIRouter(prefix="/stations/{station_id}/event-streams", tags=["event streams"])


@router.get("", response_model=ListOf[EventStreamOut])
async def event_streams(
    station_id: StationIdPath,
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    state: StreamState | None = None,
) -> ListOf[EventStreamOut]:
    """Newest opening first; `state=open` keeps the streams still open."""
    await StationRepository(uow.session, caller.organization_id).get(station_id)
    streams = EventStreamRepository(uow.session, caller.organization_id)
    return listing(await streams.search(station_id, state, paging), paging, EventStreamOut)


@router.get("/{stream_id}/values", response_model=ListOf[EventStreamValueOut])
async def event_stream_values(
    station_id: StationIdPath,
    stream_id: Id,
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    since: Moment | None = None,
    until: Moment | None = None,
) -> ListOf[EventStreamValueOut]:
    """Oldest first. `stream_id` is the `id` of a listed stream (one opening), not the
    station's own stream number, which it may reuse."""
    streams = EventStreamRepository(uow.session, caller.organization_id)
    stream = await streams.of_station(station_id, stream_id)
    result = await streams.values(stream, since, until, paging)
    return listing(result, paging, EventStreamValueOut)
