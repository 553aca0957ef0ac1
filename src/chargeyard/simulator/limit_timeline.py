"""What the stations of a site let their running transactions draw, over time.

Each station's `Charger` calls its listeners whenever the limit in force for a running
transaction may change (a profile installed or cleared, a transaction starting or ending);
`LimitTimeline` records every station's total then, so the merged timeline holds every
instant at which the site's sum changed, however briefly. The limits are what the stations
compose from their profiles (`charging_limits.limits_at`: TxProfile over the connector's
TxDefaultProfile over the station-wide one, the ChargePointMaxProfile on top), with the
physical maximum where no profile applies.

Times are `time.perf_counter()` seconds, so timelines of stations in one process merge. Limits
that change by themselves (a schedule's next period) are not events: a site run with
single-period (Relative) profiles, as load sharing sends, is recorded completely.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from chargeyard.simulator.charger import Charger


@dataclass(frozen=True)
class LimitChange:
    at: float
    station_id: str
    in_force_w: float
    """The sum over the station's charging connectors of the limit in force there."""


class LimitTimeline:
    def __init__(self) -> None:
        self.changes: list[LimitChange] = []
        self._last: dict[str, float] = {}

    def follow(self, station_id: str, charger: Charger) -> None:
        """Record `charger`'s limits from now on."""
        charger.listeners.append(lambda: self.record(station_id, charger))
        self.record(station_id, charger)

    def record(self, station_id: str, charger: Charger) -> None:
        total = sum(charger.in_force_w().values())
        if self._last.get(station_id) != total:
            self._last[station_id] = total
            self.changes.append(LimitChange(time.perf_counter(), station_id, total))

    def sums(self) -> list[tuple[float, float]]:
        """The site's sum after each change: (time, W), in the order the changes happened."""
        current: dict[str, float] = {}
        merged = []
        for change in self.changes:
            current[change.station_id] = change.in_force_w
            merged.append((change.at, sum(current.values())))
        return merged

    def peak_w(self) -> float:
        return max((total for _at, total in self.sums()), default=0.0)

    def above(self, limit_w: float) -> list[tuple[float, float, float]]:
        """The spans during which the sum exceeded `limit_w`: (start, seconds, peak W)."""
        spans: list[tuple[float, float, float]] = []
        start: float | None = None
        peak = 0.0
        for at, total in self.sums():
            if total > limit_w + 1e-6:
                if start is None:
                    start, peak = at, total
                peak = max(peak, total)
            elif start is not None:
                spans.append((start, at - start, peak))
                start = None
        if start is not None:
            spans.append((start, time.perf_counter() - start, peak))
        return spans
