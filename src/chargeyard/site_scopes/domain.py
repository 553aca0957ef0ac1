"""Who is confined to sites, how a stored site list reads, and which circuits a site holds."""

from collections.abc import Iterable, Mapping

from chargeyard.organizations.domain import Role


def confining(role: Role, location_ids: Iterable[str] | None) -> frozenset[str] | None:
    """The locations a user is confined to, or None for the whole organization: an empty or
    absent list, and any admin (admins administer the organization, so they always see all
    of it)."""
    if role == Role.ADMIN or not location_ids:
        return None
    return frozenset(location_ids)


def stored(location_ids: Iterable[str] | None) -> list[str] | None:
    """How a user's site list is kept: sorted and without repeats; empty is None (the whole
    organization), so "no restriction" has one spelling."""
    if not location_ids:
        return None
    return sorted(set(location_ids))


def circuits_within(
    parents: Mapping[str, str | None],
    stations: Mapping[str, tuple[int, int]],
    placed: Mapping[str, bool] | None = None,
) -> frozenset[str]:
    """The circuits a site-confined user sees.

    `parents` is each circuit's parent, `stations` per circuit the stations hung on it
    directly and how many of those are in the sites, `placed` per circuit that names the
    location it belongs to whether that location is in the sites.

    A circuit belongs where it is placed: to its own location, else to the nearest circuit
    above it that names one. A circuit is seen when no station on it or below it is outside
    the sites (else it would show another site's load, limits and sessions) and

    - it belongs to a location in the sites, even with no station yet: a feeder an admin
      built for the site, on which the site's operator then hangs its stations; or
    - it belongs to no location (an unplaced tree) and at least one station hangs on it or
      below it.

    A circuit placed at another site is not seen, whatever hangs on it; neither is an
    unplaced one with no station, which belongs to no site. What is seen is closed downwards
    (a seen circuit's sub-circuits are seen when they hold stations or inherit its place),
    except for a sub-circuit an admin placed at another site."""
    placed = placed or {}
    total: dict[str, int] = dict.fromkeys(parents, 0)
    inside: dict[str, int] = dict.fromkeys(parents, 0)
    for circuit_id, (count, within) in stations.items():
        for current in _lineage(parents, circuit_id):
            total[current] += count
            inside[current] += within
    seen = set()
    for circuit_id in parents:
        if inside[circuit_id] != total[circuit_id]:
            continue
        place = next((placed[c] for c in _lineage(parents, circuit_id) if c in placed), None)
        if place or (place is None and total[circuit_id] > 0):
            seen.add(circuit_id)
    return frozenset(seen)


def _lineage(parents: Mapping[str, str | None], circuit_id: str) -> list[str]:
    """The circuit and those above it, nearest first (a loop in the tree, should one be
    stored, ends the walk)."""
    found: list[str] = []
    current: str | None = circuit_id
    while current is not None and current in parents and current not in found:
        found.append(current)
        current = parents[current]
    return found
