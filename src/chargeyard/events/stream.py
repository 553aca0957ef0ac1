"""Server-Sent Events of one organization's event log, from a cursor onwards.

The stream re-reads the rows after its position (see `repository.py`: in commit order, none
skipped, on PostgreSQL too) whenever the local sequencer numbered new events, and at least every
`poll_s`, which is how it learns of positions given on other nodes.
On a quiet line it sends a comment every `keepalive_s` so proxies keep the connection open. Each
frame's `id:` is the event id, so a reconnecting client's `Last-Event-ID` resumes where it left off.

A `Last-Event-ID` may name an event that has committed (the log lists it at once) but has no
position yet: the sequencer numbers it a moment later, up to `poll_s` later when it runs on another
node, later still while its lease changes hands. Such a stream waits for that position, as it
waits for new events, and then resumes after it: starting after the newest numbered event instead
would skip that event's successors.
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
    after_unsequenced: str | None = None
    """The id of the event to resume after, while it has no position yet (`position` unused)."""


async def start_cursor(db: Database, organization_id: str, last_event_id: str | None) -> Cursor:
    """Resume after `last_event_id`; without one (or an unknown one), start with what comes next."""
    async with db.reading() as uow:
        return await _cursor(EventRepository(uow.session, organization_id), last_event_id)


async def _cursor(events: EventRepository, last_event_id: str | None) -> Cursor:
    if last_event_id and (found := await events.find(last_event_id)) is not None:
        if found.position is None:
            return Cursor(0, after_unsequenced=last_event_id)
        return Cursor(found.position)
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
    position, skip, pending = cursor.position, cursor.already_committed, cursor.after_unsequenced
    while True:
        ticket = signal.ticket()
        async with db.reading() as uow:
            events = EventRepository(uow.session, organization_id)
            if pending is not None:
                resumed = await _cursor(events, pending)
                position, skip = resumed.position, resumed.already_committed
                pending = resumed.after_unsequenced
            rows = await events.after(position, where) if pending is None else []
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
