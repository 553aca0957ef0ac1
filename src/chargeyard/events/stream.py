"""Server-Sent Events of one organization's event log, from a cursor onwards.

The stream re-reads the rows after its position (see `repository.py`: in commit order, none
skipped, on PostgreSQL too) whenever the local sequencer numbered new events, and at least every
`poll_s`, which is how it learns of positions given on other nodes.
On a quiet line it sends a comment every `keepalive_s` so proxies keep the connection open. Each
frame's `id:` is the event id, so a reconnecting client's `Last-Event-ID` resumes where it left off.
"""

import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from chargeyard.events.domain import EventFilter
from chargeyard.events.models import Event
from chargeyard.events.repository import EventRepository
from chargeyard.events.signal import CommitSignal, wait
from chargeyard.storage.database import Database

RETRY_MS = 2000


def frame(event: Event) -> str:
    return f"id: {event.id}\nevent: {event.type}\ndata: {json.dumps(event.envelope())}\n\n"


@dataclass(frozen=True)
class Cursor:
    position: int
    already_committed: frozenset[int] = field(default=frozenset())
    """`seq` of events committed before the stream started but sequenced after: not "new"."""


async def start_cursor(db: Database, organization_id: str, last_event_id: str | None) -> Cursor:
    """Resume after `last_event_id`; without one (or an unknown one), start with what comes next."""
    async with db.reading() as uow:
        events = EventRepository(uow.session, organization_id)
        if last_event_id and (found := await events.position_of(last_event_id)) is not None:
            return Cursor(found)
        unsequenced = await events.committed_unsequenced()
        return Cursor(await events.last_position(), unsequenced)


async def sse_frames(
    db: Database,
    signal: CommitSignal,
    organization_id: str,
    where: EventFilter,
    cursor: Cursor,
    keepalive_s: float,
    poll_s: float,
) -> AsyncIterator[str]:
    yield f"retry: {RETRY_MS}\n\n"
    spoke = time.monotonic()
    position, skip = cursor.position, cursor.already_committed
    while True:
        ticket = signal.ticket()
        async with db.reading() as uow:
            rows = await EventRepository(uow.session, organization_id).after(position, where)
        for row in rows:
            position = row.position or position
            if row.seq not in skip:
                yield frame(row)
        if rows:
            spoke = time.monotonic()
            continue
        if time.monotonic() - spoke >= keepalive_s:
            yield ": keepalive\n\n"
            spoke = time.monotonic()
        await wait(ticket, min(poll_s, keepalive_s))
