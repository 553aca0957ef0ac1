"""/api/v1/events: the organization's event log, one event, and the live stream (SSE)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import StreamingResponse

from chargeyard.api.dependencies import Paging, Reading, Server, Viewer
from chargeyard.api.limits import LIST_MAX_ITEMS, IdQuery, Moment, StationIdQuery
from chargeyard.api.schemas import ListOf, listing
from chargeyard.events.domain import EventFilter, check_pattern
from chargeyard.events.repository import EventRepository, Order
from chargeyard.events.schemas import EventOut
from chargeyard.events.signal import CommitSignal
from chargeyard.events.stream import sse_frames, start_cursor

router = APIRouter(prefix="/events", tags=["events"])

TypeQuery = Annotated[
    list[str] | None,
    Query(
        alias="type",
        max_length=LIST_MAX_ITEMS,
        description="Event type or pattern (`session.*`, `*`); repeat or comma-separate for several.",
    ),
]


def event_filter(
    type: TypeQuery = None,
    station_id: StationIdQuery = None,
    transaction_id: IdQuery = None,
    since: Annotated[Moment | None, Query(description="occurred_at at or after")] = None,
    until: Annotated[Moment | None, Query(description="occurred_at before")] = None,
) -> EventFilter:
    patterns = [p.strip() for value in type or [] for p in value.split(",") if p.strip()]
    return EventFilter(
        types=tuple(check_pattern(p) for p in patterns),
        station_id=station_id,
        transaction_id=transaction_id,
        since=since,
        until=until,
    )


Filter = Annotated[EventFilter, Depends(event_filter)]


def commit_signal(request: Request) -> CommitSignal:
    signal: CommitSignal = request.app.state.event_signal
    return signal


@router.get("", response_model=ListOf[EventOut])
async def list_events(
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    where: Filter,
    order: Order = "desc",
) -> ListOf[EventOut]:
    result = await EventRepository(uow.session, caller.organization_id).search(where, paging, order)
    return listing(result, paging, EventOut)


@router.get("/stream", response_class=StreamingResponse)
async def stream_events(
    caller: Viewer,
    ctx: Server,
    request: Request,
    where: Filter,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    """Server-Sent Events, one per event; send `Last-Event-ID` to resume after that event."""
    cursor = await start_cursor(ctx.db, caller.organization_id, last_event_id)
    frames = sse_frames(
        ctx.db,
        commit_signal(request),
        caller.organization_id,
        where,
        cursor,
        ctx.settings.events_stream_keepalive_s,
        ctx.settings.events_poll_s,
    )
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(frames, media_type="text/event-stream", headers=headers)


@router.get("/{event_id}", response_model=EventOut)
async def get_event(event_id: str, caller: Viewer, uow: Reading) -> EventOut:
    event = await EventRepository(uow.session, caller.organization_id).get(event_id)
    return EventOut.model_validate(event)
