"""Station report response bodies."""

from datetime import datetime
from typing import Any

from pydantic import Field

from chargeyard.api.schemas import Resource
from chargeyard.error_codes.schemas import TranslationOut


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
    vendor_error: TranslationOut | None = Field(
        default=None,
        description="A device event's `data.tech_code` (its NotifyEvent's `techCode`) as the "
        "organization's vendor error code table translates it on this station (its vendor, "
        "model and firmware at boot; the most specific entry wins); null for other kinds, "
        "without a code or without an entry.",
    )
