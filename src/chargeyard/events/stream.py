"""Server-Sent Events of one organization's event log, from a cursor onwards.

The stream re-reads committed rows after its cursor whenever a commit wakes it (or, on a quiet
line, after `keepalive_s`, when it also sends a comment so proxies keep the connection open). Each
frame's `id:` is the event id, so a reconnecting client's `Last-Event-ID` resumes where it left off.
"""

import json
from collections.abc import AsyncIterator

from chargeyard.events.domain import EventFilter
from chargeyard.events.models import Event
from chargeyard.events.repository import EventRepository
from chargeyard.events.signal import CommitSignal, wait
from chargeyard.storage.database import Database

RETRY_MS = 2000


def frame(event: Event) -> str:
    return f"id: {event.id}\nevent: {event.type}\ndata: {json.dumps(event.envelope())}\n\n"


async def start_cursor(db: Database, organization_id: str, last_event_id: str | None) -> int:
    """Resume after `last_event_id`; without one (or an unknown one), start with what comes next."""
    async with db.reading() as uow:
        events = EventRepository(uow.session, organization_id)
        if last_event_id and (seq := await events.seq_of(last_event_id)) is not None:
            return seq
        return await events.last_seq()


async def sse_frames(
    db: Database,
    signal: CommitSignal,
    organization_id: str,
    where: EventFilter,
    cursor: int,
    keepalive_s: float,
) -> AsyncIterator[str]:
    yield f"retry: {RETRY_MS}\n\n"
    while True:
        ticket = signal.ticket()
        async with db.reading() as uow:
            rows = await EventRepository(uow.session, organization_id).after(cursor, where)
        for row in rows:
            yield frame(row)
            cursor = row.seq
        if not rows and not await wait(ticket, keepalive_s):
            yield ": keepalive\n\n"
