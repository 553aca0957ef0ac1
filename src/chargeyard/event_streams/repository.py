"""All SQL about periodic event streams."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, func, select

from chargeyard.errors import NotFound
from chargeyard.event_streams.domain import StreamState
from chargeyard.event_streams.models import EventStreamRow, EventStreamValueRow
from chargeyard.storage.repository import (
    Page,
    PageResult,
    ScopedRepository,
    owned_by,
    paginate,
    within,
)


class EventStreamRepository(ScopedRepository[EventStreamRow]):
    """A station's event streams (the scoped base's rows) and their values (read through
    `owned_by`)."""

    model = EventStreamRow
    noun = "event stream"

    def _streams(self, station_id: str) -> Select[EventStreamRow]:
        return self.query().where(EventStreamRow.station_id == station_id)

    def add_values(self, rows: Sequence[EventStreamValueRow]) -> None:
        self.session.add_all(rows)

    async def open_stream(self, station_id: str, stream_id: int) -> EventStreamRow | None:
        statement = self._streams(station_id).where(
            EventStreamRow.stream_id == stream_id, EventStreamRow.state == StreamState.OPEN
        )
        return (await self.session.execute(statement)).scalars().first()

    async def count_open(self, station_id: str) -> int:
        statement = select(func.count()).where(
            owned_by(EventStreamRow, self.organization_id),
            EventStreamRow.station_id == station_id,
            EventStreamRow.state == StreamState.OPEN,
        )
        return int(await self.session.scalar(statement) or 0)

    async def of_station(self, station_id: str, row_id: int) -> EventStreamRow:
        statement = self._streams(station_id).where(EventStreamRow.id == row_id)
        found = (await self.session.execute(statement)).scalars().first()
        if found is None:
            raise NotFound(f"event stream {row_id} of station {station_id!r} does not exist")
        return found

    async def search(
        self, station_id: str, state: StreamState | None, page: Page
    ) -> PageResult[EventStreamRow]:
        statement = self._streams(station_id)
        if state is not None:
            statement = statement.where(EventStreamRow.state == state)
        order = [EventStreamRow.opened_at.desc(), EventStreamRow.id.desc()]
        return await paginate(self.session, statement, page, order_by=order)

    async def values(
        self, stream: EventStreamRow, since: datetime | None, until: datetime | None, page: Page
    ) -> PageResult[EventStreamValueRow]:
        statement = select(EventStreamValueRow).where(
            owned_by(EventStreamValueRow, self.organization_id),
            EventStreamValueRow.stream_row_id == stream.id,
        )
        statement = within(statement, EventStreamValueRow.at, since, until)
        order = [EventStreamValueRow.at, EventStreamValueRow.id]
        return await paginate(self.session, statement, page, order_by=order)
