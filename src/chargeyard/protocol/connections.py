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
  the listener closes, every station socket gets a 1012 close, and sessions have that long to
  finish the message in hand before their tasks are cancelled. The closes are paced
  (`shutdown_close_rate`, `DrainPacer`): in a cluster the stations reconnect to the other nodes,
  and a thousand handshakes landing on one node in the same second would exceed its handshake
  slots and be answered 503 (measured: 1,357 refusals moving 1,000 stations at once; none at 20
  a second, docs/performance.md "Rolling restart"). The last close goes out within 80 % of the
  drain. A single node (no cluster bus) closes them all at once: there is nowhere to move to.
  A handshake still being admitted when the drain starts is answered 503 with Retry-After
  (uvicorn would answer 500).
- handshakes shed by a busy worker (`handshake_slots.py`): while every handshake slot is in
  use, the HTTP protocol answers a station's upgrade request itself with a raw 503 and
  Retry-After, before uvicorn builds the WebSocket protocol and the ASGI endpoint runs for it,
  and logs nothing for it (a storm sheds thousands; the metric
  `chargeyard_handshakes_shed_total` counts them). So is one whose request waited
  `QUEUED_TOO_LONG_S` in the kernel's queues, and one whose station closed its socket before we
  read it is dropped unanswered (`chargeyard_handshakes_abandoned_total`): see
  `handshake_slots.queued`.
- permessage-deflate's state (`DEFLATE_WINDOW_BITS`, `DEFLATE_MEM_LEVEL`): zlib's compressor
  lives as long as a compressed socket, so the server's is kept small.
"""

import asyncio
import math
from typing import Any, cast
from urllib.parse import unquote

from uvicorn.protocols.http.auto import AutoHTTPProtocol
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory
from websockets.server import ServerProtocol

from chargeyard.observability.metrics import handshake_abandoned, handshake_shed
from chargeyard.protocol.handshake_slots import BUSY, SLOTS_STATE, HandshakeSlots, queued
from chargeyard.protocol.socket_inbox import Flag, Inbox
from chargeyard.settings import Settings

SERVER_SHUTDOWN = "chargeyard.server_shutdown"
"""Set in a connection's ASGI scope when the server, shutting down, closes it (with 1012)."""


_DRAIN_SHARE = 0.8
"""The share of the drain over which the paced closes spread, leaving the rest for the last
stations to finish the message in hand."""

_PACER = "chargeyard.drain_pacer"

_RETRY_AFTER_SHUTDOWN_S = 1

DEFLATE_WINDOW_BITS = 10
DEFLATE_MEM_LEVEL = 2
"""permessage-deflate's compressor for what the server sends: 1 KiB of history and a small hash
table. zlib's state lives as long as the socket, and uvicorn's (4 KiB, memLevel 5: 32 KiB for
the compressor alone) was half of what a compressed idle connection cost; zlib needs
(1 << (bits + 2)) + (1 << (mem_level + 9)) bytes, 6 KiB here. What the server sends is mostly
short answers whose repetition is within the frame, so they compress about as well."""

STATION_WINDOW_BITS = 12
"""The window a station may compress with (uvicorn's, as before): its frames are larger
(MeterValues of a kilobyte or more, mostly like the last one), and on a metered cellular link
the bytes they save are the station's; inflating them costs the server 4 KiB of window."""
"""Retry-After of a handshake refused by a shutdown: a cluster's other nodes take it at once, a
single node is back after its restart."""


class DrainPacer:
    """When each station socket of a draining server gets its 1012 close: `rate` a second in
    the order uvicorn asks, the last one at most `within_s` after the first."""

    def __init__(self, rate: float, within_s: float | None) -> None:
        self.rate = rate
        self.within_s = within_s
        self.count = 0

    def next_delay(self) -> float:
        delay = self.count / self.rate
        self.count += 1
        return delay if self.within_s is None else min(delay, self.within_s)


def drain_close_rate(settings: Settings) -> float:
    """The pace of a drain's closes: a single node (no cluster bus) has no other node for its
    stations to move to, so it closes them all at once and restarts sooner."""
    return settings.shutdown_close_rate if settings.redis_url else math.inf


class StationWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's default WebSocket protocol, dropping a peer that misses a ping at once,
    pacing the shutdown's closes, telling the application which closes are the server's own
    shutdown, and compressing with a smaller zlib state (`DEFLATE_WINDOW_BITS`)."""

    close_rate: float | None = None
    """Station sockets closed per second while draining; None: read from the settings (a
    worker process of `serve --workers` imports this class by name)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.config.ws_per_message_deflate:
            self.conn = ServerProtocol(
                extensions=[
                    ServerPerMessageDeflateFactory(
                        server_max_window_bits=DEFLATE_WINDOW_BITS,
                        client_max_window_bits=STATION_WINDOW_BITS,
                        compress_settings={"memLevel": DEFLATE_MEM_LEVEL},
                    )
                ],
                max_size=self.config.ws_max_size,
                logger=self.conn.logger,
            )
        # The same waiting points, without asyncio's deques: about 3 KiB less per socket.
        self.queue = Inbox()  # type: ignore[assignment]
        self.writable = Flag()  # type: ignore[assignment]
        self.writable.set()

    def shutdown(self) -> None:
        # uvicorn asks every connection to shut down in one loop. A station whose session is
        # open keeps it (answering as usual) until its turn in the pacing; a connection still
        # in its handshake goes at once with 503 and Retry-After (`_shut_down_now`), one already
        # closing as uvicorn would have it.
        if self.handshake_complete and not self.close_sent and self.initial_response is None:
            delay = self._pacer().next_delay()
            if delay > 0:
                self.loop.call_later(delay, self._shut_down_now)
                return
        self._shut_down_now()

    def _shut_down_now(self) -> None:
        if self.transport.is_closing():
            return  # the station left (or was replaced) while it waited for its turn
        # uvicorn closes the WebSocket with 1012 "service restart" (stations then reconnect
        # to another node) and hands the application a disconnect; the flag tells the
        # endpoint not to write each station's disconnect: the lifespan's shutdown marks them
        # all in one write (`stations.service.disconnect_holders`).
        scope = getattr(self, "scope", None)
        if scope is not None:
            cast(dict[str, Any], scope)[SERVER_SHUTDOWN] = True
        if not self.handshake_complete and self.initial_response is None and not self.close_sent:
            # uvicorn answers a handshake still being admitted with 500; it is no fault of the
            # station's, which should simply come back (to another node in a cluster).
            self._refuse_while_shutting_down()
            return
        super().shutdown()

    def _refuse_while_shutting_down(self) -> None:
        response = self.conn.reject(503, "the server is shutting down; connect again\n")
        response.headers["Retry-After"] = str(_RETRY_AFTER_SHUTDOWN_S)
        self.conn.send_response(response)
        self.transport.write(b"".join(self.conn.data_to_send()))
        self.transport.close()

    def _pacer(self) -> DrainPacer:
        """One pacer per server: kept in the lifespan state every connection of it shares."""
        pacer = self.app_state.get(_PACER)
        if not isinstance(pacer, DrainPacer):
            rate = type(self).close_rate
            if rate is None:
                rate = type(self).close_rate = drain_close_rate(Settings())
            drain = self.config.timeout_graceful_shutdown
            pacer = DrainPacer(rate, None if drain is None else drain * _DRAIN_SHARE)
            self.app_state[_PACER] = pacer
        return pacer

    async def send(self, message: Any) -> None:
        await super().send(message)
        if message["type"] == "websocket.accept" and self.handshake_complete:
            # uvicorn keeps the handshake's request and its 101 response, headers and all, for
            # the socket's life and never reads them again; websockets' parser keeps the same
            # request in its frame. The scope has its own copy of the headers: about two
            # kilobytes per connected station.
            self.__dict__.pop("response", None)
            request = self.__dict__.pop("request", None)
            if request is not None:
                request.headers.clear()

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

    def handle_websocket_upgrade(self, *event: Any) -> None:
        # The socket now belongs to the WebSocket protocol (or is shed). A pending timer would
        # keep this spent HTTP protocol (parser, buffers, scope) alive until it fired.
        self._handshake_timer.cancel()
        if self._shed(*event):
            return
        super().handle_websocket_upgrade(*event)

    def _shed(self, *event: Any) -> bool:
        """Answer a station's handshake 503 here when the endpoint would shed it anyway, or
        when it waited too long in the kernel's queues; drop it when its station is gone.

        httptools hands no event (the request target is in `self.url`), h11 its `Request`;
        both have the request's headers, lower-cased, in `self.headers`."""
        slots = self.app_state.get(SLOTS_STATE)
        if not isinstance(slots, HandshakeSlots):
            return False
        waited = queued(self.transport.get_extra_info("socket"))
        late = waited is not None and (waited.peer_closed or waited.stale())
        if not late and not slots.full():
            return False
        target: bytes = event[0].target if event else self.url
        raw_path = target.partition(b"?")[0].decode("latin-1")
        offered = [
            protocol.strip()
            for name, value in self.headers
            if name == b"sec-websocket-protocol"
            for protocol in value.decode("latin-1").split(",")
        ]
        if not slots.is_station_handshake(self.root_path + unquote(raw_path), offered):
            return False
        self.connections.discard(self)
        if waited is not None and waited.peer_closed:
            handshake_abandoned()
        else:
            handshake_shed()
            self.transport.write(
                busy_response(slots.retry_after_s(), self.server_state.default_headers)
            )
        self.transport.close()
        return True

    def _handshake_expired(self) -> None:
        # Once a request's headers are complete uvicorn has a cycle (and its keep-alive
        # timeout takes over); an upgraded socket belongs to the WebSocket protocol.
        if self.cycle is None and self.transport.get_protocol() is self:
            self.transport.close()


def busy_response(retry_after_s: int, default_headers: list[tuple[bytes, bytes]]) -> bytes:
    """The 503 of a shed handshake, as the endpoint's denial would give it (Retry-After, plain
    text, Connection: close), with uvicorn's default headers (Date, and Server when on)."""
    body = BUSY.encode()
    lines = [b"HTTP/1.1 503 Service Unavailable"]
    lines += [name + b": " + value for name, value in default_headers]
    lines += [
        b"retry-after: %d" % retry_after_s,
        b"content-type: text/plain; charset=utf-8",
        b"content-length: %d" % len(body),
        b"connection: close",
    ]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def handshake_timeout_protocol(timeout_s: float) -> type[asyncio.Protocol]:
    """The HTTP protocol class for uvicorn, with this process's handshake timeout."""
    HandshakeTimeoutProtocol.timeout_s = timeout_s
    return HandshakeTimeoutProtocol


HTTP_KEEP_ALIVE_S = 75
"""How long an idle keep-alive HTTP connection stays open. Longer than the idle expiry of the
clients and proxies in front of us (httpx 5 s, nginx and cloud load balancers 60 s), so the
client always closes first: with uvicorn's 5 s default, a client that reused a connection at
the moment the server closed it got a reset instead of an answer (seen as `httpx.ReadError`
on a loaded machine), which a POST cannot safely retry."""


def connection_options(settings: Settings) -> dict[str, Any]:
    """The uvicorn options that bound each connection, from the settings (`ws` is set by
    `tls.server_config`: a `StationWebSocketProtocol` that also fills the ASGI TLS extension)."""
    StationWebSocketProtocol.close_rate = drain_close_rate(settings)
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
        "timeout_keep_alive": HTTP_KEEP_ALIVE_S,
    }
