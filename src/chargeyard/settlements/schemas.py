"""Settlement response bodies."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from chargeyard.api.schemas import Resource


class SettlementOut(Resource):
    id: int
    station_id: str
    transaction_id: int | None
    ocpp_transaction_id: str | None
    psp_ref: str
    status: str
    status_info: str | None
    amount: Decimal
    settled_at: datetime
    receipt_id: str | None
    receipt_url: str | None
    vat_number: str | None
    vat_company: dict[str, Any] | None
    received_at: datetime
