"""Reported transaction event response bodies."""

from datetime import datetime

from chargeyard.api.schemas import Resource


class TransactionEventOut(Resource):
    id: int
    station_id: str
    transaction_id: int
    seq_no: int
    event_type: str
    trigger_reason: str
    occurred_at: datetime
    offline: bool
    evse_id: int | None
    connector_id: int | None
    id_tag: str | None
    charging_state: str | None
    stopped_reason: str | None
    applied: bool
    received_at: datetime
