"""EV charging need and schedule response bodies."""

from datetime import datetime
from typing import Any

from chargeyard.api.schemas import Resource


class ChargingNeedOut(Resource):
    id: int
    station_id: str
    evse_id: int
    requested_energy_transfer: str
    departure_time: datetime | None
    energy_amount_wh: int | None
    ev_min_current_a: float | None
    ev_max_current_a: float | None
    ev_max_voltage_v: float | None
    ev_max_power_w: float | None
    state_of_charge: int | None
    max_schedule_tuples: int | None
    data: dict[str, Any]
    reported_at: datetime


class EvChargingScheduleOut(Resource):
    id: int
    station_id: str
    evse_id: int
    time_base: datetime
    schedule: dict[str, Any]
    reported_at: datetime
