"""Per-station CALL rate limit: a token bucket, so one station cannot take a core from the rest.

A station may send `burst` CALLs at once and `rate_per_s` sustained (boots that report many
connectors fit in the burst). A CALL over the limit is answered with the version's `GenericError`
("rate limit exceeded") without running its handler: the station keeps its connection and, being
told, may retry later. Refusals are counted per station; the first refusal of a burst writes one
warning, and the end of a burst one line with how many were refused, so a flood costs two log
lines, not one per frame. `rate_per_s` 0 turns the limit off.
"""

import logging
import time
from collections.abc import Callable

from chargeyard.protocol.rpc_errors import Kind, RpcError
from chargeyard.settings import Settings

logger = logging.getLogger(__name__)

RATE_LIMITED = RpcError(Kind.GENERIC, "rate limit exceeded")


class RateLimit:
    def __init__(
        self,
        station_id: str,
        rate_per_s: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.station_id = station_id
        self.rate_per_s = rate_per_s
        self.burst = burst
        self._clock = clock
        self._tokens = float(burst)
        self._updated = clock()
        self.refused = 0
        """CALLs refused over this connection's life."""
        self._refused_in_burst = 0

    @classmethod
    def from_settings(cls, settings: Settings, station_id: str) -> "RateLimit":
        return cls(station_id, settings.station_rate_limit_per_s, settings.station_rate_limit_burst)

    def allow(self) -> bool:
        """Take a token for one CALL; False when the station is over its limit."""
        if self.rate_per_s <= 0:
            return True
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate_per_s)
        self._updated = now
        if self._tokens >= 1:
            self._tokens -= 1
            if self._refused_in_burst:
                logger.warning(
                    "%s: rate limit burst over, %d CALLs refused",
                    self.station_id,
                    self._refused_in_burst,
                )
                self._refused_in_burst = 0
            return True
        if not self._refused_in_burst:
            logger.warning(
                "%s: over the rate limit of %g CALLs/s (burst %d): refusing CALLs",
                self.station_id,
                self.rate_per_s,
                self.burst,
            )
        self._refused_in_burst += 1
        self.refused += 1
        return False
