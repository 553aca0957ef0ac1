"""The OCPP WebSocket endpoint: handshake, authentication, and a session's life and death.

Refusals happen before the WebSocket is accepted, as plain HTTP answers a station's log shows:
401 for any failed authentication (an unknown station id included, so the answer does not say
which ids exist), 429 with Retry-After while the station id or the source address is locked out
after repeated failures (`security/sign_in_guard.py`), 400 when no offered subprotocol is spoken
here, and 503 with Retry-After while the worker is admitting as many handshakes as it takes at
once (`handshake_slots.py`; most of those are answered by the HTTP protocol before they reach
this endpoint, `connections.HandshakeTimeoutProtocol`).
"""

import asyncio
import base64
import binascii
import contextlib
import logging
import math
from collections.abc import Callable

from starlette.responses import PlainTextResponse
from starlette.websockets import (
    WebSocket,
    WebSocketDisconnect,
    WebSocketDisconnected,
    WebSocketState,
)

from chargeyard.cluster.presence import StationPresence
from chargeyard.observability.log_context import station_context
from chargeyard.observability.metrics import (
    handshake_shed,
    observe_sign_in_failure,
    station_connected,
    station_disconnected,
)
from chargeyard.protocol.connection_events import record_oversized_message
from chargeyard.protocol.connections import SERVER_SHUTDOWN
from chargeyard.protocol.context import ServerContext, StationIdentity
from chargeyard.protocol.disconnects import DISCONNECTS
from chargeyard.protocol.forwarded import TrustedProxies
from chargeyard.protocol.handshake_slots import BUSY, HandshakeSlots
from chargeyard.protocol.registry import ConnectionRegistry
from chargeyard.protocol.session import StationSession
from chargeyard.protocol.tls import client_common_name
from chargeyard.protocol.versions import SESSIONS, choose_subprotocol
from chargeyard.security.sign_in_guard import station_key
from chargeyard.stations.access import Admission, Credentials, Refusal, admit, record_lockout
from chargeyard.stations.connections import connection_recorded, disconnection_recorded
from chargeyard.stations.credentials import CredentialService
from chargeyard.storage.group_commit import GuardMissed

logger = logging.getLogger(__name__)

REFUSED = "authentication failed"
"""The one answer (with 401) to every refused handshake: unknown id, wrong or missing password,
wrong security profile. The reason is in the station's security events and the log."""
IDLE_CLOSE = 4000  # our own code for "closed as idle", distinct from the peer's codes
MESSAGE_TOO_BIG = 1009


class SocketClosed(WebSocketDisconnect, ConnectionError):
    """A send on a socket the station already closed: a disconnect to the endpoint, and a
    `ConnectionError` to code that knows nothing of Starlette (the session's follow-up tasks)."""


class WebSocketChannel:
    """A Starlette WebSocket as the text channel a session reads and writes.

    `idle_timeout_s`: a station that sends no frame for that long is closed (1001) and the read
    ends as a disconnect: OCPP's heartbeat is the second signal, after WebSocket pings, that a
    peer is gone (pings are answered by a station's network stack even when its OCPP side hangs).
    A send on a socket the station already closed is a disconnect too, never an error.
    """

    def __init__(self, websocket: WebSocket, idle_timeout_s: float | None = None) -> None:
        self._websocket = websocket
        self._idle_timeout_s = idle_timeout_s

    async def recv(self) -> str:
        try:
            async with asyncio.timeout(self._idle_timeout_s):
                message = await self._websocket.receive()
        except TimeoutError:
            await self.close(1001, "idle timeout")
            raise WebSocketDisconnect(IDLE_CLOSE, "idle timeout") from None
        if message["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(message.get("code", 1000))
        text = message.get("text")
        if text is None:
            return bytes(message.get("bytes") or b"").decode("utf-8", errors="replace")
        return str(text)

    async def send(self, message: str) -> None:
        try:
            await self._websocket.send_text(message)
        except WebSocketDisconnect as closed:
            raise SocketClosed(closed.code) from None
        except WebSocketDisconnected:
            raise SocketClosed(1006) from None

    async def close(self, code: int, reason: str) -> None:
        if self._websocket.application_state == WebSocketState.CONNECTED:
            with contextlib.suppress(Exception):
                await self._websocket.close(code, reason)


def read_credentials(websocket: WebSocket, proxies: TrustedProxies) -> Credentials:
    """Basic credentials, and TLS as this node saw it or as a trusted proxy forwarded it."""
    username = password = None
    header = websocket.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "basic":
        with contextlib.suppress(binascii.Error, UnicodeDecodeError):
            username, _, password = base64.b64decode(value).decode().partition(":")
    forwarded = proxies.read(websocket.scope)
    return Credentials(
        username=username,
        password=password,
        tls=websocket.url.scheme == "wss" or forwarded.tls,
        client_certificate_cn=client_common_name(websocket.scope)
        or forwarded.client_certificate_cn,
        untrusted_forwarding=forwarded.untrusted_headers,
    )


class OcppEndpoint:
    def __init__(
        self, ctx: ServerContext, registry: ConnectionRegistry, presence: StationPresence
    ) -> None:
        self.ctx = ctx
        self.registry = registry
        self.secret_key = ctx.secret_key
        self.proxies = TrustedProxies.from_settings(ctx.settings, ctx.clock)
        self.presence = presence
        self.slots = HandshakeSlots(ctx.settings.ws_handshake_concurrency, spoken=SESSIONS)
        presence.on_replaced(self.registry.get, self.close_replaced)
        presence.on_dropped(self.close_dropped)

    async def close_replaced(self, session: object) -> None:
        """The station connected to another worker: close this one's socket that it replaced
        (`StationPresence` decides which; a newer socket of the station here stays open)."""
        assert isinstance(session, StationSession)
        await session.channel.close(1000, "replaced by a new connection")

    async def close_dropped(self, station_id: str) -> None:
        """The station's credentials changed: it must connect again with the new ones."""
        session = self.registry.get(station_id)
        if session is not None:
            logger.info("%s: closed, its credentials changed", station_id)
            await session.channel.close(1000, "credentials changed")

    async def __call__(self, websocket: WebSocket) -> None:
        station_id = websocket.path_params["station_id"]
        subprotocol = choose_subprotocol(websocket.scope.get("subprotocols", []))
        if subprotocol is None:
            await _deny(websocket, 400, f"offer one of the subprotocols {', '.join(SESSIONS)}")
            return
        if not self.slots.take():
            handshake_shed()
            await _deny(websocket, 503, BUSY, retry_after_s=self.slots.retry_after_s())
            return
        released = False  # once the station is marked connected, or on any way out

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                self.slots.release()

        try:
            await self._admit(websocket, station_id, subprotocol, release)
        finally:
            release()

    async def _admit(
        self,
        websocket: WebSocket,
        station_id: str,
        subprotocol: str,
        connected: Callable[[], None],
    ) -> None:
        address = websocket.client.host if websocket.client is not None else None
        key = station_key(station_id)
        wait = self.ctx.sign_in.retry_after(key, address)
        if wait is not None:
            observe_sign_in_failure("handshake", "locked")
            await _deny(websocket, 429, "too many failed attempts", retry_after_s=wait)
            return
        outcome = await admit(
            self.ctx.db,
            self.ctx.clock,
            station_id,
            read_credentials(websocket, self.proxies),
            self.ctx.settings.auto_register_organization,
            self.secret_key,
        )
        if isinstance(outcome, Refusal):
            await self._refused(websocket, station_id, outcome, address)
            return
        self.ctx.sign_in.succeeded(key)
        await websocket.accept(subprotocol=subprotocol)
        await self._run(websocket, SESSIONS[subprotocol], outcome, connected)

    async def _refused(
        self, websocket: WebSocket, station_id: str, refusal: Refusal, address: str | None
    ) -> None:
        started = self.ctx.sign_in.failed(station_key(station_id), address)
        outcome = "unknown" if refusal is Refusal.UNKNOWN_STATION else "refused"
        observe_sign_in_failure("handshake", outcome, lockout_started=started is not None)
        if started is not None:
            await record_lockout(self.ctx.db, self.ctx.clock, station_id, started, address)
        await _deny(websocket, 401, REFUSED)

    async def _run(
        self,
        websocket: WebSocket,
        cls: type[StationSession],
        admission: Admission,
        connected: Callable[[], None],
    ) -> None:
        with station_context(admission.station_id, cls.subprotocol):
            await self._serve(websocket, cls, admission, connected)

    async def _serve(
        self,
        websocket: WebSocket,
        cls: type[StationSession],
        admission: Admission,
        connected: Callable[[], None],
    ) -> None:
        heartbeats = self.ctx.settings.station_idle_heartbeats
        interval_s = admission.heartbeat_interval_s or self.ctx.settings.heartbeat_interval_s
        idle_s = heartbeats * interval_s if heartbeats else None
        channel = WebSocketChannel(websocket, idle_s)
        identity = StationIdentity(admission.station_id, admission.organization_id)
        session = cls(channel, self.ctx, identity, boot_accepted=admission.boot_accepted)
        # Registered and claimed in one step: a "replaced" notice that sees this session also
        # sees its claim under way, and waits for it before deciding (cluster/presence.py).
        previous = self.registry.register(session)
        moved = await self.presence.claim(identity.station_id)
        if previous is not None:
            await previous.channel.close(1000, "replaced by a new connection")
        replaced = previous is not None or moved
        await self._mark_connected(identity, cls.subprotocol, replaced)
        connected()
        station_connected(cls.subprotocol)
        logger.info("station connected", extra={"replaced": replaced})
        close_code: int | None = None
        try:
            await session.serve()
        except WebSocketDisconnect as closed:
            close_code = closed.code
            await self._closed(identity, closed.code)
        except DISCONNECTS as gone:
            # The station closed its socket while we were answering: a disconnect, not an error.
            logger.debug("socket closed under a send: %s", gone)
        except Exception:
            logger.exception("%s: session ended by an error", identity.station_id)
        finally:
            station_disconnected(cls.subprotocol)
            logger.info("station disconnected", extra={"close_code": close_code})
            # A socket replaced here or on another worker, or closed by this worker's shutdown
            # (which marks all its stations in one write), is not a disconnection to record.
            shutting_down = websocket.scope.get(SERVER_SHUTDOWN, False)
            if (
                self.registry.unregister(session)
                and await self.presence.release(identity.station_id)
                and not shutting_down
            ):
                await self._mark_disconnected(identity)

    async def _closed(self, identity: StationIdentity, code: int) -> None:
        """Log why a socket ended when it is worth an operator's attention."""
        if code == MESSAGE_TOO_BIG:
            limit = self.ctx.settings.ws_max_frame_bytes
            logger.warning("%s: sent a message over %d bytes; closed", identity.station_id, limit)
            await record_oversized_message(self.ctx, identity, limit)
        elif code == IDLE_CLOSE:
            logger.info("%s: no frame within the idle timeout; closed", identity.station_id)

    async def _mark_connected(
        self, identity: StationIdentity, protocol: str, replaced: bool
    ) -> None:
        async with self.ctx.db.deferred() as unit:
            connection_recorded(
                unit,
                identity.organization_id,
                identity.station_id,
                protocol,
                self.presence.worker_id,
                self.ctx.clock,
                replaced=replaced,
            )
            await unit.commit()
        if replaced:
            async with self.ctx.db.batched() as uow:
                credentials = CredentialService(uow, identity.organization_id, self.ctx.clock)
                credentials.connection_replaced(identity.station_id)
                await uow.commit()

    async def _mark_disconnected(self, identity: StationIdentity) -> None:
        """Record the end of this worker's connection, unless a new one already took over: here
        (registered meanwhile) or on another worker (the write's guard: its reconnection
        committed first). A reconnection here after this check joins a later write."""
        if self.registry.get(identity.station_id) is not None:
            return
        async with self.ctx.db.deferred() as unit:
            disconnection_recorded(
                unit,
                identity.organization_id,
                identity.station_id,
                self.presence.worker_id,
                self.ctx.clock,
            )
            # Missed: held elsewhere now, or deleted; nothing to record.
            with contextlib.suppress(GuardMissed):
                await unit.commit()


async def _deny(
    websocket: WebSocket, status: int, reason: str, retry_after_s: float | None = None
) -> None:
    headers = {"WWW-Authenticate": 'Basic realm="OCPP"'} if status == 401 else {}
    if retry_after_s is not None:
        headers["Retry-After"] = str(max(1, math.ceil(retry_after_s)))
    await websocket.send_denial_response(PlainTextResponse(reason, status, headers=headers))
