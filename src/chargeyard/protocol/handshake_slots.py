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
"""

import random
from collections.abc import Iterable

from chargeyard.protocol.station_route import station_id_in

BUSY = "too many stations connecting at once: try again shortly"
"""The body of a shed handshake's 503."""

SLOTS_STATE = "chargeyard.handshake_slots"
"""The key of the worker's `HandshakeSlots` in the lifespan state."""


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

    def sheds(self, path: str, offered: Iterable[str]) -> bool:
        """Whether the endpoint would answer a WebSocket handshake for `path`, offering the
        subprotocols `offered`, with 503 now: a station's path, a subprotocol spoken here, and
        every slot in use. Anything else goes on to the application as before."""
        return (
            self.full()
            and station_id_in(path) is not None
            and any(protocol in self.spoken for protocol in offered)
        )

    def release(self) -> None:
        self.in_progress -= 1

    def retry_after_s(self) -> int:
        """Whole seconds for the Retry-After header, spread so that stations that honour it do
        not all come back in the same second."""
        return self._rng.randint(1, 5)
