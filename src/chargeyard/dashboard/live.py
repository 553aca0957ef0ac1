"""What pages fetch to stay live: the organization's event stream (the same Server-Sent Events
as `/api/v1/events/stream`, authenticated by the session cookie, which EventSource sends and an
Authorization header it cannot) and a session's meter series for its plot."""

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse

from chargeyard.api.dependencies import Server
from chargeyard.dashboard.auth import PageCaller
from chargeyard.dashboard.domain import ENERGY, POWER, Reading, series
from chargeyard.dashboard.rendering import DashboardRoute
from chargeyard.events.domain import EventFilter
from chargeyard.events.signal import CommitSignal
from chargeyard.events.stream import sse_frames, start_cursor
from chargeyard.storage.repository import Page
from chargeyard.transactions.repository import TransactionRepository

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

# What pages listen to: stations coming and going, statuses, sessions and their meter values,
# commands' answers, the limits smart charging put in force, alerts, and reports built.
LIVE_TYPES = (
    "station.*",
    "connector.*",
    "session.*",
    "meter_values.*",
    "command.*",
    "charging_profile.*",
    "alert.*",
    "report.*",
)
MAX_READINGS = 20_000


@router.get("/live/events")
async def events(
    request: Request,
    caller: PageCaller,
    ctx: Server,
    station_id: Annotated[str | None, Query(max_length=64)] = None,
    transaction_id: int | None = None,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    organization_id = caller.principal.organization_id
    where = EventFilter(types=LIVE_TYPES, station_id=station_id, transaction_id=transaction_id)
    signal: CommitSignal = request.app.state.event_signal
    cursor = await start_cursor(ctx.db, organization_id, last_event_id)
    frames = sse_frames(
        ctx.db,
        signal,
        organization_id,
        where,
        cursor,
        ctx.settings.events_stream_keepalive_s,
        ctx.settings.events_poll_s,
    )
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(frames, media_type="text/event-stream", headers=headers)


@router.get("/sessions/{transaction_id}/series")
async def meter_series(transaction_id: int, caller: PageCaller, ctx: Server) -> dict[str, Any]:
    """Power and energy over the session, for uPlot."""
    async with ctx.db.reading() as uow:
        transactions = TransactionRepository(uow.session, caller.principal.organization_id)
        tx = await transactions.get(transaction_id)
        readings: list[Reading] = []
        for measurand in (POWER, ENERGY):
            found = await transactions.meter_values(
                Page(0, MAX_READINGS), transaction_id=transaction_id, measurand=measurand
            )
            readings += [
                Reading(m.timestamp, m.measurand, m.numeric_value, m.unit)
                for m in found.items
                if m.numeric_value is not None and m.phase is None
            ]
    readings.sort(key=lambda r: r.timestamp)
    return series(readings, tx.meter_start_wh) | {"active": tx.stopped_at is None}
