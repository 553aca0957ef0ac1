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
"""

import random


class HandshakeSlots:
    def __init__(self, limit: int, rng: random.Random | None = None) -> None:
        self.limit = limit
        self.in_progress = 0
        self._rng = rng or random.Random()

    def take(self) -> bool:
        """A slot for one handshake, or False when all are in use."""
        if self.in_progress >= self.limit:
            return False
        self.in_progress += 1
        return True

    def release(self) -> None:
        self.in_progress -= 1

    def retry_after_s(self) -> int:
        """Whole seconds for the Retry-After header, spread so that stations that honour it do
        not all come back in the same second."""
        return self._rng.randint(1, 5)
