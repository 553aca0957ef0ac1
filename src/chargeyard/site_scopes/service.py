"""Site-scope use cases: confining a caller as it authenticates, checking a user's site list,
and keeping what a confined caller creates or moves inside its sites."""

from collections.abc import Sequence
from dataclasses import replace

from chargeyard.errors import Forbidden, Invalid, NotFound
from chargeyard.organizations.domain import Principal, Role
from chargeyard.site_scopes.domain import confining, stored
from chargeyard.site_scopes.repository import circuits_within_sites, existing, subtrees
from chargeyard.site_scopes.scope import SiteScope, site_scope_of
from chargeyard.storage.session import AsyncSession


async def confine(
    session: AsyncSession, caller: Principal, location_ids: Sequence[str] | None
) -> Principal:
    """`caller` as its user's site list (read at this request, so a change applies at once)
    allows: unchanged for the whole organization, else with a `SiteScope` for its organization
    id, which every repository built from it narrows by. The circuits it may see are resolved
    here too, so a station hung on another circuit counts from the next request on."""
    roots = confining(caller.role, location_ids)
    if roots is None:
        return caller
    allowed = await subtrees(session, caller.organization_id, roots)
    circuits = await circuits_within_sites(session, caller.organization_id, allowed)
    return replace(caller, organization_id=SiteScope(caller.organization_id, allowed, circuits))


async def checked_sites(
    session: AsyncSession, organization_id: str, role: str, location_ids: Sequence[str] | None
) -> list[str] | None:
    """A user's site list as stored, after checking that each is a location of the
    organization and that the user is not an admin (an admin always sees everything)."""
    sites = stored(location_ids)
    if sites is None:
        return None
    if Role(role) == Role.ADMIN:
        raise Invalid("location_ids: an admin sees the whole organization; leave it empty")
    missing = set(sites) - await existing(session, organization_id, sites)
    if missing:
        raise Invalid(f"location_ids: no location {sorted(missing)[0]!r} in this organization")
    return sites


def check_placement(organization_id: str, location_id: str | None) -> None:
    """A site-scoped caller places stations and locations only inside its sites: anywhere else
    is, for it, a location that does not exist."""
    scope = site_scope_of(organization_id)
    if scope is None or scope.covers_location(location_id):
        return
    if location_id is None:
        raise Invalid("location_id: a site-scoped user places it in one of its locations")
    raise NotFound(f"Location {location_id!r} does not exist")


def check_whole_organization(caller: Principal) -> Principal:
    """For what spans the whole organization and cannot be cut to a site (the electrical tree
    of load management, reports built in the background, alert digests): 403 for a
    site-scoped caller."""
    if site_scope_of(caller.organization_id) is not None:
        raise Forbidden("this covers the whole organization; a site-scoped user cannot use it")
    return caller
