"""One websocket connection from a station to the CSMS, and the OCPP session on it.

It opens the socket with the station's URL, OCPP subprotocol and HTTP Basic credentials
(security profile 1), runs the session's read loop, and fails CALLs in flight as soon as
the socket drops instead of letting them wait out the response timeout. Each CALL is
timed from the moment its frame leaves to the moment the answer's frame arrives, so the
latency a benchmark reports excludes local schema validation. Which OCPP version the
session speaks is up to the caller.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import quote

from ocpp.exceptions import OCPPError
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake
from websockets.typing import Subprotocol

from chargeyard.simulator.call_record import CallOutcome, CallRecord, CallRecorder
from chargeyard.simulator.clock import Clock
from chargeyard.simulator.errors import CallFailed, CallTimedOut, ConnectFailed, StationOffline
from chargeyard.simulator.link_delay import Delay, DelayedSocket, FrameSocket

_log = logging.getLogger(__name__)


class OcppSession(Protocol):
    """The part of `ocpp.ChargePoint` a connection drives."""

    async def start(self) -> None: ...

    async def call(
        self, payload: Any, suppress: bool = ..., unique_id: str | None = ...
    ) -> Any: ...


class TimedSocket:
    """The socket as the OCPP session sees it: stamps our CALLs and their answers."""

    def __init__(self, socket: FrameSocket) -> None:
        self._socket = socket
        self._sent: dict[str, float] = {}
        self._answered: dict[str, float] = {}
        self.commands_received = 0

    async def send(self, message: str) -> None:
        if _message_type(message) == "2":
            self._sent[_unique_id(message)] = time.perf_counter()
        await self._socket.send(message)

    async def recv(self) -> str | bytes:
        message = await self._socket.recv()
        if isinstance(message, str):
            kind = _message_type(message)
            if kind in ("3", "4") and _unique_id(message) in self._sent:
                self._answered[_unique_id(message)] = time.perf_counter()
            elif kind == "2":
                self.commands_received += 1
        return message

    def latency(self, unique_id: str) -> float | None:
        """Seconds from our CALL's frame to its answer's frame, None if either is missing."""
        sent = self._sent.pop(unique_id, None)
        answered = self._answered.pop(unique_id, None)
        return None if sent is None or answered is None else answered - sent


SessionFactory = Callable[[TimedSocket], OcppSession]


class CsmsConnection:
    def __init__(
        self,
        station_id: str,
        socket: ClientConnection,
        timed: TimedSocket,
        session: OcppSession,
        recorder: CallRecorder,
        clock: Clock,
    ) -> None:
        self.station_id = station_id
        self.session = session
        self._socket = socket
        self._timed = timed
        self._recorder = recorder
        self._clock = clock
        self._reader = asyncio.create_task(self._read(), name=f"ocpp-read-{station_id}")

    @classmethod
    async def open(
        cls,
        url: str,
        station_id: str,
        *,
        subprotocol: str,
        make_session: SessionFactory,
        recorder: CallRecorder,
        clock: Clock,
        password: str | None = None,
        ping_interval: float | None = None,
        open_timeout: float = 10.0,
        delay: Delay | None = None,
    ) -> CsmsConnection:
        """Connect to `{url}/{station_id}`; raise `ConnectFailed` if the CSMS refuses. With
        `delay`, every frame either way arrives that much later (`link_delay.py`)."""
        headers = {} if password is None else {"Authorization": basic_auth(station_id, password)}
        try:
            socket = await connect(
                f"{url.rstrip('/')}/{quote(station_id, safe='')}",
                subprotocols=[Subprotocol(subprotocol)],
                additional_headers=headers,
                open_timeout=open_timeout,
                ping_interval=ping_interval,
                compression=None,  # OCPP frames are small; deflate would cost memory per socket
                proxy=None,
            )
        except (OSError, InvalidHandshake, TimeoutError) as error:
            raise ConnectFailed(station_id, str(error) or type(error).__name__) from error
        if socket.subprotocol != subprotocol:
            await socket.close()
            raise ConnectFailed(station_id, f"CSMS did not agree to {subprotocol}")
        timed = TimedSocket(socket if delay is None else DelayedSocket(socket, delay))
        return cls(station_id, socket, timed, make_session(timed), recorder, clock)

    @property
    def is_open(self) -> bool:
        return not self._reader.done()

    @property
    def commands_received(self) -> int:
        return self._timed.commands_received

    async def call(self, payload: Any) -> Any:
        """Send one CALL and return the ocpp `call_result` the CSMS answered with."""
        action = type(payload).__name__
        if not self.is_open:
            raise StationOffline(self.station_id)
        unique_id = str(uuid.uuid4())
        sent_at = self._clock.now()
        pending = asyncio.ensure_future(
            self.session.call(payload, suppress=False, unique_id=unique_id)
        )
        try:
            done, _ = await asyncio.wait(
                (pending, self._reader), return_when=asyncio.FIRST_COMPLETED
            )
        except asyncio.CancelledError:
            self._record(action, sent_at, CallOutcome.CANCELLED, None)
            raise
        finally:
            if not pending.done():
                pending.cancel()
        latency = self._timed.latency(unique_id)
        if pending not in done:
            self._record(action, sent_at, CallOutcome.DISCONNECTED, None)
            raise StationOffline(self.station_id)
        try:
            result = pending.result()
        except (ConnectionClosed, OSError) as error:
            # The socket dropped while the frame was going out, before the read loop noticed:
            # offline like any other drop, so the station queues what must reach the CSMS.
            self._record(action, sent_at, CallOutcome.DISCONNECTED, None)
            raise StationOffline(self.station_id) from error
        except OCPPError as error:
            self._record(action, sent_at, CallOutcome.CALL_ERROR, latency)
            raise CallFailed(action, error.code, str(error.description)) from error
        except TimeoutError as error:
            self._record(action, sent_at, CallOutcome.TIMED_OUT, None)
            raise CallTimedOut(action) from error
        self._record(action, sent_at, CallOutcome.ANSWERED, latency)
        return result

    async def close(self) -> None:
        await self._socket.close()
        await self.wait_closed()

    async def wait_closed(self) -> None:
        await asyncio.wait((self._reader,))

    def _record(
        self, action: str, sent_at: datetime, outcome: CallOutcome, latency: float | None
    ) -> None:
        self._recorder.record(CallRecord(self.station_id, action, sent_at, outcome, latency))

    async def _read(self) -> None:
        try:
            await self.session.start()
        except ConnectionClosed:
            pass
        except Exception:
            _log.exception("station %s: OCPP read loop failed", self.station_id)
        finally:
            await self._socket.close()


def basic_auth(station_id: str, password: str) -> str:
    """The Authorization header of OCPP security profile 1 (user = station id)."""
    token = base64.b64encode(f"{station_id}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


def _message_type(message: str) -> str:
    return message.lstrip()[1:].lstrip()[:1]


def _unique_id(message: str) -> str:
    parts = message.split('"', 2)
    return parts[1] if len(parts) > 2 else ""
