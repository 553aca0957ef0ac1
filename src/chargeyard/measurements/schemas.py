"""Request and response bodies of /api/v1/circuits/{id}/measurements."""

from datetime import datetime

from chargeyard.api.schemas import Input, NonNegative, Resource
from chargeyard.measurements.domain import MeasurementKind


class MeasurementIn(Input):
    kind: MeasurementKind
    measured_at: datetime
    power_kw: NonNegative
    forecast: bool = False


class MeasurementOut(Resource):
    id: int
    circuit_id: str
    kind: str
    measured_at: datetime
    power_kw: float
    forecast: bool
