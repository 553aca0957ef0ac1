"""Keeping a simulated station connected, whatever OCPP version it speaks.

`StationLink` owns the station's connection to the CSMS: it opens it, runs follow-up
work beside the read loop, fails CALLs fast when the socket drops, and serialises
(re)connecting so a reset's reboot and a fleet's reconnect never race. A protocol
version subclasses it and says how its session object is built and how it comes online
(1.6: BootNotification until Accepted, then StatusNotifications).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from types import TracebackType
from typing import Any, Self

from chargeyard.simulator.call_record import CallLog, CallRecorder
from chargeyard.simulator.clock import Clock, SystemClock
from chargeyard.simulator.connection import CsmsConnection, OcppSession, TimedSocket
from chargeyard.simulator.errors import SimulatorError, StationOffline
from chargeyard.simulator.link_delay import Delay

_log = logging.getLogger(__name__)


class StationLink:
    subprotocol = ""  # the OCPP websocket subprotocol a subclass speaks, e.g. "ocpp1.6"

    def __init__(
        self,
        url: str,
        station_id: str,
        *,
        password: str | None,
        clock: Clock | None,
        recorder: CallRecorder | None,
        response_timeout: float,
        link_delay: Delay | None = None,
    ) -> None:
        self.url = url
        self.link_delay = link_delay
        self.clock: Clock = clock or SystemClock()
        self.recorder: CallRecorder = recorder or CallLog()
        self.response_timeout = response_timeout
        self._station_id = station_id
        self._password = password
        self._connection: CsmsConnection | None = None
        self._commands_before = 0
        self._link_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._online = False
        self._closing = False

    async def __aenter__(self) -> Self:
        await self.connect()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def station_id(self) -> str:
        return self._station_id

    @property
    def connected(self) -> bool:
        return self._connection is not None and self._connection.is_open

    @property
    def commands_received(self) -> int:
        current = 0 if self._connection is None else self._connection.commands_received
        return self._commands_before + current

    async def connect(self) -> None:
        """Open the websocket (HTTP Basic auth when a password is set); no boot yet."""
        if self.connected:
            return
        await self._disconnect()
        self._connection = await CsmsConnection.open(
            self.url,
            self.station_id,
            subprotocol=self.subprotocol,
            make_session=self._make_session,
            recorder=self.recorder,
            clock=self.clock,
            password=self._password,
            ping_interval=self._ping_interval(),
            delay=self.link_delay,
        )

    async def close(self) -> None:
        """Stop everything the station is doing and close the connection for good."""
        self._closing = True
        tasks = tuple(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self._disconnect()

    async def ensure_online(self) -> bool:
        """Connect and come online unless already there; False if the CSMS is unreachable."""
        async with self._link_lock:
            if self._closing:
                return False
            if self.connected and self._online:
                return True
            return await self._relink()

    async def wait_disconnected(self) -> None:
        if self._connection is not None:
            await self._connection.wait_closed()

    def spawn(self, work: Coroutine[Any, Any, object]) -> None:
        """Run follow-up work (CALLs a command triggers) beside the read loop."""
        if self._closing:
            work.close()
            return
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    async def _relink(self) -> bool:
        """Connect and come online; call with the link lock held."""
        try:
            await self.connect()
            await self._come_online()
        except SimulatorError as error:
            _log.info("station %s could not come online: %s", self.station_id, error)
            await self._disconnect()
            return False
        self._online = True
        return True

    async def _disconnect(self) -> None:
        connection, self._connection = self._connection, None
        self._online = False
        if connection is not None:
            self._commands_before += connection.commands_received
            await connection.close()

    async def _call(self, payload: Any) -> Any:
        if self._connection is None:
            raise StationOffline(self.station_id)
        return await self._connection.call(payload)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled() or (error := task.exception()) is None:
            return
        if isinstance(error, SimulatorError):
            _log.info("station %s: follow-up stopped: %s", self.station_id, error)
        else:
            _log.error("station %s: follow-up failed", self.station_id, exc_info=error)

    # -- what a protocol version provides --------------------------------------------

    def _make_session(self, socket: TimedSocket) -> OcppSession:
        raise NotImplementedError

    async def _come_online(self) -> None:
        """Register with the CSMS over the fresh connection."""
        raise NotImplementedError

    def _ping_interval(self) -> float | None:
        return None
