"""Expected arrivals: sessions likely to plug in later today, learned from past days.

Online control that knows only the vehicles plugged in plans as if the site will empty, so it
leaves a long-staying vehicle's charge for later and finds the capacity taken by vehicles that
arrive meanwhile.  The forecast here is the plainest one that carries where (which EVSE, hence
which lines) and when demand comes: every session of the last `k` comparable days that arrived
after this time of day becomes an expected session with 1/k of its energy and of its power.  The
controller plans them beside the real ones (`online.OnlineState.arrives_in`), so capacity that
past days say will be wanted is not counted on as free.

Only past days enter; nothing of the day being controlled.  Pure: values in, arrays out.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from chargeyard.smart_charging.electrical import FloatArray
from chargeyard.smart_charging.schedule import IntArray


@dataclass(frozen=True)
class PastSession:
    """A session of a past day, its times in control periods from that day's midnight."""

    arrival: int
    departure: int
    energy_kwh: float
    max_power_kw: float
    evse: str


@dataclass(frozen=True)
class ExpectedSessions:
    """Sessions expected to arrive within the horizon, times in periods from now."""

    arrives_in: IntArray
    periods_left: IntArray
    energy_kwh: FloatArray
    max_power_kw: FloatArray
    evse: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.evse)


@dataclass(frozen=True)
class ArrivalForecast:
    """The average of past days: each of their sessions counts for 1/len(days)."""

    days: Sequence[Sequence[PastSession]]
    grain: int = 12
    """Expected arrivals and departures are rounded to this many periods from now: the
    forecast is not sharper than that, and alike sessions merge into fewer LP columns."""

    def expected(self, now: int, horizon: int) -> ExpectedSessions:
        """Sessions arriving after period `now` of the day and before `now + horizon`."""
        coming = [s for day in self.days for s in day if now < s.arrival < now + horizon]
        share = 1.0 / max(len(self.days), 1)
        arrives = self._rounded(np.array([s.arrival - now for s in coming], dtype=np.int64))
        departs = self._rounded(np.array([s.departure - now for s in coming], dtype=np.int64))
        return ExpectedSessions(
            arrives_in=np.maximum(arrives, 1),
            periods_left=np.maximum(departs, np.maximum(arrives, 1) + 1),
            energy_kwh=np.array([s.energy_kwh * share for s in coming], dtype=np.float64),
            max_power_kw=np.array([s.max_power_kw * share for s in coming], dtype=np.float64),
            evse=tuple(s.evse for s in coming),
        )

    def _rounded(self, periods: IntArray) -> IntArray:
        grain = max(self.grain, 1)
        return np.asarray((periods + grain // 2) // grain * grain, dtype=np.int64)
