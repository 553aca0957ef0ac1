"""Periodic event stream response bodies."""

from datetime import datetime

from chargeyard.api.schemas import Resource


class EventStreamOut(Resource):
    id: int
    station_id: str
    stream_id: int
    variable_monitoring_id: int | None
    interval_s: int | None
    values: int | None
    state: str
    opened_at: datetime
    closed_at: datetime | None
    value_count: int
    pending: int | None
    last_value_at: datetime | None


class EventStreamValueOut(Resource):
    at: datetime
    value: str
