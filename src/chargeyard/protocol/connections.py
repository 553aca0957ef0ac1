"""Socket-level limits of the server, set where uvicorn holds the socket (issue 16, items 5-6).

Everything here bounds what one connection may cost before or beneath the OCPP session:

- WebSocket pings (`ws_ping_interval_s`, `ws_ping_timeout_s`): uvicorn's keepalive. A ping left
  unanswered fails the connection with 1011; `StationWebSocketProtocol` then aborts the
  transport instead of waiting for the close frame to flush, because a half-open peer never reads
  it and its full send buffer would otherwise keep the socket (and the station "connected") open.
- the maximum message size (`ws_max_frame_bytes`): uvicorn's `ws_max_size`; a larger message
  closes the connection with 1009, which the endpoint records.
- a handshake timeout (`ws_handshake_timeout_s`): uvicorn times out idle keep-alive connections
  only after a first response, so a socket that connects and never completes its HTTP request
  (or WebSocket upgrade) would hold a descriptor for ever. `handshake_timeout_protocol` closes it.
- the shutdown drain (`shutdown_drain_s`): uvicorn's `timeout_graceful_shutdown`: on SIGTERM
  the listener closes, every station socket gets a 1012 close at once, and sessions have that
  long to finish the message in hand before their tasks are cancelled.
"""

import asyncio
from typing import Any, cast

from uvicorn.protocols.http.auto import AutoHTTPProtocol
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

from chargeyard.settings import Settings

SERVER_SHUTDOWN = "chargeyard.server_shutdown"
"""Set in a connection's ASGI scope when the server, shutting down, closes it (with 1012)."""


class StationWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's default WebSocket protocol, dropping a peer that misses a ping at once and
    telling the application which closes are the server's own shutdown."""

    def shutdown(self) -> None:
        # uvicorn closes every WebSocket with 1012 "service restart" at once (stations then
        # reconnect to another node) and hands the application a disconnect; the flag tells
        # the endpoint not to write each station's disconnect: the lifespan's shutdown
        # marks them all in one write (`stations.service.disconnect_node`).
        scope = getattr(self, "scope", None)
        if scope is not None:
            cast(dict[str, Any], scope)[SERVER_SHUTDOWN] = True
        super().shutdown()

    def keepalive_timeout(self) -> None:
        super().keepalive_timeout()
        # The close frame went to the write buffer; a dead peer never drains it and
        # `transport.close()` waits for that. Nobody is listening: cut the connection now.
        self.transport.abort()


class HandshakeTimeoutProtocol(AutoHTTPProtocol):  # type: ignore[valid-type,misc]
    """uvicorn's HTTP protocol, closing a connection whose first request is not in by
    `timeout_s`. A module-level class, so that `serve --workers` can hand it to worker processes
    (they import it by name); a worker that was not told the timeout reads it from its settings,
    which come from the environment the supervisor filled."""

    timeout_s: float | None = None

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        timeout_s = type(self).timeout_s
        if timeout_s is None:
            timeout_s = type(self).timeout_s = Settings().ws_handshake_timeout_s
        self._handshake_timer = self.loop.call_later(timeout_s, self._handshake_expired)

    def connection_lost(self, exc: Exception | None) -> None:
        self._handshake_timer.cancel()
        super().connection_lost(exc)

    def _handshake_expired(self) -> None:
        # Once a request's headers are complete uvicorn has a cycle (and its keep-alive
        # timeout takes over); an upgraded socket belongs to the WebSocket protocol.
        if self.cycle is None and self.transport.get_protocol() is self:
            self.transport.close()


def handshake_timeout_protocol(timeout_s: float) -> type[asyncio.Protocol]:
    """The HTTP protocol class for uvicorn, with this process's handshake timeout."""
    HandshakeTimeoutProtocol.timeout_s = timeout_s
    return HandshakeTimeoutProtocol


def connection_options(settings: Settings) -> dict[str, Any]:
    """The uvicorn options that bound each connection, from the settings (`ws` is set by
    `tls.server_config`: a `StationWebSocketProtocol` that also fills the ASGI TLS extension)."""
    return {
        "http": handshake_timeout_protocol(settings.ws_handshake_timeout_s),
        "ws_max_size": settings.ws_max_frame_bytes,
        "ws_ping_interval": settings.ws_ping_interval_s or None,
        "ws_ping_timeout": settings.ws_ping_timeout_s or None,
        "timeout_graceful_shutdown": settings.shutdown_drain_s,
        # uvicorn would otherwise believe X-Forwarded-* from loopback (its default
        # forwarded_allow_ips) and turn a plain connection into "wss": which proxies to
        # believe, and for what, is `forwarded.py`'s decision, from the raw peer address.
        "proxy_headers": False,
    }
