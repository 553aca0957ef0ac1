"""Who is confined to sites, and how a stored site list reads."""

from collections.abc import Iterable

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
