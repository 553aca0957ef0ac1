"""External charging limits a station reports (an EMS, the grid operator, a local controller):
OCPP 2.0.1 NotifyChargingLimit sets one, ClearedChargingLimit lifts it. Smart charging must stay
within the active ones. Pure values.

A station also holds such limits as ChargingStationExternalConstraints profiles (OCPP 2.x), which
the CSMS reads back with GetChargingProfiles (`load_management/external_constraints.py`).
"""

from dataclasses import dataclass, field
from typing import Any

EXTERNAL_CONSTRAINTS = "ChargingStationExternalConstraints"
"""The purpose of the profiles a station's external system sets (never the CSMS)."""


@dataclass(frozen=True)
class ChargingLimit:
    source: str
    evse_id: int | None = None
    grid_critical: bool | None = None
    schedules: tuple[dict[str, Any], ...] = field(default=())
