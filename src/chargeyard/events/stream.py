"""Server-Sent Events of one organization's event log, from a cursor onwards.

The stream re-reads settled rows after its position (see `repository.py`: in commit order, none
skipped, on PostgreSQL too) whenever a local commit wakes it, and at least every `poll_s`, which
is how it learns of events committed by other nodes (or settled when an older transaction ended).
On a quiet line it sends a comment every `keepalive_s` so proxies keep the connection open. Each
frame's `id:` is the event id, so a reconnecting client's `Last-Event-ID` resumes where it left off.
"""

import json
import time
from collections.abc import AsyncIterator

from chargeyard.events.domain import EventFilter
from chargeyard.events.models import Event
from chargeyard.events.repository import EventRepository, Position, position_of
from chargeyard.events.signal import CommitSignal, wait
from chargeyard.storage.database import Database

RETRY_MS = 2000


def frame(event: Event) -> str:
    return f"id: {event.id}\nevent: {event.type}\ndata: {json.dumps(event.envelope())}\n\n"


async def start_cursor(
    db: Database, organization_id: str, last_event_id: str | None
) -> Position:
    """Resume after `last_event_id`; without one (or an unknown one), start with what comes next."""
    async with db.reading() as uow:
        events = EventRepository(uow.session, organization_id)
        if last_event_id and (found := await events.position_of(last_event_id)) is not None:
            return found
        return await events.last_position()


async def sse_frames(
    db: Database,
    signal: CommitSignal,
    organization_id: str,
    where: EventFilter,
    cursor: Position,
    keepalive_s: float,
    poll_s: float,
) -> AsyncIterator[str]:
    yield f"retry: {RETRY_MS}\n\n"
    spoke = time.monotonic()
    while True:
        ticket = signal.ticket()
        async with db.reading() as uow:
            rows = await EventRepository(uow.session, organization_id).after(cursor, where)
        for row in rows:
            yield frame(row)
            cursor = position_of(row)
        if rows:
            spoke = time.monotonic()
            continue
        if time.monotonic() - spoke >= keepalive_s:
            yield ": keepalive\n\n"
            spoke = time.monotonic()
        await wait(ticket, min(poll_s, keepalive_s))
