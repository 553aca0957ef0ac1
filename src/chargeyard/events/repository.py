"""All SQL about the event log: filtered pages, sequencing, and the rows after a reader's position.

A reader that follows the log (the live stream, the webhook fan-out, the smart-charging tail)
reads events in `position` order, which the sequencer (`sequencer.py`) assigns in commit order
(see `models.py`); an event without a position yet is not shown to readers.
"""

from collections.abc import Sequence
from typing import Literal

from sqlalchemy import ColumnElement, Select, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.events.domain import EventFilter, like_pattern
from chargeyard.events.models import Event
from chargeyard.storage.repository import Page, PageResult, ScopedRepository, owned_by

Order = Literal["asc", "desc"]
UNSEQUENCED = Event.position.is_(None)


def sequenced_after(position: int) -> Select[Event]:
    """Events past `position`, in position order (add filters and a limit)."""
    return select(Event).where(Event.position > position).order_by(Event.position)


async def last_position(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.max(Event.position))) or 0)


async def has_unsequenced(session: AsyncSession) -> bool:
    return bool(await session.scalar(select(exists().where(UNSEQUENCED))))


async def sequence(session: AsyncSession, limit: int) -> int:
    """Give the committed events that have none the next positions, in `seq` order; answers how
    many. Callers serialise this (one sequencer in the cluster, see `sequencer.py`)."""
    found = await session.scalars(
        select(Event.seq).where(UNSEQUENCED).order_by(Event.seq).limit(limit)
    )
    seqs = list(found)
    if seqs:
        start = await last_position(session)
        values = [{"seq": seq, "position": start + n} for n, seq in enumerate(seqs, 1)]
        await session.execute(update(Event), values)
    return len(seqs)


class EventRepository(ScopedRepository[Event]):
    model = Event
    noun = "Event"

    def conditions(self, where: EventFilter) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if where.types:
            found.append(or_(*(Event.type.like(like_pattern(p), escape="\\") for p in where.types)))
        if where.station_id is not None:
            found.append(Event.station_id == where.station_id)
        if where.transaction_id is not None:
            found.append(Event.transaction_id == where.transaction_id)
        if where.since is not None:
            found.append(Event.occurred_at >= where.since)
        if where.until is not None:
            found.append(Event.occurred_at < where.until)
        return found

    async def search(self, where: EventFilter, page: Page, order: Order) -> PageResult[Event]:
        key = Event.seq.asc() if order == "asc" else Event.seq.desc()
        return await self.page(self.query().where(*self.conditions(where)), page, order_by=[key])

    async def after(self, position: int, where: EventFilter, limit: int = 500) -> Sequence[Event]:
        """The organization's events after `position`, in commit order (what a stream sends
        next)."""
        statement = (
            sequenced_after(position)
            .where(owned_by(Event, self.organization_id), *self.conditions(where))
            .limit(limit)
        )
        return (await self.session.execute(statement)).scalars().all()

    async def position_of(self, event_id: str) -> int | None:
        found = await self.find(event_id)
        return None if found is None else found.position

    async def committed_unsequenced(self) -> frozenset[int]:
        """`seq` of the organization's events committed but not yet given a position."""
        statement = select(Event.seq).where(
            Event.organization_id == self.organization_id, Event.position.is_(None)
        )
        return frozenset(await self.session.scalars(statement))

    async def last_position(self) -> int:
        """Where a new reader starts: after the organization's last sequenced event (one not yet
        sequenced, committed or not, will come after it)."""
        statement = select(func.max(Event.position)).where(
            Event.organization_id == self.organization_id
        )
        return int(await self.session.scalar(statement) or 0)
