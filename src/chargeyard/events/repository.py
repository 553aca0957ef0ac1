"""All SQL about the event log: filtered pages, and the rows after a stream's cursor."""

from collections.abc import Sequence
from typing import Literal

from sqlalchemy import ColumnElement, func, or_, select

from chargeyard.events.domain import EventFilter, like_pattern
from chargeyard.events.models import Event
from chargeyard.storage.repository import Page, PageResult, ScopedRepository

Order = Literal["asc", "desc"]


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

    async def after(self, seq: int, where: EventFilter, limit: int = 500) -> Sequence[Event]:
        """The organization's events after `seq`, oldest first (what a stream sends next)."""
        statement = (
            select(Event)
            .where(Event.organization_id == self.organization_id, Event.seq > seq)
            .where(*self.conditions(where))
            .order_by(Event.seq)
            .limit(limit)
        )
        return (await self.session.execute(statement)).scalars().all()

    async def seq_of(self, event_id: str) -> int | None:
        found = await self.find(event_id)
        return None if found is None else found.seq

    async def last_seq(self) -> int:
        statement = select(func.max(Event.seq)).where(Event.organization_id == self.organization_id)
        return int(await self.session.scalar(statement) or 0)
