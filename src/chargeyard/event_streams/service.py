"""Opening, feeding and closing periodic event streams, each step with an `event_stream.*`
event. Never commits."""

from datetime import datetime

from chargeyard.clock import Clock
from chargeyard.event_streams.domain import (
    OpenDecision,
    StreamBatch,
    StreamOpening,
    StreamState,
    may_open,
)
from chargeyard.event_streams.models import EventStreamRow, EventStreamValueRow
from chargeyard.event_streams.repository import EventStreamRepository
from chargeyard.events.payloads import (
    EVENT_STREAM_CLOSED,
    EVENT_STREAM_OPENED,
    EVENT_STREAM_VALUES_RECEIVED,
    EventKind,
    EventStreamClosed,
    EventStreamEvent,
    EventStreamOpened,
    EventStreamValuesReceived,
    P,
    StreamValue,
)
from chargeyard.events.recorder import record_event
from chargeyard.storage.unit_of_work import UnitOfWork


class EventStreamService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.streams = EventStreamRepository(uow.session, organization_id)

    async def open(self, station_id: str, opening: StreamOpening) -> OpenDecision:
        now = self.clock()
        current = await self.streams.open_stream(station_id, opening.stream_id)
        decision = may_open(await self.streams.count_open(station_id), current is not None)
        if not decision.accepted:
            return decision
        if current is not None:
            self._close(current, now)
        row = await self._new_stream(station_id, opening, now)
        opened = EventStreamOpened({**_stream(row), "replaced_open": current is not None})
        self._event(row, EVENT_STREAM_OPENED, now, opened)
        return decision

    async def close(self, station_id: str, stream_id: int) -> EventStreamRow | None:
        """The open stream with that id, now closed; None when none was open."""
        current = await self.streams.open_stream(station_id, stream_id)
        if current is None:
            return None
        now = self.clock()
        self._close(current, now)
        closed = EventStreamClosed({**_stream(current), "value_count": current.value_count})
        self._event(current, EVENT_STREAM_CLOSED, now, closed)
        return current

    async def receive(self, station_id: str, batch: StreamBatch) -> EventStreamRow:
        """Store a batch of values. Values of a stream that was never opened (or whose opening
        was lost) are kept too, under a stream opened by them: they are never dropped."""
        now = self.clock()
        stream = await self.streams.open_stream(station_id, batch.stream_id)
        if stream is None:
            stream = await self._new_stream(station_id, StreamOpening(batch.stream_id, None), now)
        self.streams.add_values(
            [
                EventStreamValueRow(
                    organization_id=self.organization_id,
                    stream_row_id=stream.id,
                    at=value.at,
                    value=value.value,
                    received_at=now,
                )
                for value in batch.values
            ]
        )
        stream.value_count += len(batch.values)
        stream.pending = batch.pending
        latest = max(value.at for value in batch.values)
        if stream.last_value_at is None or latest > stream.last_value_at:
            stream.last_value_at = latest
        values = [StreamValue(at=v.at.isoformat(), value=v.value) for v in batch.values]
        received = EventStreamValuesReceived(
            {**_stream(stream), "pending": batch.pending, "values": values}
        )
        self._event(stream, EVENT_STREAM_VALUES_RECEIVED, batch.basetime, received)
        return stream

    async def _new_stream(
        self, station_id: str, opening: StreamOpening, now: datetime
    ) -> EventStreamRow:
        row = EventStreamRow(
            organization_id=self.organization_id,
            station_id=station_id,
            stream_id=opening.stream_id,
            variable_monitoring_id=opening.variable_monitoring_id,
            interval_s=opening.interval_s,
            values=opening.values,
            state=StreamState.OPEN.value,
            opened_at=now,
            value_count=0,
        )
        self.streams.add(row)
        await self.uow.session.flush()
        return row

    @staticmethod
    def _close(row: EventStreamRow, now: datetime) -> None:
        row.state = StreamState.CLOSED.value
        row.closed_at = now

    def _event(self, row: EventStreamRow, kind: EventKind[P], at: datetime, data: P) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=at,
            station_id=row.station_id,
            data=data,
        )


def _stream(row: EventStreamRow) -> EventStreamEvent:
    """What every `event_stream.*` event says of its stream."""
    return {
        "id": row.id,
        "station_id": row.station_id,
        "stream_id": row.stream_id,
        "variable_monitoring_id": row.variable_monitoring_id,
        "interval_s": row.interval_s,
        "values_per_batch": row.values,
    }
