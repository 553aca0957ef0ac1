"""Whether a tag's permissions let it charge at a station now. Pure rules over grant values.

A tag with no permission at all (directly or through a group) keeps the organization's open
default, unless the organization requires permissions. A tag with at least one is accepted only
where one covers the station: the station itself, or a location on its way up the site tree.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum


class Denial(StrEnum):
    """Why a tag may not charge here; recorded with the refused authorization."""

    NO_PERMISSION = "no_permission"
    NOT_AT_THIS_LOCATION = "not_at_this_location"
    NOT_AT_THIS_TIME = "not_at_this_time"


@dataclass(frozen=True)
class Grant:
    location_id: str | None
    station_id: str | None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    daily_from: time | None = None
    daily_until: time | None = None


@dataclass(frozen=True)
class Place:
    """A station where a tag is presented: its id, its location with all the location's
    ancestors, and the wall-clock time there."""

    station_id: str
    lineage: frozenset[str]
    local_time: time


def covers(grant: Grant, place: Place) -> bool:
    if grant.station_id is not None:
        return grant.station_id == place.station_id
    return grant.location_id is not None and grant.location_id in place.lineage


def in_force(grant: Grant, now: datetime, local_time: time) -> bool:
    """Within the grant's dates (from inclusive, until exclusive) and its daily window."""
    if grant.valid_from is not None and now < grant.valid_from:
        return False
    if grant.valid_until is not None and now >= grant.valid_until:
        return False
    start, end = grant.daily_from, grant.daily_until
    if start is None or end is None or start == end:
        return True
    if start < end:
        return start <= local_time < end
    return local_time >= start or local_time < end


def denial(
    grants: Iterable[Grant], place: Place, now: datetime, *, required: bool
) -> Denial | None:
    """None when the tag may charge at `place` now, else why not."""
    grants = list(grants)
    if not grants:
        return Denial.NO_PERMISSION if required else None
    covering = [g for g in grants if covers(g, place)]
    if not covering:
        return Denial.NOT_AT_THIS_LOCATION
    if any(in_force(g, now, place.local_time) for g in covering):
        return None
    return Denial.NOT_AT_THIS_TIME
