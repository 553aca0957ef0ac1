"""Maintenance windows as values: what makes one valid, and the planned time of a station as
one merged list of intervals. Pure.

A window is planned downtime an operator announces ahead (or records after the fact): for one
station, or for every station at a location or below it in the site tree. While
it lasts, the station's uptime does not count (`kpis/domain.py` excludes the time) and its
offline alerts stay quiet (`alerts/service.py`).
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from chargeyard.errors import Invalid

MAX_LENGTH = timedelta(days=366)
"""A window longer than a year is a decommissioning, not maintenance."""

Interval = tuple[datetime, datetime]


def check_window(
    station_id: str | None, location_id: str | None, starts_at: datetime, ends_at: datetime
) -> None:
    if (station_id is None) == (location_id is None):
        raise Invalid("a maintenance window is for a station_id or a location_id (one of them)")
    if ends_at <= starts_at:
        raise Invalid("ends_at must be after starts_at")
    if ends_at - starts_at > MAX_LENGTH:
        raise Invalid("a maintenance window lasts at most 366 days")


def merged(windows: Iterable[Interval]) -> list[Interval]:
    """The windows as disjoint intervals in time order (overlapping or touching ones joined)."""
    found: list[Interval] = []
    for start, end in sorted(windows):
        if found and start <= found[-1][1]:
            found[-1] = (found[-1][0], max(found[-1][1], end))
        else:
            found.append((start, end))
    return found


def planned_changes(windows: Iterable[Interval]) -> list[tuple[datetime, bool]]:
    """The windows as a history of "planned" (True from each start, False from each end)."""
    changes: list[tuple[datetime, bool]] = []
    for start, end in merged(windows):
        changes += [(start, True), (end, False)]
    return changes
