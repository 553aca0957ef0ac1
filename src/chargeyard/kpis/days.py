"""UTC days for the daily rollup (`rollup.py`): which whole days a period holds, the pieces
left around them, and which days a change recorded in the event log makes stale. Pure.

Why UTC days: a row is a fact about [00:00, 24:00) UTC, whatever calendar asks. A period cut in
another zone (a Berlin month starts at 23:00 UTC) takes the whole UTC days inside it from the
rollup and measures the hours at its edges from the histories; a period cut into local days is
all edges, and is measured as it was before the rollup.
"""

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from chargeyard.events.payloads import CONNECTOR_STATUS_CHANGED

DAY = timedelta(days=1)
EVERY_DAY = date.min
"""A change that makes every day of its scope stale (a maintenance window moved)."""

Span = tuple[datetime, datetime]


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def day_of(instant: datetime) -> date:
    return instant.astimezone(UTC).date()


def whole_days(start: datetime, end: datetime) -> list[date]:
    """The UTC days [00:00, 24:00) entirely within [start, end)."""
    first = day_of(start)
    if start_of(first) < start:
        first += DAY
    found = []
    while start_of(first) + DAY <= end:
        found.append(first)
        first += DAY
    return found


def uncovered(start: datetime, end: datetime, covered: Sequence[date]) -> list[Span]:
    """[start, end) without the `covered` days (sorted, each within it): the pieces to measure
    from the histories."""
    pieces, begin = [], start
    for day in covered:
        low = start_of(day)
        if low > begin:
            pieces.append((begin, low))
        begin = low + DAY
    if begin < end:
        pieces.append((begin, end))
    return pieces


def merged(spans: Sequence[Span]) -> list[Span]:
    """The union of `spans`, as disjoint spans in time order (touching ones joined)."""
    found: list[Span] = []
    for low, high in sorted(spans):
        if found and low <= found[-1][1]:
            found[-1] = (found[-1][0], max(found[-1][1], high))
        else:
            found.append((low, high))
    return found


def stale_from(type: str, occurred_at: datetime, data: Mapping[str, Any]) -> date:
    """The first day a recorded change can alter: a status from the instant the station says
    it holds (it may be late, queued while offline), a session's charging state or end from the
    event's own instant (the station's), a connection from the server's; a maintenance window
    (created, moved or deleted: where it was is not in the event) from the first day."""
    if type.startswith("maintenance_window."):
        return EVERY_DAY
    instant = occurred_at
    status = CONNECTOR_STATUS_CHANGED.payload_of(type, data)
    if status is not None:
        try:
            reported = datetime.fromisoformat(status["timestamp"])
        except ValueError:
            return EVERY_DAY
        if reported.tzinfo is not None:
            instant = min(instant, reported)
    return day_of(instant)
