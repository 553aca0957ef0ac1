"""The OCPP WebSocket endpoint: handshake, authentication, and a session's life and death.

Refusals happen before the WebSocket is accepted, as plain HTTP answers a station's log shows:
404 for an unknown station, 401 for failed authentication, 400 when no offered subprotocol is
spoken here.
"""

import base64
import binascii
import contextlib
import logging
from collections.abc import Callable

from starlette.responses import PlainTextResponse
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from chargeyard.protocol.context import ServerContext, StationIdentity
from chargeyard.protocol.registry import ConnectionRegistry
from chargeyard.protocol.session import StationSession
from chargeyard.protocol.tls import client_common_name
from chargeyard.protocol.versions import SESSIONS, choose_subprotocol
from chargeyard.stations.access import Admission, Credentials, Refusal, admit
from chargeyard.stations.models import Station
from chargeyard.stations.service import StationService

logger = logging.getLogger(__name__)

_Change = Callable[[StationService, Station], None]
_REFUSAL_STATUS = {Refusal.UNKNOWN_STATION: 404}


class WebSocketChannel:
    """A Starlette WebSocket as the text channel a session reads and writes."""

    def __init__(self, websocket: WebSocket) -> None:
        self._websocket = websocket

    async def recv(self) -> str:
        message = await self._websocket.receive()
        if message["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(message.get("code", 1000))
        text = message.get("text")
        if text is None:
            return bytes(message.get("bytes") or b"").decode("utf-8", errors="replace")
        return str(text)

    async def send(self, message: str) -> None:
        try:
            await self._websocket.send_text(message)
        except (WebSocketDisconnect, RuntimeError) as error:
            # Starlette raises RuntimeError for a send after the close: either way the station
            # is gone, which every caller treats as a lost connection.
            raise ConnectionError("the station's socket is closed") from error

    async def close(self, code: int, reason: str) -> None:
        if self._websocket.application_state == WebSocketState.CONNECTED:
            with contextlib.suppress(Exception):
                await self._websocket.close(code, reason)


def read_credentials(websocket: WebSocket) -> Credentials:
    username = password = None
    header = websocket.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "basic":
        with contextlib.suppress(binascii.Error, UnicodeDecodeError):
            username, _, password = base64.b64decode(value).decode().partition(":")
    return Credentials(
        username=username,
        password=password,
        tls=websocket.url.scheme == "wss",
        client_certificate_cn=client_common_name(websocket.scope),
    )


class OcppEndpoint:
    def __init__(self, ctx: ServerContext, registry: ConnectionRegistry) -> None:
        self.ctx = ctx
        self.registry = registry

    async def __call__(self, websocket: WebSocket) -> None:
        station_id = websocket.path_params["station_id"]
        subprotocol = choose_subprotocol(websocket.scope.get("subprotocols", []))
        if subprotocol is None:
            await _deny(websocket, 400, f"offer one of the subprotocols {', '.join(SESSIONS)}")
            return
        outcome = await admit(
            self.ctx.db,
            self.ctx.clock,
            station_id,
            read_credentials(websocket),
            self.ctx.settings.auto_register_organization,
        )
        if isinstance(outcome, Refusal):
            await _deny(websocket, _REFUSAL_STATUS.get(outcome, 401), outcome.value)
            return
        await websocket.accept(subprotocol=subprotocol)
        await self._run(websocket, SESSIONS[subprotocol], outcome)

    async def _run(
        self, websocket: WebSocket, cls: type[StationSession], admission: Admission
    ) -> None:
        channel = WebSocketChannel(websocket)
        identity = StationIdentity(admission.station_id, admission.organization_id)
        session = cls(channel, self.ctx, identity, boot_accepted=admission.boot_accepted)
        previous = self.registry.register(session)
        if previous is not None:
            await previous.channel.close(1000, "replaced by a new connection")
        await self._mark(
            identity,
            lambda service, station: service.connected(
                station, cls.subprotocol, self.ctx.settings.node_id, replaced=previous is not None
            ),
        )
        try:
            await session.serve()
        except (WebSocketDisconnect, ConnectionError):
            pass
        except Exception:
            logger.exception("%s: session ended by an error", identity.station_id)
        finally:
            if self.registry.unregister(session):
                await self._mark(identity, self._disconnected)

    def _disconnected(self, service: StationService, station: Station) -> None:
        # Checked inside the transaction: a new connection may have registered (and committed
        # "connected") while this teardown waited for the database.
        if self.registry.get(station.id) is None:
            service.disconnected(station)

    async def _mark(self, identity: StationIdentity, change: _Change) -> None:
        # Batched like an OCPP message: a connection storm shares commits instead of queueing
        # one durable commit per station in front of every message handler.
        async with self.ctx.db.batched() as uow:
            service = StationService(uow, identity.organization_id, self.ctx.clock)
            change(service, await service.get(identity.station_id))
            await uow.commit()


async def _deny(websocket: WebSocket, status: int, reason: str) -> None:
    headers = {"WWW-Authenticate": 'Basic realm="OCPP"'} if status == 401 else None
    await websocket.send_denial_response(PlainTextResponse(reason, status, headers=headers))
