"""Message log response bodies (frames are stored with station passwords already masked)."""

from datetime import datetime
from typing import Literal

from chargeyard.api.schemas import Resource

Direction = Literal["in", "out"]


class LoggedMessageOut(Resource):
    id: int
    station_id: str
    direction: str
    message_type: int | None
    unique_id: str | None
    action: str | None
    frame: str
    logged_at: datetime
