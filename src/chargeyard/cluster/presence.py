"""`StationPresence`: which worker holds each station's socket, as the OCPP endpoint sees it.

When a station connects, this worker claims it on the bus; if another live worker held it, that
worker is told ("replaced") and closes its old socket, and its teardown then finds the station
claimed by someone else (`release` is False) and does not mark it disconnected. A worker told
that a station moved checks the bus first: if the station came back to it meanwhile, the notice
is stale and its current socket stays open.

A station whose credentials change (a password set through the API) is *dropped*: the worker
holding its socket, this one or another, closes it, so the station must come back with the new
credentials.

A bus failure never stops a station from connecting: this worker then behaves as a single
process would (its own sockets only), and logs why.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from chargeyard.cluster.bus import Bus, BusError
from chargeyard.cluster.mailbox import Mailbox

logger = logging.getLogger(__name__)

TOPIC = "replaced"
DROP_TOPIC = "drop"

CloseLocal = Callable[[str], Awaitable[None]]
# This worker's socket of a station (any object standing for it), and how to close that one.
CurrentLocal = Callable[[str], object | None]
CloseSocket = Callable[[object], Awaitable[None]]


class StationPresence:
    def __init__(self, bus: Bus, mailbox: Mailbox) -> None:
        self.bus = bus
        self.mailbox = mailbox
        self._current_local: CurrentLocal | None = None
        self._close_socket: CloseSocket | None = None
        self._drop_local: CloseLocal | None = None
        # Each station's claims this worker has sent to the bus and not yet seen answered.
        self._claiming: dict[str, set[asyncio.Future[None]]] = {}
        mailbox.on_notice(TOPIC, self._replaced)
        mailbox.on_notice(DROP_TOPIC, self._dropped)

    @property
    def worker_id(self) -> str:
        return self.bus.worker_id

    def on_replaced(self, current: CurrentLocal, close: CloseSocket) -> None:
        """`current(station_id)` is this worker's socket of the station, if any; `close(socket)`
        closes that socket when its station moved to another worker."""
        self._current_local = current
        self._close_socket = close

    def on_dropped(self, drop_local: CloseLocal) -> None:
        """`drop_local(station_id)` closes this worker's socket of a station whose credentials
        changed."""
        self._drop_local = drop_local

    async def drop(self, station_id: str) -> None:
        """Close the station's live socket, wherever in the cluster it is held."""
        try:
            holder = await self.bus.holder(station_id)
            if holder not in (None, self.worker_id) and await self.mailbox.notify(
                str(holder), DROP_TOPIC, {"station_id": station_id}
            ):
                return
        except BusError as error:
            logger.warning(
                "station %s: could not reach its holder to drop it: %s", station_id, error
            )
        await self._dropped({"station_id": station_id})

    async def _dropped(self, body: Any) -> None:
        if self._drop_local is not None:
            await self._drop_local(str(body["station_id"]))

    async def claim(self, station_id: str) -> bool:
        """Claim the station for this worker; True when another worker held its socket (which
        is told to close it: a replaced connection).

        Call it in the same step as the socket becomes `current` (before any other await), so
        a notice that sees the socket also sees its claim under way."""
        pending: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._claiming.setdefault(station_id, set()).add(pending)
        try:
            return await self._claim(station_id)
        finally:
            pending.set_result(None)
            waiting = self._claiming[station_id]
            waiting.discard(pending)
            if not waiting:
                del self._claiming[station_id]

    async def _claim(self, station_id: str) -> bool:
        try:
            previous = await self.bus.claim(station_id)
            if previous is not None:
                await self.mailbox.notify(previous, TOPIC, {"station_id": station_id})
            return previous is not None and previous != self.worker_id
        except BusError as error:
            logger.warning(
                "station %s: could not claim it on the cluster bus: %s", station_id, error
            )
            return False

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
        if self._current_local is None or self._close_socket is None:
            return
        socket = self._current_local(station_id)
        if socket is None:
            return
        claims = list(self._claiming.get(station_id, ()))
        if claims:
            await asyncio.gather(*claims)
        if await self.bus.holder(station_id) == self.worker_id:
            return
        await self._close_socket(socket)
