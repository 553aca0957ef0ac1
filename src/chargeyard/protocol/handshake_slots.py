"""How many station handshakes a worker admits at once, so a reconnect storm cannot collapse it.

A handshake costs the worker a database read (admission) and a batched write (the station
marked connected) before the station can send its BootNotification. When thousands of stations
reconnect together, a worker that takes them all on finishes each later than the station's
handshake timeout (10 s for most firmware): the station gives up and retries, and the work done
for it is lost, so the worker falls further behind with every second (measured: 3,000 stations
reconnecting to one loaded worker, 353 back after a minute, with every core busy). With at most
`ws_handshake_concurrency` handshakes in progress, every admitted one finishes in time; the
others are answered 503 with a Retry-After before any database work (far under a millisecond),
and wait in the station's own backoff instead.

Most of those refusals never reach the application: the HTTP protocol answers them itself
(`connections.HandshakeTimeoutProtocol`), before the WebSocket protocol and the ASGI
endpoint are built for the connection. Through the endpoint a refusal cost about 0.6 ms of
CPU (the WebSocket protocol, Starlette's denial response, uvicorn's log line); written raw by
the HTTP protocol it costs a small fraction of that. The lifespan publishes the worker's slots
in its state (`SLOTS_STATE`), which uvicorn hands to every connection's protocol. The endpoint
still takes the slot (and sheds, in the rare case that the slots filled between the two).

A handshake also waits before any slot: in the listen backlog and the socket's receive buffer,
while the worker's event loop is busy. A station gives up at its own timeout (10 s for most
firmware and the bundled simulator) and closes its socket; the worker, reaching the request
later, would still admit it, mark the station connected, accept, find the socket gone and mark
it disconnected: three database round trips for nobody (measured: 13,806 handshakes timed out
in one 10,000-station start). The HTTP protocol asks the kernel how long the request waited
(`queued`, Linux's TCP_INFO) before it hands the handshake on: a request whose station already
closed its side is dropped without an answer, and one that waited `QUEUED_TOO_LONG_S` or more
is answered 503 with Retry-After at once, like a handshake shed for want of a slot, because
whatever admission still costs would likely end after the station's timeout.
"""

import random
import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from chargeyard.protocol.station_route import station_id_in

BUSY = "too many stations connecting at once: try again shortly"
"""The body of a shed handshake's 503."""

SLOTS_STATE = "chargeyard.handshake_slots"
"""The key of the worker's `HandshakeSlots` in the lifespan state."""


QUEUED_TOO_LONG_S = 5.0
"""A station's handshake request that waited this long in the kernel's queues is shed: half of
the usual station handshake timeout (10 s), leaving the other half for admission, the
connected mark and the 101 to reach the station."""

_TCP_INFO = struct.Struct("B7x12I")
"""The head of Linux's `struct tcp_info`: the state, seven more bytes, then twelve 32-bit fields
up to `tcpi_last_data_recv` (milliseconds since the last data segment arrived)."""

_CLOSE_WAIT = 8
"""`TCP_CLOSE_WAIT` in Linux's `tcp_states.h`: the peer sent its FIN (it closed its socket)."""


class _SocketOptions(Protocol):
    def getsockopt(self, level: int, option: int, buflen: int) -> bytes: ...


@dataclass(frozen=True)
class Queued:
    """What the kernel says about a connection whose request the worker is reading now."""

    peer_closed: bool
    """The peer closed its side already: nobody will read an answer."""
    waited_s: float
    """Seconds since the request's last data segment arrived."""

    def stale(self) -> bool:
        return self.waited_s >= QUEUED_TOO_LONG_S


def queued(sock: _SocketOptions | None) -> Queued | None:
    """How long the request on `sock` waited, and whether its peer has gone: None where the
    kernel does not tell (not Linux, not TCP)."""
    option = getattr(socket, "TCP_INFO", None)
    if sock is None or option is None:
        return None
    try:
        info = sock.getsockopt(socket.IPPROTO_TCP, option, _TCP_INFO.size)
    except OSError:
        return None
    if len(info) < _TCP_INFO.size:
        return None
    fields = _TCP_INFO.unpack(info)
    return Queued(peer_closed=fields[0] == _CLOSE_WAIT, waited_s=fields[12] / 1000)


class HandshakeSlots:
    """`spoken`: the subprotocols the endpoint speaks (a handshake offering none of them is
    answered 400 by the endpoint, never shed)."""

    def __init__(
        self,
        limit: int,
        rng: random.Random | None = None,
        *,
        spoken: Iterable[str] = (),
    ) -> None:
        self.limit = limit
        self.in_progress = 0
        self.spoken = frozenset(spoken)
        self._rng = rng or random.Random()

    def take(self) -> bool:
        """A slot for one handshake, or False when all are in use."""
        if self.in_progress >= self.limit:
            return False
        self.in_progress += 1
        return True

    def full(self) -> bool:
        """Whether a handshake arriving now would be shed."""
        return self.in_progress >= self.limit

    def is_station_handshake(self, path: str, offered: Iterable[str]) -> bool:
        """A handshake this worker's endpoint would take a slot for: a station's path and a
        subprotocol spoken here."""
        return station_id_in(path) is not None and any(
            protocol in self.spoken for protocol in offered
        )

    def release(self) -> None:
        self.in_progress -= 1

    def retry_after_s(self) -> int:
        """Whole seconds for the Retry-After header, spread so that stations that honour it do
        not all come back in the same second."""
        return self._rng.randint(1, 5)
