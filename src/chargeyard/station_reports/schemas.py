"""Station report response bodies."""

from datetime import datetime
from typing import Any

from chargeyard.api.schemas import Resource


class StationReportOut(Resource):
    id: int
    station_id: str
    kind: str
    occurred_at: datetime
    request_id: int | None
    seq_no: int | None
    tbc: bool
    evse_id: int | None
    status: str | None
    data: dict[str, Any]
    received_at: datetime
