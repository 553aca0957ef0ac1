"""Keeping a simulated station online as a real one does: reconnect with backoff, then resume.

A station whose connection drops (the CSMS restarted, a network hiccup) retries after 1 s,
doubling to at most 30 s, each wait jittered by +/-50 % so a fleet dropped at once does not
come back at once. Once connected it boots again and reports its connector states
(`Station.ensure_online`); what it could not deliver while offline (1.6 StopTransactions,
2.x queued TransactionEvents) goes out right after, and a transaction still running goes on
metering under the same id, as OCPP expects of a station that was offline.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable

from chargeyard.simulator.station import Station

FIRST_BACKOFF_S = 1.0
MAX_BACKOFF_S = 30.0


class Backoff:
    """Waits between reconnection attempts: 1 s doubling to 30 s, with jitter."""

    def __init__(
        self,
        rng: random.Random,
        first_s: float = FIRST_BACKOFF_S,
        maximum_s: float = MAX_BACKOFF_S,
    ) -> None:
        self.rng = rng
        self.first_s = first_s
        self.maximum_s = maximum_s
        self._next_s = first_s

    def next(self) -> float:
        """The wait before the next attempt (and doubles the one after)."""
        wait = self._next_s * self.rng.uniform(0.5, 1.5)
        self._next_s = min(self._next_s * 2, self.maximum_s)
        return wait

    def reset(self) -> None:
        self._next_s = self.first_s


async def keep_online(
    station: Station, backoff: Backoff, on_online: Callable[[], None] = lambda: None
) -> None:
    """Until cancelled: come online (boot, statuses, undelivered messages), wait for the drop,
    back off, again. `on_online` is called each time the station is back."""
    while True:
        if not await station.ensure_online():
            await asyncio.sleep(backoff.next())
            continue
        backoff.reset()
        on_online()
        await station.wait_disconnected()
