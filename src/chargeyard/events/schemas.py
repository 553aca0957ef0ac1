"""Event log response bodies."""

from datetime import datetime
from typing import Any

from chargeyard.api.schemas import Resource


class EventOut(Resource):
    id: str
    type: str
    occurred_at: datetime
    organization_id: str
    station_id: str | None
    transaction_id: int | None
    data: dict[str, Any]
