"""One sample of a connector's energy meter, independent of how a protocol encodes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class MeterReading:
    """What the meter of one connector shows at one instant.

    `energy_wh` is the lifetime import register, so it only ever grows; `current_a` holds
    one value per phase the connector is wired for (L1, L2, L3), zero on phases the
    vehicle does not use.
    """

    timestamp: datetime
    energy_wh: int
    power_w: float
    current_a: tuple[float, ...]
    voltage_v: float
    soc_percent: int | None = None
