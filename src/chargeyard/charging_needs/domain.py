"""What an EV says it needs (ISO 15118 via OCPP 2.0.1 NotifyEVChargingNeeds) and the schedule
it chose (NotifyEVChargingSchedule): inputs for smart charging. Pure values.

The fields smart charging reads are typed; the full message is kept beside them.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class ChargingNeed:
    evse_id: int
    requested_energy_transfer: str
    departure_time: datetime | None = None
    energy_amount_wh: int | None = None
    ev_min_current_a: float | None = None
    ev_max_current_a: float | None = None
    ev_max_voltage_v: float | None = None
    ev_max_power_w: float | None = None
    state_of_charge: int | None = None
    max_schedule_tuples: int | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EvChargingSchedule:
    evse_id: int
    time_base: datetime
    schedule: dict[str, Any]
