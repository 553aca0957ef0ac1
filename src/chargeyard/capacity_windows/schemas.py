"""Request and response bodies of a circuit's capacity windows."""

from datetime import datetime

from chargeyard.api.schemas import Input, NonNegative, Resource


class WindowIn(Input):
    starts_at: datetime
    ends_at: datetime
    max_power_kw: NonNegative | None = None
    max_current_a: NonNegative | None = None


class WindowOut(Resource):
    id: str
    circuit_id: str
    starts_at: datetime
    ends_at: datetime
    max_power_kw: float | None
    max_current_a: float | None
