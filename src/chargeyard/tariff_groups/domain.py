"""Which tariff group prices a session (pure: no I/O).

A group applies at places: a station, a location (with every location below it), or the whole
organization. When a session's ID tag (or the driver holding it) is in several groups that
apply where it runs, the most specific place wins: the station, then its location, then that
location's parents (nearest first), then the organization. Groups tied at the same place are
taken in name order (then id), so the choice never depends on the order rows come back in.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from chargeyard.errors import Invalid


class PlaceKind(StrEnum):
    STATION = "station"
    LOCATION = "location"
    ORGANIZATION = "organization"


@dataclass(frozen=True, order=True)
class Place:
    kind: PlaceKind
    id: str | None = None


def check_places(places: Sequence[Place]) -> list[Place]:
    """The places in a stable order, each once; a station or location place names one, the
    organization names none."""
    for place in places:
        if (place.kind is PlaceKind.ORGANIZATION) != (place.id is None):
            raise Invalid(
                "places: a station or location place has an id; the organization place has none"
            )
    return sorted(set(places))


@dataclass(frozen=True)
class Applying:
    """A group the session's tag or driver is in, with one place it applies at."""

    group_id: str
    group_name: str
    tariff_id: str
    station_id: str | None
    location_id: str | None


def group_tariff(
    applying: Iterable[Applying], station_id: str, location_chain: Sequence[str]
) -> str | None:
    """The tariff of the group at the most specific place where the session runs; None when no
    group applies there."""

    def rank(found: Applying) -> int | None:
        if found.station_id is not None:
            return 0 if found.station_id == station_id else None
        if found.location_id is not None:
            if found.location_id not in location_chain:
                return None
            return 1 + location_chain.index(found.location_id)
        return 1 + len(location_chain)

    ranked = [(rank(a), a.group_name, a.group_id, a.tariff_id) for a in applying]
    best = min(((r, name, gid, t) for r, name, gid, t in ranked if r is not None), default=None)
    return None if best is None else best[3]
