"""The newest meter sample a station's connection knows to be stored, per EVSE.

Stations resend meter values they were not sure got through, so every sample is checked against
the stored ones before it is stored (`TransactionService.record_meter_values`). That check is a
SELECT per message, and MeterValues are most of what a charging station sends. A sample newer
than every stored sample of its EVSE cannot be a duplicate, and only the station's own
connection stores its samples, so the connection remembers the newest stored time per EVSE
(read once from the database, then moved by what it stores) and a message whose samples are all
newer skips the SELECT. Anything else (a resend, samples buffered while offline) is checked in
full, as before.

The mark may run ahead of the database when a unit that stored samples rolls back: a resend of
those samples is then at or below the mark and gets the full check, so nothing is lost. Only the
moment when a station reconnects to another node while its old connection still writes could
let a duplicate sample through (a row of the same reading twice, never a lost one).
"""

from collections.abc import Iterable
from datetime import datetime


class MeterWatermark:
    def __init__(self) -> None:
        self._newest: dict[int, datetime | None] = {}

    def known(self, evse_id: int) -> bool:
        return evse_id in self._newest

    def seed(self, evse_id: int, newest: datetime | None) -> None:
        """What the database held for the EVSE when the connection first asked."""
        self._newest.setdefault(evse_id, newest)

    def all_newer(self, evse_id: int, timestamps: Iterable[datetime]) -> bool:
        newest = self._newest.get(evse_id)
        return newest is None or all(moment > newest for moment in timestamps)

    def stored(self, evse_id: int, timestamps: Iterable[datetime]) -> None:
        latest = max(timestamps, default=None)
        newest = self._newest.get(evse_id)
        if latest is not None and (newest is None or latest > newest):
            self._newest[evse_id] = latest
