"""Reservation response bodies."""

from datetime import datetime

from chargeyard.api.schemas import Resource


class ReservationOut(Resource):
    id: int
    station_id: str
    evse_id: int
    id_tag: str
    parent_id_tag: str | None
    expires_at: datetime
    status: str
    transaction_id: int | None
    ended_at: datetime | None
    created_at: datetime
    updated_at: datetime
