"""`StationPresence`: which worker holds each station's socket, as the OCPP endpoint sees it.

When a station connects, this worker claims it on the bus; if another live worker held it, that
worker is told ("replaced") and closes its old socket, and its teardown then finds the station
claimed by someone else (`release` is False) and does not mark it disconnected. A worker told
that a station moved checks the bus first: if the station came back to it meanwhile, the notice
is stale and its current socket stays open.

A bus failure never stops a station from connecting: this worker then behaves as a single
process would (its own sockets only), and logs why.
"""

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from chargeyard.cluster.bus import Bus, BusError
from chargeyard.cluster.mailbox import Mailbox

logger = logging.getLogger(__name__)

TOPIC = "replaced"

CloseLocal = Callable[[str], Awaitable[None]]


class StationPresence:
    def __init__(self, bus: Bus, mailbox: Mailbox) -> None:
        self.bus = bus
        self.mailbox = mailbox
        self._close_local: CloseLocal | None = None
        mailbox.on_notice(TOPIC, self._replaced)

    @property
    def worker_id(self) -> str:
        return self.bus.worker_id

    def on_replaced(self, close_local: CloseLocal) -> None:
        """`close_local(station_id)` closes this worker's socket of a station that moved."""
        self._close_local = close_local

    async def claim(self, station_id: str) -> None:
        try:
            previous = await self.bus.claim(station_id)
            if previous is not None:
                await self.mailbox.notify(previous, TOPIC, {"station_id": station_id})
        except BusError as error:
            logger.warning(
                "station %s: could not claim it on the cluster bus: %s", station_id, error
            )

    async def release(self, station_id: str) -> bool:
        """True when this worker still held the station (so it is now disconnected)."""
        try:
            return await self.bus.release(station_id)
        except BusError as error:
            logger.warning(
                "station %s: could not release it on the cluster bus: %s", station_id, error
            )
            return True

    async def _replaced(self, body: Any) -> None:
        station_id = str(body["station_id"])
        if self._close_local is None or await self.bus.holder(station_id) == self.worker_id:
            return
        await self._close_local(station_id)
