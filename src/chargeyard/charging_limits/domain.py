"""External charging limits a station reports (an EMS, the grid operator, a local controller):
OCPP 2.0.1 NotifyChargingLimit sets one, ClearedChargingLimit lifts it. Smart charging must stay
within the active ones. Pure values.
"""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ChargingLimit:
    source: str
    evse_id: int | None = None
    grid_critical: bool | None = None
    schedules: tuple[dict[str, Any], ...] = field(default=())
