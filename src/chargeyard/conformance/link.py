"""The OCTT's side of one WebSocket: a station that sends exactly the frames a case prescribes.

The simulator's station (simulator/) behaves like a real charger and decides for itself what
to send; a conformance case must send precisely the message of each step and see every frame
the CSMS sends back. So this is a bare OCPP-J link: `call` sends one CALL and returns the
CALLRESULT payload (a CALLERROR or a schema violation fails the case); CALLs from the CSMS are
checked against their schema, recorded, and answered at once from `answers` (the version's
defaults from answers.py, which a case may override before it makes the CSMS act); `expect`
waits for such a CALL.
"""

from __future__ import annotations

import asyncio
import base64
import json
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.typing import Subprotocol

from chargeyard.conformance.answers import DEFAULTS, Answer
from chargeyard.conformance.case import CaseFailed
from chargeyard.conformance.schemas import violation

SUBPROTOCOLS = {"1.6": "ocpp1.6", "2.0.1": "ocpp2.0.1"}
CALL, CALLRESULT, CALLERROR = 2, 3, 4


class HandshakeRefused(Exception):
    """The CSMS did not upgrade the connection (`status` is its HTTP answer, None if none)."""

    def __init__(self, status: int | None, detail: str) -> None:
        super().__init__(detail)
        self.status = status


@dataclass(frozen=True)
class Received:
    """A CALL the CSMS sent, with the answer the station gave."""

    action: str
    payload: dict[str, Any]
    problem: str | None


def station_url(base_url: str, station_id: str) -> str:
    """`ws://host/ocpp` (with or without a trailing slash) + the station id as a path segment."""
    return f"{base_url.rstrip('/')}/{quote(station_id, safe='')}"


def basic_auth(username: str, password: str) -> str:
    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


class StationLink:
    def __init__(self, socket: ClientConnection, version: str, timeout_s: float) -> None:
        self.version = version
        self.timeout_s = timeout_s
        self.answers: dict[str, Answer] = dict(DEFAULTS[version])
        self.received: list[Received] = []
        self._socket = socket
        self._pending: dict[str, asyncio.Future[list[Any]]] = {}
        self._arrived = asyncio.Condition()
        self._broken: str | None = None  # a frame from the CSMS that is not OCPP-J
        self._reader = asyncio.create_task(self._read(), name="conformance-link")

    @classmethod
    async def open(
        cls,
        base_url: str,
        station_id: str,
        version: str,
        *,
        password: str | None,
        username: str | None = None,
        timeout_s: float = 10.0,
    ) -> StationLink:
        """Connect as `station_id`, with HTTP Basic `username` (default: the station id)."""
        headers = {}
        if password is not None:
            headers["Authorization"] = basic_auth(username or station_id, password)
        subprotocol = SUBPROTOCOLS[version]
        try:
            socket = await connect(
                station_url(base_url, station_id),
                subprotocols=[Subprotocol(subprotocol)],
                additional_headers=headers,
                open_timeout=timeout_s,
                ping_interval=None,
                proxy=None,
            )
        except InvalidStatus as error:
            status = error.response.status_code
            raise HandshakeRefused(status, f"HTTP {status}") from error
        except (OSError, InvalidHandshake, TimeoutError) as error:
            detail = f"could not connect: {error}" if str(error) else type(error).__name__
            raise HandshakeRefused(None, detail) from error
        if socket.subprotocol != subprotocol:
            await socket.close()
            raise CaseFailed(f"the CSMS answered subprotocol {socket.subprotocol!r}")
        return cls(socket, version, timeout_s)

    @property
    def is_open(self) -> bool:
        return not self._reader.done()

    async def call(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Send a CALL; return the CSMS's CALLRESULT payload, checked against its schema."""
        unique_id = uuid.uuid4().hex
        answer: asyncio.Future[list[Any]] = asyncio.get_running_loop().create_future()
        self._pending[unique_id] = answer
        try:
            await self._socket.send(json.dumps([CALL, unique_id, action, payload]))
            async with asyncio.timeout(self.timeout_s):
                frame = await answer
        except TimeoutError as error:
            raise CaseFailed(f"no answer to {action} within {self.timeout_s:g} s") from error
        except ConnectionClosed as error:
            why = self._broken or "the CSMS closed the connection"
            raise CaseFailed(f"{why} (on {action})") from error
        finally:
            self._pending.pop(unique_id, None)
        if frame[0] == CALLERROR:
            raise CaseFailed(f"{action}: CALLERROR {frame[2]} ({frame[3]})")
        problem = violation(self.version, action, frame[2], response=True)
        if problem:
            raise CaseFailed(problem)
        plain: dict[str, Any] = _plain(frame[2])
        return plain

    async def expect(self, action: str, *, after: int = 0) -> dict[str, Any]:
        """The payload of the first `action` CALL from the CSMS (from the `after`-th received
        on), waiting for it; it must have met its schema."""
        try:
            async with asyncio.timeout(self.timeout_s), self._arrived:
                while True:
                    for received in self.received[after:]:
                        if received.action == action:
                            if received.problem:
                                raise CaseFailed(received.problem)
                            return received.payload
                    if not self.is_open:
                        why = self._broken or "the connection closed"
                        raise CaseFailed(f"{why} before {action} arrived")
                    await self._arrived.wait()
        except TimeoutError as error:
            raise CaseFailed(f"the CSMS sent no {action} within {self.timeout_s:g} s") from error

    async def wait_closed(self, timeout_s: float) -> bool:
        """Whether the CSMS closed the connection within `timeout_s`."""
        done, _ = await asyncio.wait((self._reader,), timeout=timeout_s)
        return bool(done)

    async def close(self) -> None:
        await self._socket.close()
        await asyncio.wait((self._reader,))

    async def _read(self) -> None:
        try:
            async for message in self._socket:
                frame = json.loads(message)
                raw = json.loads(message, parse_float=Decimal)
                if frame[0] == CALL:
                    await self._answer(frame, raw[3])
                elif frame[0] in (CALLRESULT, CALLERROR):
                    waiting = self._pending.get(frame[1])
                    if waiting is not None and not waiting.done():
                        waiting.set_result(frame if frame[0] == CALLERROR else raw)
        except ConnectionClosed:
            pass
        except (ValueError, LookupError, TypeError) as error:
            self._broken = f"the CSMS sent a frame that is not OCPP-J ({error})"
            await self._socket.close()
        finally:
            for waiting in self._pending.values():
                if not waiting.done():
                    waiting.set_exception(ConnectionClosed(None, None))
            async with self._arrived:
                self._arrived.notify_all()

    async def _answer(self, frame: list[Any], raw_payload: Any) -> None:
        unique_id, action, payload = frame[1], frame[2], frame[3]
        problem = violation(self.version, action, raw_payload, response=False)
        answer = self.answers.get(action)
        if problem:
            reply: list[Any] = [CALLERROR, unique_id, "FormationViolation", problem, {}]
        elif answer is None:
            reply = [CALLERROR, unique_id, "NotImplemented", f"{action} is not answered", {}]
        else:
            result = answer(payload) if callable(answer) else answer
            reply = [CALLRESULT, unique_id, result]
        # Recorded before the answer leaves: whoever made the CSMS send this CALL and waits
        # for the CSMS to report the answer finds it in `received` once that report comes.
        async with self._arrived:
            self.received.append(Received(action, payload, problem))
            self._arrived.notify_all()
        await self._socket.send(json.dumps(reply))


def _plain(raw: Any) -> Any:
    """A payload read with `Decimal` floats, as plain JSON values again."""
    return json.loads(json.dumps(raw, default=float))
