"""Request and response bodies of /api/v1/transactions/{id}/charging-needs."""

from datetime import datetime

from chargeyard.api.schemas import Input, NonNegative, Percent, Positive, Priority, Resource


class SessionNeedsIn(Input):
    vehicle_id: str | None = None
    battery_kwh: Positive | None = None
    soc_percent: Percent | None = None
    target_soc_percent: Percent | None = None
    energy_kwh: NonNegative | None = None
    departure_at: datetime | None = None
    max_power_kw: Positive | None = None
    priority: Priority | None = None


class SessionNeedsOut(Resource):
    transaction_id: int
    vehicle_id: str | None
    battery_kwh: float | None
    soc_percent: float | None
    target_soc_percent: float | None
    energy_kwh: float | None
    departure_at: datetime | None
    max_power_kw: float | None
    priority: int | None
