"""All SQL about the event log: filtered pages, and the settled rows after a reader's position.

A reader that follows the log (the live stream, the webhook fan-out, the smart-charging tail)
reads only *settled* events, in *position* order `(xid, seq)` (see `models.py`): on PostgreSQL an
event is settled once every transaction older than its own has ended, so a position already read
is never overtaken by an event committed later. On SQLite every committed event is settled.
"""

from collections.abc import Sequence
from typing import Literal

from sqlalchemy import ColumnElement, Select, literal_column, or_, select, true, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.events.domain import EventFilter, like_pattern
from chargeyard.events.models import Event
from chargeyard.storage.repository import Page, PageResult, ScopedRepository

Order = Literal["asc", "desc"]
Position = tuple[int, int]
"""(xid, seq): where a reader of the log stands."""
START: Position = (0, 0)
OLDEST_RUNNING_XID = literal_column("(pg_snapshot_xmin(pg_current_snapshot())::text::bigint)")


def settled(session: AsyncSession) -> ColumnElement[bool]:
    """Events no transaction still running can precede (all committed ones, on SQLite)."""
    if session.get_bind().dialect.name == "postgresql":
        return Event.xid < OLDEST_RUNNING_XID
    return true()


def position_of(event: Event) -> Position:
    return (event.xid, event.seq)


def settled_after(session: AsyncSession, position: Position) -> Select[tuple[Event]]:
    """Settled events past `position`, in position order (add filters and a limit)."""
    return (
        select(Event)
        .where(settled(session), tuple_(Event.xid, Event.seq) > tuple_(*position))
        .order_by(Event.xid, Event.seq)
    )


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

    async def after(
        self, position: Position, where: EventFilter, limit: int = 500
    ) -> Sequence[Event]:
        """The organization's settled events after `position`, in commit order (what a stream
        sends next)."""
        statement = (
            settled_after(self.session, position)
            .where(Event.organization_id == self.organization_id, *self.conditions(where))
            .limit(limit)
        )
        return (await self.session.execute(statement)).scalars().all()

    async def position_of(self, event_id: str) -> Position | None:
        found = await self.find(event_id)
        return None if found is None else position_of(found)

    async def last_position(self) -> Position:
        """Where a new reader starts: after the last settled event (an unsettled one, committed
        or not, still comes)."""
        statement = (
            select(Event.xid, Event.seq)
            .where(Event.organization_id == self.organization_id, settled(self.session))
            .order_by(Event.xid.desc(), Event.seq.desc())
            .limit(1)
        )
        row = (await self.session.execute(statement)).first()
        return START if row is None else (row.xid, row.seq)


async def last_settled_position(session: AsyncSession) -> Position:
    """The position after every settled event of every organization (a cluster-wide tail's start)."""
    statement = (
        select(Event.xid, Event.seq)
        .where(settled(session))
        .order_by(Event.xid.desc(), Event.seq.desc())
        .limit(1)
    )
    row = (await session.execute(statement)).first()
    return START if row is None else (row.xid, row.seq)
