"""OCPP 2.1 periodic event streams: a station opens a stream for a variable monitor, sends its
values in NotifyPeriodicEventStream (a SEND, never answered) and closes it."""

from typing import Any

from chargeyard.protocol.router import on
from ocpp.v21.enums import Action

from chargeyard.event_streams.service import EventStreamService
from chargeyard.protocol.v21 import translate
from chargeyard.protocol.v201.base import V2Session
from chargeyard.protocol.v201.security import status_info
from chargeyard.storage.unit_of_work import UnitOfWork


class StreamHandlers(V2Session):
    def _streams(self, uow: UnitOfWork) -> EventStreamService:
        return EventStreamService(uow, self.identity.organization_id, self.ctx.clock)

    @on(Action.open_periodic_event_stream)
    async def on_open_periodic_event_stream(
        self, constant_stream_data: dict[str, Any], **_: Any
    ) -> Any:
        opening = translate.stream_opening(constant_stream_data)
        async with self._unit() as uow:
            decision = await self._streams(uow).open(self.identity.station_id, opening)
            await uow.commit()
        return self.result_types.OpenPeriodicEventStream(
            status="Accepted" if decision.accepted else "Rejected",
            status_info=status_info(decision.reason_code, decision.reason),
        )

    @on(Action.close_periodic_event_stream)
    async def on_close_periodic_event_stream(self, id: int, **_: Any) -> Any:
        """Closing a stream that is not open changes nothing; the answer has no status."""
        async with self._unit() as uow:
            await self._streams(uow).close(self.identity.station_id, id)
            await uow.commit()
        return self.result_types.ClosePeriodicEventStream()

    async def receive_stream_values(self, payload: dict[str, Any]) -> None:
        """A schema-valid NotifyPeriodicEventStream payload (camelCase, from a SEND)."""
        batch = translate.stream_batch(payload)
        async with self._unit() as uow:
            await self._streams(uow).receive(self.identity.station_id, batch)
            await uow.commit()
