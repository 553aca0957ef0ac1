"""Security event response bodies."""

from datetime import datetime

from chargeyard.api.schemas import Resource


class SecurityEventOut(Resource):
    id: int
    station_id: str
    type: str
    critical: bool
    source: str
    ocpp_version: str | None
    tech_info: str | None
    occurred_at: datetime
    received_at: datetime
